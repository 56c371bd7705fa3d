'use strict';
// bench/README.md from the figures bench/lib/bench.js measured: the headline and the acceptance table state this
// run's figures only, next to the command, the commit and the machine that produced them.
const fs = require('node:fs');
const os = require('node:os');
const { execFileSync } = require('node:child_process');
const { SETTLE_MS, FULL_WAIT_MS } = require('./pools');

const ROOT = `${__dirname}/../..`;
const PRINT = 'print(1)';
const LOG = 'console.log(1)';

function machine() {
  const git = (...args) => execFileSync('git', ['-C', ROOT, ...args], { encoding: 'utf8' }).trim();
  // the tracked files differ from the commit (bench/README.md aside, which this run rewrites)
  const dirty = git('status', '--porcelain', '--untracked-files=no', '--', '.', ':!bench/README.md') !== '';
  const cpu = os.cpus();
  return {
    commit: `${git('rev-parse', '--short', 'HEAD')}${dirty ? ' plus uncommitted changes' : ''}`,
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    text: `${cpu.length} vCPU (${cpu[0]?.model.trim() ?? '?'}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, ` +
      `kernel ${os.release()}, Debian ${fs.readFileSync('/etc/debian_version', 'utf8').trim()}; ` +
      `the bench itself runs on Node ${process.version}`,
  };
}

const f1 = (v) => (v === null || v === undefined || Number.isNaN(v) ? '–' : v.toFixed(1));
const x2 = (v) => `${v.toFixed(2)}×`;
const pct = (v) => (v === null ? '–' : `${(100 * v).toFixed(1)}%`);
const hitRate = (p) => (p.hits + p.misses ? p.hits / (p.hits + p.misses) : null);
const poolCells = (p) => `${p.hits} / ${p.misses} | ${f1(p.refillMs)}`;
// both CPU measures of a row: the whole machine's net of idle / the bench's process trees
const cpuPair = (s) => `${f1(s.cpuMs)} / ${f1(s.treeMs)}`;
const verdict = (ok) => (ok ? 'met' : '**NOT met**');

function acceptance(r) {
  const seq = r.sequential[PRINT];
  const beyond = seq.HTTP.cpuMs - seq['warm agent'].cpuMs;
  const throughputRow = (code, bareName) => {
    const t = r.throughput[code];
    const rate = hitRate(t.HTTP.pools);
    return [`${r.settings.clients}-client \`${code}\` over HTTP ≥ 2× ${bareName} at ${r.settings.clients} concurrent, pool hit rate ≥ 95%`,
      `${x2(t.HTTP.overBare)} (${f1(t.HTTP.runsPerSecond)} against ${f1(t.bare.runsPerSecond)} runs/s), hit rate ${pct(rate)}`,
      t.HTTP.overBare >= 2 && rate !== null && rate >= 0.95];
  };
  const importRow = (code, limit) => {
    const worst = Math.max(...Object.values(r.imports[code]).map((s) => s.execP50));
    return [`warm \`${code}\` executionTimeMs ≤ ${limit} ms`, `${f1(worst)} ms (the larger of the warm agent's and HTTP's medians)`,
      worst <= limit];
  };
  // a CPU target is met when both measures meet it: the machine's figure is the issue's, the trees' one is what a
  // shared machine's other load cannot push below the truth
  const cpuRow = (what, machineMs, treeMs, limit) => [what, `${f1(machineMs)} ms (process trees: ${f1(treeMs)})`,
    Math.max(machineMs, treeMs) <= limit];
  const rows = [
    cpuRow('CPU per warm `print(1)` run ≤ 8 ms', seq['warm agent'].cpuMs, seq['warm agent'].treeMs, 8),
    cpuRow('CPU per HTTP request beyond the agent\'s ≤ 3 ms (`print(1)`: HTTP − warm agent)', beyond,
      seq.HTTP.treeMs - seq['warm agent'].treeMs, 3),
    throughputRow(PRINT, 'bare python3'),
    throughputRow(LOG, 'bare node'),
    importRow('import sympy', 30),
    importRow('import pandas', 10),
    ['HTTP p50 ≤ the direct agent call\'s p50 + 3 ms (warm `print(1)`)',
      `${f1(seq.HTTP.p50)} ms against ${f1(seq['warm agent'].p50)} ms (+${f1(seq.HTTP.p50 - seq['warm agent'].p50)})`,
      seq.HTTP.p50 <= seq['warm agent'].p50 + 3],
  ];
  return ['| target | this run | |', '|---|---|---|', ...rows.map(([what, figure, ok]) => `| ${what} | ${figure} | ${verdict(ok)} |`)];
}

function headline(r) {
  const line = (code, bareName) => {
    const s = r.sequential[code];
    const t = r.throughput[code];
    return [
      `- \`${code}\`, one run at a time: CPU per run ${bareName} ${cpuPair(s.bare)} ms, bubblewrap ${cpuPair(s.bubblewrap)}, ` +
        `cold agent ${cpuPair(s['cold agent'])}, warm agent ${cpuPair(s['warm agent'])}, HTTP ${cpuPair(s.HTTP)} ` +
        `(HTTP beyond the agent: ${f1(s.HTTP.cpuMs - s['warm agent'].cpuMs)} / ${f1(s.HTTP.treeMs - s['warm agent'].treeMs)} ms); ` +
        `latency p50 ${bareName} ${f1(s.bare.p50)} ms, ` +
        `bubblewrap ${f1(s.bubblewrap.p50)}, cold agent ${f1(s['cold agent'].p50)}, warm agent ${f1(s['warm agent'].p50)}, ` +
        `HTTP ${f1(s.HTTP.p50)} (+${f1(s.HTTP.p50 - s['warm agent'].p50)} over the agent).`,
      `- \`${code}\`, ${r.settings.clients} clients: HTTP ${f1(t.HTTP.runsPerSecond)} runs/s (${x2(t.HTTP.overBare)} ${bareName}), ` +
        `warm agent ${f1(t['warm agent'].runsPerSecond)} (${x2(t['warm agent'].overBare)}), cold agent ` +
        `${f1(t['cold agent'].runsPerSecond)}, bubblewrap ${f1(t.bubblewrap.runsPerSecond)}, ${bareName} ` +
        `${f1(t.bare.runsPerSecond)}; pool hit rate over HTTP ${pct(hitRate(t.HTTP.pools))}, CPU per HTTP run ${cpuPair(t.HTTP)} ms.`,
    ];
  };
  const imp = (code) => `\`${code}\` ${f1(r.imports[code]['warm agent'].execP50)} ms through the agent, ` +
    `${f1(r.imports[code].HTTP.execP50)} ms over HTTP`;
  return [
    ...line(PRINT, 'bare python3'),
    ...line(LOG, 'bare node'),
    `- Warm library imports, executionTimeMs p50: ${imp('import sympy')}; ${imp('import pandas')}.`,
  ];
}

function sequentialTable(bySnippet) {
  return [
    '| snippet | path | runs | CPU ms per run: machine / trees | of it the bench process | p50 ms | p95 ms | executionTimeMs p50 | pool hits / misses | refill ms |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...Object.entries(bySnippet).flatMap(([code, rows]) => Object.entries(rows).map(([name, s]) =>
      `| \`${code}\` | ${name} | ${s.runs} | ${cpuPair(s)} | ${f1(s.ownMs)} | ${f1(s.p50)} | ${f1(s.p95)} | ` +
      `${f1(s.execP50)} | ${poolCells(s.pools)} |`)),
  ];
}

function throughputTable(bySnippet) {
  return [
    '| snippet | path | runs/s | × bare | CPU ms per run: machine / trees | of it the bench process | p50 ms | p95 ms | pool hits / misses | refill ms | hit rate |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    ...Object.entries(bySnippet).flatMap(([code, rows]) => Object.entries(rows).map(([name, t]) =>
      `| \`${code}\` | ${name} | ${f1(t.runsPerSecond)} | ${x2(t.overBare)} | ${cpuPair(t)} | ${f1(t.ownMs)} | ${f1(t.p50)} | ` +
      `${f1(t.p95)} | ${poolCells(t.pools)} | ${pct(hitRate(t.pools))} |`)),
  ];
}

// The machine figure needs idle CPU to see the runs' cost in: under other load it takes the cost away from that
// load, and reads too low (even below zero).
const BUSY_SHARE = 0.2;
function busyWarning(r) {
  const capacity = os.cpus().length * 1000;
  const highest = Math.max(...Object.values(r.idleRates).flat()) * 1000;
  if (highest <= BUSY_SHARE * capacity) return [];
  return ['', `**Other load kept the machine busy while this ran (idle rate up to ${f1(highest)} of ${capacity} CPU ms per s):`,
    'the whole-machine CPU figures are not reliable here; the process-tree figures are.**'];
}

const rates = (list) => list.map((v) => f1(v * 1000)).join(', ');

function render(r) {
  const m = machine();
  const S = r.settings;
  return [
    '# Benchmarks',
    '',
    `Generated by \`${S.quick ? 'BENCH_QUICK=1 ' : ''}make bench\` (bench/run.sh) on ${m.date} at commit ${m.commit}; do not edit by hand.`,
    ...(S.quick ? ['', '**Quick mode: too few runs for any figure below to be relied on.**'] : []),
    '',
    `Machine: ${m.text}. No KVM: the agent runs its jail directly on the host. Load average (1 min) when the measuring began ${r.load.start.toFixed(1)}, when it ended ${r.load.end.toFixed(1)}; it took ${(r.elapsedS / 60).toFixed(1)} min.`,
    ...busyWarning(r),
    ...(r.unrested ? ['', `**${r.unrested} times the pools were not full again ${FULL_WAIT_MS / 1000} s after a turn: the bench went on without them.**`] : []),
    '',
    '## Headline',
    '',
    'What this run measured (medians; CPU per run "A / B" is A the whole machine\'s busy CPU net of its idle rate, B the',
    'CPU of the bench\'s own process trees, see below; a CPU target counts as met when both figures meet it):',
    '',
    ...headline(r),
    '',
    '## Acceptance',
    '',
    ...acceptance(r),
    '',
    '## One run at a time',
    '',
    ...sequentialTable(r.sequential),
    '',
    `## Throughput, ${S.clients} clients`,
    '',
    ...throughputTable(r.throughput),
    '',
    '## Library imports on the warm paths',
    '',
    ...sequentialTable(r.imports),
    '',
    '## How it is measured',
    '',
    '- **Paths**: **bare** is `/usr/bin/python3 -I -c CODE` or Node 22 `-e CODE` started by the bench process;',
    '  **bubblewrap** the same inside Debian\'s `bwrap --unshare-all --die-with-parent --as-pid-1 --ro-bind / /',
    '  --dev /dev --proc /proc --tmpfs /tmp` (an outside jail, for reference); **cold agent** a request to a second agent',
    '  started without pools (jail set-up, runtime start, run); **warm agent** the request sent by the bench process',
    '  straight to the service\'s agent socket, a pool member taking it; **HTTP** `POST /v1/code-sandbox/execute` on',
    '  loopback through the service (keep-alive client). Every answer is checked (status, stdout).',
    '- **CPU per run**: the whole machine\'s busy CPU time (user, nice, system, irq, softirq of all CPUs, from',
    '  `/proc/stat`) from the start of a turn until the machine is at rest again after it (pools full, jails torn',
    '  down), minus the machine\'s idle rate (its busy CPU while the bench sleeps, measured before the first round and',
    '  after each round; a turn uses the mean of the two around it) times the turn\'s wall time, divided by its runs;',
    '  the median of the turns. So a warm run\'s CPU includes the refill of the member it used, a cold run\'s the',
    '  teardown of its jail, an HTTP run the service\'s work and the bench client\'s HTTP stack. "Of it the bench',
    '  process" is the bench\'s own share (its HTTP client, its spawns of bare interpreters; process.cpuUsage()).',
    `  Idle rates measured (CPU ms per s): one at a time ${rates(r.idleRates.sequential)}; imports ` +
      `${rates(r.idleRates.imports)}; throughput ${rates(r.idleRates.throughput)}.`,
    '- **Process trees** (the second CPU figure): over the same windows, the CPU time of the service\'s process, the',
    '  PostgreSQL backends of its database, both agents and every process under them, and the bench with the',
    '  interpreters it started (/proc/PID/stat: own and reaped children\'s time; the agent reaps orphans as a child',
    '  subreaper). Other load on a shared machine does not move it; it leaves out the kernel\'s own threads (the',
    '  cgroups and namespaces of a jail are taken down partly in them) and PostgreSQL\'s background writers, and also',
    '  what the kernel reaps for a parent that ignores SIGCHLD: the PID 1 of a warm Python jail and the main process',
    '  it reaped (the template\'s children), so the trees\' figure of a warm Python row is low; the machine\'s counts.',
    `- **One run at a time**: ${S.seqRounds} rounds; in each, every snippet × path row runs ${S.seqBatch} runs, the order`,
    '  of the rows rotating from round to round. Latency is the wall time of one call from the bench process.',
    `- **Rest between runs**: after every run, on every path, the bench waits ${SETTLE_MS} ms and then pings the service\'s`,
    '  agent until every pool has all its members idle. So no bare, bubblewrap or cold run is timed while a Node or',
    '  Python member warms up (a refill running beside a bare `node` start slows it markedly), each warm run finds',
    '  an idle member. The bench\'s own CPU for these pings is left out of every CPU figure (the agent\'s side of a',
    '  ping stays in).',
    `- **Throughput**: ${S.tputRounds} rounds; in each, every snippet × path row runs ${S.clients} closed-loop clients for`,
    `  ${S.tputSeconds} s (each sends its next request when its previous one is answered; over HTTP a 503 is retried`,
    '  after its Retry-After and not counted), the order rotating; each row is its median round, and "× bare" the',
    '  median of the rounds\' own ratios. With no member idle, the agent makes a run wait briefly for one warming up,',
    '  then takes the cold path (a miss).',
    '- **Pool hits / misses, refill ms**: deltas of the service\'s agent\'s ping counters (`pools`: hits, misses,',
    '  refills, refillMsAvg, kata-agent/PROTOCOL.md) over each row\'s turns: runs a member took, runs that went cold',
    '  although the pool is on, and the average warm-up of the members refilled meanwhile.',
    `- **Library imports**: ${S.importRounds} rounds of ${S.importBatch} runs per row; executionTimeMs is the agent's own`,
    '  measure of the program inside the jail, as the answer reports it.',
    `- The service answers ${S.serviceWarmupRuns} runs before anything is measured (a just-started JVM is still compiling).`,
    '- The machine may be shared: its other load moves every figure; rows interleaved in one invocation share it.',
    '  To reproduce: `make bench` on a machine of this kind (`BENCH_QUICK=1 make bench` is a short trial).',
    '',
  ].join('\n');
}

module.exports = { render };
