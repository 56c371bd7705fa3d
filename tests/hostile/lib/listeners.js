'use strict';
// Host-side witnesses for the network cases: a TCP and a UDP listener on the host's loopback. The jail has its own
// network namespace, so a snippet that reaches either of them has reached the host; the count must stay zero.
const net = require('node:net');
const dgram = require('node:dgram');

async function startListeners() {
  const contacts = [];
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
    contacts,
    close: () => Promise.all([new Promise((r) => tcp.close(r)), new Promise((r) => udp.close(r))]),
  };
}

module.exports = { startListeners };
