"""The suite's harness: the case registry and runner, the agent's two clients (the CLI and a serve's socket) and the
assertions every area shares.

A case is a function that raises on failure, registered with @case; @slow cases (they sit out a wall limit) start
first so they overlap with everything else, @alone cases (they measure CPU share) run one by one after the parallel
phase so the suite's own load cannot skew them.
"""
import atexit
import concurrent.futures
import json
import os
import signal
import socket
import struct
import subprocess
import tempfile
import textwrap
import threading
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
AGENT = os.path.join(HERE, "..", "..", "build", "kata-agent")
UID_BASE = 60000
MiB = 1024 * 1024
# planted in the agent's environment: no run may ever see it
HOST_SECRET_VAR = "KA_TEST_HOST_SECRET"
# A hang guard only: how long a stop takes depends on the machine; what it must leave behind does not.
STOP_HANG_GUARD_S = 60
# Servers of single cases keep the Python pool (SANDBOX_POOL_PYTHON decides; its members are cheap forks) but no Node
# members: each costs ~2 s of CPU to warm, which starved the suite's timing-sensitive cases on a loaded machine.
LIGHT_POOLS = ("--pool-javascript", "0")

CASES = []


def case(fn):
    CASES.append(fn)
    return fn


def alone(fn):
    """Cases that measure CPU share; run after the parallel phase so the suite's own load cannot skew them."""
    fn.alone = True
    return fn


def slow(fn):
    """Cases that sit out a wall limit; started first so they overlap with everything else."""
    fn.slow = True
    return fn


def code(text):
    return textwrap.dedent(text).strip() + "\n"


# 1 s of CPU time, busy: at half a core it takes at least ~2 s of wall time
BUSY_ONE_CPU_SECOND = code("""
    import time
    t = time.process_time()
    while time.process_time() - t < 1.0:
        pass
""")


# ---------------------------------------------------------------- clients

def agent_env():
    env = dict(os.environ)
    env[HOST_SECRET_VAR] = "must-not-leak"
    return env


def run_cli(language, source, stdin_file=None, runtimes=None, umask=-1):
    """The one-shot CLI (started with `umask` when given); returns (exit status, parsed JSON)."""
    args = [AGENT, "run", "--language", language]
    if stdin_file:
        args += ["--stdin-file", stdin_file]
    if runtimes:
        args += ["--runtimes", runtimes]
    p = subprocess.run(args, input=source.encode(), capture_output=True, env=agent_env(), timeout=60, umask=umask)
    return p.returncode, json.loads(p.stdout)


def send_frame(sock, obj):
    body = obj if isinstance(obj, bytes) else json.dumps(obj).encode()
    sock.sendall(struct.pack(">I", len(body)) + body)


def recv_frame(sock):
    header = sock.recv(4, socket.MSG_WAITALL)
    if len(header) < 4:
        return None
    (n,) = struct.unpack(">I", header)
    body = b""
    while len(body) < n:
        chunk = sock.recv(n - len(body))
        if not chunk:
            raise AssertionError("connection closed mid-frame")
        body += chunk
    return json.loads(body)


class FramedClient:
    """One connection per request, length-prefixed JSON frames both ways; subclasses say how to connect."""

    def call(self, obj):
        with self.connect() as s:
            send_frame(s, obj)
            return recv_frame(s)

    def run(self, language, source, **extra):
        return self.call(dict(op="run", language=language, code=source, **extra))


class Server(FramedClient):
    """A `kata-agent serve` of our own on a private socket; its log is agent.log beside the socket. Every one still
    running when the suite ends (or dies) is stopped then."""

    started = []

    def __init__(self, *options, path=None):
        self.dir = tempfile.mkdtemp(prefix="ka-test-")
        self.path = path or os.path.join(self.dir, "agent.sock")
        with open(os.path.join(self.dir, "agent.log"), "wb") as log:
            self.proc = subprocess.Popen([AGENT, "serve", "--socket", self.path, "--max-runs", "16", *options],
                                         env=agent_env(), stderr=log)
        Server.started.append(self)
        # the socket file appears at bind(), a moment before listen(): wait until it accepts
        for _ in range(500):
            try:
                socket.socket(socket.AF_UNIX, socket.SOCK_STREAM).connect(self.path)
                return
            except OSError:
                time.sleep(0.01)
        raise RuntimeError("agent did not open its socket")

    def connect(self):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(60)
        s.connect(self.path)
        return s

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            self.proc.wait(timeout=STOP_HANG_GUARD_S)


def stop_every_server():
    for server in Server.started:
        try:
            server.stop()
        except subprocess.TimeoutExpired:
            server.proc.kill()


atexit.register(stop_every_server)  # also when the runner itself fails: no serve may outlive the suite

_shared = {}
_shared_lock = threading.Lock()


def shared_server(*options):
    """The one serve with these options that cases share, started on first use (under a lock: cases run in
    parallel) and stopped by the runner at the end. Without options: the agent's default pools."""
    with _shared_lock:
        if options not in _shared:
            _shared[options] = Server(*options)
        return _shared[options]


# ---------------------------------------------------------------- assertions

def expect(cond, msg, result=None):
    if not cond:
        detail = "" if result is None else " | result: " + json.dumps(result)[:600]
        raise AssertionError(msg + detail)


def expect_status(r, status, exit_code=None):
    expect(r["status"] == status, f"status {r['status']!r}, expected {status!r}", r)
    if exit_code is not None:
        expect(r["exitCode"] == exit_code, f"exitCode {r['exitCode']}, expected {exit_code}", r)


# ---------------------------------------------------------------- runner

def run_case(fn):
    t0 = time.time()
    try:
        fn()
        return fn.__name__, None, time.time() - t0
    except Exception as e:  # a crash in a case is that case's failure, not the suite's
        detail = str(e) if isinstance(e, AssertionError) else traceback.format_exc()
        return fn.__name__, detail, time.time() - t0


def refuse_all(line):
    print(line)
    print(f"0 passed, {len(CASES)} failed")
    return 1


def main(local_agent=True, workers=8):
    """Runs every registered case, `workers` at a time; the last line is exactly "N passed, M failed". Without
    `local_agent`, the cases talk to an agent elsewhere (a guest VM's) and none is started here."""
    if os.geteuid() != 0:
        return refuse_all("FAIL every case: the agent's tests need root (namespaces, cgroups, uid switch); "
                          "run as root")
    if not os.access(AGENT, os.X_OK):
        return refuse_all(f"FAIL: {AGENT} is not built (make -C kata-agent)")
    if local_agent:
        shared_server()  # the default serve is up before the first case, as its pools take a while to warm
    parallel = sorted((fn for fn in CASES if not getattr(fn, "alone", False)),
                      key=lambda fn: not getattr(fn, "slow", False))
    with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as pool:
        results = list(pool.map(run_case, parallel))
    results += [run_case(fn) for fn in CASES if getattr(fn, "alone", False)]
    passed = failed = 0
    for name, err, secs in results:
        if err is None:
            passed += 1
            print(f"PASS {name} ({secs:.1f}s)", flush=True)
        else:
            failed += 1
            print(f"FAIL {name} ({secs:.1f}s): {err}", flush=True)
    stop_every_server()
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1
