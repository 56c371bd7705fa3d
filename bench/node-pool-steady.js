'use strict';
// The Node pool under a steady request rate: `node bench/node-pool-steady.js AGENT.sock [runs/s] [seconds]`.
// Sends `console.log(1)` at a fixed rate (open loop: one request every 1/rate s, whatever the answers do) to a serving
// kata-agent, after waiting for its JavaScript pool to be full. Reports the pool's hits, misses and average refill
// time over the load (from the ping), each path's median memoryUsageMb and cpuTimeMs (a run tells its path by whether
// mathjs is in require.cache), and what one idle member holds: its node's RSS and PSS and its memory cgroup's usage.
const fs = require('node:fs');
const { agentCall, agentPools } = require('./lib/agent');

const [socketPath] = process.argv.slice(2, 3);
const rate = Number(process.argv[3] || 2);
const seconds = Number(process.argv[4] || 60);
const WITNESS = "console.error(Object.keys(require.cache).some((m) => m.includes('mathjs')) ? 'warm' : 'cold');\n";
const request = { op: 'run', language: 'javascript', code: `${WITNESS}console.log(1);\n` };

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const median = (xs) => (xs.length ? xs.slice().sort((x, y) => x - y)[Math.floor(xs.length / 2)] : NaN);

function kib(text, key) {
  const m = text.match(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm'));
  return m ? Number(m[1]) : NaN;
}

// The jail's PID 1 has one child before the code arrives: the node the member warmed up.
function idleMemberMemory(jailPid) {
  const child = fs.readFileSync(`/proc/${jailPid}/task/${jailPid}/children`, 'utf8').trim().split(/\s+/)[0];
  const rollup = fs.readFileSync(`/proc/${child}/smaps_rollup`, 'utf8');
  const line = fs.readFileSync(`/proc/${child}/cgroup`, 'utf8').split('\n').find((l) => /:memory:|^0::/.test(l));
  const group = line.replace(/^[^:]*:[^:]*:/, '');
  const v1 = `/sys/fs/cgroup/memory${group}/memory.usage_in_bytes`;
  const usage = fs.existsSync(v1) ? v1 : `/sys/fs/cgroup${group}/memory.current`;
  return {
    rssMb: kib(rollup, 'Rss') / 1024,
    pssMb: kib(rollup, 'Pss') / 1024,
    group,
    groupUsageMb: Number(fs.readFileSync(usage, 'utf8')) / 2 ** 20,
  };
}

async function waitFull() {
  for (let i = 0; i < 1200; i++) {
    const js = (await agentPools(socketPath)).javascript;
    if (js.idle >= js.size) return js;
    await sleep(100);
  }
  throw new Error('the JavaScript pool did not fill within 120 s');
}

(async () => {
  if (!socketPath) throw new Error('usage: node bench/node-pool-steady.js AGENT.sock [runs/s] [seconds]');
  const before = await waitFull();
  const member = idleMemberMemory(before.idleJails[0]);
  const runs = { warm: [], cold: [] };
  const pending = [];
  const t0 = Date.now();
  for (let i = 0; i < rate * seconds; i++) {
    await sleep(Math.max(0, t0 + (i * 1000) / rate - Date.now()));
    pending.push(
      agentCall(socketPath, request).then(({ result }) => {
        if (result.status !== 'completed') throw new Error(`run: ${JSON.stringify(result).slice(0, 300)}`);
        runs[result.stderr.startsWith('warm') ? 'warm' : 'cold'].push(result);
      }),
    );
  }
  await Promise.all(pending);
  const after = (await agentPools(socketPath)).javascript;
  const refills = after.refills - before.refills;
  const refillMs = refills > 0 ? (after.refillMsAvg * after.refills - before.refillMsAvg * before.refills) / refills : 0;
  console.log(`${rate} runs/s for ${seconds} s, pool size ${after.size}: hits ${after.hits - before.hits}, ` +
    `misses ${after.misses - before.misses}, refills ${refills} averaging ${refillMs.toFixed(0)} ms`);
  for (const path of ['warm', 'cold']) {
    const rs = runs[path];
    console.log(`${path}: ${rs.length} runs, median memoryUsageMb ${median(rs.map((r) => r.memoryUsageMb)).toFixed(1)}, ` +
      `median cpuTimeMs ${median(rs.map((r) => r.cpuTimeMs)).toFixed(1)}, ` +
      `median executionTimeMs ${median(rs.map((r) => r.executionTimeMs)).toFixed(1)}`);
  }
  console.log(`one idle member: node RSS ${member.rssMb.toFixed(1)} MB, PSS ${member.pssMb.toFixed(1)} MB, ` +
    `its memory group ${member.group} ${member.groupUsageMb.toFixed(1)} MB`);
})().catch((e) => {
  console.error(e.message);
  process.exit(1);
});
