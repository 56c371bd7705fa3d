// The Server-Sent Events reader of the playground, fed the way a network delivers a stream: in pieces that split
// events, lines and even CRLF pairs anywhere.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseEvent, readEvents } from '../src/sse.js';

function streamOf(pieces) {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const piece of pieces) controller.enqueue(encoder.encode(piece));
      controller.close();
    },
  });
}

async function collect(pieces) {
  const events = [];
  for await (const event of readEvents(streamOf(pieces))) events.push(event);
  return events;
}

const STREAM = 'event: stdout\ndata: "one\\n"\n\n: a comment\nevent: stderr\ndata: "warn"\n\n'
  + 'event: result\ndata: {"status":"completed",\ndata: "exitCode":0}\n\n';
const EXPECTED = [
  { name: 'stdout', data: '"one\\n"' },
  { name: 'stderr', data: '"warn"' },
  { name: 'result', data: '{"status":"completed",\n"exitCode":0}' },
];

test('events come out whole however the stream is cut', async () => {
  for (let size = 1; size <= STREAM.length; size++) {
    const pieces = [];
    for (let i = 0; i < STREAM.length; i += size) pieces.push(STREAM.slice(i, i + size));
    assert.deepEqual(await collect(pieces), EXPECTED, `pieces of ${size}`);
  }
});

test('CRLF line ends, split between pieces, read as LF', async () => {
  const crlf = STREAM.replace(/\n/g, '\r\n');
  const cut = crlf.indexOf('\r\n') + 1;
  assert.deepEqual(await collect([crlf.slice(0, cut), crlf.slice(cut)]), EXPECTED);
});

test('a last event without its blank line is still read', async () => {
  assert.deepEqual(await collect(['event: result\ndata: {}']), [{ name: 'result', data: '{}' }]);
});

test('an event without a name is a message; one without data is none', () => {
  assert.deepEqual(parseEvent('data: x'), { name: 'message', data: 'x' });
  assert.equal(parseEvent('event: stdout'), null);
  assert.deepEqual(parseEvent('data:no space'), { name: 'message', data: 'no space' });
});
