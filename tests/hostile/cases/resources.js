'use strict';
// Resource exhaustion: every limit of the public contract (10 s, 256 MB, 0.5 CPU, a bounded process count) holds, is reported
// with its own status, and takes the whole process tree down with it.

const TIMED_OUT = { status: 'timed_out', exitCode: 124, timedOut: true, minExecutionTimeMs: 9_900, maxExecutionTimeMs: 15_000 };
const OUT_OF_MEMORY = { status: 'memory_limit', exitCode: 137, signal: 'SIGKILL', timedOut: false };
const PIDS_LIMIT = 64;

// The snippet prints how many of its tasks started: some, and fewer than the pids limit allows.
const belowPidsLimit = (what) => (body) => {
  const started = Number(body.stdout);
  if (!(started > 0 && started < PIDS_LIMIT)) {
    throw new Error(`${started} ${what}: the pids limit (${PIDS_LIMIT}) did not hold`);
  }
};

module.exports = [
  {
    name: 'python fork bomb is contained and ends at the timeout',
    language: 'python',
    code: `import os
while True:
    try:
        os.fork()
    except OSError:
        pass`,
    expect: TIMED_OUT,
  },
  {
    name: 'javascript spawn bomb is contained and ends at the timeout',
    language: 'javascript',
    code: `const { spawn } = require('child_process');
function bomb() {
  try { spawn('/usr/bin/sleep', ['60']).on('error', () => {}); } catch (e) {}
  setImmediate(bomb);
}
bomb();`,
    expect: TIMED_OUT,
  },
  {
    name: 'python thread bomb stops at the pids limit',
    language: 'python',
    code: `import threading, time
n = 0
try:
    while n < 10000:
        threading.Thread(target=time.sleep, args=(3,), daemon=True).start()
        n += 1
except RuntimeError:
    pass
print(n)`,
    expect: { status: 'completed', check: belowPidsLimit('threads') },
  },
  {
    name: 'python 500 forked children that wait stop below the pids limit',
    language: 'python',
    code: `import os, time
n = 0
for _ in range(500):
    try:
        if os.fork() == 0:
            time.sleep(30)
            os._exit(0)
        n += 1
    except OSError:
        break
print(n)`,
    expect: { status: 'completed', check: belowPidsLimit('forked children') },
  },
  {
    name: 'javascript 200 spawned children that wait stop below the pids limit',
    language: 'javascript',
    code: `const { spawn } = require('child_process');
let ok = 0, failed = 0;
for (let i = 0; i < 200; i++) {
  try { const c = spawn('sleep', ['30']); c.on('error', () => failed++); ok++; } catch (e) { failed++; }
}
setTimeout(() => { console.log(ok - failed); process.exit(0); }, 1000);`,
    expect: { status: 'completed', check: belowPidsLimit('spawned children') },
  },
  {
    name: 'python memory bomb of touched pages is killed as memory_limit',
    language: 'python',
    code: `blob = b'x' * (400 * 1024 * 1024)
print(len(blob))`,
    expect: {
      ...OUT_OF_MEMORY,
      stdout: '',
      check: (body) => {
        if (body.memoryUsageMb < 200) throw new Error(`peak ${body.memoryUsageMb} MB: not near the 256 MB it was killed at`);
      },
    },
  },
  {
    name: 'python memory spread over child processes counts for the whole tree',
    language: 'python',
    code: `import os, time
pids = []
for _ in range(3):
    pid = os.fork()
    if pid == 0:
        blob = b'x' * (100 * 1024 * 1024)
        time.sleep(2)
        os._exit(0)
    pids.append(pid)
killed = sum(1 for pid in pids if os.WIFSIGNALED(os.waitpid(pid, 0)[1]))
print('killed', killed)`,
    expect: { status: 'memory_limit', timedOut: false, stdout: /^killed [123]\n$/ },
  },
  {
    name: 'javascript V8 heap blow-up is reported as memory_limit',
    language: 'javascript',
    code: `const hoard = [];
for (;;) hoard.push(new Array(100000).fill({ x: 1 }));`,
    expect: OUT_OF_MEMORY,
  },
  {
    name: 'javascript off-heap buffers are killed by the memory cgroup',
    language: 'javascript',
    code: `const hoard = [];
for (;;) hoard.push(Buffer.alloc(16 * 1024 * 1024, 1));`,
    expect: OUT_OF_MEMORY,
  },
  {
    name: 'python CPU hog ends at the 10 s timeout',
    language: 'python',
    code: 'while True:\n    pass',
    expect: TIMED_OUT,
  },
  {
    name: 'javascript CPU hog ends at the 10 s timeout',
    language: 'javascript',
    code: 'for (;;) {}',
    expect: TIMED_OUT,
  },
  {
    name: 'python sleep past the timeout is cut at 10 s',
    language: 'python',
    code: `import time
print('before', flush=True)
time.sleep(30)
print('after')`,
    expect: { ...TIMED_OUT, stdout: 'before\n' },
  },
  {
    name: 'javascript timer past the timeout is cut at 10 s',
    language: 'javascript',
    code: `console.log('before');
setTimeout(() => console.log('after'), 30000);`,
    expect: { ...TIMED_OUT, stdout: 'before\n' },
  },
  {
    name: 'python SIGSTOP of its own process group still ends at the timeout',
    language: 'python',
    code: `import os, signal
if os.fork() == 0:
    import time
    time.sleep(60)
print('stopping', flush=True)
os.killpg(0, signal.SIGSTOP)
print('resumed')`,
    expect: { ...TIMED_OUT, stdout: 'stopping\n' },
  },
  {
    name: 'javascript SIGSTOP of its own process group still ends at the timeout',
    language: 'javascript',
    code: `console.log('stopping');
process.kill(0, 'SIGSTOP');
console.log('resumed');`,
    expect: { ...TIMED_OUT, stdout: 'stopping\n' },
  },
  {
    name: 'python CPU quota of 0.5 core holds across processes',
    language: 'python',
    // Two workers each burn 0.5 s of CPU: 1 s in all at half a core needs about 2 s of wall time.
    code: `import os, time
def burn(seconds):
    start = time.process_time()
    while time.process_time() - start < seconds:
        pass
pids = []
for _ in range(2):
    pid = os.fork()
    if pid == 0:
        burn(0.5)
        os._exit(0)
    pids.append(pid)
for pid in pids:
    os.waitpid(pid, 0)
print('done')`,
    expect: { status: 'completed', stdout: 'done\n', minExecutionTimeMs: 1_800 },
  },
  {
    name: 'python kill(-1) from inside reaches only the jail',
    language: 'python',
    // kill(-1) signals every process the caller may signal: inside the jail that is its own child, nothing else.
    code: `import os, signal, time
child = os.fork()
if child == 0:
    time.sleep(30)
    os._exit(0)
os.kill(-1, signal.SIGKILL)
status = os.waitpid(child, 0)[1]
print('child killed' if os.WIFSIGNALED(status) else 'child exited')
print('survived')`,
    expect: { status: 'completed', stdout: 'child killed\nsurvived\n' },
  },
];
