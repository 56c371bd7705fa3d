# The warm Python bootstrap. The Python template (kata-agent/src/warm/template.c) runs this file once in __main__,
# then calls _ka_preload() (the preinstalled libraries, imported once, before the template forks any run), and every
# run's main process (a fork of the template, already jailed) calls _ka_boot().
#
# _ka_boot does what `python3 -I -c CODE` does, step for step where a program can tell: the code runs in a clean
# __main__ compiled as "<string>", the bootstrap's own frame is cut from tracebacks, SystemExit gives python3's
# status and message, an unhandled KeyboardInterrupt ends the process by SIGINT after the clean-up, and the
# interpreter's exit is mirrored: non-daemon threads joined, atexit handlers run, sys.stdout and sys.stderr flushed
# unless None or closed, a failed flush making the status 120. It then _exit()s: tearing down every module of
# pandas would only cost time.
#
# The code socket is fd 255 (RUN_CODE_FD in kata-agent): READY ("R") out; in: the code's length (4 bytes,
# little-endian), the code, the run's context's length (4 bytes, little-endian) and the context (empty, or JSON:
# {"env": [[name, value], ...], "args": [...]}: the request's variables, added to os.environ in order, and its
# arguments, sys.argv[1:], as python3 -I -c CODE ARGS would have them), then the supervisor's nonce and EOF. The nonce stays in the socket until the program is
# done; the end claim is b"D" + nonce + the status byte (kata-agent/PROTOCOL.md, the warm path).

CODE_FD = 255


def _ka_preload():
    import numpy, pandas, dateutil.parser, PIL.Image, sympy  # noqa: F401  (kept in sys.modules for every run)
    del globals()['_ka_preload']


def _ka_boot():
    import os, sys, random, atexit, signal
    import numpy

    # the run's __main__ must hold nothing of the bootstrap: these are deleted from it before the code runs
    fd, flush_std_files = CODE_FD, _flush_std_files
    os.write(fd, b'R')

    def take(n):
        parts = []
        while n > 0:
            chunk = os.read(fd, min(n, 1 << 20))
            if not chunk:
                os._exit(127)
            parts.append(chunk)
            n -= len(chunk)
        return b''.join(parts)

    code = take(int.from_bytes(take(4), 'little'))
    context = take(int.from_bytes(take(4), 'little'))
    if context:
        import json
        context = json.loads(context)
        for name, value in context['env']:
            os.environ[name] = value
        sys.argv[1:] = context['args']
    del context
    os.set_inheritable(fd, False)
    random.seed()
    numpy.random.seed()
    g = sys.modules['__main__'].__dict__
    del g['_ka_boot'], g['CODE_FD'], g['_flush_std_files']

    status, interrupted = 0, False
    try:
        exec(compile(code.decode('utf-8', 'surrogateescape'), '<string>', 'exec'), g)
    except SystemExit as e:
        if e.code is None or isinstance(e.code, int):
            status = e.code or 0
        else:
            if sys.stderr is not None:
                print(e.code, file=sys.stderr)
            status = 1
    except BaseException as e:
        tb = e.__traceback__.tb_next if e.__traceback__ is not None else None
        sys.excepthook(type(e), e.with_traceback(tb), tb)
        status, interrupted = 1, isinstance(e, KeyboardInterrupt)
    del code

    if 'threading' in sys.modules:
        sys.modules['threading']._shutdown()
    atexit._run_exitfuncs()
    flushed = flush_std_files(sys)
    if interrupted:
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGINT)
        os._exit(130)
    status = (status if flushed else 120) & 0xff
    try:
        nonce = os.read(fd, 64)
        os.write(fd, b'D' + nonce + bytes((status,)))
    except OSError:
        pass
    os._exit(status)


def _flush_std_files(sys):
    """The interpreter's final flush: False if sys.stdout or sys.stderr (unless None or closed) failed to flush."""
    def is_closed(f):
        try:
            return bool(f.closed)
        except Exception:
            return False

    flushed = True
    for f in (sys.stdout, sys.stderr):
        if f is None or is_closed(f):
            continue
        try:
            f.flush()
        except Exception as err:
            flushed = False
            if f is sys.stdout and sys.stderr is not None:
                try:
                    print(f'Exception ignored in: {f!r}', file=sys.stderr)
                    sys.excepthook(type(err), err, err.__traceback__)
                except Exception:
                    pass
    for f in (sys.__stdout__, sys.__stderr__):
        try:
            f.flush()
        except Exception:
            pass
    return flushed
