'use strict';
// Throughput the way a waiting user produces it: `clients` loops, each sending its next request when the previous
// one is answered, for `seconds`. `once()` does one request and resolves with its latency in ms (or throws).
const { percentile } = require('./stats');

async function closedLoop({ clients, seconds, once }) {
  const latencies = [];
  const endAt = Date.now() + seconds * 1000;
  const client = async () => {
    while (Date.now() < endAt) latencies.push(await once());
  };
  const started = Date.now();
  await Promise.all(Array.from({ length: clients }, client));
  const elapsedS = (Date.now() - started) / 1000;
  return {
    clients,
    runs: latencies.length,
    runsPerSecond: latencies.length / elapsedS,
    latencyMs: { p50: percentile(latencies, 50), p95: percentile(latencies, 95), p99: percentile(latencies, 99) },
  };
}

module.exports = { closedLoop };
