'use strict';
// Fault tests (scripts/test-faults.sh starts a private PostgreSQL, a supervised agent and the service): the
// database or the agent goes away, the service answers 503 with a clear error and bills nothing, and it recovers
// by itself once they are back. Tests run in order; each leaves the system healthy for the next (the database tests
// run last: a service that fails to recover from a database outage would otherwise fail the agent tests too).
const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const { execFileSync } = require('node:child_process');

const { postOnce, sleep } = require('../hostile/lib/sandbox');
const { assertRunShape } = require('../hostile/lib/expect');
const { describeIfJailed } = require('../hostile/lib/host');

const url = process.env.FAULTS_URL;
const apiKey = process.env.FAULTS_API_KEY;
const PG = `${__dirname}/pg.sh`;
const RECOVERY_MS = 90_000;
const PRINT_ONE = { language: 'python', code: 'print(1)' };

const pg = (...args) => execFileSync('bash', [PG, ...args], { encoding: 'utf8' }).trim();
const usageRows = () => Number(pg('psql', '-tAc', 'SELECT count(*) FROM usage_record'));
const agentPid = () => Number(fs.readFileSync(process.env.FAULTS_AGENT_PIDFILE, 'utf8'));
const run = (body = PRINT_ONE) => postOnce(url, apiKey, body);
// An admin JWT from `make admin-token` (its last line): admin endpoints log in without touching the database.
const adminToken = () => execFileSync('bash', [`${__dirname}/../../scripts/admin-token.sh`], { encoding: 'utf8' })
  .trim().split('\n').pop();

// Every process descending from the agent's serve loop, each marked as the agent's own (its workers, in the agent's
// PID namespace) or as part of a jail (the jails' PID 1 and everything under it live in PID namespaces of their own).
function agentTree(rootPid) {
  const pidNs = (pid) => fs.readlinkSync(`/proc/${pid}/ns/pid`);
  const parents = new Map();
  for (const pid of fs.readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      parents.set(Number(pid), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // exited while we looked
    }
  }
  const rootNs = pidNs(rootPid);
  const tree = [{ pid: rootPid, agent: true }];
  for (let i = 0; i < tree.length; i++) {
    for (const [pid, ppid] of parents) {
      if (ppid !== tree[i].pid) continue;
      try {
        tree.push({ pid, agent: pidNs(pid) === rootNs });
      } catch {
        // exited while we looked
      }
    }
  }
  return tree;
}

const alive = (pid) => fs.existsSync(`/proc/${pid}`);

// SIGKILL to PID unless it is already gone: killing the serve loop can take a child of it down (its parent-death
// signal) before our kill of that child arrives, which is the outcome wanted, not a failure.
function killIfAlive(pid) {
  try {
    process.kill(pid, 'SIGKILL');
  } catch (e) {
    if (e.code !== 'ESRCH') throw e;
  }
}

// The cgroup v1 directories a process is in, for the controllers the agent limits runs with.
function cgroupDirsOf(pid) {
  return fs.readFileSync(`/proc/${pid}/cgroup`, 'utf8').split('\n').filter(Boolean).flatMap((line) => {
    const [, controllers, dir] = line.split(':');
    return controllers.split(',').filter((c) => ['memory', 'cpu', 'cpuacct', 'pids'].includes(c))
      .map((c) => `/sys/fs/cgroup/${c}${dir}`);
  });
}

function assertUnavailable(answer) {
  assert.equal(answer.httpStatus, 503, `expected 503, got ${answer.httpStatus}: ${answer.text.slice(0, 300)}`);
  assert.equal(answer.jsonError, null, 'the 503 body is JSON');
  assert.ok(answer.headers.has('retry-after'), 'a 503 says when to retry');
  assert.equal(typeof answer.json.error, 'string', 'the 503 names the error');
  assert.ok(answer.json.error.length > 0, 'the error message is not empty');
  assert.doesNotMatch(answer.text, /Exception|\tat |\.java:\d+/, 'no stack trace reaches the client');
  assert.ok(!answer.json.cost, 'an unavailable run costs nothing');
}

async function assertRunsAgain(what) {
  const deadline = Date.now() + RECOVERY_MS;
  let answer;
  do {
    answer = await run().catch((e) => ({ httpStatus: 0, text: String(e) }));
    if (answer.httpStatus === 200) break;
    await sleep(1_000);
  } while (Date.now() < deadline);
  assert.equal(answer.httpStatus, 200, `no recovery within ${RECOVERY_MS} ms after ${what}: ${answer.text?.slice(0, 300)}`);
  assertRunShape(answer.json);
  assert.equal(answer.json.stdout, '1\n');
}

async function waitFor(probe, ms, what) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const value = probe();
    if (value) return value;
    await sleep(100);
  }
  assert.fail(`timed out waiting for ${what}`);
}

const jailed = (tree) => tree.filter((p) => !p.agent).map((p) => p.pid);

/**
 * Waits until our agent's tree holds a jail with the snippet's process (a jail uid) in it and returns that tree;
 * fails at once if the pending request is answered before its run has started.
 */
function runStarted(pending) {
  let early = null;
  pending.then((a) => { early = a; }, () => {});
  return waitFor(() => {
    if (early) assert.fail(`answered before its run started: ${early.httpStatus} ${early.text.slice(0, 300)}`);
    const tree = agentTree(agentPid());
    return jailed(tree).some(describeIfJailed) && tree;
  }, 15_000, 'the run to start in its jail');
}

test('baseline: a run succeeds and is billed once', async () => {
  const before = usageRows();
  const answer = await run();
  assert.equal(answer.httpStatus, 200, answer.text);
  assert.equal(usageRows(), before + 1);
});

test('agent killed: 503 unbilled, and the service reconnects to the restarted agent', async () => {
  const before = usageRows();
  const killed = agentPid();
  process.kill(killed, 'SIGKILL');
  // the supervisor waits SUPERVISE_RESTART_DELAY_S before it starts the agent again: this request falls in between
  assertUnavailable(await run());
  await assertRunsAgain('the agent was restarted');
  assert.notEqual(agentPid(), killed, 'a new agent process serves');
  assert.equal(usageRows(), before + 1, 'only the run after recovery is billed');
});

test('agent (serve loop and workers) killed in the middle of a run: that request fails unbilled, its jail dies, the next run succeeds', async () => {
  const before = usageRows();
  const pending = run({ language: 'python', code: 'import time\nprint("started", flush=True)\ntime.sleep(60)' });
  const tree = await runStarted(pending);
  const ownCgroups = cgroupDirsOf(jailed(tree).find(describeIfJailed));
  for (const p of tree.filter((p) => p.agent)) killIfAlive(p.pid);
  const answer = await pending;
  assert.notEqual(answer.httpStatus, 200, `the interrupted run must not look successful: ${answer.text.slice(0, 300)}`);
  assertUnavailable(answer);
  // the agent's death takes the run's whole jail with it: nothing may keep running unsupervised
  await waitFor(() => jailed(tree).every((pid) => !alive(pid)), 5_000, 'the orphaned jail to die');
  await assertRunsAgain('the agent was restarted');
  assert.equal(usageRows(), before + 1, 'only the run after recovery is billed');
  assert.ok(ownCgroups.length >= 3, `the run was in cgroups of its own (${ownCgroups})`);
  assert.deepEqual(ownCgroups.filter((dir) => fs.existsSync(dir)), [], 'the interrupted run left cgroups behind');
});

test('PostgreSQL stopped: 503 with a clear error, nothing billed, recovery on its own', async () => {
  const before = usageRows();
  pg('stop');
  try {
    assertUnavailable(await run());
    const keys = await fetch(`${url}/v1/admin/api-keys`, { headers: { Authorization: `Bearer ${adminToken()}` } });
    const keysText = await keys.text();
    assert.equal(keys.status, 503, `an admin listing without its database is unavailable, not an error: ${keysText}`);
    assert.ok(keys.headers.has('retry-after'), 'the admin 503 says when to retry');
    assert.match(JSON.parse(keysText).error, /database/, 'the admin 503 names the database');
    const ready = await fetch(`${url}/health/ready`);
    assert.equal(ready.status, 503, 'readiness reports the database down');
  } finally {
    pg('start');
  }
  await assertRunsAgain('PostgreSQL came back');
  assert.equal(usageRows(), before + 1, 'only the run after recovery is billed');
  assert.equal((await fetch(`${url}/health/ready`)).status, 200, 'readiness recovers with the database');
});

test('PostgreSQL stopped during a run: its result is withheld with 503 and nothing is billed', async () => {
  const before = usageRows();
  const pending = run({ language: 'python', code: 'import time\ntime.sleep(3)\nprint("done")' });
  await runStarted(pending);
  pg('stop');
  try {
    // the run finishes, but a result that cannot be billed must not be handed out
    assertUnavailable(await pending);
  } finally {
    pg('start');
  }
  await assertRunsAgain('PostgreSQL came back');
  assert.equal(usageRows(), before + 1, 'only the run after recovery is billed');
});
