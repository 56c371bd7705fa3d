"""The agent inside a guest VM (kata-agent/vm/, cgroup v2 only) over the network transport: every case of
guest_both.py, and those that need what only the agent's protocol has (its limits, its ping, its hand-shake). The
guest's agent runs with a raised wall limit (SANDBOX_WALL_LIMIT_MS): under software emulation everything is many
times slower than on the host."""

import os

from .guest_agent import guest
from .guest_both import register_both
from .harness import case, expect, expect_status
from .netclient import CLIENT_LABEL, GREETING, NONCE_BYTES, PROOF_BYTES, proof, read_exactly

@case
def runs_on_cgroup_v2():
    pong = guest().call({"op": "ping"})
    expect(pong["status"] == "ok" and pong["transport"] == "tcp", "ping over tcp", pong)
    expect(pong["cgroup"]["mode"] == "v2", "the guest mounts cgroup v2 only", pong)


@case
def wrong_secret_gets_nothing():
    with guest().raw() as s:
        challenge = read_exactly(s, len(GREETING) + NONCE_BYTES)
        agent_nonce, client_nonce = challenge[len(GREETING):], os.urandom(NONCE_BYTES)
        s.sendall(client_nonce + proof(b"not-the-secret" * 3, CLIENT_LABEL, agent_nonce, client_nonce))
        expect(read_exactly(s, PROOF_BYTES) == b"", "a wrong proof gets no answer, only the connection closed")


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


register_both(lambda language, source: guest().run(language, source), "tcp")
