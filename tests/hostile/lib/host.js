'use strict';
// The host's side of "nothing gets out": after runs have finished, no process of the jail's uids survives, no run
// cgroup is left, the host's mount table and System V IPC objects are unchanged and no file a snippet dropped is on
// the host.
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const assert = require('node:assert/strict');

// The jail's uid range and cgroup folders (the v1 layout, as this host kind mounts it) are read from the agent's own
// sources, so a change there cannot turn these checks into ones that look at the wrong place and always pass.
const AGENT_SRC = path.join(__dirname, '../../../kata-agent/src');
const AGENT_BIN = path.join(__dirname, '../../../kata-agent/build/kata-agent');

function agentDefine(file, name) {
  const m = new RegExp(`^#define ${name} (\\d+|"[^"]*")`, 'm').exec(fs.readFileSync(path.join(AGENT_SRC, file), 'utf8'));
  if (!m) throw new Error(`${name} is no longer defined in kata-agent/src/${file}: update tests/hostile/lib/host.js`);
  return m[1].startsWith('"') ? m[1].slice(1, -1) : Number(m[1]);
}

const JAIL_UID_FIRST = agentDefine('contract.h', 'KA_UID_BASE');
const JAIL_UID_LAST = JAIL_UID_FIRST + agentDefine('contract.h', 'KA_SLOT_COUNT') - 1;
const CGROUP_PARENTS = ['memory', 'cpu', 'cpuacct', 'pids'].map(
  (c) => `${agentDefine('cgroup_v1.c', 'CG_ROOT')}/${c}/${agentDefine('cgroup_v1.c', 'CG_PARENT')}`,
);
const WRITABLE_HOST_DIRS = ['/tmp', '/dev/shm', '/var/tmp', '/root', '/home'];
const SCAN_DEPTH = 3;
// The agent cleans a run up before it answers; this grace only absorbs the kernel's own asynchrony (a SIGKILLed
// process lingering as a zombie for a moment) and other agents' runs ending, it does not excuse a process that
// keeps running.
const SETTLE_MS = 5_000;

const isJailUid = (uid) => uid >= JAIL_UID_FIRST && uid <= JAIL_UID_LAST;

// "pid N (name) uid U" when the process runs as a jail uid, else null (also when it is gone).
function describeIfJailed(pid) {
  let status;
  try {
    status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return null; // exited while we looked
  }
  const uids = /^Uid:\s+(\d+)\s+(\d+)/m.exec(status);
  if (!uids || !(isJailUid(Number(uids[1])) || isJailUid(Number(uids[2])))) return null;
  return `pid ${pid} (${/^Name:\s+(.*)$/m.exec(status)?.[1]}) uid ${uids[1]}`;
}

const pids = () => fs.readdirSync('/proc').filter((n) => /^\d+$/.test(n)).map(Number);

function jailProcesses() {
  return pids().map(describeIfJailed).filter(Boolean);
}

// The machine is shared: other agents (tests of other parts) may be running jails while the corpus looks. A jail
// process with another agent above it is that agent's live run; a process that escaped its run has no agent above
// it at all (it was re-parented), or sits under ours.
function othersLiveRuns(ourAgentSocket) {
  const procs = new Map();
  for (const pid of pids()) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const cmdline = comm === 'kata-agent' ? fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8') : '';
      procs.set(pid, { ppid, agent: comm === 'kata-agent', ours: cmdline.split('\0').includes(ourAgentSocket) });
    } catch {
      // exited while we looked
    }
  }
  const supervisedByOthers = (pid) => {
    for (let p = procs.get(pid)?.ppid; p > 1 && procs.has(p); p = procs.get(p).ppid) {
      if (procs.get(p).ours) return false;
      if (procs.get(p).agent) return true;
    }
    return false;
  };
  return new Set([...procs.keys()].filter(supervisedByOthers));
}

const pidOf = (description) => Number(/^pid (\d+)/.exec(description)[1]);

function cgroupProcs(dir) {
  try {
    return fs.readFileSync(path.join(dir, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean).map(Number);
  } catch {
    return []; // removed while we looked
  }
}

function runCgroups() {
  const found = [];
  for (const parent of CGROUP_PARENTS) {
    let entries = [];
    try {
      entries = fs.readdirSync(parent, { withFileTypes: true });
    } catch {
      continue; // the agent has not run yet on this host, or the controller is co-mounted elsewhere
    }
    for (const e of entries) if (e.isDirectory()) found.push(path.join(parent, e.name));
  }
  return found;
}

function mounts() {
  return fs.readFileSync('/proc/self/mountinfo', 'utf8').split('\n').filter(Boolean);
}

// System V IPC objects on the host owned or created by a jail uid (other programs' objects come and go meanwhile).
function ipcObjects() {
  return ['shm', 'msg', 'sem'].flatMap((kind) => {
    const [header, ...rows] = fs.readFileSync(`/proc/sysvipc/${kind}`, 'utf8').trim().split('\n');
    const columns = header.trim().split(/\s+/);
    const owners = ['uid', 'cuid'].map((name) => columns.indexOf(name));
    return rows
      .map((row) => row.trim().split(/\s+/))
      .filter((f) => owners.some((i) => isJailUid(Number(f[i]))))
      .map((f) => `${kind} key ${f[0]} id ${f[1]} uid ${f[owners[0]]}`);
  });
}

function droppedFiles(marker) {
  const found = [];
  const walk = (dir, depth) => {
    let entries;
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const full = path.join(dir, e.name);
      let st;
      try {
        st = fs.lstatSync(full);
      } catch {
        continue;
      }
      if (e.name.includes(marker) || isJailUid(st.uid)) found.push(`${full} (uid ${st.uid})`);
      if (e.isDirectory() && depth < SCAN_DEPTH) walk(full, depth + 1);
    }
  };
  for (const dir of WRITABLE_HOST_DIRS) walk(dir, 1);
  return found;
}

// Processes, cgroups, mounts and IPC objects present before the runs are not theirs (another test on the machine,
// or a run an earlier crash left behind): only what appears after the snapshot counts against the runs.
function snapshotHost() {
  return {
    mounts: new Set(mounts()),
    ipc: new Set(ipcObjects()),
    processes: new Set(jailProcesses()),
    cgroups: new Set(runCgroups()),
  };
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function settled(probe) {
  const deadline = Date.now() + SETTLE_MS;
  let found = probe();
  while (found.length > 0 && Date.now() < deadline) {
    await sleep(200);
    found = probe();
  }
  return found;
}

// Our agent's warm pools keep jails that have not run anything yet (kata-agent/README.md, Warm pools): a jail
// process that is, or has above it, an idle or warming pool member or its jail's PID 1 (the ping's idleMembers,
// idleJails, warmingMembers and warmingJails) is such a jail, not a leftover of a run. A run ends with its whole
// jail, so a leftover never has any of them.
function idlePoolJails(pools) {
  const idle = new Set(Object.values(pools).flatMap((p) =>
    [...p.idleMembers, ...p.idleJails, ...(p.warmingMembers ?? []), ...(p.warmingJails ?? [])]));
  const parent = (pid) => {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    } catch {
      return 0; // exited while we looked
    }
  };
  const underIdle = (pid) => {
    for (let p = pid; p > 1; p = parent(p)) if (idle.has(p)) return true;
    return false;
  };
  return new Set(pids().filter(underIdle));
}

// Our agent's pools, as its ping shows them now.
function poolsOf(agentSocket) {
  const pong = execFileSync(AGENT_BIN, ['call', '--socket', agentSocket, '--ping'], { encoding: 'utf8' });
  return JSON.parse(pong).pools ?? {};
}

// Not ours to count: other agents' live runs and our own idle pool jails.
function notLeftovers(agentSocket, pools) {
  return new Set([...othersLiveRuns(agentSocket), ...idlePoolJails(pools)]);
}

function leftoverProcesses(before, agentSocket) {
  const others = notLeftovers(agentSocket, poolsOf(agentSocket));
  return jailProcesses().filter((p) => !before.processes.has(p) && !others.has(pidOf(p)));
}

// The run slots our pool members hold: a member warming up has its cgroups before its jail has processes in them
// (it may wait seconds for the Python template to start).
function poolSlots(pools) {
  return new Set(Object.values(pools).flatMap((p) => [...(p.idleSlots ?? []), ...(p.warmingSlots ?? [])])
    .map((slot) => `slot-${slot}`));
}

// A slot's groups belong together: an idle Node member's runtime sits in the slot's warm-up memory group
// (slot-N-warmup) and leaves the slot's own memory group empty until its code arrives.
const slotOf = (dir) => path.basename(dir).replace(/-warmup$/, '');

function leftoverCgroups(before, agentSocket) {
  const pools = poolsOf(agentSocket);
  const others = notLeftovers(agentSocket, pools);
  const held = poolSlots(pools);
  return runCgroups().filter((dir) => !before.cgroups.has(dir) && !held.has(slotOf(dir)) &&
    !cgroupProcs(dir).some((pid) => others.has(pid)));
}

/** Call only when none of our runs is in flight: every process and cgroup of them must then be gone. */
async function assertHostUnharmed(before, { marker, agentSocket }) {
  const processes = await settled(() => leftoverProcesses(before, agentSocket));
  assert.deepEqual(processes, [], 'jail processes outlived their run');
  assert.deepEqual(await settled(() => leftoverCgroups(before, agentSocket)), [], 'run cgroups were left behind');
  assert.deepEqual(mounts().filter((m) => !before.mounts.has(m)), [], 'new mounts appeared on the host');
  assert.deepEqual(ipcObjects().filter((o) => !before.ipc.has(o)), [], 'jail uids own IPC objects on the host');
  assert.deepEqual(droppedFiles(marker), [], 'snippet files reached the host');
}

module.exports = { snapshotHost, assertHostUnharmed, describeIfJailed };
