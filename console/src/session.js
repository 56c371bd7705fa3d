// The API key and the admin token live in this tab's sessionStorage only: never localStorage, never a URL, never
// a cookie. Closing the tab forgets them.
const NAMES = { apiKey: 'sandbox.apiKey', adminToken: 'sandbox.adminToken' };

export function load(which) {
  return sessionStorage.getItem(NAMES[which]) ?? '';
}

export function save(which, value) {
  const trimmed = value.trim();
  if (trimmed) sessionStorage.setItem(NAMES[which], trimmed);
  else sessionStorage.removeItem(NAMES[which]);
}

/** Binds a password field to its stored credential: filled on load, saved as it changes. */
export function bindField(input, which) {
  input.value = load(which);
  input.addEventListener('input', () => save(which, input.value));
}
