"""A warm run in the guest VM (the pool's member joins its run's cgroup v2 group at hand-over). Run on its own, after
the other guest cases (guest_tests.py warm): under software emulation the pool takes a while to warm up after the
boot, and alone nothing else can take the member it waits for."""

import time

from .guest_agent import guest
from .harness import case, expect, expect_status


@case
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
