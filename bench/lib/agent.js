'use strict';
// A client of a serving kata-agent's socket (kata-agent/PROTOCOL.md: a 4-byte big-endian length and JSON, one
// request per connection), kept inside the bench process so that a timing holds the agent's work and not a client
// process's own start-up; and N such clients in a loop, for throughput.
const net = require('node:net');
const { closedLoop } = require('./closed-loop');

const msSince = (t0) => Number(process.hrtime.bigint() - t0) / 1e6;

// One request; resolves with the wall time from connecting to the parsed answer.
function agentCall(socketPath, request) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const body = Buffer.from(JSON.stringify(request));
    const head = Buffer.alloc(4);
    head.writeUInt32BE(body.length);
    let received = Buffer.alloc(0);
    const sock = net.createConnection(socketPath, () => sock.write(Buffer.concat([head, body])));
    sock.on('data', (chunk) => {
      received = Buffer.concat([received, chunk]);
      if (received.length < 4 || received.length < 4 + received.readUInt32BE(0)) return;
      const ms = msSince(started);
      sock.destroy();
      resolve({ ms, result: JSON.parse(received.subarray(4, 4 + received.readUInt32BE(0))) });
    });
    sock.on('error', reject);
    // after an answer this is a no-op; before one, the agent hung up on us
    sock.on('close', () => reject(new Error(`${socketPath} closed the connection without an answer`)));
  });
}

async function agentPools(socketPath) {
  const { result } = await agentCall(socketPath, { op: 'ping' });
  return result.pools ?? {};
}

// Throughput of one request through the agent; every answer must be `completed`.
function runAgentLoad({ socketPath, clients, seconds, request }) {
  return closedLoop({
    clients,
    seconds,
    once: async () => {
      const { ms, result } = await agentCall(socketPath, request);
      if (result.status !== 'completed') throw new Error(`agent load: ${JSON.stringify(result).slice(0, 300)}`);
      return ms;
    },
  });
}

module.exports = { agentCall, agentPools, runAgentLoad };
