'use strict';
// Helpers prepended to snippets that set `prelude: true`, so each case states only its attack. A probe prints
// "DENIED <name>: <why>" when the attempt failed and "ESCAPED <name>: <result>" when it worked; the runner fails
// the case on any ESCAPED line and on any expected probe that did not report DENIED.

const python = String.raw`import ctypes, os, sys
_libc = ctypes.CDLL(None, use_errno=True)
_libc.syscall.restype = ctypes.c_long

def _arg(a):
    if isinstance(a, bytes):
        return ctypes.c_char_p(a)
    return a if isinstance(a, (ctypes._SimpleCData, ctypes.Array)) else ctypes.c_long(a)

def syscall(nr, *args):
    """Raw syscall; raises OSError like the os module does, so a refusal reads as DENIED."""
    r = _libc.syscall(ctypes.c_long(nr), *[_arg(a) for a in args])
    if r == -1:
        e = ctypes.get_errno()
        raise OSError(e, os.strerror(e))
    return r

def libc_call(name, *args):
    r = getattr(_libc, name)(*args)
    if r == -1:
        e = ctypes.get_errno()
        raise OSError(e, os.strerror(e))
    return r

def unix_connect(address, message=b''):
    """Connects a Unix stream socket (a path, or b'\\0name' in the abstract namespace); returns its answer."""
    import socket
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(3)
    s.connect(address)
    s.sendall(message)
    return s.recv(200) if message else 'connected'

def probe(name, fn):
    try:
        result = fn()
    except BaseException as e:
        print(f"DENIED {name}: {type(e).__name__}: {e}", flush=True)
    else:
        print(f"ESCAPED {name}: {result!r}", flush=True)
`;

const javascript = String.raw`function probe(name, fn) {
  try {
    const result = fn();
    console.log('ESCAPED ' + name + ': ' + String(result));
  } catch (e) {
    console.log('DENIED ' + name + ': ' + (e.code || e.message));
  }
}
// Resolves when the attempt is over: a settled promise that fulfilled is an escape, a rejection or no answer within
// limitMs is a refusal (nothing got through).
async function probeAsync(name, fn, limitMs = 3000) {
  let timer;
  const timeout = new Promise((_, reject) => { timer = setTimeout(() => reject(new Error('no answer')), limitMs); });
  try {
    const result = await Promise.race([fn(), timeout]);
    console.log('ESCAPED ' + name + ': ' + String(result));
  } catch (e) {
    console.log('DENIED ' + name + ': ' + (e.code || e.message));
  } finally {
    clearTimeout(timer);
  }
}
`;

module.exports = { python, javascript };
