// A reader of Server-Sent Events from a fetch body (EventSource cannot send an Authorization header).

/** Yields {name, data} for each event of the stream (name 'message' when the event names none). */
export async function* readEvents(body) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let text = ''; // line ends made LF, not yet cut into events
  let carry = ''; // a CR that ended a piece: the next may begin with its LF
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    let piece = carry + value;
    carry = piece.endsWith('\r') ? '\r' : '';
    if (carry) piece = piece.slice(0, -1);
    text += piece.replace(/\r\n?/g, '\n');
    let end;
    while ((end = text.indexOf('\n\n')) >= 0) {
      const event = parseEvent(text.slice(0, end));
      text = text.slice(end + 2);
      if (event) yield event;
    }
  }
  const last = parseEvent(text);
  if (last) yield last;
}

/** One event block: its "event:" name and its "data:" lines joined by newlines; comments and ids are skipped. */
export function parseEvent(block) {
  let name = 'message';
  const data = [];
  for (const line of block.split('\n')) {
    if (line === '' || line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') name = value;
    else if (field === 'data') data.push(value);
  }
  return data.length ? { name, data: data.join('\n') } : null;
}
