#!/usr/bin/python3
"""Hostile programs through the real kata-agent (CLI and socket), asserting what it reports.

Run as root: `make -C kata-agent test`. Cases run in parallel (the 10 s timeouts overlap); the last line is
exactly "N passed, M failed" and the exit status is non-zero on any failure. Without root every case fails.
"""
import concurrent.futures
import fcntl
import json
import os
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import textwrap
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
AGENT = os.path.join(HERE, "..", "build", "kata-agent")
CG_ROOT = "/sys/fs/cgroup"
UID_BASE = 60000
MiB = 1024 * 1024
# planted in the agent's environment: no run may ever see it
HOST_SECRET_VAR = "KA_TEST_HOST_SECRET"

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


class Server:
    """A `kata-agent serve` of our own on a private socket."""

    def __init__(self, *options, path=None):
        self.dir = tempfile.mkdtemp(prefix="ka-test-")
        self.path = path or os.path.join(self.dir, "agent.sock")
        self.proc = subprocess.Popen([AGENT, "serve", "--socket", self.path, "--max-runs", "16", *options],
                                     env=agent_env(), stderr=subprocess.PIPE)
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

    def call(self, obj):
        with self.connect() as s:
            send_frame(s, obj)
            return recv_frame(s)

    def run(self, language, source, **extra):
        return self.call(dict(op="run", language=language, code=source, **extra))

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            self.proc.wait(timeout=STOP_HANG_GUARD_S)


SERVER = None
# Servers of single cases keep the Python pool (SANDBOX_POOL_PYTHON decides; its members are cheap forks) but no Node
# members: each costs ~2 s of CPU to warm, which starved the suite's timing-sensitive cases on a loaded machine.
LIGHT_POOLS = ("--pool-javascript", "0")


# ---------------------------------------------------------------- assertions

def expect(cond, msg, result=None):
    if not cond:
        detail = "" if result is None else " | result: " + json.dumps(result)[:600]
        raise AssertionError(msg + detail)


def expect_status(r, status, exit_code=None):
    expect(r["status"] == status, f"status {r['status']!r}, expected {status!r}", r)
    if exit_code is not None:
        expect(r["exitCode"] == exit_code, f"exitCode {r['exitCode']}, expected {exit_code}", r)


def host_processes_with(marker):
    """Host pids whose command line contains marker (a process left behind by a run)."""
    found = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                if marker.encode() in f.read():
                    found.append(int(pid))
        except OSError:
            pass
    return found


def expect_gone(marker, within_s=3.0):
    deadline = time.time() + within_s
    while time.time() < deadline:
        if not host_processes_with(marker):
            return
        time.sleep(0.05)
    raise AssertionError(f"a process with {marker!r} outlived its run: pids {host_processes_with(marker)}")


def start_marked_run(server, marker):
    """A run over the socket that starts `sleep <marker>` and waits; returns its connection and the run's uid."""
    s = server.connect()
    send_frame(s, {"op": "run", "language": "python",
                   "code": f"import subprocess, time\nsubprocess.Popen(['sleep', '{marker}'])\ntime.sleep(30)"})
    deadline = time.time() + 5
    while not host_processes_with(marker) and time.time() < deadline:
        time.sleep(0.05)
    pids = host_processes_with(marker)
    expect(pids, "the run should have started")
    with open(f"/proc/{pids[0]}/status") as f:
        uid = int(next(line for line in f if line.startswith("Uid:")).split()[1])
    return s, uid


def slot_of(r):
    """Runs that print their uid first let us find their slot."""
    return int(r["stdout"].split()[0]) - UID_BASE


def expect_cgroups_removed(slot, within_s=3.0):
    dirs = [f"{CG_ROOT}/{c}/kata-agent/slot-{slot}" for c in ("memory", "cpu", "cpuacct", "pids")]
    deadline = time.time() + within_s
    while time.time() < deadline:
        if not any(os.path.exists(d) for d in dirs):
            return
        time.sleep(0.05)
    raise AssertionError(f"cgroups of slot {slot} still exist: {[d for d in dirs if os.path.exists(d)]}")


# ---------------------------------------------------------------- the seed's examples

@case
def seed_numpy_array():
    rc, r = run_cli("python", "import numpy as np; print(np.array([1, 2, 3]))")
    expect_status(r, "completed", 0)
    expect(rc == 0 and r["stdout"] == "[1 2 3]\n", "numpy output differs from the seed", r)


@case
def seed_lodash_chunk():
    rc, r = run_cli("javascript", 'const _ = require("lodash"); console.log(_.chunk([1,2,3,4], 2));')
    expect_status(r, "completed", 0)
    expect(r["stdout"] == "[ [ 1, 2 ], [ 3, 4 ] ]\n", "lodash output differs from the seed", r)


@case
def seed_json_example():
    src = ('import json\nimport math\n\ndata = {\n    "name": "BuildE2E",\n    "version": 1,\n'
           '    "sqrt": math.sqrt(16)\n}\nprint(json.dumps(data, indent=2))')
    _, r = run_cli("python", src)
    expect_status(r, "completed", 0)
    expect(r["stdout"] == '{\n  "name": "BuildE2E",\n  "version": 1,\n  "sqrt": 4.0\n}\n', "JSON output differs", r)


@case
def seed_js_sort_and_sum():
    _, r = run_cli("javascript", "const data = [3,1,4,1,5,9]; console.log(JSON.stringify(data.sort((a,b) => a-b)));")
    expect(r["stdout"] == "[1,1,3,4,5,9]\n", "JS sort output differs", r)
    _, r = run_cli("python", "print(sum(range(1, 101)))")
    expect(r["stdout"] == "5050\n", "sum output differs", r)


@case
def seed_zero_division_traceback():
    _, r = run_cli("python", "1/0")
    expect_status(r, "failed", 1)
    seed = 'Traceback (most recent call last):\n  File "<string>", line 1, in <module>\nZeroDivisionError: division by zero'
    expect(r["stderr"] == seed + "\n", "traceback differs from the seed", r)
    expect(r["signal"] is None and r["timedOut"] is False, "failed run must carry no signal", r)


@case
def code_starting_with_a_dash_is_still_code():
    _, r = run_cli("javascript", '-1; console.log("js ok")')
    expect(r["stdout"] == "js ok\n", "node must not read the code as an option", r)
    _, r = run_cli("python", '-1; print("py ok")')
    expect(r["stdout"] == "py ok\n", "python must not read the code as an option", r)


@case
def libraries_resolve():
    _, r = run_cli("python", code("""
        import pandas, sympy, dateutil, PIL, numpy
        print(pandas.DataFrame({'a': [1, 2]}).a.sum(), sympy.Integer(2) ** 10)
    """))
    expect(r["stdout"] == "3 1024\n", "python libraries", r)
    _, r = run_cli("javascript", code("""
        const dayjs = require('dayjs'); const math = require('mathjs');
        console.log(dayjs('2024-01-02').format('YYYY/MM/DD'), math.sqrt(16));
    """))
    expect(r["stdout"] == "2024/01/02 4\n", "javascript libraries", r)


@case
def callers_umask_077_does_not_break_runs():
    # the jail is built by the agent: a restrictive umask of whoever started it must not leak into it
    for language, source, stdout in (("python", 'print("py ok")', "py ok\n"),
                                     ("javascript", 'console.log("js ok")', "js ok\n")):
        rc, r = run_cli(language, source, umask=0o077)
        expect_status(r, "completed", 0)
        expect(rc == 0 and r["stdout"] == stdout, f"{language} under umask 077", r)


# ---------------------------------------------------------------- statuses and reporting

@case
def exit_code_and_signal_statuses():
    _, r = run_cli("python", "import sys; sys.exit(3)")
    expect_status(r, "failed", 3)
    _, r = run_cli("python", "import os, signal; os.kill(os.getpid(), signal.SIGSEGV)")
    expect_status(r, "killed", 139)
    expect(r["signal"] == "SIGSEGV", "signal name", r)
    _, r = run_cli("javascript", "process.exit(7)")
    expect_status(r, "failed", 7)


@case
def reports_time_memory_cpu():
    _, r = run_cli("python", "x = bytearray(b'x' * (50 * 1024 * 1024)); print(len(x))")
    expect_status(r, "completed", 0)
    expect(50 <= r["memoryUsageMb"] < 256, "peak memory must include the 50 MiB buffer", r)
    expect(r["executionTimeMs"] > 0 and r["cpuTimeMs"] > 0, "times must be measured", r)
    expect(round(r["memoryUsageMb"], 2) == r["memoryUsageMb"], "two decimals", r)


@case
def peak_memory_covers_the_whole_tree():
    _, r = run_cli("python", code("""
        import os, time
        kids = []
        for _ in range(3):
            pid = os.fork()
            if pid == 0:
                x = b'k' * (40 * 1024 * 1024)
                time.sleep(1)
                os._exit(0)
            kids.append(pid)
        for pid in kids:
            os.waitpid(pid, 0)
    """))
    expect_status(r, "completed", 0)
    expect(r["memoryUsageMb"] >= 120, "three children holding 40 MiB each at once: peak >= 120 MiB", r)


@case
def output_is_valid_utf8():
    _, r = run_cli("python", r"import sys; sys.stdout.buffer.write(b'ok\xff\xfe\x00end \xe2\x82\xac')")
    expect(r["stdout"] == "ok\ufffd\ufffd\x00end \u20ac", "invalid bytes -> U+FFFD, NUL kept", r)
    expect(r["stdoutBytes"] == 12, "raw byte count (before replacement)", r)


@case
def stdin_is_passed_or_empty():
    _, r = run_cli("python", "import sys; print(repr(sys.stdin.read()))")
    expect(r["stdout"] == "''\n", "absent stdin must read as EOF", r)
    with tempfile.NamedTemporaryFile("wb") as f:
        f.write(b"y" * MiB)
        f.flush()
        _, r = run_cli("python", "import sys; print(len(sys.stdin.buffer.read()))", stdin_file=f.name)
    expect(r["stdout"] == f"{MiB}\n", "1 MiB of stdin must arrive whole", r)
    r = SERVER.run("javascript", "process.stdin.on('data', d => process.stdout.write(d.toString().toUpperCase()))",
                   stdin="hello\n")
    expect(r["stdout"] == "HELLO\n", "socket stdin", r)


@case
def oversized_and_invalid_requests_rejected():
    rc, r = run_cli("python", "#" * 102401)
    expect(rc == 2, f"CLI exit status {rc} for rejected", r)
    expect_status(r, "rejected", -1)
    expect(r["errorField"] == "code", "errorField", r)
    rc, r = run_cli("python", "#" * 102400)
    expect_status(r, "completed", 0)
    r = SERVER.run("python", "x" * 102401)
    expect(r["status"] == "rejected" and r["errorField"] == "code", "socket: code over 100 KB", r)
    r = SERVER.run("cobol", "x")
    expect(r["status"] == "rejected" and r["errorField"] == "language", "unknown language", r)
    r = SERVER.run("python", "print(1)", limits={"memoryBytes": 512 * MiB})
    expect(r["status"] == "rejected" and r["errorField"] == "limits", "limits above the default", r)
    with SERVER.connect() as s:
        s.sendall(struct.pack(">I", 5 * MiB))
        r = recv_frame(s)
    expect(r is not None and r["status"] == "rejected", "a frame over 4 MiB is refused from its header", r)


@case
def infra_error_names_the_failed_step():
    rc, r = run_cli("javascript", "console.log(1)", runtimes="/nonexistent-runtimes")
    expect(rc == 3, f"CLI exit status {rc} for infra_error", r)
    expect_status(r, "infra_error", -1)
    expect("node runtime" in r["error"] and "No such file" in r["error"], "error must name the step", r)


@case
def ping_answers():
    r = SERVER.call({"op": "ping"})
    expect(r["status"] == "ok" and r["version"] == "1" and isinstance(r["runsInFlight"], int), "ping", r)


# ---------------------------------------------------------------- limits

@case
def fork_bomb_is_contained():
    _, r = run_cli("python", code("""
        import os, time
        n = 0
        for _ in range(500):
            try:
                if os.fork() == 0:
                    time.sleep(30)
                    os._exit(0)
                n += 1
            except OSError:
                break
        print(os.getuid(), n, flush=True)
    """))
    expect_status(r, "completed", 0)
    forked = int(r["stdout"].split()[1])
    expect(forked < 64, f"{forked} processes forked; pids limit is 64", r)
    expect_cgroups_removed(slot_of(r))


@case
@slow
def fork_bomb_runs_to_timeout_and_leaves_nothing():
    r = SERVER.run("python", code("""
        import os
        print(os.getuid(), flush=True)
        while True:
            try:
                os.fork()
            except OSError:
                pass
    """), limits={"wallTimeMs": 3000})
    expect_status(r, "timed_out", 124)
    expect_cgroups_removed(slot_of(r))
    _, after = run_cli("python", "print('host still fine')")
    expect(after["stdout"] == "host still fine\n", "the next run must work", after)


@case
def node_fork_bomb_is_contained():
    _, r = run_cli("javascript", code("""
        const { spawn } = require('child_process');
        let ok = 0, failed = 0;
        for (let i = 0; i < 200; i++) {
          try { const c = spawn('sleep', ['30']); c.on('error', () => failed++); ok++; } catch (e) { failed++; }
        }
        setTimeout(() => { console.log(process.getuid(), ok - failed); process.exit(0); }, 1000);
    """))
    expect_status(r, "completed", 0)
    expect(int(r["stdout"].split()[1]) < 64, "spawned processes must stay under the pids limit", r)


@case
def memory_400mb_python_is_oom_killed():
    _, r = run_cli("python", "x = b'x' * (400 * 1024 * 1024)\nprint('survived')")
    expect_status(r, "memory_limit", 137)
    expect(r["signal"] == "SIGKILL" and "survived" not in r["stdout"], "OOM kill", r)
    expect(r["memoryUsageMb"] >= 200, "peak near the 256 MiB limit", r)


@case
def memory_js_heap_and_buffer():
    _, r = run_cli("javascript", "const a = []; for (;;) a.push(new Array(100000).fill(1.5));")
    expect_status(r, "memory_limit", 137)
    _, r = run_cli("javascript", "const b = Buffer.alloc(400 * 1024 * 1024, 1); console.log(b.length);")
    expect_status(r, "memory_limit", 137)


@case
def requested_limits_are_applied():
    r = SERVER.run("python", "print('x' * 200)", limits={"outputBytes": 100})
    expect_status(r, "output_limit", 137)
    expect(r["stdoutBytes"] == 100, "outputBytes", r)
    r = SERVER.run("python", "x = b'x' * (100 * 1024 * 1024)", limits={"memoryBytes": 64 * MiB})
    expect_status(r, "memory_limit", 137)
    r = SERVER.run("python", code("""
        import os, time
        n = 0
        try:
            for _ in range(50):
                if os.fork() == 0:
                    time.sleep(5)
                    os._exit(0)
                n += 1
        except OSError:
            pass
        print(n)
    """), limits={"pids": 8})
    expect(int(r["stdout"]) < 8, "pids", r)
    r = SERVER.run("python", "import time\nt = time.time()\nwhile time.time() - t < 1: pass\nprint('done')",
                   limits={"cpuQuotaUs": 10000})
    expect_status(r, "completed", 0)
    expect(r["cpuTimeMs"] <= r["executionTimeMs"] * 0.2, "a 10% quota keeps CPU time under ~10% of wall time", r)


@case
@alone
def cpu_is_half_a_core():
    _, r = run_cli("python", code("""
        import time
        t = time.process_time()
        while time.process_time() - t < 1.0:
            pass
    """))
    expect_status(r, "completed", 0)
    expect(r["executionTimeMs"] >= 1800, "1 s of CPU at 0.5 core must take >= ~1.8 s of wall time", r)
    expect(r["cpuTimeMs"] >= 1000, "cgroup CPU time", r)


@case
@slow
def infinite_loop_times_out_at_10s():
    _, r = run_cli("python", "while True: pass")
    expect_status(r, "timed_out", 124)
    expect(r["timedOut"] is True and r["signal"] is None, "timedOut flag", r)
    expect(10000 <= r["executionTimeMs"] < 12000, "the wall limit is 10 s", r)


@case
def js_infinite_loop_times_out():
    r = SERVER.run("javascript", "for (;;) {}", limits={"wallTimeMs": 2000})
    expect_status(r, "timed_out", 124)
    expect(2000 <= r["executionTimeMs"] < 4000, "requested wall limit", r)


@case
@slow
def sigstop_still_ends_at_timeout():
    _, r = run_cli("python", code("""
        import os, signal, subprocess
        subprocess.Popen(['sleep', '41.5151'])
        os.kill(os.getpid(), signal.SIGSTOP)
    """))
    expect_status(r, "timed_out", 124)
    expect(10000 <= r["executionTimeMs"] < 12000, "stopped run ends at the wall limit", r)
    expect_gone("41.5151")


@case
def detached_grandchild_does_not_outlive_run():
    _, r = run_cli("python", code("""
        import os, subprocess
        subprocess.Popen(['sleep', '42.7182'], start_new_session=True, stdout=subprocess.DEVNULL)
        if os.fork() == 0:
            os.setsid()
            if os.fork() == 0:
                os.execvp('sleep', ['sleep', '43.1415'])
            os._exit(0)
        print(os.getuid())
    """))
    expect_status(r, "completed", 0)
    expect_gone("42.7182")
    expect_gone("43.1415")
    expect_cgroups_removed(slot_of(r))


@case
def node_detached_child_does_not_outlive_run():
    _, r = run_cli("javascript", code("""
        const { spawn, execSync } = require('child_process');
        spawn('sleep', ['44.2718'], { detached: true, stdio: 'ignore' }).unref();
        console.log(execSync('echo child ran').toString().trim());
    """))
    expect_status(r, "completed", 0)
    expect(r["stdout"] == "child ran\n", "child processes themselves work", r)
    expect_gone("44.2718")


@case
def output_2mb_is_cut_at_1mib():
    _, r = run_cli("python", "import sys; sys.stdout.write('x' * 2_000_000); sys.stdout.flush(); print('never')")
    expect_status(r, "output_limit", 137)
    expect(r["stdoutBytes"] == MiB and len(r["stdout"]) == MiB, "stdout cut at exactly 1 MiB", r)
    expect(r["outputTruncated"] is True and r["signal"] == "SIGKILL", "truncation flagged", r)
    _, r = run_cli("javascript", "process.stderr.write('e'.repeat(2000000));")
    expect_status(r, "output_limit", 137)
    expect(r["stderrBytes"] == MiB, "stderr cap", r)
    # node writes to pipes asynchronously: the run must be stopped before the write's callback could run
    _, r = run_cli("javascript", "process.stdout.write('x'.repeat(2 * 1024 * 1024), () => console.error('still running'));")
    expect_status(r, "output_limit", 137)
    expect("still running" not in r["stderr"], "nothing runs on after the cap", r)
    _, r = run_cli("python", f"import sys; sys.stdout.write('x' * {MiB})")
    expect_status(r, "completed", 0)
    expect(r["outputTruncated"] is False, "exactly 1 MiB is not truncation", r)


@case
def client_disconnect_kills_the_run():
    s, uid = start_marked_run(SERVER, "45.9265")
    s.close()
    expect_gone("45.9265")
    expect_cgroups_removed(uid - UID_BASE)


@case
def client_half_close_still_gets_its_answer():
    with SERVER.connect() as s:
        send_frame(s, {"op": "run", "language": "python", "code": "import time; time.sleep(0.3); print('ok')"})
        s.shutdown(socket.SHUT_WR)
        r = recv_frame(s)
    expect(r is not None and r["stdout"] == "ok\n", "shutting down only the sending side is not a hang-up", r)


# ---------------------------------------------------------------- isolation

@case
def network_is_unreachable_python():
    _, r = run_cli("python", code("""
        import socket
        for host, port in [('127.0.0.1', 22), ('1.1.1.1', 80), ('8.8.8.8', 53)]:
            try:
                socket.create_connection((host, port), timeout=2)
                print('CONNECTED', host)
            except OSError as e:
                print('blocked', host, e.errno)
        try:
            socket.getaddrinfo('example.com', 80)
            print('RESOLVED')
        except OSError:
            print('no dns')
        a, b = socket.socketpair()
        a.send(b'unix ok'); print(b.recv(10).decode())
    """))
    expect_status(r, "completed", 0)
    expect("CONNECTED" not in r["stdout"] and "RESOLVED" not in r["stdout"], "network must be unreachable", r)
    expect(r["stdout"].count("blocked") == 3 and "unix ok" in r["stdout"], "AF_UNIX stays usable", r)


@case
def network_is_unreachable_node():
    _, r = run_cli("javascript", code("""
        const net = require('net');
        const targets = [['127.0.0.1', 22], ['1.1.1.1', 80]];
        let done = 0;
        const finish = (msg) => { console.log(msg); if (++done === targets.length + 1) process.exit(0); };
        for (const [h, p] of targets) {
          try {
            const s = net.connect({ host: h, port: p, timeout: 2000 });
            s.on('connect', () => finish('CONNECTED ' + h));
            s.on('error', (e) => finish('blocked ' + h + ' ' + e.code));
            s.on('timeout', () => { s.destroy(); finish('blocked ' + h + ' timeout'); });
          } catch (e) { finish('blocked ' + h + ' ' + e.code); }
        }
        fetch('http://1.1.1.1/').then(() => finish('FETCHED'), (e) => finish('blocked fetch'));
    """))
    expect_status(r, "completed", 0)
    expect("CONNECTED" not in r["stdout"] and "FETCHED" not in r["stdout"], "network must be unreachable", r)
    expect(r["stdout"].count("blocked") == 3, "every attempt must fail", r)


@case
def filesystem_is_read_only_and_private_python():
    _, r = run_cli("python", code("""
        import os
        def attempt(label, fn):
            try:
                fn(); print('ALLOWED', label)
            except OSError as e:
                print('blocked', label, e.errno)
        attempt('read /etc/shadow', lambda: open('/etc/shadow').read())
        attempt('write /usr', lambda: open('/usr/pwned', 'w'))
        attempt('write /', lambda: open('/pwned', 'w'))
        attempt('write /etc', lambda: open('/etc/passwd', 'a'))
        for p in ['/home', '/root', '/var', '/run', '/sys', '/etc/shadow', '/work']:
            print('present' if os.path.exists(p) else 'absent', p)
        print('pids', sorted(int(p) for p in os.listdir('/proc') if p.isdigit()))
        open('/tmp/ok', 'w').write('scratch'); open('/dev/shm/ok', 'w').write('shm'); print('scratch ok')
    """))
    expect_status(r, "completed", 0)
    out = r["stdout"]
    expect("ALLOWED" not in out, "no write outside the scratch dirs, no shadow", r)
    expect("present" not in out, "host directories must be absent", r)
    expect("pids [2]" in out, "only the snippet's own process is visible in /proc", r)
    expect("scratch ok" in out, "/tmp and /dev/shm are writable", r)


@case
def filesystem_checks_node():
    _, r = run_cli("javascript", code("""
        const fs = require('fs');
        const attempt = (label, fn) => { try { fn(); console.log('ALLOWED', label); }
                                          catch (e) { console.log('blocked', label, e.code); } };
        attempt('read /etc/shadow', () => fs.readFileSync('/etc/shadow'));
        attempt('write /usr', () => fs.writeFileSync('/usr/pwned', 'x'));
        attempt('write runtime', () => fs.writeFileSync('/runtime/node/pwned', 'x'));
        attempt('read /root', () => fs.readdirSync('/root'));
        fs.writeFileSync('/tmp/ok', 'fine'); console.log('tmp', fs.readFileSync('/tmp/ok', 'utf8'));
    """))
    expect_status(r, "completed", 0)
    expect("ALLOWED" not in r["stdout"] and "tmp fine" in r["stdout"], "node file checks", r)


@case
def scratch_files_do_not_persist():
    _, r = run_cli("python", "open('/tmp/persist-probe', 'w').write('1'); open('/dev/shm/persist-probe', 'w').write('1')")
    expect_status(r, "completed", 0)
    _, r = run_cli("python", code("""
        import os
        print(os.path.exists('/tmp/persist-probe'), os.path.exists('/dev/shm/persist-probe'), os.listdir('/sandbox'))
    """))
    expect(r["stdout"] == "False False []\n", "a new run must start with empty scratch dirs", r)


@case
def environment_is_scrubbed():
    allowed = {"PATH", "HOME", "TMPDIR", "LANG", "TZ", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "NODE_PATH",
               "UV_USE_IO_URING", "LC_CTYPE"}
    _, r = run_cli("python", "import os; print(' '.join(sorted(os.environ)))")
    names = set(r["stdout"].split())
    expect(names <= allowed, f"unexpected variables {names - allowed}", r)
    _, r = run_cli("javascript", "console.log(Object.keys(process.env).sort().join(' '))")
    names = set(r["stdout"].split())
    expect(names <= allowed and HOST_SECRET_VAR not in names, f"unexpected variables {names - allowed}", r)


@case
def privileged_syscalls_are_refused():
    _, r = run_cli("python", code("""
        import ctypes, os
        libc = ctypes.CDLL(None, use_errno=True)
        def attempt(label, rc):
            print(label, 'ALLOWED' if rc == 0 else 'refused', ctypes.get_errno())
        attempt('ptrace', libc.ptrace(0, 0, 0, 0))
        attempt('mount', libc.mount(b'none', b'/tmp', b'tmpfs', 0, None))
        attempt('unshare-user', libc.unshare(0x10000000))
        attempt('unshare-net', libc.unshare(0x40000000))
        attempt('setuid0', libc.setuid(0))
        attempt('chroot', libc.chroot(b'/tmp'))
        for name, nr in [('keyctl', 250), ('bpf', 321), ('perf_event_open', 298), ('io_uring_setup', 425),
                         ('kexec_load', 246), ('init_module', 175), ('settimeofday', 164), ('userfaultfd', 323)]:
            attempt(name, libc.syscall(nr, 0, 0, 0, 0, 0))
        try:
            open('/proc/sysrq-trigger', 'w').write('h'); print('sysrq ALLOWED')
        except OSError:
            print('sysrq refused')
        print('fds', sorted(os.listdir('/proc/self/fd')))
        print('uid', os.getuid(), 'caps', open('/proc/self/status').read().split('CapEff:')[1].split()[0])
        print('nnp', open('/proc/self/status').read().split('NoNewPrivs:')[1].split()[0])
    """))
    expect_status(r, "completed", 0)
    out = r["stdout"]
    expect("ALLOWED" not in out, "ptrace, mount, unshare, setuid and chroot must fail", r)
    expect("caps 0000000000000000" in out and "nnp 1" in out, "no capabilities, no_new_privs", r)
    expect("fds ['0', '1', '2', '3']" in out, "no agent descriptor leaks into the jail (3 is listdir's own)", r)
    uid = int(out.split("uid ")[1].split()[0])
    expect(UID_BASE <= uid < UID_BASE + 256, "per-run unprivileged uid", r)
    _, r = run_cli("python", "import subprocess; print(subprocess.run(['unshare', '-U', 'true']).returncode != 0)")
    expect(r["stdout"] == "True\n", "unshare(1) must fail", r)


# ---------------------------------------------------------------- serve mode lifecycle

@case
def serve_sigterm_drains_in_flight_runs():
    srv = Server(*LIGHT_POOLS)
    s = srv.connect()
    send_frame(s, {"op": "run", "language": "python", "code": "import time; time.sleep(1.5); print('finished')"})
    time.sleep(0.5)
    srv.proc.send_signal(signal.SIGTERM)
    r = recv_frame(s)
    s.close()
    expect(r is not None and r["stdout"] == "finished\n", "an in-flight run must finish after SIGTERM", r)
    rc = srv.proc.wait(timeout=10)
    expect(rc == 0, f"agent exit status {rc} after SIGTERM")
    expect(not os.path.exists(srv.path), "the socket file is removed on SIGTERM")


def descendants_of(pid):
    """(pid, start time) of every process below pid: a pid reused later does not count as the same process."""
    found, todo = [], [pid]
    while todo:
        for kid in children_of(todo.pop()):
            try:
                with open(f"/proc/{kid}/stat") as f:
                    found.append((kid, f.read().rsplit(")", 1)[1].split()[19]))
                todo.append(kid)
            except OSError:
                pass
    return found


def still_running(processes):
    alive = []
    for pid, started in processes:
        try:
            with open(f"/proc/{pid}/stat") as f:
                if f.read().rsplit(")", 1)[1].split()[19] == started:
                    alive.append(pid)
        except OSError:
            pass
    return alive


def slots_of(processes):
    slots = set()
    for pid, _ in processes:
        try:
            for line in open(f"/proc/{pid}/cgroup"):
                if "/kata-agent/slot-" in line:
                    slots.add(int(line.rsplit("slot-", 1)[1]))
        except OSError:
            pass
    return slots


def expect_slot_left_clean(slot, within_s=3.0):
    """Its cgroups are gone, or someone else holds the slot now (and its cgroups are theirs)."""
    dirs = [f"{CG_ROOT}/{c}/kata-agent/slot-{slot}" for c in ("memory", "cpu", "cpuacct", "pids")]
    deadline = time.time() + within_s
    while True:
        fd = os.open(f"/run/kata-agent/slots/{slot}.lock", os.O_RDWR)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            leftover = [d for d in dirs if os.path.exists(d)]
        except BlockingIOError:
            leftover = []
        finally:
            os.close(fd)
        if not leftover:
            return
        if time.time() > deadline:
            raise AssertionError(f"slot {slot} is free but its cgroups are left: {leftover}")
        time.sleep(0.05)


# A hang guard only: how long a stop takes depends on the machine; what it must leave behind does not.
STOP_HANG_GUARD_S = 60


@case
def serve_socket_file_lifecycle():
    first = Server(*LIGHT_POOLS)
    mode = os.stat(first.path).st_mode & 0o777
    expect(mode == 0o660, f"socket mode {oct(mode)}, expected 0o660")
    second = subprocess.run([AGENT, "serve", "--socket", first.path], capture_output=True, text=True, timeout=10)
    expect(second.returncode == 3 and "already listening" in second.stderr,
           f"a second agent on a live socket must refuse: {second.returncode} {second.stderr!r}")
    first.proc.kill()  # SIGKILL: the socket file stays behind, stale
    first.proc.wait()
    expect(os.path.exists(first.path), "SIGKILL leaves the socket file")
    third = Server("--pool-python", "8", "--pool-javascript", "2", path=first.path)
    expect(third.call({"op": "ping"})["status"] == "ok", "a stale socket file is replaced")
    third.stop()


@case
def sigterm_during_warm_up_stops_at_once_and_leaves_nothing():
    # the default pools, told to stop while the template imports and the members warm up
    srv = Server("--pool-python", "8", "--pool-javascript", "2")
    time.sleep(0.2)
    started = descendants_of(srv.proc.pid)
    t0 = time.time()
    srv.proc.send_signal(signal.SIGTERM)
    try:
        rc = srv.proc.wait(timeout=STOP_HANG_GUARD_S)
    except subprocess.TimeoutExpired:
        srv.proc.kill()
        raise AssertionError(f"no exit {STOP_HANG_GUARD_S} s after SIGTERM during warm-up")
    print(f"  (stopped during warm-up in {time.time() - t0:.2f} s)", flush=True)
    expect(rc == 0, f"agent exit status {rc} after SIGTERM during warm-up")
    expect(not os.path.exists(srv.path), "the socket file is removed")
    deadline = time.time() + 3
    while still_running(started) and time.time() < deadline:
        time.sleep(0.05)
    expect(still_running(started) == [], "no member, template or jail outlives the agent", still_running(started))
    for slot in slots_of(started):
        expect_slot_left_clean(slot)


@case
def ping_counts_runs_in_flight():
    with SERVER.connect() as s:
        send_frame(s, {"op": "run", "language": "python", "code": "import time; time.sleep(1.5)"})
        deadline = time.time() + 5
        seen = 0
        while seen == 0 and time.time() < deadline:
            seen = SERVER.call({"op": "ping"})["runsInFlight"]
            time.sleep(0.05)
        expect(seen >= 1, "a run in progress must show in runsInFlight")
        expect(recv_frame(s)["status"] == "completed", "the run itself completes")


def children_of(ppid):
    kids = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/stat") as f:
                if int(f.read().rsplit(")", 1)[1].split()[1]) == ppid:
                    kids.append(int(pid))
        except (OSError, IndexError, ValueError):
            pass
    return kids


@case
def killed_worker_takes_its_jail_and_cgroups_with_it():
    srv = Server(*LIGHT_POOLS)
    try:
        s, uid = start_marked_run(srv, "46.2643")
        for worker in children_of(srv.proc.pid):
            os.kill(worker, signal.SIGKILL)
        expect(recv_frame(s) is None, "the client of a killed worker gets no answer")
        s.close()
        expect_gone("46.2643")
        expect_cgroups_removed(uid - UID_BASE)
        r = srv.run("python", "print('agent lives on')")
        expect(r["stdout"] == "agent lives on\n", "the serve loop survives a worker's death", r)
    finally:
        srv.stop()


@case
def check_mode_passes():
    p = subprocess.run([AGENT, "--check"], capture_output=True, text=True, timeout=60)
    expect(p.returncode == 0, "--check failed:\n" + p.stdout + p.stderr)
    expect("MISSING" not in p.stdout, "--check reported something missing:\n" + p.stdout)
    p = subprocess.run([AGENT, "--check", "--runtimes", "/nonexistent"], capture_output=True, text=True, timeout=60)
    expect(p.returncode == 1 and "MISSING Node.js 22 runtime" in p.stdout, "--check must name what is missing:\n" + p.stdout)


# ---------------------------------------------------------------- warm pools

WARM = None  # a serve with pools of its own size, whatever SANDBOX_POOL_* says (so they run with pools off too)
WARM_WITNESS = {  # a warm run starts with the libraries already loaded; a cold one with nothing of them
    "python": "import sys\nprint('warm' if 'pandas' in sys.modules else 'cold', file=sys.stderr)\n",
    "javascript": "console.error(Object.keys(require.cache).some((m) => m.includes('mathjs')) ? 'warm' : 'cold');\n",
}


def warm_server():
    global WARM
    if WARM is None:
        WARM = Server("--pool-python", "3", "--pool-javascript", "2")
    return WARM


def pools_of(server):
    return server.call({"op": "ping"})["pools"]


def warm_run(language, source, **extra):
    """A run that came from the pool: waits for an idle member, retries if a parallel case took it first."""
    server = warm_server()
    for _ in range(5):
        deadline = time.time() + 60
        while pools_of(server)[language]["idle"] == 0 and time.time() < deadline:
            time.sleep(0.05)
        r = server.run(language, WARM_WITNESS[language] + source, **extra)
        if r["stderr"].startswith("warm\n"):
            r["stderr"] = r["stderr"][len("warm\n"):]
            return r
    raise AssertionError("no warm run in 5 tries")


@case
def ping_reports_the_pools():
    pools = pools_of(warm_server())
    for language, size in (("python", 3), ("javascript", 2)):
        p = pools[language]
        expect(p["size"] == size and 0 <= p["idle"] <= size, f"{language} pool size/idle", pools)
        expect(all(isinstance(p[k], (int, float)) for k in ("hits", "misses", "refills", "refillMsLast",
                                                           "refillMsAvg")), "hits, misses, refill times", pools)
    expect(all(k in SERVER.call({"op": "ping"})["pools"] for k in ("python", "javascript")), "pools in every ping")


@case
def warm_python_runs_share_nothing():
    probe = code("""
        import os, random, json, numpy
        seen = sorted(os.listdir('/tmp') + os.listdir('/sandbox') + os.listdir('/dev/shm'))
        print(json.dumps([random.random(), numpy.random.rand(), seen, hasattr(json, 'planted'), os.getpid()]))
        for d in ('/tmp', '/sandbox', '/dev/shm'):
            open(d + '/left-by-run', 'w').write('x')
        json.planted = True
        os.environ['PLANTED'] = '1'
    """)
    a = json.loads(warm_run("python", probe)["stdout"])
    b = json.loads(warm_run("python", probe)["stdout"])
    expect(a[0] != b[0] and a[1] != b[1], "random.random() and numpy's RNG differ between warm runs", [a, b])
    expect(a[2] == [] and b[2] == [], "no files of another run in /tmp, /sandbox, /dev/shm", [a, b])
    expect(a[3] is False and b[3] is False, "no module state of another run", [a, b])
    r = warm_run("python", "import os\nprint(os.environ.get('PLANTED'), sorted(k for k in globals() if not k.startswith('__')))\n")
    expect(r["stdout"] == "None ['os', 'sys']\n", "no environment or globals of another run (nor of the bootstrap)", r)


@case
def warm_javascript_runs_share_nothing():
    probe = code("""
        const fs = require('fs'), _ = require('lodash');
        console.log(JSON.stringify([Math.random(), fs.readdirSync('/tmp').concat(fs.readdirSync('/sandbox')),
                                    _.planted === true, typeof globalThis.planted]));
        fs.writeFileSync('/tmp/left-by-run', 'x'); _.planted = true; globalThis.planted = 1;
    """)
    a = json.loads(warm_run("javascript", probe)["stdout"])
    b = json.loads(warm_run("javascript", probe)["stdout"])
    expect(a[0] != b[0], "Math.random() differs", [a, b])
    expect(a[1:] == [[], False, "undefined"] and b[1:] == a[1:], "no files, module or global state of another run",
           [a, b])


@case
def warm_runs_match_the_cold_path():
    r = warm_run("python", "1/0\n")
    expect_status(r, "failed", 1)
    expect(r["stderr"].endswith('Traceback (most recent call last):\n  File "<string>", line 3, in <module>\n'
                                'ZeroDivisionError: division by zero\n'), "the seed's traceback, no bootstrap frame", r)
    r = warm_run("python", "import pandas as pd, sys\nprint(pd.__version__ > '1', sys.argv, sys.flags.isolated)\n"
                           "sys.exit(3)\n")
    expect(r["stdout"] == "True ['-c'] 1\n" and r["exitCode"] == 3, "pandas preloaded, -I -c semantics, exit code", r)
    for _ in range(5):  # the clock starts before the code is written, so even print(1) ends after it started
        r = warm_run("python", "print(1)\n")
        expect(r["executionTimeMs"] > 0 and r["memoryUsageMb"] > 0, "time and memory of a short warm run", r)
    r = warm_run("python", "import sys\nsys.stdout.write(sys.stdin.read().upper())\n", stdin="abc")
    expect(r["stdout"] == "ABC", "stdin reaches a warm run", r)
    r = warm_run("javascript", "const _ = require('lodash'); console.log(_.chunk([1, 2, 3, 4], 2));\n")
    expect(r["stdout"] == "[ [ 1, 2 ], [ 3, 4 ] ]\n", "the seed's lodash example", r)
    r = warm_run("javascript", "throw new Error('boom');\n")
    expect(r["exitCode"] == 1 and "Error: boom" in r["stderr"] and "[eval]:" in r["stderr"], "uncaught error", r)
    r = warm_run("python", "import os\nprint(sorted(os.listdir('/proc/self/fd')), os.get_inheritable(255))\n")
    expect(r["stdout"] == "['0', '1', '2', '255', '3'] False\n",
           "stdin/out/err, the listing's own fd 3 (as in a cold run) and the code socket at 255, not inherited", r)
    r = warm_run("javascript", "process.on('exit', (c) => console.log('bye', c)); process.exitCode = 4;\n")
    expect(r["stdout"] == "bye 4\n" and r["exitCode"] == 4, "exit listeners run and set the status", r)
    r = warm_run("javascript", "process.exit(3);\n")
    expect_status(r, "failed", 3)
    r = warm_run("javascript", "Promise.reject(new Error('nope'));\n")
    expect(r["exitCode"] == 1 and "Error: nope" in r["stderr"], "an unhandled rejection's error is printed", r)


@case
def warm_end_claim_cannot_be_forged():
    # a claim without the supervisor's nonce is not a claim: the run ends at its real exit, as a cold one does
    r = warm_run("python", "import os\nprint('before', flush=True)\nos.write(255, b'D' + bytes(17))\nraise SystemExit(3)\n")
    expect(r["status"] == "failed" and r["exitCode"] == 3 and r["stdout"] == "before\n", "a forged claim", r)
    r = warm_run("python", "import os\nos.write(255, b'xyz')\nprint('still here')\n")
    expect(r["status"] == "completed" and r["stdout"] == "still here\n", "garbage on the claim socket", r)
    r = warm_run("python", "import os\nos.close(255)\nprint('no claim')\nraise SystemExit(5)\n")
    expect(r["exitCode"] == 5 and r["stdout"] == "no claim\n", "a closed claim socket: the exit itself ends it", r)
    r = warm_run("javascript", "process.emit('exit', 0);\nthrow new Error('after the emitted exit');\n")
    expect(r["status"] == "failed" and r["exitCode"] == 1 and "after the emitted exit" in r["stderr"],
           "an 'exit' the program emits itself is not the end", r)


# Programs whose end a warm runtime could get wrong: the warm and the cold path must report the same status, exit
# code and signal for each.
FULL_STDOUT = "class Full(io.TextIOBase):\n    def write(self, s): return len(s)\n    def flush(self): raise OSError(28, 'full')\n"
PARITY_PROGRAMS = [
    ("python", "print(1)"),
    ("python", "import sys; sys.exit(3)"),
    ("python", "import sys; sys.exit('a message')"),
    ("python", "import sys; sys.exit(None)"),
    ("python", "import sys; sys.exit(256 + 7)"),
    ("python", "import sys; sys.exit(-1)"),
    ("python", "import sys; sys.exit(True)"),
    ("python", "raise KeyboardInterrupt"),
    ("python", "import os, signal; os.kill(os.getpid(), signal.SIGINT)"),
    ("python", "import os, signal; signal.signal(signal.SIGINT, signal.SIG_IGN); os.kill(os.getpid(), signal.SIGINT)"),
    ("python", "class Custom(BaseException): pass\nraise Custom('x')"),
    ("python", "raise ValueError('v')"),
    ("python", "import sys; sys.stdout.close()"),
    ("python", "import sys; sys.stdout = None; print('lost')"),
    ("python", "import sys; sys.stderr.close(); 1/0"),
    ("python", "import io, sys\n%ssys.stdout = Full(); print('x')" % FULL_STDOUT),
    ("python", "import io, sys\n%ssys.stdout = Full(); print('x'); sys.exit(4)" % FULL_STDOUT),
    ("python", "import os; os._exit(7)"),
    ("python", "import os, signal; os.kill(os.getpid(), signal.SIGTERM)"),
    ("python", "import os; os.kill(os.getpid(), 9)"),
    ("python", "import ctypes; ctypes.string_at(0)"),
    ("python", "import os; os.abort()"),
    ("python", "import atexit, os; atexit.register(lambda: os._exit(4))"),
    ("python", "import atexit; atexit.register(lambda: 1/0); print('ok')"),
    ("python", "import threading, time\nthreading.Thread(target=lambda: (time.sleep(0.2), print('late'))).start()"),
    ("python", "import threading\ndef f(): raise SystemExit(5)\nt = threading.Thread(target=f); t.start(); t.join()"),
    ("python", "import sys\nsys.excepthook = lambda *a: print('hooked')\nraise RuntimeError"),
    ("python", "print('x' * (2 * 1024 * 1024))"),
    ("python", "b = bytearray(400 * 1024 * 1024)"),
    ("python", "import os; os.close(1); print('x')"),
    ("javascript", "console.log(1)"),
    ("javascript", "process.exit(3)"),
    ("javascript", "process.exitCode = 4"),
    ("javascript", "throw new Error('e')"),
    ("javascript", "Promise.reject(new Error('r'))"),
    ("javascript", "process.emit('exit', 0); throw new Error('after')"),
    ("javascript", "process.on('exit', () => { process.exitCode = 9; })"),
    ("javascript", "process.on('uncaughtException', () => console.log('caught')); throw new Error('x')"),
    ("javascript", "process.kill(process.pid, 'SIGTERM')"),
    ("javascript", "process.kill(process.pid, 'SIGINT')"),
    ("javascript", "process.abort()"),
    ("javascript", "setTimeout(() => process.exit(6), 50)"),
    ("javascript", "process.reallyExit(5)"),
    ("javascript", "process.stdout.write('x'.repeat(2 * 1024 * 1024))"),
    ("javascript", "const a = []; while (true) a.push(Buffer.alloc(1 << 20, 1))"),
]


@case
@slow
def warm_and_cold_paths_agree():
    differ = []
    for language, source in PARITY_PROGRAMS:
        warm = warm_run(language, source + "\n")
        _, cold = run_cli(language, source + "\n")
        if [warm[k] for k in ("status", "exitCode", "signal")] != [cold[k] for k in ("status", "exitCode", "signal")]:
            differ.append((language, source, [warm[k] for k in ("status", "exitCode", "signal")],
                           [cold[k] for k in ("status", "exitCode", "signal")]))
    expect(differ == [], f"warm and cold differ for {len(differ)} of {len(PARITY_PROGRAMS)} programs", differ)


def auxv_random_address(auxv):
    for i in range(0, len(auxv) - 15, 16):
        key, value = struct.unpack_from("<QQ", auxv, i)
        if key == 25:  # AT_RANDOM
            return value
    raise AssertionError("no AT_RANDOM in auxv")


def layout_of(pid):
    """The C library's base address and the 16 AT_RANDOM bytes of a host process."""
    with open(f"/proc/{pid}/maps") as f:
        libc = next(line.split("-")[0] for line in f if "/libc.so" in line)
    with open(f"/proc/{pid}/auxv", "rb") as f:
        address = auxv_random_address(f.read())
    with open(f"/proc/{pid}/mem", "rb") as f:
        f.seek(address)
        return libc, f.read(16).hex()


@case
def warm_run_shares_no_memory_layout_or_secret_with_the_agent():
    server = warm_server()
    r = warm_run("python", code("""
        import ctypes, os, struct
        shared = [l.split()[1] + ' ' + l.split()[-1] for l in open('/proc/self/maps') if l.split()[1][1::2] == 'ws']
        libc = next(l.split('-')[0] for l in open('/proc/self/maps') if '/libc.so' in l)
        auxv = open('/proc/self/auxv', 'rb').read()
        address = next(v for k, v in struct.iter_unpack('<QQ', auxv) if k == 25)
        exe = os.readlink('/proc/self/exe')
        print(shared, libc, ctypes.string_at(address, 16).hex(), exe, open('/proc/self/exe', 'rb').read(4) == b'\\x7fELF')
    """))
    expect(r["stdout"].startswith("[] "), "no shared writable mapping in a warm run", r)
    _, libc, random_bytes, exe, elf = r["stdout"].split(" ", 4)
    loop_libc, loop_random = layout_of(server.proc.pid)
    expect(libc != loop_libc, "the C library is not where the serve loop has it", [libc, loop_libc])
    expect(random_bytes != loop_random, "AT_RANDOM (stack canary, pointer guard) is not the serve loop's", r)
    expect(exe.startswith("/memfd:") and elf.strip().endswith("True"),
           "/proc/self/exe is a sealed copy, not a file of the host outside the jail", r)
    # the same, for the processes a warm run could ever reach: the template the runs are forked from
    template = [p for p in children_of(server.proc.pid) if open(f"/proc/{p}/cmdline").read().split("\0")[1:2] == ["python-template"]]
    expect(len(template) == 1, "one python template under the serve loop", template)
    t_libc, t_random = layout_of(template[0])
    expect(t_libc != loop_libc and t_random != loop_random, "the template has its own layout and AT_RANDOM")


@case
def run_cannot_make_pid_1_the_oom_victim():
    # the snippet may lower its own oom_score_adj (without CAP_SYS_RESOURCE the floor stays 0); PID 1 is not in the
    # run's memory group, so the group's OOM killer still has only the snippet's processes to choose from
    source = code("""
        import os
        open('/proc/self/oom_score_adj', 'w').write('0')
        print(open('/proc/self/oom_score_adj').read().strip(), flush=True)
        b = bytearray(400 * 1024 * 1024)
    """)
    for r in (warm_run("python", source), run_cli("python", source)[1]):
        expect_status(r, "memory_limit", 137)
    pools = pools_of(warm_server())
    for jail in pools["python"]["idleJails"] + pools["javascript"]["idleJails"]:
        try:
            groups = open(f"/proc/{jail}/cgroup").read()
        except OSError:
            continue  # taken meanwhile
        memory = next(line for line in groups.splitlines() if ":memory:" in line)
        expect("/slot-" not in memory, "PID 1 of an idle jail is not in the run's memory group", groups)


@case
def answer_does_not_wait_for_processes_left_behind():
    # the answer comes when the main process is done; what it left behind dies with the jail right after
    r = warm_run("python", code("""
        import subprocess
        subprocess.Popen(['sleep', '45.9045'])
        print('main done')
    """))
    expect(r["status"] == "completed" and r["stdout"] == "main done\n", "warm: main's output and status", r)
    expect_gone("45.9045")
    r = SERVER.run("python", code("""
        import os, subprocess
        subprocess.Popen(['sleep', '46.8117'])
        print(os.getuid(), 'main done')
    """))
    expect(r["status"] == "completed" and r["stdout"].endswith(" main done\n"), "serve: main's output and status", r)
    expect_gone("46.8117")
    expect_cgroups_removed(slot_of(r))


@case
def warm_python_memory_holds_no_host_environment():
    # a warm Python run is a fork of the template, itself a fork of the agent: its memory must not hold the
    # agent's environment (the strings of the initial stack), even though os.environ no longer names it
    r = warm_run("python", code(f"""
        import ctypes
        for line in open('/proc/self/maps'):
            if line.rstrip().endswith('[stack]'):
                start, end = (int(x, 16) for x in line.split()[0].split('-'))
                print({HOST_SECRET_VAR!r}.encode() in ctypes.string_at(start, end - start))
    """))
    expect(r["stdout"] == "False\n", "the agent's environment is wiped from the template's memory", r)


@case
def warm_run_cannot_see_or_signal_the_pool():
    r = warm_run("python", code("""
        import os, signal
        pids = sorted(int(p) for p in os.listdir('/proc') if p.isdigit())
        try:
            os.kill(1, signal.SIGKILL); print('killed pid 1')
        except PermissionError:
            print('pid 1 refused')
        print(pids == [os.getpid()], os.getuid() >= 60000)
    """))
    expect(r["stdout"] == "pid 1 refused\nTrue True\n", "only itself visible (not even PID 1), PID 1 unsignalable", r)


@case
def warm_memory_and_output_limits_hold():
    r = warm_run("python", "b = bytearray(400 * 1024 * 1024)\nprint('survived')\n")
    expect_status(r, "memory_limit", 137)
    r = warm_run("python", "import sys\nsys.stdout.write('x' * (2 * 1024 * 1024))\n")
    expect(r["status"] == "output_limit" and r["stdoutBytes"] == MiB and r["outputTruncated"], "output cap", r)
    r = warm_run("python", "print(1)\n")
    expect(r["memoryUsageMb"] < 200 and r["cpuTimeMs"] < 500, "warm-up is not billed to the run", r)


@case
def warm_python_object_memory_comes_and_goes():
    # small objects live in pymalloc's arenas and frames in its 16 KiB stacks, which a warm run takes from the
    # template's reserved range (zygote.c): given back and taken again, and bounded by the run's memory limit
    r = warm_run("python", code("""
        def depth(n):
            return 0 if n == 0 else 1 + depth(n - 1)
        total = 0
        for _ in range(5):
            objs = [(i, str(i)) for i in range(300000)]
            total += len(objs) + depth(900)
            del objs
        print(total)
    """))
    expect(r["stdout"] == "1504500\n", "objects and frames allocated, freed and allocated again", r)
    r = warm_run("python", "x = [str(i) for i in range(30_000_000)]\nprint('survived')\n")
    expect_status(r, "memory_limit", 137)


@slow
@case
def warm_infinite_loop_times_out_at_10s():
    r = warm_run("python", "while True: pass\n")
    expect_status(r, "timed_out", 124)
    expect(9900 <= r["executionTimeMs"] <= 11500, "the wall clock starts when the code arrives", r)


@alone
@case
def warm_cpu_is_half_a_core():
    r = warm_run("python", code("""
        import time
        t = time.process_time()
        while time.process_time() - t < 1.0:
            pass
    """))
    expect_status(r, "completed", 0)
    expect(r["executionTimeMs"] >= 1800, "1 s of CPU at 0.5 core takes >= 1.8 s on the warm path too", r)


# ---------------------------------------------------------------- runner

def run_case(fn):
    t0 = time.time()
    try:
        fn()
        return fn.__name__, None, time.time() - t0
    except Exception as e:  # a crash in a case is that case's failure, not the suite's
        detail = str(e) if isinstance(e, AssertionError) else traceback.format_exc()
        return fn.__name__, detail, time.time() - t0


def main():
    global SERVER
    if os.geteuid() != 0:
        print("FAIL every case: the agent's tests need root (namespaces, cgroups, uid switch); run as root")
        print(f"0 passed, {len(CASES)} failed")
        return 1
    if not os.access(AGENT, os.X_OK):
        print(f"FAIL: {AGENT} is not built (make -C kata-agent)")
        print(f"0 passed, {len(CASES)} failed")
        return 1
    SERVER = Server()
    passed = failed = 0
    parallel = sorted((fn for fn in CASES if not getattr(fn, "alone", False)),
                      key=lambda fn: not getattr(fn, "slow", False))
    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(run_case, parallel))
    results += [run_case(fn) for fn in CASES if getattr(fn, "alone", False)]
    for name, err, secs in results:
        if err is None:
            passed += 1
            print(f"PASS {name} ({secs:.1f}s)", flush=True)
        else:
            failed += 1
            print(f"FAIL {name} ({secs:.1f}s): {err}", flush=True)
    SERVER.stop()
    if WARM is not None:
        WARM.stop()
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
