'use strict';
// Nothing of one run reaches the next: no file in any writable place, no process that outlives its run, and the
// writable places are capped. Every file is named with the suite's marker so the host check can spot it.

const PLACES = `['/tmp', '/dev/shm', '/var/tmp', '/root', '/home', os.path.expanduser('~'), os.getcwd()]`;
const ALL_ABSENT = /^(\S+ absent\n){7}$/;

const pythonWriter = (ctx) => `import os
for d in ${PLACES}:
    try:
        with open(os.path.join(d, '${ctx.marker}'), 'w') as f:
            f.write('persist')
        print(d, 'written')
    except OSError as e:
        print(d, 'refused', e.errno)`;

const pythonReader = (ctx) => `import os
for d in ${PLACES}:
    print(d, 'present' if os.path.exists(os.path.join(d, '${ctx.marker}')) else 'absent')`;

const JS_PLACES = `['/tmp', '/dev/shm', '/var/tmp', '/root', '/home', require('os').homedir(), process.cwd()]`;

const javascriptWriter = (ctx) => `const fs = require('fs'), path = require('path');
for (const d of ${JS_PLACES}) {
  try { fs.writeFileSync(path.join(d, '${ctx.marker}'), 'persist'); console.log(d, 'written'); }
  catch (e) { console.log(d, 'refused', e.code); }
}`;

const javascriptReader = (ctx) => `const fs = require('fs'), path = require('path');
for (const d of ${JS_PLACES}) console.log(d, fs.existsSync(path.join(d, '${ctx.marker}')) ? 'present' : 'absent');`;

module.exports = [
  {
    name: 'python files written anywhere writable are gone in the next run',
    language: 'python',
    code: pythonWriter,
    expect: { status: 'completed', stdout: /\/tmp written\n/ },
    then: { language: 'javascript', code: javascriptReader, expect: { status: 'completed', stdout: ALL_ABSENT } },
  },
  {
    name: 'javascript files written anywhere writable are gone in the next run',
    language: 'javascript',
    code: javascriptWriter,
    expect: { status: 'completed', stdout: /\/tmp written\n/ },
    then: { language: 'python', code: pythonReader, expect: { status: 'completed', stdout: ALL_ABSENT } },
  },
  {
    name: 'python SysV shared memory does not survive into the next run',
    language: 'python',
    prelude: true,
    // IPC objects live in the IPC namespace, not in a file: each run needs its own namespace for them to vanish.
    code: `IPC_CREAT = 0o1000
print('created', libc_call('shmget', 0x4b415441, 4096, IPC_CREAT | 0o666) >= 0)`,
    expect: { status: 'completed', stdout: 'created True\n' },
    then: {
      language: 'python',
      prelude: true,
      code: `probe('find segment of the previous run', lambda: libc_call('shmget', 0x4b415441, 0, 0))`,
      expect: { status: 'completed', probes: ['find segment of the previous run'] },
    },
  },
  {
    name: 'python double-forked daemon ignoring SIGTERM does not outlive the run',
    language: 'python',
    code: (ctx) => `import os, signal, time
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        for s in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
            signal.signal(s, signal.SIG_IGN)
        while True:
            with open('/tmp/${ctx.marker}-daemon', 'a') as f:
                f.write('alive\\n')
            time.sleep(0.2)
    os._exit(0)
time.sleep(0.5)
print('parent exits')`,
    expect: { status: 'completed', stdout: 'parent exits\n' },
    then: {
      language: 'python',
      code: (ctx) => `import os\nprint(os.path.exists('/tmp/${ctx.marker}-daemon'))`,
      expect: { status: 'completed', stdout: 'False\n' },
    },
  },
  {
    name: 'javascript detached children that ignore signals do not outlive the run',
    language: 'javascript',
    code: `const { spawn, execSync } = require('child_process');
console.log(execSync('echo child ran').toString().trim());
spawn('/usr/bin/sleep', ['120'], { detached: true, stdio: 'ignore' }).unref();
const keeper = "for (const s of ['SIGTERM', 'SIGHUP', 'SIGINT']) process.on(s, () => {}); setInterval(() => {}, 1000);";
spawn(process.execPath, ['-e', keeper], { detached: true, stdio: 'ignore' }).unref();
setTimeout(() => console.log('parent exits'), 500);`,
    expect: { status: 'completed', stdout: 'child ran\nparent exits\n' },
  },
  {
    name: 'python shell background job (nohup ... &) does not outlive the run',
    language: 'python',
    code: `import subprocess
subprocess.run(['/usr/bin/sh', '-c', 'nohup /usr/bin/sleep 120 >/dev/null 2>&1 &'], check=True)
print('started')`,
    expect: { status: 'completed', stdout: 'started\n' },
  },
  {
    name: 'python filling /tmp stops at its size cap',
    language: 'python',
    code: `import errno, os
chunk = b'x' * (8 * 1024 * 1024)
total = 0
try:
    for i in range(64):
        with open(f'/tmp/fill-{i}', 'wb') as f:
            f.write(chunk)
        total += len(chunk)
except OSError as e:
    print(errno.errorcode[e.errno], total // (1024 * 1024))`,
    expect: {
      status: 'completed',
      check: (body) => {
        const m = /^ENOSPC (\d+)\n$/.exec(body.stdout);
        if (!m) throw new Error(`expected ENOSPC before 512 MB were written, got ${JSON.stringify(body.stdout)}`);
        if (Number(m[1]) >= 256) throw new Error(`/tmp took ${m[1]} MB: it is not capped below the memory limit`);
      },
    },
  },
  {
    name: 'python inode bomb in /tmp is bounded by the memory limit',
    language: 'python',
    // Empty directories take no tmpfs blocks, only kernel memory (inodes, dentries with long names): the run's
    // memory cgroup must count it, or a snippet could pin host memory far beyond its limit.
    code: `import itertools, os
pad = 'x' * 200
for n in itertools.count():
    os.mkdir(f'/tmp/{pad}{n}')`,
    expect: { status: 'memory_limit', timedOut: false, check: (body) => {
      if (body.memoryUsageMb > 260) throw new Error(`peak ${body.memoryUsageMb} MB is over the 256 MB limit`);
    } },
  },
  {
    name: 'javascript filling the work directory stops at its size cap',
    language: 'javascript',
    code: `const fs = require('fs');
const chunk = Buffer.alloc(8 * 1024 * 1024, 120);
let total = 0;
try {
  for (let i = 0; i < 64; i++) { fs.writeFileSync('fill-' + i, chunk); total += chunk.length; }
  console.log('no limit', total);
} catch (e) {
  console.log(e.code, total >> 20);
}`,
    expect: {
      status: 'completed',
      check: (body) => {
        const m = /^ENOSPC (\d+)\n$/.exec(body.stdout);
        if (!m) throw new Error(`expected ENOSPC, got ${JSON.stringify(body.stdout)}`);
        if (Number(m[1]) >= 256) throw new Error(`the work dir took ${m[1]} MB: it is not capped`);
      },
    },
  },
];
