// Numbers and times as the console shows them.

/** US dollars, exact to the last non-zero decimal the service sent (runs cost fractions of a cent). */
export function usd(value) {
  const decimals = String(Number(value)).split('.')[1]?.length ?? 0;
  return `$${Number(value).toFixed(Math.min(Math.max(decimals, 2), 6))}`;
}

export function ms(value) {
  return `${Number(value).toFixed(Number(value) < 100 ? 1 : 0)} ms`;
}

export function mb(value) {
  return `${Number(value).toFixed(1)} MB`;
}

export function when(isoTime) {
  return isoTime ? new Date(isoTime).toISOString().replace('T', ' ').slice(0, 16) + ' UTC' : '';
}

/** Replaces an element's children by a <dt>/<dd> list of [label, value, name] (name goes to data-total). */
export function fillTotals(dl, entries) {
  dl.replaceChildren();
  for (const [label, value, name] of entries) {
    const dt = document.createElement('dt');
    dt.textContent = label;
    const dd = document.createElement('dd');
    dd.textContent = value;
    dd.dataset.total = name;
    dl.append(dt, dd);
  }
}

/** A table row of text cells. */
export function row(cells, tag = 'td') {
  const tr = document.createElement('tr');
  for (const cell of cells) {
    const td = document.createElement(tag);
    if (cell instanceof Node) td.append(cell);
    else td.textContent = cell;
    tr.append(td);
  }
  return tr;
}

/** Shows `message` in an alert element, or hides it when message is empty. */
export function showError(element, message) {
  element.textContent = message ?? '';
  element.hidden = !message;
}
