'use strict';
// Output: each stream is cut at 1 MiB and the run stopped; whatever bytes a snippet writes (binary, invalid UTF-8,
// characters that mean something in JSON or HTML, no final newline), the answer stays valid JSON and exact.

const CAP_BYTES = 1024 * 1024;
const OUTPUT_LIMIT = { status: 'output_limit', exitCode: 137, signal: 'SIGKILL', outputTruncated: true, timedOut: false };

// The run is stopped at the cap: what the snippet meant to write afterwards never appears.
const NOT_STILL_RUNNING = /^(?![\s\S]*still running)/;

const cutAtCap = (stream) => (body) => {
  const bytes = Buffer.byteLength(body[stream], 'utf8');
  if (bytes !== CAP_BYTES) throw new Error(`${stream} holds ${bytes} bytes, not the 1 MiB cap`);
  if (!/^x+$/.test(body[stream])) throw new Error(`${stream} is not the bytes the snippet wrote`);
};

const ALL_BYTES_AS_UTF8 = String.fromCharCode(...Array.from({ length: 128 }, (_, i) => i)) + '\uFFFD'.repeat(128);
const JSON_HOSTILE = '"quoted" \\back\\slash\\ \b\f\r\t \u2028\u2029 </script><!-- \u001b[31m \u007f';

module.exports = [
  {
    name: 'python 2 MB on stdout is cut at 1 MiB and stopped',
    language: 'python',
    code: `import sys
sys.stdout.write('x' * (2 * 1024 * 1024))
sys.stdout.flush()
sys.stderr.write('still running')`,
    expect: { ...OUTPUT_LIMIT, stderr: NOT_STILL_RUNNING, check: cutAtCap('stdout') },
  },
  {
    name: 'python 2 MB on stderr is cut at 1 MiB and stopped',
    language: 'python',
    code: `import sys
sys.stderr.write('x' * (2 * 1024 * 1024))
sys.stderr.flush()
print('still running')`,
    expect: { ...OUTPUT_LIMIT, stdout: NOT_STILL_RUNNING, check: cutAtCap('stderr') },
  },
  {
    name: 'python endless output ends at the output limit, not the timeout',
    language: 'python',
    code: `while True:
    print('x' * 1023)`,
    expect: { ...OUTPUT_LIMIT, maxExecutionTimeMs: 9_000 },
  },
  {
    name: 'javascript 2 MB on stdout is cut at 1 MiB and stopped',
    language: 'javascript',
    code: `process.stdout.write('x'.repeat(2 * 1024 * 1024), () => console.error('still running'));`,
    expect: { ...OUTPUT_LIMIT, stderr: NOT_STILL_RUNNING, check: cutAtCap('stdout') },
  },
  {
    name: 'python output without a final newline is kept exactly',
    language: 'python',
    code: `import sys
sys.stdout.write('no newline')
sys.stderr.write('nor here')`,
    expect: { status: 'completed', exitCode: 0, stdout: 'no newline', stderr: 'nor here', outputTruncated: false },
  },
  {
    name: 'python every byte value on stdout yields valid JSON with U+FFFD for invalid UTF-8',
    language: 'python',
    code: `import sys
sys.stdout.buffer.write(bytes(range(256)))
sys.stderr.buffer.write(b'\\xff\\xfe bad \\xc3\\x28')`,
    expect: { status: 'completed', stdout: ALL_BYTES_AS_UTF8, stderr: '\uFFFD\uFFFD bad \uFFFD(' },
  },
  {
    name: 'javascript invalid UTF-8 and NUL bytes yield valid JSON',
    language: 'javascript',
    code: `process.stdout.write(Buffer.from([0xff, 0xfe, 0x00, 0x41, 0xc3, 0x28, 0xe2, 0x82, 0xac]));`,
    expect: { status: 'completed', stdout: '\uFFFD\uFFFD\u0000A\uFFFD(\u20AC' },
  },
  {
    name: 'python characters special to JSON and HTML round-trip exactly',
    language: 'python',
    code: `import sys
sys.stdout.write(${JSON.stringify(JSON_HOSTILE)})`,
    expect: { status: 'completed', stdout: JSON_HOSTILE },
  },
  {
    name: 'python a multibyte character split across writes arrives whole',
    language: 'python',
    code: `import sys, time
out = sys.stdout.buffer
for piece in (b'\\xe2', b'\\x82', b'\\xac', b'\\xf0\\x9f', b'\\x8e\\x89'):
    out.write(piece)
    out.flush()
    time.sleep(0.05)`,
    expect: { status: 'completed', stdout: '\u20AC\u{1F389}' },
  },
  {
    name: 'python uncaught exception is a failed run with the traceback (seed example)',
    language: 'python',
    code: 'print(1/0)',
    expect: {
      status: 'failed',
      exitCode: 1,
      timedOut: false,
      stdout: '',
      stderr: 'Traceback (most recent call last):\n  File "<string>", line 1, in <module>\nZeroDivisionError: division by zero\n',
    },
  },
];
