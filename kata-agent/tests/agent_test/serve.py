"""Serve mode: ping, the client's connection (hang-up, half-close), the socket file, SIGTERM (draining, during
warm-up) and a worker's death."""

import fcntl
import os
import signal
import socket
import subprocess
import time

from .harness import (AGENT, LIGHT_POOLS, STOP_HANG_GUARD_S, UID_BASE, Server, case, expect, recv_frame, send_frame,
                      shared_server)
from .host import children_of, expect_cgroups_removed, expect_gone, slot_cgroups, start_marked_run, start_time


@case
def ping_answers():
    r = shared_server().call({"op": "ping"})
    expect(r["status"] == "ok" and r["version"] == "1" and isinstance(r["runsInFlight"], int), "ping", r)


@case
def ping_counts_runs_in_flight():
    with shared_server().connect() as s:
        send_frame(s, {"op": "run", "language": "python", "code": "import time; time.sleep(1.5)"})
        deadline = time.time() + 5
        seen = 0
        while seen == 0 and time.time() < deadline:
            seen = shared_server().call({"op": "ping"})["runsInFlight"]
            time.sleep(0.05)
        expect(seen >= 1, "a run in progress must show in runsInFlight")
        expect(recv_frame(s)["status"] == "completed", "the run itself completes")


@case
def client_disconnect_kills_the_run():
    s, uid = start_marked_run(shared_server(), "45.9265")
    s.close()
    expect_gone("45.9265")
    expect_cgroups_removed(uid - UID_BASE, shared_server())


@case
def client_half_close_still_gets_its_answer():
    with shared_server().connect() as s:
        send_frame(s, {"op": "run", "language": "python", "code": "import time; time.sleep(0.3); print('ok')"})
        s.shutdown(socket.SHUT_WR)
        r = recv_frame(s)
    expect(r is not None and r["stdout"] == "ok\n", "shutting down only the sending side is not a hang-up", r)


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


def descendants_of(pid):
    """(pid, start time) of every process below pid: a pid reused later does not count as the same process."""
    found, todo = [], [pid]
    while todo:
        for kid in children_of(todo.pop()):
            if (started := start_time(kid)) is not None:
                found.append((kid, started))
                todo.append(kid)
    return found


def still_running(processes):
    return [pid for pid, started in processes if start_time(pid) == started]


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
    dirs = slot_cgroups(slot)
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
def killed_worker_takes_its_jail_and_cgroups_with_it():
    srv = Server(*LIGHT_POOLS)
    try:
        s, uid = start_marked_run(srv, "46.2643")
        for worker in children_of(srv.proc.pid):
            os.kill(worker, signal.SIGKILL)
        expect(recv_frame(s) is None, "the client of a killed worker gets no answer")
        s.close()
        expect_gone("46.2643")
        expect_cgroups_removed(uid - UID_BASE, srv)
        r = srv.run("python", "print('agent lives on')")
        expect(r["stdout"] == "agent lives on\n", "the serve loop survives a worker's death", r)
    finally:
        srv.stop()

