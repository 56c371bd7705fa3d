// The key's own usage: runs, failures and cost per day over a chosen period, the totals, and the report as CSV.
import { ownUsage, ownUsageCsv } from './api.js';
import { drawUsageChart } from './charts.js';
import { fillTotals, ms, showError, usd } from './format.js';
import { daysBetween, defaultPeriod, periodProblem } from './period.js';
import { load } from './session.js';

/** The totals every usage view shows, as [label, format, field of the report's totals]. */
export const TOTALS = [
  ['Runs', String, 'executions'],
  ['Failures', String, 'failures'],
  ['Timeouts', String, 'timeouts'],
  ['Memory kills', String, 'memoryKills'],
  ['Cost', usd, 'totalCost'],
  ['Run time', ms, 'totalExecutionTimeMs'],
];

export function totalsEntries(totals) {
  return TOTALS.map(([label, format, name]) => [label, format(totals[name]), name]);
}

export function setUpUsage(root) {
  const $ = (id) => root.querySelector(`#${id}`);
  const from = $('usage-from');
  const to = $('usage-to');
  const error = $('usage-error');
  defaultPeriod(from, to);

  async function show() {
    const problem = periodProblem(from.value, to.value);
    if (problem) return showError(error, problem);
    showError(error, '');
    try {
      const report = await ownUsage(load('apiKey'), from.value, to.value);
      fillTotals($('usage-totals'), totalsEntries(report.totals));
      const byDay = new Map(report.rows.map((r) => [r.day, r]));
      const days = daysBetween(from.value, to.value);
      const pick = (name) => days.map((day) => Number(byDay.get(day)?.[name] ?? 0));
      drawUsageChart($('usage-chart'), days,
        { runs: pick('executions'), failures: pick('failures'), cost: pick('totalCost') });
    } catch (failure) {
      showError(error, failure.message);
    }
  }

  async function downloadCsv() {
    const problem = periodProblem(from.value, to.value);
    if (problem) return showError(error, problem);
    try {
      const csv = await ownUsageCsv(load('apiKey'), from.value, to.value);
      const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv' }));
      const link = document.createElement('a');
      link.href = url;
      link.download = `usage-${from.value}-${to.value}.csv`;
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      showError(error, '');
    } catch (failure) {
      showError(error, failure.message);
    }
  }

  $('usage-period').addEventListener('submit', (event) => {
    event.preventDefault();
    show();
  });
  $('usage-csv').addEventListener('click', downloadCsv);
  return { show };
}
