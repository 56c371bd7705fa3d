'use strict';
// The working directory's files come back to the caller: what a run leaves there must never make the agent (or the
// service) follow a link, open a FIFO, a socket or a device, or read anything but a regular file that lies inside
// that directory. Sandboxes have lost their hosts to exactly this: a link planted where the host later reads.
const assert = require('node:assert/strict');

// the paths a run returned, in the answer's order
const paths = (body) => (body.files ?? []).map((f) => f.path);

function decoded(body, path) {
  const file = body.files.find((f) => f.path === path);
  assert.ok(file, `${path} is returned`);
  assert.equal(file.encoding, 'base64');
  const bytes = Buffer.from(file.content, 'base64');
  assert.equal(bytes.length, file.sizeBytes, `${path}: sizeBytes is the content's length`);
  return bytes.toString('utf8');
}

const stillServing = {
  language: 'python',
  code: 'print("still serving")',
  expect: { status: 'completed', stdout: 'still serving\n' },
};

module.exports = [
  {
    name: 'python links to /etc/shadow, /, /proc/self and devices, a FIFO and a socket are not followed or returned',
    language: 'python',
    prelude: true,
    code: `import socket, stat
links = {'shadow': '/etc/shadow', 'root': '/', 'environ': '/proc/self/environ', 'mem': '/proc/self/mem',
         'agent-root': '/proc/1/root/etc/shadow', 'zero': '/dev/zero', 'random': '/dev/urandom', 'tmp': '/tmp',
         'up': '..', 'host-etc': '../../../../etc'}
for name, target in links.items():
    os.symlink(target, name)
os.mkdir('sub')
os.symlink('/etc', 'sub/etc')
with open('real.txt', 'w') as f:
    f.write('mine')
with open('sub/real2.txt', 'w') as f:
    f.write('mine too')
with open('/tmp/outside.txt', 'w') as f:
    f.write('outside')
os.link('real.txt', 'hard.txt')
os.mkfifo('fifo')
socket.socket(socket.AF_UNIX).bind('sock')
probe('hard link /etc/shadow', lambda: os.link('/etc/shadow', 'shadow-hard'))
probe('hard link a file outside', lambda: os.link('/tmp/outside.txt', 'outside-hard'))
probe('mknod a char device', lambda: os.mknod('null-dev', 0o666 | stat.S_IFCHR, os.makedev(1, 3)))
probe('mknod a block device', lambda: os.mknod('disk-dev', 0o666 | stat.S_IFBLK, os.makedev(8, 0)))
print('planted')`,
    expect: {
      status: 'completed',
      probes: ['hard link /etc/shadow', 'hard link a file outside', 'mknod a char device', 'mknod a block device'],
      check: (body) => {
        assert.deepEqual(paths(body), ['hard.txt', 'real.txt', 'sub/real2.txt'], 'only the regular files');
        assert.equal(body.filesTruncated, false);
        assert.equal(decoded(body, 'real.txt'), 'mine');
        assert.equal(decoded(body, 'sub/real2.txt'), 'mine too');
        assert.equal(decoded(body, 'hard.txt'), 'mine', 'a hard link inside the directory is a regular file there');
      },
    },
    then: stillServing,
  },
  {
    name: 'javascript links to the host and to /proc are not followed or returned',
    language: 'javascript',
    code: `const fs = require('fs');
for (const [name, target] of [['shadow', '/etc/shadow'], ['root', '/'], ['environ', '/proc/self/environ'],
    ['zero', '/dev/zero'], ['self-root', '/proc/self/root']]) fs.symlinkSync(target, name);
fs.mkdirSync('d');
fs.symlinkSync('..', 'd/up');
fs.writeFileSync('ok.json', JSON.stringify({ ok: true }));
console.log('planted');`,
    expect: {
      status: 'completed',
      stdout: 'planted\n',
      check: (body) => {
        assert.deepEqual(paths(body), ['ok.json']);
        assert.equal(body.files[0].mimeType, 'application/json');
        assert.equal(decoded(body, 'ok.json'), '{"ok":true}');
      },
    },
  },
  {
    name: 'python input files swapped for links to the host come back as nothing',
    language: 'python',
    code: `import os, shutil
print(open('in.txt').read())
os.remove('in.txt')
os.symlink('/etc/shadow', 'in.txt')
shutil.rmtree('data')
os.symlink('/', 'data')`,
    extraFields: {
      files: [
        { path: 'in.txt', content: 'given' },
        { path: 'data/x.txt', content: 'eA==', encoding: 'base64' },
      ],
    },
    expect: {
      status: 'completed',
      stdout: 'given\n',
      check: (body) => assert.deepEqual(paths(body), [], 'a link where an input was is not a file'),
    },
  },
  {
    name: 'python link loops, an 11 MiB file and 100 files end in a capped, truncated list',
    language: 'python',
    code: `import os
os.symlink('loop', 'loop')
os.symlink('.', 'self')
os.makedirs('a/b')
os.symlink('../..', 'a/b/up')
with open('big.bin', 'wb') as f:
    f.write(b'x' * (11 << 20))
os.makedirs('many')
for i in range(100):
    with open(f'many/{i:03d}.txt', 'w') as f:
        f.write(str(i))
print('done')`,
    expect: {
      status: 'completed',
      stdout: 'done\n',
      check: (body) => {
        assert.equal(body.filesTruncated, true);
        assert.ok(body.files.length <= 32, `${body.files.length} files returned`);
        const total = body.files.reduce((n, f) => n + f.sizeBytes, 0);
        assert.ok(total <= 10 * 1024 * 1024, `${total} bytes returned`);
        for (const p of paths(body)) assert.doesNotMatch(p, /^(loop|self|a\/b\/up)(\/|$)/, `${p} is behind a link`);
      },
    },
    then: stillServing,
  },
];
