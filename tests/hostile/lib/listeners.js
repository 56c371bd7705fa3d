'use strict';
// Host-side witnesses for the network cases: a TCP and a UDP listener on the host's loopback and a Unix socket in the
// host's abstract namespace (AF_UNIX is allowed in the jail; its abstract names belong to the network namespace).
// The jail has its own network namespace, so a snippet that reaches any of them has reached the host; the count
// must stay zero.
const net = require('node:net');
const dgram = require('node:dgram');
const { spawn } = require('node:child_process');
const readline = require('node:readline');

// Node 20 cannot bind a name in the abstract namespace, so a small Python listener does, reporting each contact.
const ABSTRACT_LISTENER = `import ctypes, socket, sys
ctypes.CDLL(None).prctl(1, 15)  # PR_SET_PDEATHSIG: it dies with the runner, whatever ends the runner
srv = socket.socket(socket.AF_UNIX)
srv.bind(b'\\0' + sys.argv[1].encode())
srv.listen(16)
print('listening', flush=True)
while True:
    conn, _ = srv.accept()
    print('contact', flush=True)
    conn.close()`;

function startAbstractListener(name, onContact) {
  const child = spawn('/usr/bin/python3', ['-I', '-c', ABSTRACT_LISTENER, name], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = readline.createInterface({ input: child.stdout });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`the abstract socket listener exited (${code})`)));
    lines.on('line', (line) => {
      if (line === 'listening') resolve({ close: (done) => { child.kill(); done(); } });
      else onContact();
    });
  });
}

async function startListeners(marker) {
  const contacts = [];
  const abstract = await startAbstractListener(marker, () => contacts.push('abstract unix socket'));
  const tcp = net.createServer((socket) => {
    contacts.push(`tcp from ${socket.remoteAddress}:${socket.remotePort}`);
    socket.destroy();
  });
  await new Promise((resolve) => tcp.listen(0, '127.0.0.1', resolve));
  const udp = dgram.createSocket('udp4');
  udp.on('message', (_msg, from) => contacts.push(`udp from ${from.address}:${from.port}`));
  await new Promise((resolve) => udp.bind(0, '127.0.0.1', resolve));
  return {
    tcpPort: tcp.address().port,
    udpPort: udp.address().port,
    abstractName: marker,
    contacts,
    close: () => Promise.all([tcp, udp, abstract].map((server) => new Promise((r) => server.close(r)))),
  };
}

module.exports = { startListeners };
