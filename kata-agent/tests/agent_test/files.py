"""A run's inputs beyond code and stdin, and the files it leaves: input files in a fresh private working directory,
environment variables and arguments, each refused with the field it concerns, and output files collected without
following anything a hostile run leaves behind."""

import base64

from .harness import MiB, case, code, expect, expect_status, shared_server


def b64(data):
    return base64.b64encode(data if isinstance(data, bytes) else data.encode()).decode()


def file_in(path, data):
    return {"path": path, "content": b64(data)}


def cold_server():
    """A serve without pools: every run here takes the cold path (the warm area runs the same programs warm)."""
    return shared_server("--pool-python", "0", "--pool-javascript", "0")


@case
def python_reads_input_files_with_env_and_args():
    r = cold_server().run("python", code("""
        import os, sys, pandas
        df = pandas.read_csv('data/in.csv')
        st = os.stat('data/in.csv')
        print(int(df['x'].sum()), sys.argv, os.environ['GREETING'], os.getcwd())
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
def bad_files_env_args_are_rejected_with_their_field():
    server = cold_server()
    for field, extra in BAD_REQUESTS:
        r = server.run("python", "print(1)", **extra)
        expect(r["status"] == "rejected" and r.get("errorField") == field,
               f"{field}: {str(extra)[:120]} must be rejected naming {field}", r)
        expect("files" not in r, "a rejected request carries no files", r)
    expect_status(server.run("python", "print(1)", env={"LANGX": "x", "A_1": "", "_": "y"}), "completed", 0)
