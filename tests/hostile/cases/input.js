'use strict';
// What a request is made of: the 100 KB limit counted in UTF-8 bytes (exactly at it runs, one byte over is refused
// before anything starts), limits a client cannot raise, a language that is not one, unicode source (a lone
// surrogate too), bytes no argv can carry, and stdin that is absent or given.

const LIMIT_BYTES = 102_400;
const HEAD = 'print(1)\n#'; // 10 bytes of ASCII, then padding inside the comment

module.exports = [
  {
    name: 'python snippet of exactly 102,400 bytes runs',
    language: 'python',
    code: HEAD + 'x'.repeat(LIMIT_BYTES - HEAD.length),
    expect: { status: 'completed', stdout: '1\n' },
  },
  {
    name: 'python snippet of 102,401 bytes is refused with 413',
    language: 'python',
    code: HEAD + 'x'.repeat(LIMIT_BYTES - HEAD.length + 1),
    expect: { http: 413, errorField: 'code' },
  },
  {
    name: 'snippet of 102,400 UTF-8 bytes in two-byte characters runs',
    language: 'python',
    code: HEAD + '\u00e9'.repeat((LIMIT_BYTES - HEAD.length) / 2),
    expect: { status: 'completed', stdout: '1\n' },
  },
  {
    name: 'snippet under 102,400 characters but over 102,400 UTF-8 bytes is refused with 413',
    language: 'javascript',
    code: 'console.log(1)//' + '\u{1F389}'.repeat(25_600),
    expect: { http: 413, errorField: 'code' },
  },
  {
    name: 'a request asking for higher limits still ends at 10 s',
    language: 'python',
    code: 'import time\ntime.sleep(30)',
    extraFields: { limits: { wallTimeMs: 600_000, memoryBytes: 2 ** 33, cpuQuotaUs: 100_000, pids: 100_000 } },
    expect: { status: 'timed_out', exitCode: 124, timedOut: true, maxExecutionTimeMs: 15_000 },
  },
  {
    name: 'a request asking for more memory is still held to 256 MB',
    language: 'python',
    code: "blob = b'x' * (400 * 1024 * 1024)",
    extraFields: { limits: { memoryBytes: 2 ** 33 }, memoryBytes: 2 ** 33 },
    expect: { status: 'memory_limit', exitCode: 137 },
  },
  {
    name: 'a language that names a path is refused with 400',
    language: '../../../usr/bin/sh',
    code: 'id',
    expect: { http: 400, errorField: 'language' },
  },
  {
    name: 'a lone UTF-16 surrogate in the code still gets a valid answer',
    language: 'python',
    code: 'print("\ud800")',
    expect: { status: 'completed', stdout: /^(\?|\uFFFD)\n$/ },
  },
  {
    name: 'python unicode source and identifiers',
    language: 'python',
    code: 'naïve = "héllo wörld 世界 🎉"\nprint(naïve, len(naïve))',
    expect: { status: 'completed', stdout: 'héllo wörld 世界 🎉 16\n' },
  },
  {
    name: 'javascript unicode source and identifiers',
    language: 'javascript',
    code: 'const naïve = "héllo wörld 世界 🎉"; console.log(naïve, naïve.length, [...naïve].length);',
    expect: { status: 'completed', stdout: 'héllo wörld 世界 🎉 17 16\n' },
  },
  {
    name: 'snippet containing a NUL character is refused with 400',
    language: 'python',
    code: 'print(1)\u0000print(2)',
    expect: { http: 400, errorField: 'code' },
  },
  {
    name: 'python reading stdin when none is given gets EOF at once',
    language: 'python',
    code: 'import sys\nprint(repr(sys.stdin.read()))',
    expect: { status: 'completed', stdout: "''\n", maxExecutionTimeMs: 5_000 },
  },
  {
    name: 'python input() with no stdin fails with EOFError',
    language: 'python',
    code: 'print(input())',
    expect: { status: 'failed', exitCode: 1, stderr: /EOFError/ },
  },
  {
    name: 'javascript reading stdin when none is given gets EOF at once',
    language: 'javascript',
    code: `let data = '';
process.stdin.on('data', (c) => { data += c; }).on('end', () => console.log(JSON.stringify(data)));`,
    expect: { status: 'completed', stdout: '""\n', maxExecutionTimeMs: 5_000 },
  },
  {
    name: 'python given stdin reads it',
    language: 'python',
    code: 'print(input()[::-1])',
    stdin: 'abc\n',
    expect: { status: 'completed', stdout: 'cba\n' },
  },
];
