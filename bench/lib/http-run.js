'use strict';
// One warm print(1) through the service's execute endpoint, as a keep-alive client sends it (Node's fetch keeps the
// connection); resolves with the wall time from sending to the parsed answer, and fails on anything but its output.
const body = JSON.stringify({ language: 'python', code: 'print(1)' });

async function executePrint1(url, apiKey) {
  const t0 = process.hrtime.bigint();
  const res = await fetch(`${url}/v1/code-sandbox/execute`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${apiKey}` },
    body,
  });
  const answer = await res.json();
  if (res.status !== 200 || answer.stdout !== '1\n') throw new Error(`${url}: ${res.status} ${JSON.stringify(answer)}`);
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

module.exports = { executePrint1 };
