"""What the agent reports of a run: its status and exit code, time, memory and CPU, its output as UTF-8, its stdin,
and requests it rejects before anything starts."""

import struct
import tempfile

from .harness import MiB, case, code, expect, expect_status, recv_frame, run_cli, shared_server


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
    r = shared_server().run("javascript", "process.stdin.on('data', d => process.stdout.write(d.toString().toUpperCase()))",
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
    r = shared_server().run("python", "x" * 102401)
    expect(r["status"] == "rejected" and r["errorField"] == "code", "socket: code over 100 KB", r)
    r = shared_server().run("cobol", "x")
    expect(r["status"] == "rejected" and r["errorField"] == "language", "unknown language", r)
    r = shared_server().run("python", "print(1)", limits={"memoryBytes": 512 * MiB})
    expect(r["status"] == "rejected" and r["errorField"] == "limits", "limits above the default", r)
    with shared_server().connect() as s:
        s.sendall(struct.pack(">I", 17 * MiB))
        r = recv_frame(s)
    expect(r is not None and r["status"] == "rejected", "a frame over 16 MiB is refused from its header", r)

