'use strict';
// Host secrets stay out of reach: the service's environment (DB password, API keys, a canary variable that
// scripts/test-hostile.sh plants), other processes' environments, host files and the agent's socket. Beside these
// cases' own checks, the runner fails any answer in which a known secret appears at all.

const HOST_VARIABLE = /"(SANDBOX|PG|DB_|JAVA|MAVEN|HOSTILE|SSH|SUDO|PAYARA)[A-Z_]*"\s*:/i;
const FORBIDDEN_MOUNTS = ['/home', '/root', '/var', '/run', '/sys', '/work', '/boot', '/srv', '/mnt', '/media', '/opt'];
// Every variable the agent gives a run (kata-agent/README.md, The jail: Environment); Python may add LC_CTYPE itself.
const RUN_VARIABLES = ['PATH', 'HOME', 'TMPDIR', 'LANG', 'TZ', 'OPENBLAS_NUM_THREADS', 'OMP_NUM_THREADS', 'NODE_PATH',
  'UV_USE_IO_URING', 'LC_CTYPE'];

// The snippet prints its environment as JSON: nothing in it beyond what the agent sets.
const onlyRunVariables = (body) => {
  const extra = Object.keys(JSON.parse(body.stdout)).filter((name) => !RUN_VARIABLES.includes(name));
  if (extra.length) throw new Error(`variables the agent does not set: ${extra.join(', ')}`);
};

module.exports = [
  {
    name: 'python environment holds no host or service variable',
    language: 'python',
    code: 'import os, json\nprint(json.dumps(dict(os.environ)))',
    expect: { status: 'completed', stdout: /^\{.*"HOME"/, stdoutExcludes: [HOST_VARIABLE], check: onlyRunVariables },
  },
  {
    name: 'javascript environment holds no host or service variable',
    language: 'javascript',
    code: 'console.log(JSON.stringify(process.env));',
    expect: { status: 'completed', stdout: /^\{.*"HOME"/, stdoutExcludes: [HOST_VARIABLE], check: onlyRunVariables },
  },
  {
    name: 'python sees only its own processes and their environments hold no secret',
    language: 'python',
    code: `import os
pids = sorted(int(p) for p in os.listdir('/proc') if p.isdigit())
print('pids', len(pids))
for pid in [1] + pids:
    for what in ('environ', 'cmdline'):
        try:
            with open(f'/proc/{pid}/{what}', 'rb') as f:
                print(pid, what, f.read().replace(b'\\0', b' ').decode(errors='replace'))
        except OSError as e:
            print(pid, what, 'refused', e.errno)`,
    expect: {
      status: 'completed',
      stdoutExcludes: [HOST_VARIABLE, /SANDBOX_|DB_PASSWORD|JAVA_HOME/],
      check: (body) => {
        const visible = Number(/^pids (\d+)$/m.exec(body.stdout)?.[1]);
        // A PID namespace of its own shows the snippet a handful of processes, the host's shows hundreds.
        if (!(visible >= 1 && visible <= 4)) throw new Error(`the jail sees ${visible} processes`);
      },
    },
  },
  {
    name: 'javascript /proc/1/environ and its own environ hold no secret',
    language: 'javascript',
    code: `const fs = require('fs');
for (const p of ['/proc/1/environ', '/proc/self/environ', '/proc/1/cmdline']) {
  try { console.log(p, fs.readFileSync(p).toString().split('\\0').join(' ')); }
  catch (e) { console.log(p, 'refused', e.code); }
}`,
    expect: { status: 'completed', stdout: /\/proc\/self\/environ .*HOME=/, stdoutExcludes: [/SANDBOX_|DB_PASSWORD|JAVA_HOME/] },
  },
  {
    name: 'python host credential files are unreadable',
    language: 'python',
    prelude: true,
    code: `for path in ['/etc/shadow', '/etc/gshadow', '/root/.pgpass', '/root/.ssh/id_rsa', '/etc/ssl/private',
             '/var/lib/postgresql', '/etc/postgresql']:
    probe('read ' + path, lambda p=path: open(p).read() if not os.path.isdir(p) else os.listdir(p))`,
    expect: {
      status: 'completed',
      probes: ['read /etc/shadow', 'read /etc/gshadow', 'read /root/.pgpass', 'read /root/.ssh/id_rsa'],
    },
  },
  {
    name: 'python mount table shows no host directory',
    language: 'python',
    code: `with open('/proc/self/mountinfo') as f:
    for line in f:
        print(line.split()[4])`,
    expect: {
      status: 'completed',
      stdout: /^\/tmp$/m,
      check: (body) => {
        const points = body.stdout.trim().split('\n');
        const leaked = points.filter((p) => FORBIDDEN_MOUNTS.some((f) => p === f || p.startsWith(`${f}/`)));
        if (leaked.length) throw new Error(`host directories mounted in the jail: ${leaked.join(', ')}`);
      },
    },
  },
  {
    name: 'python cannot reach the agent socket',
    language: 'python',
    prelude: true,
    code: (ctx) => `ping = b'\\0\\0\\0\\x0d{"op":"ping"}'
probe('connect agent socket', lambda: unix_connect('${ctx.agentSocket}', ping))
probe('connect default agent socket', lambda: unix_connect('/run/kata-agent/agent.sock', ping))
probe('list agent state dir', lambda: os.listdir('/run/kata-agent'))`,
    expect: {
      status: 'completed',
      probes: ['connect agent socket', 'connect default agent socket', 'list agent state dir'],
    },
  },
  {
    name: 'javascript cannot reach the agent socket',
    language: 'javascript',
    prelude: true,
    code: (ctx) => `const net = require('net');
const connect = (path) => new Promise((resolve, reject) => {
  const s = net.connect({ path }, () => { s.write(Buffer.from('\\0\\0\\0\\x0d{"op":"ping"}', 'latin1')); });
  s.on('data', (d) => { resolve(d.toString()); s.destroy(); });
  s.on('error', reject);
});
(async () => {
  await probeAsync('connect agent socket', () => connect(${JSON.stringify(ctx.agentSocket)}));
  await probeAsync('connect default agent socket', () => connect('/run/kata-agent/agent.sock'));
})();`,
    expect: { status: 'completed', probes: ['connect agent socket', 'connect default agent socket'] },
  },
  {
    name: 'python sweep of every readable file finds no secret and no socket',
    language: 'python',
    // Everything the jail can read outside the big read-only trees is printed; the runner's global check then
    // proves no secret is among it. Sockets found anywhere would be a way out, so they are listed too.
    code: `import os, stat
for root, dirs, files in os.walk('/'):
    if root in ('/proc', '/usr', '/sys', '/runtime'):
        dirs[:] = []
        continue
    for name in files:
        path = os.path.join(root, name)
        try:
            st = os.lstat(path)
        except OSError:
            continue
        if stat.S_ISSOCK(st.st_mode):
            print('SOCKET', path)
        elif stat.S_ISREG(st.st_mode) and st.st_size < 65536:
            try:
                with open(path, 'rb') as f:
                    print(path, f.read().decode(errors='replace'))
            except OSError as e:
                print(path, 'refused', e.errno)
print('swept')`,
    expect: { status: 'completed', stdout: /^\/etc\/passwd /m, stdoutExcludes: ['SOCKET '] },
  },
  {
    name: 'python inherits no descriptor beyond stdin, stdout, stderr and a warm run\'s code socket',
    language: 'python',
    // An inherited descriptor of the agent (its report pipe, a socket) would let a snippet talk to its supervisor.
    // The one exception is a warm run's fd 255, its code socket, on which the runtime claims its end with a nonce
    // the supervisor left there (kata-agent/README.md, Warm pools: the end claim).
    code: `import os
def is_open(fd):
    try:
        os.fstat(fd)
        return True
    except OSError:
        return False
print([fd for fd in range(1024) if is_open(fd)])`,
    expect: { status: 'completed', stdout: /^\[0, 1, 2(, 255)?\]\n$/ },
  },
  {
    name: 'python runs unprivileged with no capabilities, no_new_privs and seccomp',
    language: 'python',
    prelude: true,
    code: `with open('/proc/self/status') as f:
    for line in f:
        if line.split(':')[0] in ('Uid', 'CapEff', 'CapPrm', 'CapBnd', 'CapAmb', 'NoNewPrivs', 'Seccomp'):
            print(line.split(':')[0], line.split(':')[1].split()[0])
probe('setuid 0', lambda: os.setuid(0))
probe('setgid 0', lambda: os.setgid(0))
probe('setgroups', lambda: os.setgroups([0]))`,
    expect: {
      status: 'completed',
      stdout: /^Uid 6\d{4}\nCapPrm 0{16}\nCapEff 0{16}\nCapBnd 0{16}\nCapAmb 0{16}\nNoNewPrivs 1\nSeccomp 2\n/,
      probes: ['setuid 0', 'setgid 0', 'setgroups'],
    },
  },
];
