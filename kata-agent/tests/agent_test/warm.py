"""Warm pools, on a serve with pools of its own size whatever SANDBOX_POOL_* says (so these cases also run with the
pools off): what ping shows of them, runs that share nothing, the same answers as the cold path, the end claim, the
memory layout, and the limits on the warm path."""

import json
import os
import struct
import time

from .harness import HOST_SECRET_VAR, MiB, Server, alone, case, code, expect, expect_status, run_cli, shared_server, slow
from . import workdir_programs as files
from .host import children_of, expect_cgroups_removed, expect_gone, slot_of


WARM_WITNESS = {  # a warm run starts with the libraries already loaded; a cold one with nothing of them
    "python": "import sys\nprint('warm' if 'pandas' in sys.modules else 'cold', file=sys.stderr)\n",
    "javascript": "console.error(Object.keys(require.cache).some((m) => m.includes('mathjs')) ? 'warm' : 'cold');\n",
}


# The Python template's memory layout (kata-agent serve --template-memory): an optimization that must change nothing a
# program can tell, so `make -C kata-agent test` runs these cases both ways.
TEMPLATE_MEMORY = os.environ.get("KA_TEST_TEMPLATE_MEMORY", "tuned")


def warm_server():
    """A serve with pools of its own size, whatever SANDBOX_POOL_* says (so these cases run with pools off too)."""
    return shared_server("--pool-python", "3", "--pool-javascript", "2", "--template-memory", TEMPLATE_MEMORY)


def pools_of(server):
    return server.call({"op": "ping"})["pools"]


def wait_idle(server, language):
    deadline = time.time() + 60
    while pools_of(server)[language]["idle"] == 0 and time.time() < deadline:
        time.sleep(0.05)


def until_warm(language, attempt):
    """attempt() until its run came from the pool. Parallel cases take members too, so a member seen idle may be
    gone by the time the run arrives: on a loaded machine that can happen many times over, so the bound is time."""
    server = warm_server()
    deadline = time.time() + 300
    tries = 0
    while tries == 0 or time.time() < deadline:
        tries += 1
        wait_idle(server, language)
        outcome = attempt(server)
        if outcome is not None:
            return outcome
    raise AssertionError(f"no warm run in {tries} tries")


def warm_run(language, source, **extra):
    """A run that came from the pool (the witness line taken out of its stderr)."""
    def attempt(server):
        r = server.run(language, WARM_WITNESS[language] + source, **extra)
        if not r["stderr"].startswith("warm\n"):
            return None
        r["stderr"] = r["stderr"][len("warm\n"):]
        return r
    return until_warm(language, attempt)


@case
def ping_reports_the_pools():
    pools = pools_of(warm_server())
    for language, size in (("python", 3), ("javascript", 2)):
        p = pools[language]
        expect(p["size"] == size and 0 <= p["idle"] <= size, f"{language} pool size/idle", pools)
        expect(all(isinstance(p[k], (int, float)) for k in ("hits", "misses", "refills", "refillMsLast",
                                                           "refillMsAvg")), "hits, misses, refill times", pools)
        # a member's run slot (it names the member's cgroups): one per member, no two alike
        slots = p["idleSlots"] + p["warmingSlots"]
        expect(len(p["idleSlots"]) == len(p["idleMembers"]) and len(p["warmingSlots"]) == len(p["warmingMembers"])
               and len(set(slots)) == len(slots), f"{language} pool slots", pools)
    expect(all(k in shared_server().call({"op": "ping"})["pools"] for k in ("python", "javascript")), "pools in every ping")


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
                                'ZeroDivisionError: division by zero\n'), "python3's traceback, no bootstrap frame", r)
    r = warm_run("python", "import pandas as pd, sys\nprint(pd.__version__ > '1', sys.argv, sys.flags.isolated)\n"
                           "sys.exit(3)\n")
    expect(r["stdout"] == "True ['-c'] 1\n" and r["exitCode"] == 3, "pandas preloaded, -I -c semantics, exit code", r)
    for _ in range(5):  # the clock starts before the code is written, so even print(1) ends after it started
        r = warm_run("python", "print(1)\n")
        expect(r["executionTimeMs"] > 0 and r["memoryUsageMb"] > 0, "time and memory of a short warm run", r)
    r = warm_run("python", "import sys\nsys.stdout.write(sys.stdin.read().upper())\n", stdin="abc")
    expect(r["stdout"] == "ABC", "stdin reaches a warm run", r)
    r = warm_run("javascript", "const _ = require('lodash'); console.log(_.chunk([1, 2, 3, 4], 2));\n")
    expect(r["stdout"] == "[ [ 1, 2 ], [ 3, 4 ] ]\n", "the API docs' lodash example", r)
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
# a stream whose flush fails (the jail has no /dev/full)
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


def command_of(pid):
    try:
        with open(f"/proc/{pid}/cmdline") as f:
            return f.read().split("\0")
    except OSError:
        return []  # ended while we looked


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
    template = [p for p in children_of(server.proc.pid) if command_of(p)[1:2] == ["python-template"]]
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
    r = shared_server().run("python", code("""
        import os, subprocess
        subprocess.Popen(['sleep', '46.8117'])
        print(os.getuid(), 'main done')
    """))
    expect(r["status"] == "completed" and r["stdout"].endswith(" main done\n"), "serve: main's output and status", r)
    expect_gone("46.8117")
    expect_cgroups_removed(slot_of(r), shared_server())


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


JS_HEAP_BOMB = "const a = []; for (;;) a.push(new Array(1e6).fill(1.5));\n"
JS_BUFFER_BOMB = "const a = []; for (;;) a.push(Buffer.alloc(1 << 20, 1));\n"


@case
def warm_javascript_memory_is_the_runs_own():
    # a member's node with its libraries loaded (~80 MB) is charged to a warm-up memory group, not to the run's: a
    # warm run's memoryUsageMb and its 256 MB are what it allocates itself, as in a cold run
    r = warm_run("javascript", code("""
        const fs = require('fs');
        const groups = fs.readdirSync('/proc/self/task').map((t) => fs.readFileSync(`/proc/self/task/${t}/cgroup`, 'utf8'));
        console.log(process.getuid(), groups.some((g) => g.includes('warmup')));
    """))
    expect(r["stdout"].split()[1] == "false", "every thread of the run's node is in the run's memory group", r)
    expect_cgroups_removed(slot_of(r), warm_server())  # the warm-up group goes with the run's
    warm = warm_run("javascript", "console.log(1);\n")
    _, cold = run_cli("javascript", "console.log(1);\n")
    expect(warm["memoryUsageMb"] <= cold["memoryUsageMb"] + 16,
           "a warm console.log(1) peaks near a cold one, without node and its libraries", [warm, cold])
    big = "const b = Buffer.alloc(200 * 1024 * 1024, 1); console.log(b.length);\n"
    r = warm_run("javascript", big)
    expect_status(r, "completed", 0)
    expect(r["stdout"] == f"{200 * MiB}\n", "200 MiB of the run's 256 MiB, used on the warm path", r)
    r = warm_run("javascript", JS_BUFFER_BOMB)
    expect_status(r, "memory_limit", 137)
    expect(r["memoryUsageMb"] >= 200, "the memory cgroup ends a buffer bomb at the run's own 256 MiB", r)
    # a heap bomb ends at V8's heap cap on both paths, with V8's own message, at about the same size
    warm = warm_run("javascript", JS_HEAP_BOMB)
    _, cold = run_cli("javascript", JS_HEAP_BOMB)
    for r in (warm, cold):
        expect_status(r, "memory_limit", 137)
        expect("JavaScript heap out of memory" in r["stderr"], "V8's heap cap ends it, not the cgroup", r)
    expect(abs(warm["memoryUsageMb"] - cold["memoryUsageMb"]) <= 48, "the same heap room on both paths",
           [warm["memoryUsageMb"], cold["memoryUsageMb"]])


@case
def warm_python_memory_is_unchanged():
    # Python's libraries are the template's pages: its runs never had a warm-up group, nor need one
    r = warm_run("python", code("""
        import os
        print(os.getuid(), 'warmup' in open('/proc/self/cgroup').read())
        b = bytearray(200 * 1024 * 1024)
    """))
    expect_status(r, "completed", 0)
    expect(r["stdout"].split()[1] == "False", "a warm Python run is in the run's memory group", r)
    expect(r["memoryUsageMb"] >= 200, "its own allocation is its peak", r)
    expect_cgroups_removed(slot_of(r), warm_server())


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



@case
@slow
def retiring_templates_take_no_run_with_them():
    # a template that retires every 3 jails: runs keep coming warm and complete, each template has its own AT_RANDOM
    server = Server("--pool-python", "4", "--pool-javascript", "0", "--template-memory", TEMPLATE_MEMORY,
                    "--template-retire-after", "3")
    try:
        probe = code("""
            import ctypes, struct, sys
            address = next(v for k, v in struct.iter_unpack('<QQ', open('/proc/self/auxv', 'rb').read()) if k == 25)
            print('pandas' in sys.modules, ctypes.string_at(address, 16).hex())
        """)
        seen, results = set(), []
        for _ in range(24):
            deadline = time.time() + 60
            while pools_of(server)["python"]["idle"] == 0 and time.time() < deadline:
                time.sleep(0.05)
            r = server.run("python", probe)
            results.append(r)
            if r["status"] == "completed":
                seen.add(r["stdout"].split()[1])
        bad = [r for r in results if r["status"] != "completed" or not r["stdout"].startswith("True ")]
        expect(bad == [], f"{len(bad)} of {len(results)} runs did not complete warm", bad[:1])
        expect(len(seen) >= 3, f"runs saw {len(seen)} templates' AT_RANDOM, expected a new one every 3 jails", sorted(seen))
    finally:
        server.stop()


# ---------------------------------------------------------------- files, env, args, live output: as on the cold path

def warm_frames(language, source, **extra):
    """run_frames on a warm member, the witness line taken out of the response and of the stderr chunks."""
    def attempt(server):
        chunks, r, times = files.run_frames(server, language, WARM_WITNESS[language] + source, **extra)
        if not r["stderr"].startswith("warm\n"):
            return None
        r["stderr"] = r["stderr"][len("warm\n"):]
        first = next(c for c in chunks if c["event"] == "stderr")
        first["data"] = first["data"][len("warm\n"):]
        return [c for c in chunks if c["data"]], r, times
    return until_warm(language, attempt)


@case
def warm_runs_take_files_env_and_args():
    files.expect_chart(warm_run("python", files.CHART, **files.chart_request()))
    files.expect_json_out(warm_run("javascript", files.JSON_OUT, args=["x", "y z"], env={"MODE": "fast"}))
    r = warm_run("python", "import os, sys\nprint(sys.argv, os.environ['A'], open('d/in').read())\n",
                 files=[files.file_in("d/in", "in")], env={"A": "1"}, args=["-x"])
    expect(r["stdout"] == "['-c', '-x'] 1 in\n", "argv, env and the input file on a warm Python run", r)
    files.expect_private_cwd([warm_run("python", files.WRITES_MARK) for _ in range(2)])
    r = warm_run("python", files.CHANGED_INPUTS, files=[files.file_in("keep.txt", "same"), files.file_in("edit.txt", "v1")])
    expect(files.files_of(r) == {"edit.txt": b"v1+"}, "changed inputs only, as cold", r)


@case
def warm_working_directory_is_not_followed():
    r = warm_run("python", files.HOSTILE_TREE)
    out = files.files_of(r)
    expect(out.get("plain.txt") == b"plain" and r["filesTruncated"] is True, "the plain file, the rest flagged", r)
    expect(not set(out) & {"passwd-link", "etc-link", "loop", "magic-link", "fifo", "null", "sock", "sparse"},
           "no link, FIFO, device, socket or sparse giant on the warm path either", r)
    expect(warm_server().call({"op": "ping"})["status"] == "ok", "the agent survives", r)


@case
def warm_streamed_chunks_come_before_the_response():
    files.expect_streamed(*warm_frames("python", files.STREAMED, stream=True))
    chunks, r, times = warm_frames("javascript", "console.log('a'); setTimeout(() => console.log('b'), 1000);\n",
                                   stream=True)
    expect(chunks[0] == {"event": "stdout", "data": "a\n"} and times[0] < times[-1] and r["stdout"] == "a\nb\n",
           "Node's first line arrives alone, before the response", [chunks, r])
