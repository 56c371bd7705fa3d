// The warm Node bootstrap: a pool member's node runs this as `node --eval=<this file>` (kata-agent/src/runtime.c),
// so the snippet later runs with `node --eval` semantics: a script named "[eval]" in this context, with the eval
// wrapper's require/module/exports, so require() resolves as in a cold run and finds the preloaded libraries in its
// cache. The arrow function keeps the bootstrap's names out of the global scope the snippet's declarations go to.
//
// The code socket is fd 255 (RUN_CODE_FD in kata-agent): READY ("R") out once V8 has settled; in: the code's length
// (4 bytes, little-endian), the code, the run's context's length (4 bytes, little-endian) and the context (empty, or
// JSON: {"env": [[name, value], ...], "args": [...]}: the request's variables, added to process.env in order, and its
// arguments, after "[eval]" in process.argv as `node --eval=CODE -- [eval] ARGS` has them), then the supervisor's
// nonce and EOF. The nonce stays in the socket until node
// itself is exiting (process._exiting: an 'exit' event the snippet emits is not the end), after the 'exit' listeners
// (the snippet's included); the end claim is "D" + nonce + the status byte. No claim after an uncaught exception,
// whose 'exit' event comes before node prints the error: that run ends at its real exit.
(() => {
  const CODE_FD = 255;
  // V8 goes on compiling and collecting on its own threads for a while after the requires; a run handed over in that
  // time would pay for it. READY once node has used no CPU over two looks in a row with none of its other threads
  // running or waiting for a CPU (a starved thread uses none either), or after SETTLE_MAX_MS.
  const SETTLE_LOOK_MS = 50, SETTLE_MAX_MS = 700;
  require('lodash'); require('dayjs'); require('mathjs');
  const fs = require('fs'), vm = require('vm');
  // memory some other process could also see: refuse to take code (the member's warm-up then fails and is retried).
  // An io_uring's rings are shared with the kernel only (and the jail's seccomp filter refuses io_uring anyway).
  const maps = fs.readFileSync('/proc/self/maps', 'latin1').split('\n');
  if (maps.some((l) => /^\S+ .w.s /.test(l) && !l.endsWith('anon_inode:[io_uring]'))) {
    throw new Error('kata-agent: a shared writable mapping: refusing to take code');
  }
  process.stdout; process.stderr;
  // fields after the command name: [0] state, [11] utime, [12] stime (of the whole process in /proc/self/stat)
  const statOf = (path) => fs.readFileSync(path, 'latin1').split(') ').pop().split(' ');
  const cpuTicks = () => { const f = statOf('/proc/self/stat'); return Number(f[11]) + Number(f[12]); };
  const othersRunning = () => fs.readdirSync('/proc/self/task')
    .some((tid) => Number(tid) !== process.pid && statOf(`/proc/self/task/${tid}/stat`)[0] === 'R');
  const settleStart = Date.now();
  let ticks = cpuTicks(), quietLooks = 0;
  const look = () => {
    const now = cpuTicks();
    quietLooks = now === ticks && !othersRunning() ? quietLooks + 1 : 0;
    ticks = now;
    if (quietLooks >= 2 || Date.now() - settleStart >= SETTLE_MAX_MS) fs.writeSync(CODE_FD, 'R');
    else setTimeout(look, SETTLE_LOOK_MS);
  };
  setTimeout(look, SETTLE_LOOK_MS);

  // reads the length-prefixed parts (the code, the context) one after the other, then runs
  const parts = [], chunks = [];
  let want = 4, size = -1;
  const next = () => {
    if (want === 0) return part();
    const room = Math.min(want, 1 << 20);
    fs.read(CODE_FD, Buffer.alloc(room), 0, room, null, (err, n, buf) => {
      if (err) throw err;
      if (n === 0) process.reallyExit(127);
      chunks.push(buf.subarray(0, n));
      want -= n;
      if (want > 0) return next();
      if (size < 0) {
        size = want = Buffer.concat(chunks.splice(0)).readUInt32LE(0);
        return next();
      }
      part();
    });
  };
  const part = () => {
    parts.push(Buffer.concat(chunks.splice(0)).toString('utf8'));
    if (parts.length < 2) {
      want = 4;
      size = -1;
      return next();
    }
    const [code, context] = parts;
    if (context) {
      const { env, args } = JSON.parse(context);
      for (const [name, value] of env) process.env[name] = value;
      if (args.length > 0) process.argv.push('[eval]', ...args);
    }
    run(code);
  };

  const run = (code) => {
    let fatal = false;
    process.on('uncaughtExceptionMonitor', () => {
      fatal = process.listenerCount('uncaughtException') === 0 && !process.hasUncaughtExceptionCaptureCallback();
    });
    const emit = process.emit;
    process.emit = function (event, ...args) {
      const result = Reflect.apply(emit, this, [event, ...args]);
      if (event === 'exit' && process._exiting && !fatal) claim(Number(process.exitCode ?? args[0] ?? 0) & 0xff);
      return result;
    };
    vm.runInThisContext(code, { filename: '[eval]', displayErrors: true });
  };

  const claim = (status) => {
    try {
      const nonce = Buffer.alloc(64);
      const got = fs.readSync(CODE_FD, nonce, 0, 64, null);
      fs.writeSync(CODE_FD, Buffer.concat([Buffer.from('D'), nonce.subarray(0, got), Buffer.from([status])]));
    } catch {}
  };

  next();
})();
