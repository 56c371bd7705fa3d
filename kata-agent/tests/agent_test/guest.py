"""The agent inside a guest VM (kata-agent/vm/, cgroup v2 only) over the network transport: every case of
guest_both.py, and those that need what only the agent's protocol has (its limits, its ping, its hand-shake). The
guest's agent runs with a raised wall limit (SANDBOX_WALL_LIMIT_MS): under software emulation everything is many
times slower than on the host."""

import os
import time

from .guest_both import register_both
from .harness import NetAgent, case, expect, expect_status, slow

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
def timed_out():
    r = guest().run("python", "while True: pass", limits={"wallTimeMs": 3000})
    expect_status(r, "timed_out", 124)
    expect(r["timedOut"] is True and r["executionTimeMs"] >= 3000, "killed at its wall limit", r)


@case
def memory_is_measured():
    r = guest().run("python", "x = b'x' * (50 * 1024 * 1024); print(len(x))")
    expect_status(r, "completed", 0)
    expect(50 <= r["memoryUsageMb"] < 256, "peak memory includes the 50 MiB buffer", r)
    expect(r["cpuTimeMs"] > 0, "CPU time from cpu.stat", r)


@case
@slow
def warm_run_when_pools_are_on():
    """Started first, while the other cases start too: the pool warmed up during the boot. Another case's Python run
    may take the warm member first; then that run was the warm one, and its own case checks its result."""
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
    expect(after["hits"] >= hits + 1, "a run was served by a warm member", after)


register_both(lambda language, source: guest().run(language, source), "tcp")
