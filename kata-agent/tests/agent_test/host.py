"""What the host shows of a run: its processes (found by a marker in their command line) and its slot's cgroups."""
import os
import time

from .harness import UID_BASE, expect, send_frame

CG_ROOT = "/sys/fs/cgroup"
CG_CONTROLLERS = ("memory", "cpu", "cpuacct", "pids")


def slot_cgroups(slot):
    """The slot's groups, with the memory group a warm Node member's runtime warms up in."""
    return [f"{CG_ROOT}/{c}/kata-agent/slot-{slot}" for c in CG_CONTROLLERS] + [
        f"{CG_ROOT}/memory/kata-agent/slot-{slot}-warmup"]


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


def pool_slots(server):
    """The run slots the serving agent's pool members hold (ping's idleSlots and warmingSlots)."""
    pools = server.call({"op": "ping"}).get("pools", {})
    return {s for p in pools.values() for s in p.get("idleSlots", []) + p.get("warmingSlots", [])}


def expect_cgroups_removed(slot, server, within_s=3.0):
    """The run's cgroups are gone, or the slot is held again by one of the server's pool members: the serve loop
    takes a freed slot again for its next member, which removes the old groups (killing anything left in them)
    before it creates its own."""
    dirs = slot_cgroups(slot)
    deadline = time.time() + within_s
    while time.time() < deadline:
        if not any(os.path.exists(d) for d in dirs) or slot in pool_slots(server):
            return
        time.sleep(0.05)
    raise AssertionError(f"cgroups of slot {slot} still exist: {[d for d in dirs if os.path.exists(d)]}")


def stat_fields(pid):
    """The fields of /proc/PID/stat after the command name (state, ppid, ...), or None if it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()
    except OSError:
        return None


def start_time(pid):
    fields = stat_fields(pid)
    return fields[19] if fields else None


def children_of(ppid):
    return [int(pid) for pid in filter(str.isdigit, os.listdir("/proc"))
            if (fields := stat_fields(pid)) and int(fields[1]) == ppid]
