"""Programs and checks the files area (cold) and the warm area share: a run's files in and out, env and args, the
hostile working directory and live output must be the same on both paths."""

import base64

import time

from .harness import code, expect, expect_status, recv_frame, send_frame


def b64(data):
    return base64.b64encode(data if isinstance(data, bytes) else data.encode()).decode()


def file_in(path, data):
    return {"path": path, "content": b64(data)}


# ---------------------------------------------------------------- output files

def files_of(r):
    return {f["path"]: base64.b64decode(f["content"]) for f in r.get("files", [])}


# programs whose answers must be the same on the cold and the warm path (warm.py runs them warm)
CHART = code("""
    import csv, os, sys
    from PIL import Image, ImageDraw
    ys = [int(row['y']) for row in csv.DictReader(open('data/in.csv'))]
    img = Image.new('RGB', (64, 32), 'white')
    ImageDraw.Draw(img).line([(i * 8, 32 - y) for i, y in enumerate(ys)], fill='blue')
    os.makedirs('out')
    img.save('out/chart.png')
    print(len(ys), sys.argv[1:])
""")
JSON_OUT = code("""
    const fs = require('fs');
    fs.mkdirSync('out');
    fs.writeFileSync('out/result.json', JSON.stringify({args: process.argv.slice(2), env: process.env.MODE}));
""")


def chart_request():
    return {"files": [file_in("data/in.csv", "y\n1\n5\n9\n3\n")], "args": ["--plot"]}


def expect_chart(r):
    expect_status(r, "completed", 0)
    out = files_of(r)
    expect(r["stdout"] == "4 ['--plot']\n", "the CSV read, args seen", r)
    expect(list(out) == ["out/chart.png"] and out["out/chart.png"].startswith(b"\x89PNG\r\n\x1a\n"),
           "the PNG comes back (the unchanged input does not)", r)
    expect(r["files"][0]["sizeBytes"] == len(out["out/chart.png"]) and r["filesTruncated"] is False, "its size", r)


def expect_json_out(r):
    expect_status(r, "completed", 0)
    expect(files_of(r) == {"out/result.json": b'{"args":["x","y z"],"env":"fast"}'}, "the JSON file comes back", r)


WRITES_MARK = "import os\nprint(sorted(os.listdir('.')))\nopen('mark-' + str(os.getpid()), 'w').write('x')\n"


def expect_private_cwd(runs):
    for r in runs:
        expect(r["stdout"] == "[]\n", "each run starts in an empty working directory of its own", r)
        expect(len(r["files"]) == 1 and r["files"][0]["path"].startswith("mark-"), "only its own file returned", r)


CHANGED_INPUTS = code("""
    open('keep.txt', 'w').write('same')
    open('edit.txt', 'a').write('+')
""")


HOSTILE_TREE = code("""
    import os, subprocess, sys
    os.symlink('/etc/passwd', 'passwd-link')
    os.symlink('/etc', 'etc-link')
    os.symlink('.', 'loop')
    os.symlink('/proc/self/root/etc/passwd', 'magic-link')
    os.mkfifo('fifo')
    os.mkfifo('a-fifo-first')
    try:
        os.mknod('null', 0o20666, os.makedev(1, 3))
    except OSError as e:
        print('mknod refused', e.errno)
    open('/tmp/outside', 'w').write('outside')
    try:
        os.link('/tmp/outside', 'hard-outside')
    except OSError as e:
        print('link refused', e.errno)
    with open('sparse', 'wb') as f:
        f.truncate(60 << 20)  # sparse: no byte of it stored, 60 MiB by its size
    d = 'deep'
    for _ in range(100):
        d += '/d'
    os.makedirs(d)
    open(d + '/bottom.txt', 'w').write('deep')
    import socket
    s = socket.socket(socket.AF_UNIX)
    s.bind('sock')
    open('plain.txt', 'w').write('plain')
    # keeps growing a file after the program ends, until the jail goes
    if os.fork() == 0:
        os.setsid()
        with open('growing', 'wb') as f:
            while True:
                f.write(b'g' * 65536)
                f.flush()
""")


# ---------------------------------------------------------------- live output

def run_frames(server, language, source, **extra):
    """(chunk frames, the response, seconds from the request to each chunk and to the response)."""
    with server.connect() as s:
        t0 = time.monotonic()
        send_frame(s, dict(op="run", language=language, code=source, **extra))
        chunks, times = [], []
        while True:
            f = recv_frame(s)
            times.append(time.monotonic() - t0)
            if f is None or "event" not in f:
                return chunks, f, times
            chunks.append(f)


STREAMED = "import time, sys\nprint('a', flush=True)\ntime.sleep(1)\nprint('b')\nsys.stderr.write('\\u20ac')\n"


def expect_streamed(chunks, r, times):
    expect_status(r, "completed", 0)
    expect(chunks and chunks[0] == {"event": "stdout", "data": "a\n"}, "the first chunk is 'a' alone", chunks)
    expect(len(times) >= 2 and times[0] < times[-1], "it arrives before the response", times)
    for stream in ("stdout", "stderr"):
        expect("".join(c["data"] for c in chunks if c["event"] == stream) == r[stream],
               f"the {stream} chunks add up to the response's {stream}", [chunks, r])
    expect(all(set(c) == {"event", "data"} for c in chunks), "a chunk frame holds event and data only", chunks)
