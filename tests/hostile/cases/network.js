'use strict';
// No network of any kind: not the host's loopback (where the runner listens and counts every contact), not a
// public address (one connect attempt each, from inside the jail only), not DNS, and no raw, packet, netlink or
// vsock socket. The runner separately asserts its host listeners were never reached.

const PUBLIC_V4 = '1.1.1.1';

module.exports = [
  {
    name: 'python TCP and UDP to the host loopback fail',
    language: 'python',
    prelude: true,
    code: (ctx) => `import socket
def tcp(host, port):
    s = socket.create_connection((host, port), timeout=3)
    return s.getpeername()
def udp(host, port):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    return s.sendto(b'hostile', (host, port))
probe('tcp 127.0.0.1', lambda: tcp('127.0.0.1', ${ctx.tcpPort}))
probe('tcp service port', lambda: tcp('127.0.0.1', ${ctx.servicePort}))
probe('tcp ::1', lambda: tcp('::1', ${ctx.tcpPort}))
probe('udp 127.0.0.1', lambda: udp('127.0.0.1', ${ctx.udpPort}))`,
    expect: { status: 'completed', probes: ['tcp 127.0.0.1', 'tcp service port', 'tcp ::1', 'udp 127.0.0.1'] },
  },
  {
    name: 'python cannot reach a host Unix socket in the abstract namespace',
    language: 'python',
    prelude: true,
    code: (ctx) => `probe('abstract unix socket', lambda: unix_connect(b'\\0${ctx.abstractName}'))`,
    expect: { status: 'completed', probes: ['abstract unix socket'] },
  },
  {
    name: 'python TCP to a public address and DNS fail',
    language: 'python',
    prelude: true,
    code: `import socket
probe('tcp public', lambda: socket.create_connection(('${PUBLIC_V4}', 80), timeout=3).getpeername())
probe('dns lookup', lambda: socket.getaddrinfo('example.com', 80))`,
    expect: { status: 'completed', probes: ['tcp public', 'dns lookup'] },
  },
  {
    name: 'python raw, packet, netlink and vsock sockets are refused, a Unix socket pair still works',
    language: 'python',
    prelude: true,
    code: `import socket
probe('raw icmp', lambda: socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP))
probe('packet', lambda: socket.socket(socket.AF_PACKET, socket.SOCK_RAW, 0))
probe('netlink route', lambda: socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 0))
probe('vsock', lambda: socket.socket(socket.AF_VSOCK, socket.SOCK_STREAM))
probe('inet6 udp', lambda: socket.socket(socket.AF_INET6, socket.SOCK_DGRAM))
probe('inet via raw syscall', lambda: syscall(41, 2, 1, 0))
a, b = socket.socketpair()
a.send(b'unix ok')
print(b.recv(10).decode())`,
    expect: {
      status: 'completed',
      stdout: /^unix ok$/m,
      probes: ['raw icmp', 'packet', 'netlink route', 'vsock', 'inet6 udp', 'inet via raw syscall'],
    },
  },
  {
    name: 'javascript TCP, UDP, HTTP and DNS all fail',
    language: 'javascript',
    prelude: true,
    code: (ctx) => `const net = require('net'), dgram = require('dgram'), dns = require('dns'), http = require('http');
const tcp = (host, port) => new Promise((resolve, reject) => {
  const s = net.connect({ host, port }, () => { resolve(s.remoteAddress); s.destroy(); });
  s.on('error', reject);
});
const udp = (host, port) => new Promise((resolve, reject) => {
  const s = dgram.createSocket('udp4');
  s.on('error', reject);
  s.send('hostile', port, host, (err) => (err ? reject(err) : resolve('sent')));
});
const get = (url) => new Promise((resolve, reject) => http.get(url, (r) => resolve(r.statusCode)).on('error', reject));
(async () => {
  await probeAsync('tcp 127.0.0.1', () => tcp('127.0.0.1', ${ctx.tcpPort}));
  await probeAsync('udp 127.0.0.1', () => udp('127.0.0.1', ${ctx.udpPort}));
  await probeAsync('http service', () => get('http://127.0.0.1:${ctx.servicePort}/health/live'));
  await probeAsync('tcp public', () => tcp('${PUBLIC_V4}', 443));
  await probeAsync('dns lookup', () => dns.promises.lookup('example.com'));
})();`,
    expect: {
      status: 'completed',
      probes: ['tcp 127.0.0.1', 'udp 127.0.0.1', 'http service', 'tcp public', 'dns lookup'],
    },
  },
];
