"""The agent inside a guest VM (kata-agent/vm/, cgroup v2 only), reached over the network transport: one case per
status and limit. The guest may run under software emulation, many times slower than the host, so these cases assert
statuses and figures the limits fix, never speeds; the guest's agent runs with a raised wall limit
(SANDBOX_WALL_LIMIT_MS) and the timeout case asks for a short one of its own."""

import os
import time

from .harness import MiB, NetAgent, alone, case, code, expect, expect_status

_agent = None


def guest():
    global _agent
    if _agent is None:
        _agent = NetAgent(os.environ["KA_TEST_AGENT_URL"], os.environ["KA_TEST_SECRET_FILE"])
    return _agent


@case
def runs_on_cgroup_v2():
    pong = guest().call({"op": "ping"})
    expect(pong["status"] == "ok" and pong["transport"] == "tcp", "ping over tcp", pong)
    expect(pong["cgroup"]["mode"] == "v2", "the guest mounts cgroup v2 only", pong)


@case
def wrong_secret_gets_nothing():
    expect(guest().connect(secret=b"not-the-secret" * 3) is None, "a wrong proof must get no answer")


@case
def completed_in_both_languages():
    r = guest().run("python", "print(sum(range(1, 101)))")
    expect_status(r, "completed", 0)
    expect(r["stdout"] == "5050\n", "stdout", r)
    r = guest().run("javascript", "console.log([3,1,2].sort().join(','))")
    expect_status(r, "completed", 0)
    expect(r["stdout"] == "1,2,3\n", "stdout", r)


@case
def failed_and_killed():
    expect_status(guest().run("python", "import sys; sys.exit(3)"), "failed", 3)
    r = guest().run("python", "import os, signal; os.kill(os.getpid(), signal.SIGSEGV)")
    expect_status(r, "killed", 139)
    expect(r["signal"] == "SIGSEGV", "signal name", r)


@case
def timed_out():
    r = guest().run("python", "while True: pass", limits={"wallTimeMs": 3000})
    expect_status(r, "timed_out", 124)
    expect(r["timedOut"] is True and r["executionTimeMs"] >= 3000, "killed at its wall limit", r)


@case
def memory_limit_peaks_near_256_mib():
    r = guest().run("python", "x = b'x' * (400 * 1024 * 1024)")
    expect_status(r, "memory_limit", 137)
    expect(200 <= r["memoryUsageMb"] <= 270, "peak memory (memory.peak) near the 256 MiB limit", r)


@case
def memory_is_measured():
    r = guest().run("python", "x = b'x' * (50 * 1024 * 1024); print(len(x))")
    expect_status(r, "completed", 0)
    expect(50 <= r["memoryUsageMb"] < 256, "peak memory includes the 50 MiB buffer", r)
    expect(r["cpuTimeMs"] > 0, "CPU time from cpu.stat", r)


@case
def output_limit():
    r = guest().run("python", "import sys; sys.stdout.write('x' * 2_000_000); sys.stdout.flush(); print('never')")
    expect_status(r, "output_limit", 137)
    expect(r["stdoutBytes"] == MiB and r["outputTruncated"] is True, "stdout cut at 1 MiB", r)


@case
def fork_bomb_is_held():
    r = guest().run("python", code("""
        import os, time
        n = 0
        try:
            while True:
                if os.fork() == 0:
                    time.sleep(60)
                    os._exit(0)
                n += 1
        except OSError as e:
            print(n, e.errno)
    """))
    expect_status(r, "completed", 0)
    forks, errno = map(int, r["stdout"].split())
    expect(forks < 64 and errno == 11, "pids.max stops the forks with EAGAIN", r)


@case
def no_network():
    r = guest().run("python", code("""
        import socket
        for host, port in (("10.0.2.2", 22), ("1.1.1.1", 53)):
            try:
                socket.create_connection((host, port), timeout=5)
                print("connected", host)
            except OSError as e:
                print("blocked", e.errno)
    """))
    expect_status(r, "completed", 0)
    expect(r["stdout"].split("\n")[:2] == ["blocked 101", "blocked 101"], "network unreachable", r)


@case
def read_only_root():
    r = guest().run("python", code("""
        for path in ("/usr/lib/evil", "/etc/passwd", "/evil"):
            try:
                open(path, "a").write("x")
                print("wrote", path)
            except OSError as e:
                print("refused", e.errno)
        open("/tmp/ok", "w").write("x")
        print("tmp ok")
    """))
    expect_status(r, "completed", 0)
    lines = r["stdout"].split("\n")
    expect(all(line.startswith("refused") for line in lines[:3]) and lines[3] == "tmp ok", "root read-only", r)


@case
@alone
def cpu_is_throttled_to_half_a_core():
    r = guest().run("python", code("""
        import time
        t = time.process_time()
        while time.process_time() - t < 1.0:
            pass
    """))
    expect_status(r, "completed", 0)
    expect(r["cpuTimeMs"] >= 1000, "cgroup CPU time covers the 1 s loop", r)
    # cpu.max 50000 100000: at most half the wall time on a CPU, whatever the emulation's speed
    expect(r["cpuTimeMs"] <= 0.6 * r["executionTimeMs"], "CPU time at most ~half the wall time", r)


@case
@alone
def warm_run_when_pools_are_on():
    pong = guest().call({"op": "ping"})
    pool = pong["pools"]["python"]
    if pool["size"] == 0:
        print("warm_run_when_pools_are_on: the guest's Python pool is off (SANDBOX_POOL_PYTHON=0): nothing to check")
        return
    deadline = time.time() + 240
    while pool["idle"] == 0 and time.time() < deadline:
        time.sleep(2)
        pool = guest().call({"op": "ping"})["pools"]["python"]
    expect(pool["idle"] > 0, "a warm member gets ready in the guest", pool)
    hits = pool["hits"]
    r = guest().run("python", "import numpy; print(numpy.arange(3).sum())")
    expect_status(r, "completed", 0)
    expect(r["stdout"] == "3\n" and r["memoryUsageMb"] > 0 and r["cpuTimeMs"] > 0, "warm run and its figures", r)
    after = guest().call({"op": "ping"})["pools"]["python"]
    expect(after["hits"] == hits + 1, "the run was served by a warm member", after)
