'use strict';
// Runs that overlap in time are as separate as runs one after the other: the second sees none of the first's files,
// processes or shared memory while the first is still running, nor the Unix socket it listens on in the abstract
// namespace (which belongs to the network namespace: each run slot has its own). Both snippets print the wall-clock
// time of what they did, so the check can prove the second looked while the first was alive (a late first run would
// otherwise make the case pass without testing anything).

const FIRST_SLEEP_S = 5;

const first = {
  language: 'python',
  code: (ctx) => `import os, socket, time
listener = socket.socket(socket.AF_UNIX)
listener.bind(b'\\0${ctx.marker}-first')
listener.listen()
for d in ('/tmp', '/dev/shm', '/sandbox'):
    with open(f'{d}/${ctx.marker}-first', 'w') as f:
        f.write('first run')
print('created', time.time(), flush=True)
time.sleep(${FIRST_SLEEP_S})
print('finished', time.time())`,
  expect: { status: 'completed' },
};

const second = {
  language: 'python',
  code: (ctx) => `import os, signal, socket, time
try:
    socket.socket(socket.AF_UNIX).connect(b'\\0${ctx.marker}-first')
    abstract_reach = 'connected'
except OSError:
    abstract_reach = 'refused'
seen = [f'{d}/{n}' for d in ('/tmp', '/dev/shm', '/sandbox') for n in os.listdir(d) if '${ctx.marker}' in n]
pids = [p for p in os.listdir('/proc') if p.isdigit()]
try:
    os.kill(-1, 0)
    signal_reach = 'some'
except OSError:
    signal_reach = 'none'
print('checked', time.time())
print('seen', seen)
print('visible pids', len(pids))
print('signal reach', signal_reach)
print('abstract socket', abstract_reach)`,
  expect: {
    status: 'completed',
    stdout: /^checked [\d.]+\nseen \[\]\nvisible pids [12]\nsignal reach none\nabstract socket refused\n$/,
  },
};

const timeOf = (stdout, what) => Number(new RegExp(`^${what} ([\\d.]+)$`, 'm').exec(stdout)?.[1]);

module.exports = [
  {
    name: 'python run overlapping another sees none of its files, processes, signals or abstract sockets',
    ...first,
    meanwhile: { afterMs: 1_500, ...second },
    together: (firstBody, secondBody) => {
      const created = timeOf(firstBody.stdout, 'created');
      const finished = timeOf(firstBody.stdout, 'finished');
      const checked = timeOf(secondBody.stdout, 'checked');
      if (!(created < checked && checked < finished)) {
        throw new Error(`the second run did not look while the first was running (${created} / ${checked} / ${finished})`);
      }
    },
  },
];
