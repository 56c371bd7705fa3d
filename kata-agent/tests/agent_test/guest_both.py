"""The guest VM's cases that need only the fields the API shows (status, exitCode, stdout, memoryUsageMb, ...):
each takes a `run(language, code)` and runs over the network transport (guest.py) and over HTTP through the
service whose agent is the guest's (tests/guest/http_tests.py), each registered with register_both. The guest may
run under software emulation, many times slower than the host: they assert statuses and what the limits fix, never
speeds."""

from .harness import BUSY_ONE_CPU_SECOND, MiB, alone, case, code, expect, expect_status

BOTH = []


def both(fn):
    BOTH.append(fn)
    return fn


def register_both(run, prefix):
    """Registers every case here as a case of its own that calls it with `run`."""
    for fn in BOTH:
        def bound(fn=fn):
            fn(run)
        bound.__name__ = f"{prefix}_{fn.__name__}"
        if getattr(fn, "alone", False):
            alone(bound)
        case(bound)


@both
def completed_in_both_languages(run):
    r = run("python", "print(sum(range(1, 101)))")
    expect_status(r, "completed", 0)
    expect(r["stdout"] == "5050\n", "stdout", r)
    r = run("javascript", "console.log([3,1,2].sort().join(','))")
    expect_status(r, "completed", 0)
    expect(r["stdout"] == "1,2,3\n", "stdout", r)


@both
def failed_and_killed(run):
    expect_status(run("python", "import sys; sys.exit(3)"), "failed", 3)
    r = run("python", "import os, signal; os.kill(os.getpid(), signal.SIGSEGV)")
    expect_status(r, "killed", 139)
    expect(r["signal"] == "SIGSEGV", "signal name", r)


@both
def memory_limit_peaks_near_256_mib(run):
    r = run("python", "x = b'x' * (400 * 1024 * 1024)")
    expect_status(r, "memory_limit", 137)
    expect(200 <= r["memoryUsageMb"] <= 270, "peak memory (memory.peak) near the 256 MiB limit", r)


@both
def output_limit(run):
    r = run("python", "import sys; sys.stdout.write('x' * 2_000_000); sys.stdout.flush(); print('never')")
    expect_status(r, "output_limit", 137)
    expect(len(r["stdout"]) == MiB and r["outputTruncated"] is True, "stdout cut at 1 MiB", r)


@both
def fork_bomb_is_held(run):
    r = run("python", code("""
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


@both
def no_network(run):
    r = run("python", code("""
        import socket
        for host, port in (("10.0.2.2", 22), ("1.1.1.1", 53)):
            try:
                socket.create_connection((host, port), timeout=5)
                print("connected", host)
            except OSError as e:
                print("blocked")
    """))
    expect_status(r, "completed", 0)
    expect(r["stdout"].split("\n")[:2] == ["blocked"] * 2, "no connection leaves the jail", r)


@both
def read_only_root(run):
    r = run("python", code("""
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


@both
@alone
def cpu_is_throttled_to_half_a_core(run):
    r = run("python", BUSY_ONE_CPU_SECOND)
    expect_status(r, "completed", 0)
    # cpu.max 50000 100000: at most half the wall time on a CPU, whatever the emulation's speed
    expect(r["executionTimeMs"] >= 1800, "1 s of CPU at half a core takes at least ~2 s of wall time", r)
    if "cpuTimeMs" in r:  # the agent's figure (the API does not show it)
        expect(r["cpuTimeMs"] >= 1000, "cgroup CPU time covers the 1 s loop", r)
        expect(r["cpuTimeMs"] <= 0.6 * r["executionTimeMs"], "CPU time at most ~half the wall time", r)
