// Key administration with an admin JWT: the keys, create (the secret shown once, with a copy button), revoke
// (after a confirmation), and every key's usage over a chosen period as a chart and a table.
import { createKey, listKeys, revokeKey, usagePerKey } from './api.js';
import { drawUsageChart } from './charts.js';
import { row, showError, usd, when } from './format.js';
import { defaultPeriod, periodProblem } from './period.js';
import { bindField, load } from './session.js';

export function setUpAdmin(root) {
  const $ = (id) => root.querySelector(`#${id}`);
  const error = $('admin-error');
  const dialog = $('confirm-revoke');
  const from = $('admin-from');
  const to = $('admin-to');
  bindField($('admin-token'), 'adminToken');
  defaultPeriod(from, to);

  async function guarded(action) {
    showError(error, '');
    try {
      await action();
    } catch (failure) {
      showError(error, failure.message);
    }
  }

  async function refresh() {
    const keys = await listKeys(load('adminToken'));
    const body = $('keys').tBodies[0];
    body.replaceChildren(...keys.map(keyRow));
    await showUsage();
  }

  function keyRow(key) {
    const actions = document.createElement('span');
    if (!key.revokedAt) {
      const revoke = document.createElement('button');
      revoke.type = 'button';
      revoke.className = 'danger';
      revoke.textContent = 'Revoke';
      revoke.setAttribute('aria-label', `Revoke ${key.name} (${key.prefix})`);
      revoke.addEventListener('click', () => confirmRevoke(key, revoke));
      actions.append(revoke);
    }
    const tr = row([key.name, key.prefix, when(key.createdAt), key.revokedAt ? when(key.revokedAt) : 'active',
      actions]);
    tr.dataset.keyId = key.id;
    return tr;
  }

  function confirmRevoke(key, opener) {
    $('confirm-text').textContent =
      `"${key.name}" (${key.prefix}) will be refused from its next request on. This cannot be undone.`;
    dialog.returnValue = '';
    dialog.addEventListener('close', () => {
      opener.focus();
      if (dialog.returnValue === 'revoke') {
        guarded(async () => {
          await revokeKey(load('adminToken'), key.id);
          await refresh();
        });
      }
    }, { once: true });
    dialog.showModal();
  }

  async function create(name) {
    const issued = await createKey(load('adminToken'), name);
    $('new-key-value').value = issued.key;
    $('copy-status').textContent = '';
    $('new-key').hidden = false;
    $('new-key-name').value = '';
    $('new-key-value').focus();
    $('new-key-value').select();
    await refresh();
  }

  async function copyKey() {
    const field = $('new-key-value');
    try {
      await navigator.clipboard.writeText(field.value);
      $('copy-status').textContent = 'Copied.';
    } catch {
      field.focus();
      field.select();
      $('copy-status').textContent = 'Copying was not allowed: the key is selected, press Ctrl+C.';
    }
  }

  async function showUsage() {
    const problem = periodProblem(from.value, to.value);
    if (problem) throw new Error(problem);
    const report = await usagePerKey(load('adminToken'), from.value, to.value);
    const label = (r) => `${r.keyName} (${r.keyPrefix})`;
    drawUsageChart($('admin-chart'), report.rows.map(label), {
      runs: report.rows.map((r) => r.executions),
      failures: report.rows.map((r) => r.failures),
      cost: report.rows.map((r) => Number(r.totalCost)),
    }, 'bar');
    const figures = (r) => [r.executions, r.failures, r.timeouts, r.memoryKills, usd(r.totalCost)]
      .map(String);
    $('admin-usage').tBodies[0].replaceChildren(...report.rows.map((r) => {
      const tr = row([r.keyName, r.keyPrefix, ...figures(r)]);
      tr.dataset.keyId = r.keyId;
      return tr;
    }));
    $('admin-usage').tFoot.replaceChildren(row(['Total', '', ...figures(report.totals)], 'th'));
  }

  $('admin-form').addEventListener('submit', (event) => {
    event.preventDefault();
    guarded(refresh);
  });
  $('forget-token').addEventListener('click', () => {
    $('admin-token').value = '';
    $('admin-token').dispatchEvent(new Event('input'));
  });
  $('create-key').addEventListener('submit', (event) => {
    event.preventDefault();
    guarded(() => create($('new-key-name').value.trim()));
  });
  $('copy-key').addEventListener('click', copyKey);
  $('admin-period').addEventListener('submit', (event) => {
    event.preventDefault();
    guarded(showUsage);
  });
  // the new key is shown once: leaving the view forgets it
  function show() {
    $('new-key').hidden = true;
    $('new-key-value').value = '';
    if (load('adminToken')) guarded(refresh);
  }
  return { show };
}
