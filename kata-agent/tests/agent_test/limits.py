"""The run's limits as the agent applies and reports them: limits a request asks for over the socket, the CPU share,
the wall limit and the output cap."""

from .harness import MiB, alone, case, code, expect, expect_status, run_cli, shared_server, slow


@case
def requested_limits_are_applied():
    r = shared_server().run("python", "print('x' * 200)", limits={"outputBytes": 100})
    expect_status(r, "output_limit", 137)
    expect(r["stdoutBytes"] == 100, "outputBytes", r)
    r = shared_server().run("python", "x = b'x' * (100 * 1024 * 1024)", limits={"memoryBytes": 64 * MiB})
    expect_status(r, "memory_limit", 137)
    r = shared_server().run("python", code("""
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
    r = shared_server().run("python", "import time\nt = time.time()\nwhile time.time() - t < 1: pass\nprint('done')",
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
    r = shared_server().run("javascript", "for (;;) {}", limits={"wallTimeMs": 2000})
    expect_status(r, "timed_out", 124)
    expect(2000 <= r["executionTimeMs"] < 4000, "requested wall limit", r)


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

