'use strict';
// Interleaved rounds, so that the shared machine's drifts hit every row alike: in each round every row takes one
// turn, in an order that rotates from round to round. Before the first round and after each one the bench rests
// (pools full, nothing running) and measures the machine's idle rate; a turn's CPU is counted from its start until
// the machine is at rest again (pools refilled, jails torn down), net of the mean of the idle rates measured just
// before and just after its round. Each turn also records what the language's pool did during it (pings of the
// service's agent taken at its start and at its end, before the rest). The bench's own CPU for the pings that wait
// for rest is left out of the turn's.
const { agentPools } = require('./agent');
const { cpuWindow, idleRate, cpuPerRun } = require('./cpu');
const { quiesce, pingCpuMs, poolDelta } = require('./pools');

// rows: [{ key, language, turn }], where turn() resolves with { runs, ... } (its own data, kept as is); roots() gives
// the pids of the process trees under test (bench/lib/cpu.js).
// Returns { idleRates, turns: { key: [{ round, data, cpu: { netMs, ownMs, treeMs } per run, pools }] } }.
async function interleave({ socket, roots, rows, rounds, idleSeconds, label }) {
  const rest = async () => {
    await quiesce(socket);
    return idleRate(idleSeconds);
  };
  const idleRates = [await rest()];
  const windows = [];
  for (let r = 0; r < rounds; r++) {
    process.stderr.write(`bench: ${label}, round ${r + 1} of ${rounds} ...\n`);
    for (let k = 0; k < rows.length; k++) {
      const row = rows[(r + k) % rows.length];
      await quiesce(socket);
      const before = (await agentPools(socket))[row.language];
      const close = cpuWindow(roots);
      const pings0 = pingCpuMs();
      const data = await row.turn();
      const after = (await agentPools(socket))[row.language];
      await quiesce(socket);
      const window = close();
      windows.push({ key: row.key, round: r, data, window, pingMs: pingCpuMs() - pings0, pools: poolDelta(before, after) });
    }
    idleRates.push(await rest());
  }
  const turns = Object.fromEntries(rows.map((row) => [row.key, []]));
  for (const w of windows) {
    const rate = (idleRates[w.round] + idleRates[w.round + 1]) / 2;
    turns[w.key].push({ round: w.round, data: w.data, pools: w.pools, cpu: cpuPerRun(w.window, w.data.runs, rate, w.pingMs) });
  }
  return { idleRates, turns };
}

module.exports = { interleave };
