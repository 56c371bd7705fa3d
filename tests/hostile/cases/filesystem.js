'use strict';
// The jail's filesystem: symlink and ".." tricks lead nowhere, the system and the shared runtimes are read-only
// (a snippet must not plant code for the next user), and no device or kernel interface beyond the basics is there.

module.exports = [
  {
    name: 'python symlink, .. and /proc root tricks do not reach host files',
    language: 'python',
    prelude: true,
    code: `os.symlink('/etc/shadow', '/tmp/shadow-link')
os.symlink('/', '/tmp/root-link')
up = '../' * 40
probe('read through symlink', lambda: open('/tmp/shadow-link').read())
probe('read through dir symlink', lambda: open('/tmp/root-link/etc/shadow').read())
probe('read via ..', lambda: open(up + 'etc/shadow').read())
probe('read via /proc/self/root', lambda: open('/proc/self/root/etc/shadow').read())
probe('read via /proc/1/root', lambda: open('/proc/1/root/etc/shadow').read())
probe('list host home via ..', lambda: os.listdir(up + 'home'))
probe('list host /work via ..', lambda: os.listdir(up + 'work'))
print('cwd parent', sorted(os.listdir('..')))`,
    expect: {
      status: 'completed',
      probes: ['read through symlink', 'read through dir symlink', 'read via ..', 'read via /proc/self/root',
        'read via /proc/1/root', 'list host home via ..', 'list host /work via ..'],
      stdoutExcludes: [/cwd parent .*'(home|root|var|work)'/],
    },
  },
  {
    name: 'python sees no host directory and no other process, and may write /tmp and /dev/shm',
    language: 'python',
    code: (ctx) => `import os
for p in ['/home', '/root', '/var', '/run', '/sys', '/work', '/etc/shadow']:
    print(p, 'present' if os.path.exists(p) else 'absent')
print('only itself in /proc', sorted(int(p) for p in os.listdir('/proc') if p.isdigit()) == [os.getpid()])
for d in ('/tmp', '/dev/shm'):
    with open(f'{d}/${ctx.marker}', 'w') as f:
        f.write('scratch')
print('scratch ok')`,
    expect: {
      status: 'completed',
      stdout: '/home absent\n/root absent\n/var absent\n/run absent\n/sys absent\n/work absent\n/etc/shadow absent\n'
        + 'only itself in /proc True\nscratch ok\n',
    },
  },
  {
    name: 'python cannot write the system, the runtimes or the jail root',
    language: 'python',
    prelude: true,
    code: `def append(path):
    with open(path, 'a') as f:
        f.write('# hostile')
probe('append python3 stdlib', lambda: append('/usr/lib/python3.11/json/__init__.py'))
probe('create in /usr/lib', lambda: append('/usr/lib/hostile.py'))
probe('chmod python3', lambda: os.chmod('/usr/bin/python3', 0o777))
probe('create in /', lambda: append('/hostile'))
probe('append /etc/passwd', lambda: append('/etc/passwd'))
probe('create in /etc', lambda: append('/etc/hostile'))`,
    expect: {
      status: 'completed',
      probes: ['append python3 stdlib', 'create in /usr/lib', 'chmod python3', 'create in /', 'append /etc/passwd',
        'create in /etc'],
    },
  },
  {
    name: 'javascript cannot read /etc/shadow, list /root or write /usr',
    language: 'javascript',
    prelude: true,
    code: (ctx) => `const fs = require('fs');
probe('read /etc/shadow', () => fs.readFileSync('/etc/shadow'));
probe('list /root', () => fs.readdirSync('/root'));
probe('write /usr', () => fs.writeFileSync('/usr/${ctx.marker}', 'x'));`,
    expect: { status: 'completed', probes: ['read /etc/shadow', 'list /root', 'write /usr'] },
  },
  {
    name: 'javascript cannot modify the node runtime or its libraries',
    language: 'javascript',
    prelude: true,
    code: `const fs = require('fs'), path = require('path');
const lodash = require.resolve('lodash');
probe('append lodash', () => fs.appendFileSync(lodash, '\\n/* hostile */'));
probe('create beside lodash', () => fs.writeFileSync(path.join(path.dirname(lodash), 'hostile.js'), 'x'));
probe('replace node binary', () => fs.writeFileSync(process.execPath, 'x'));
probe('chmod node binary', () => fs.chmodSync(process.execPath, 0o777));`,
    expect: {
      status: 'completed',
      probes: ['append lodash', 'create beside lodash', 'replace node binary', 'chmod node binary'],
    },
  },
  {
    name: 'python no raw devices and no writable kernel interfaces',
    language: 'python',
    prelude: true,
    code: `print('dev', sorted(os.listdir('/dev')))
for dev in ['/dev/mem', '/dev/kmem', '/dev/port', '/dev/kmsg', '/dev/sda', '/dev/vda', '/dev/kvm', '/dev/tty']:
    probe('open ' + dev, lambda d=dev: os.open(d, os.O_RDWR))
probe('mknod', lambda: os.mknod('/tmp/mem', 0o666 | 0o020000, os.makedev(1, 1)))
probe('write core_pattern', lambda: os.open('/proc/sys/kernel/core_pattern', os.O_WRONLY))
probe('write sysrq-trigger', lambda: os.open('/proc/sysrq-trigger', os.O_WRONLY))
probe('cgroup escape mkdir', lambda: os.mkdir('/sys/fs/cgroup/memory/hostile'))`,
    expect: {
      status: 'completed',
      probes: ['open /dev/mem', 'open /dev/kmsg', 'open /dev/sda', 'open /dev/kvm', 'mknod', 'write core_pattern',
        'write sysrq-trigger', 'cgroup escape mkdir'],
    },
  },
];
