"""A run's inputs beyond code and stdin, and the files it leaves: input files in a fresh private working directory,
environment variables and arguments, each refused with the field it concerns, output files collected without
following anything a hostile run leaves behind, and live output (chunk frames). On the cold path; warm.py runs the
same programs warm."""

from .harness import MiB, case, code, expect, expect_status, shared_server
from .workdir_programs import (CHANGED_INPUTS, CHART, HOSTILE_TREE, JSON_OUT, STREAMED, WRITES_MARK, chart_request,
                               expect_chart, expect_json_out, expect_private_cwd, expect_streamed, file_in, files_of,
                               run_frames)


def cold_server():
    """A serve without pools: every run here takes the cold path (the warm area runs the same programs warm)."""
    return shared_server("--pool-python", "0", "--pool-javascript", "0")


BAD_REQUESTS = [
    ("files", {"files": {"path": "a", "content": ""}}),
    ("files", {"files": [file_in("a", "x")] * 2}),
    ("files", {"files": [file_in("a", "x"), file_in("a/b", "y")]}),
    ("files", {"files": [file_in(f"f{i}", "x") for i in range(33)]}),
    ("files", {"files": [file_in("big", b"\0" * (10 * MiB + 1))]}),
    ("files", {"files": [{"path": "a", "content": "not base64!"}]}),
    ("files", {"files": [{"path": "a", "content": "QQ"}]}),
    ("files", {"files": [{"path": "a"}]}),
] + [("files", {"files": [file_in(p, "x")]}) for p in
     ["", "/etc/passwd", "../x", "a/../../x", "a//b", "./a", "a/", "a/./b", "a\0b", "x" * 256, "a/" * 2048 + "b"]] + [
    ("env", {"env": ["A=1"]}),
    ("env", {"env": {"1A": "x"}}),
    ("env", {"env": {"A-B": "x"}}),
    ("env", {"env": {"A": 1}}),
    ("env", {"env": {"A": "a\0b"}}),
    ("env", {"env": {f"V{i}": "x" for i in range(65)}}),
    ("env", {"env": {"BIG": "x" * (32 * 1024)}}),
] + [("env", {"env": {name: "x"}}) for name in
     ["PATH", "HOME", "TMPDIR", "LANG", "TZ", "LD_PRELOAD", "LD_LIBRARY_PATH", "PYTHONPATH", "PYTHONHASHSEED",
      "NODE_OPTIONS", "NODE_PATH", "GLIBC_TUNABLES", "MALLOC_ARENA_MAX", "GCONV_PATH", "LOCPATH", "NLSPATH",
      "HOSTALIASES", "RES_OPTIONS", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "UV_THREADPOOL_SIZE",
      "LC_ALL", "OPENSSL_CONF"]] + [
    ("args", {"args": "a b"}),
    ("args", {"args": [1]}),
    ("args", {"args": ["a\0b"]}),
    ("args", {"args": ["x"] * 65}),
    ("args", {"args": ["x" * (32 * 1024 + 1)]}),
    ("stream", {"stream": "yes"}),
]


@case
def python_reads_input_files_with_env_and_args():
    r = cold_server().run("python", code("""
        import csv, os, sys
        rows = list(csv.DictReader(open('data/in.csv')))
        st = os.stat('data/in.csv')
        print(sum(int(row['x']) for row in rows), sys.argv, os.environ['GREETING'], os.getcwd())
        print(oct(st.st_mode), oct(os.stat('data').st_mode), st.st_uid == os.getuid())
    """), files=[file_in("data/in.csv", "x,y\n1,2\n3,4\n")], env={"GREETING": "hi there"}, args=["a", "-b", "c d"])
    expect_status(r, "completed", 0)
    expect(r["stdout"] == "4 ['-c', 'a', '-b', 'c d'] hi there /sandbox\n0o100644 0o40755 True\n",
           "the CSV, sys.argv == ['-c', *args], the variable, the working directory; modes 0644/0755, the run's uid", r)
    expect(r["files"] == [] and r["filesTruncated"] is False, "an unchanged input file is not returned", r)



@case
def javascript_reads_input_files_with_env_and_args():
    r = cold_server().run("javascript", code("""
        const fs = require('fs');
        console.log(JSON.parse(fs.readFileSync('in/conf.json', 'utf8')).n, JSON.stringify(process.argv.slice(2)),
                    process.env.GREETING, process.cwd());
    """), files=[file_in("in/conf.json", '{"n": 7}')], env={"GREETING": "hi"}, args=["--eval=1", "x"])
    expect_status(r, "completed", 0)
    expect(r["stdout"] == '7 ["--eval=1","x"] hi /sandbox\n', "process.argv.slice(2) are the args, verbatim", r)



@case
def plain_request_answers_the_same_fields():
    r = cold_server().run("python", "print(1)")
    expect("files" not in r and "filesTruncated" not in r, "no new field for a run that uses none and writes nothing", r)
    r = cold_server().run("python", "print(1)", args=[])
    expect(r["files"] == [] and r["filesTruncated"] is False, "a request with args gets the files fields", r)



@case
def bad_files_env_args_are_rejected_with_their_field():
    server = cold_server()
    for field, extra in BAD_REQUESTS:
        r = server.run("python", "print(1)", **extra)
        expect(r["status"] == "rejected" and r.get("errorField") == field,
               f"{field}: {str(extra)[:120]} must be rejected naming {field}", r)
        expect("files" not in r, "a rejected request carries no files", r)
    expect_status(server.run("python", "print(1)", env={"LANGX": "x", "A_1": "", "_": "y"}), "completed", 0)



@case
def python_chart_and_javascript_json_come_back():
    expect_chart(cold_server().run("python", CHART, **chart_request()))
    expect_json_out(cold_server().run("javascript", JSON_OUT, args=["x", "y z"], env={"MODE": "fast"}))



@case
def working_directory_is_private_per_run():
    expect_private_cwd([cold_server().run("python", WRITES_MARK) for _ in range(2)])



@case
def changed_inputs_come_back_unchanged_ones_do_not():
    r = cold_server().run("python", CHANGED_INPUTS, files=[file_in("keep.txt", "same"), file_in("edit.txt", "v1")])
    expect(files_of(r) == {"edit.txt": b"v1+"}, "rewritten with the same bytes is unchanged; appended is changed", r)



@case
def file_caps_and_truncation():
    server = cold_server()
    r = server.run("python", "for i in range(40):\n    open(f'f{i:02}', 'w').write(str(i))\n")
    expect(len(r["files"]) == 32 and r["filesTruncated"] is True, "at most 32 files, then filesTruncated", r)
    expect([f["path"] for f in r["files"]] == [f"f{i:02}" for i in range(32)], "the first 32 in path order", r)
    r = server.run("python", "for n in 'abc':\n    open(n, 'wb').write(b'x' * (4 * 1024 * 1024))\n"
                             "open('d', 'w').write('small')\n")
    expect(sorted(files_of(r)) == ["a", "b", "d"] and r["filesTruncated"] is True,
           "10 MiB in all: a file that no longer fits is left out (and flagged), a smaller one after it still fits", r)
    r = server.run("python", "import time\nopen('partial.txt', 'w').write('so far')\ntime.sleep(30)\n",
                   limits={"wallTimeMs": 1000})
    expect_status(r, "timed_out", 124)
    expect(files_of(r) == {"partial.txt": b"so far"}, "a timed-out run's files come back too", r)



@case
def hostile_working_directory_is_not_followed():
    server = cold_server()
    r = server.run("python", HOSTILE_TREE)
    expect(r["status"] == "completed", "the run itself ends", r)
    expect("mknod refused 1" in r["stdout"] and "link refused 18" in r["stdout"],
           "no device node (EPERM) and no hard link across filesystems (EXDEV) can be made", r)
    out = files_of(r)
    expect(out.get("plain.txt") == b"plain", "the plain file comes back", r)
    expect(not set(out) & {"passwd-link", "etc-link", "loop", "magic-link", "fifo", "a-fifo-first", "null", "sock",
                           "sparse", "hard-outside"}, "no link, FIFO, device, socket or sparse giant", r)
    expect(not any(p.startswith(("etc-link/", "loop/")) for p in out), "no directory link entered", r)
    expect(all(b"root:" not in data for data in out.values()), "nothing of the host's files", r)
    expect(r["filesTruncated"] is True, "the tree too deep and the 60 MiB file are flagged as left out", r)
    expect(len(out.get("growing", b"")) <= 10 * MiB, "a growing file is read at most to the budget", r)
    expect(server.call({"op": "ping"})["status"] == "ok", "the agent survives", r)



@case
def many_entries_are_bounded():
    server = cold_server()
    r = server.run("python", "import os\nfor i in range(30000):\n    os.close(os.open(f'e{i}', os.O_CREAT | os.O_WRONLY))\n"
                             "open('zz.txt', 'w').write('z')\n")
    expect_status(r, "completed", 0)
    expect(r["filesTruncated"] is True and len(r["files"]) <= 32, "a walk over too many entries stops, flagged", r)
    expect_status(server.run("python", "print(1)"), "completed", 0)



@case
def streamed_chunks_come_before_the_response():
    expect_streamed(*run_frames(cold_server(), "python", STREAMED, stream=True))
    chunks, r, _ = run_frames(cold_server(), "python", STREAMED)
    expect(chunks == [] and "files" not in r, "no chunk frame without stream, and today's fields", r)
    chunks, r, _ = run_frames(cold_server(), "python", "import sys\nsys.stdout.buffer.write(b'\\xe2\\x82')\n"
                              "sys.stdout.flush()\nimport time\ntime.sleep(0.3)\nsys.stdout.buffer.write(b'\\xac\\xff')\n",
                              stream=True)
    expect([c["data"] for c in chunks] == ["\u20ac\ufffd"] and r["stdout"] == "\u20ac\ufffd",
           "a sequence split across writes is never split across chunks; invalid bytes as U+FFFD", [chunks, r])
    chunks, r, _ = run_frames(cold_server(), "python", "print('x' * (3 * 1024 * 1024))", stream=True)
    expect_status(r, "output_limit")
    expect(sum(len(c["data"]) for c in chunks) == r["stdoutBytes"] == MiB, "chunks stop at the output limit", r)


@case
def response_frame_stays_within_the_cap():
    import json
    import socket
    import struct
    r = cold_server().run("python", "import os\nopen(b'\\xff-not-utf8', 'w').write('x')\nopen('ok.txt', 'w').write('y')\n")
    expect(files_of(r) == {"ok.txt": b"y"} and r["filesTruncated"] is True,
           "a name that is not UTF-8 cannot be a JSON path: left out, flagged", r)
    # 1 MiB of control bytes on each stream is 6 MiB of JSON each; files only get the room that is left
    with cold_server().connect() as s:
        body = json.dumps({"op": "run", "language": "python", "args": [], "code": code("""
            import sys
            for n in 'abc':
                open(n, 'wb').write(b'x' * (3 * 1024 * 1024))
            sys.stdout.write('\\x01' * (1024 * 1024)); sys.stderr.write('\\x01' * (1024 * 1024))
        """)}).encode()
        s.sendall(struct.pack(">I", len(body)) + body)
        (n,) = struct.unpack(">I", s.recv(4, socket.MSG_WAITALL))
        data = b""
        while len(data) < n:
            data += s.recv(n - len(data))
        r = json.loads(data)
    expect(n <= 16 * MiB, f"the response frame ({n} bytes) is at most 16 MiB", {k: r[k] for k in ("status", "filesTruncated")})
    expect(r["filesTruncated"] is True and len(r["files"]) < 3, "files that would not fit are left out, flagged",
           {"files": [f["path"] for f in r["files"]]})


@case
def a_client_that_does_not_read_cannot_hold_the_wall_limit():
    import time
    from .harness import recv_frame, send_frame
    with cold_server().connect() as s:
        send_frame(s, {"op": "run", "language": "python", "stream": True, "limits": {"wallTimeMs": 1000},
                       "code": "import time\nprint('x' * 900000, flush=True)\ntime.sleep(30)\n"})
        time.sleep(8)  # chunks pile up in the agent meanwhile; the run must be stopped at its limit all the same
        frames = []
        while (f := recv_frame(s)) is not None and "event" in f:
            frames.append(f)
    expect_status(f, "timed_out", 124)
    expect(f["executionTimeMs"] < 6000, "ended at its 1 s wall limit, not when the client read", f)
    expect("".join(c["data"] for c in frames) == f["stdout"], "every chunk arrives, then the response", f)
