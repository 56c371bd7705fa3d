"""The network transport (serve --listen tcp://... --secret-file F): the same answers as the Unix socket, and nothing
at all for a caller that does not prove the shared secret (PROTOCOL.md, "Authentication")."""

import base64
import json
import os
import socket
import subprocess
import tempfile
import threading
import time

from .harness import AGENT, LIGHT_POOLS, UID_BASE, Server, case, expect, expect_status, recv_frame, send_frame, slow
from .host import expect_cgroups_removed, expect_gone, host_processes_with, start_marked_run
from .netclient import (AGENT_LABEL, CLIENT_LABEL, GREETING, NONCE_BYTES, PROOF_BYTES, NetworkAgent, proof,
                        read_exactly)
from .workdir_programs import STREAMED, expect_streamed, run_frames

# the agent's hand-shake deadline is 5 s from its accept: a client this late must get nothing
LATE_BY_S = 6.5
# fields that measure the run rather than say what it did
MEASURED = ("executionTimeMs", "memoryUsageMb", "cpuTimeMs")


def write_secret_file(content=None, mode=0o600):
    """A fresh secret file (root's, as the suite runs as root) in a private folder; content defaults to 64 hex."""
    path = os.path.join(tempfile.mkdtemp(prefix="ka-secret-"), "agent.secret")
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.write(fd, content if content is not None else os.urandom(32).hex().encode() + b"\n")
    os.close(fd)
    os.chmod(path, mode)
    return path


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def srv_log(srv):
    """The serve's log so far."""
    with open(os.path.join(srv.dir, "agent.log")) as f:
        return f.read()


class TcpServer(Server):
    """A serve with its Unix socket and a loopback TCP port; connect() is an authenticated TCP stream, so the cases
    written for the Unix socket (start_marked_run, call, run) run over TCP unchanged."""

    def __init__(self, *options):
        self.port = free_port()
        self.secret_file = write_secret_file()
        super().__init__(*options, "--listen", self.url, "--secret-file", self.secret_file)
        self.net = NetworkAgent(self.url, self.secret_file)
        self.secret = self.net.secret

    @property
    def url(self):
        return f"tcp://127.0.0.1:{self.port}"

    def raw(self):
        return self.net.raw()

    def connect(self):
        return self.net.connect()

    def unix_call(self, obj):
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
            s.settimeout(60)
            s.connect(self.path)
            send_frame(s, obj)
            return recv_frame(s)

    def log(self):
        return srv_log(self)

    def runs_started(self):
        """Runs the agent took since it started: with the Python pool on, each is a pool hit or a miss."""
        pools = self.unix_call({"op": "ping"})["pools"]
        return sum(pools[language]["hits"] + pools[language]["misses"] for language in pools)


_tcp_server = None
_tcp_lock = threading.Lock()


def tcp_server():
    """One shared serve with a TCP port and both warm pools (small), for the cases that only run things."""
    global _tcp_server
    with _tcp_lock:
        if _tcp_server is None:
            _tcp_server = TcpServer("--pool-python", "2", "--pool-javascript", "1")
        return _tcp_server


# (language, code, extra request fields, the status both transports must answer)
PROGRAMS = [
    ("python", "print(sum(range(101)))", {}, "completed"),
    ("python", "import sys; print('to stderr', file=sys.stderr); sys.exit(3)", {}, "failed"),
    ("python", "print(input()[::-1])", {"stdin": "olleh\n"}, "completed"),
    ("python", "import os, signal; os.kill(os.getpid(), signal.SIGTERM)", {}, "killed"),
    ("python", "while True: pass", {"limits": {"wallTimeMs": 1000}}, "timed_out"),
    ("python", "b = bytearray(200 * 1024 * 1024)", {"limits": {"memoryBytes": 64 * 1024 * 1024}}, "memory_limit"),
    ("python", "print('x' * 5000)", {"limits": {"outputBytes": 1000}}, "output_limit"),
    ("javascript", "console.log([1, 2, 3].map(x => x * 2).join(','))", {}, "completed"),
    ("javascript", "throw new Error('boom')", {}, "failed"),
    ("python", "print(1", {}, "failed"),  # a syntax error is the program's failure
    ("cobol", "DISPLAY 'HI'", {}, "rejected"),  # refused before anything runs
]


def comparable(r):
    return {k: v for k, v in r.items() if k not in MEASURED}


@case
@slow
def tcp_runs_answer_as_the_unix_socket_does():
    srv = tcp_server()
    for language, source, extra, status in PROGRAMS:
        request = dict(op="run", language=language, code=source, **extra)
        over_tcp = srv.call(request)
        over_unix = srv.unix_call(request)
        expect_status(over_tcp, status)
        expect(comparable(over_tcp) == comparable(over_unix),
               f"{language} {source!r}: tcp and unix answers differ: {json.dumps(over_unix)[:300]}", over_tcp)
    expect_status(srv.run("python", "print(6 * 7)"), "completed", 0)


@case
def tcp_ping_names_the_transport():
    srv = tcp_server()
    expect(srv.call({"op": "ping"})["transport"] == "tcp", "a ping over TCP says tcp")
    expect(srv.unix_call({"op": "ping"})["transport"] == "unix", "a ping over the socket says unix")


@case
def tcp_client_disconnect_kills_the_run():
    s, uid = start_marked_run(tcp_server(), "47.1732")
    s.close()
    expect_gone("47.1732")
    expect_cgroups_removed(uid - UID_BASE, tcp_server())


@case
def tcp_client_half_close_is_a_departure():
    """TCP cannot tell a half-close from a close (one FIN): over it, shutting down the sending side ends the run."""
    s, uid = start_marked_run(tcp_server(), "47.1733")
    s.shutdown(socket.SHUT_WR)
    expect_gone("47.1733")
    expect_cgroups_removed(uid - UID_BASE, tcp_server())
    s.close()


def refused(srv, before_answer, answer, marker):
    """Opens a raw connection, waits before_answer seconds after the greeting, sends answer (bytes, or a function
    of the agent's nonce) then a run frame whose program would start `sleep <marker>`; returns what came back."""
    s = srv.raw()
    s.settimeout(30)
    greeting = read_exactly(s, len(GREETING) + NONCE_BYTES)
    time.sleep(before_answer)
    run = {"op": "run", "language": "python", "code": f"import subprocess\nsubprocess.run(['sleep', '{marker}'])"}
    body = json.dumps(run).encode()
    try:
        data = answer(greeting[len(GREETING):]) if callable(answer) else answer
        s.sendall(data + len(body).to_bytes(4, "big") + body)
        back = s.recv(65536)
    except (BrokenPipeError, ConnectionResetError):
        back = b""
    s.close()
    return greeting, back


def wrong_secret_answer(agent_nonce):
    client_nonce = os.urandom(NONCE_BYTES)
    return client_nonce + proof(os.urandom(32).hex().encode(), CLIENT_LABEL, agent_nonce, client_nonce)


def reflected_answer(srv):
    """The agent's own proof label, computed with the right secret: a proof for the other direction is no proof."""
    def answer(agent_nonce):
        client_nonce = os.urandom(NONCE_BYTES)
        return client_nonce + proof(srv.secret, AGENT_LABEL, agent_nonce, client_nonce)
    return answer


def right_answer(srv):
    def answer(agent_nonce):
        client_nonce = os.urandom(NONCE_BYTES)
        return client_nonce + proof(srv.secret, CLIENT_LABEL, agent_nonce, client_nonce)
    return answer


@case
@slow
def callers_without_the_secret_get_nothing_and_nothing_runs():
    srv = TcpServer("--pool-python", "1", *LIGHT_POOLS)
    try:
        attempts = {
            "no hand-shake, a request at once": (0, b"", "48.0101"),
            "a wrong secret": (0, wrong_secret_answer, "48.0102"),
            "garbage": (0, os.urandom(64), "48.0103"),
            "the agent's own proof reflected": (0, reflected_answer(srv), "48.0104"),
            "the right proof, too late": (LATE_BY_S, right_answer(srv), "48.0105"),
        }
        results = {}
        threads = [threading.Thread(target=lambda k=k, v=v: results.__setitem__(k, refused(srv, *v)))
                   for k, v in attempts.items()]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        for what, (greeting, back) in results.items():
            expect(greeting[:len(GREETING)] == GREETING and len(greeting) == len(GREETING) + NONCE_BYTES,
                   f"{what}: the agent's challenge first")
            expect(back == b"", f"{what}: the caller got {back[:80]!r} after its answer, expected nothing")
        time.sleep(0.5)
        for _, _, marker in attempts.values():
            expect(host_processes_with(marker) == [], f"a refused caller's program ran ({marker})")
        expect(srv.runs_started() == 0, "no run started for a refused caller (pool hits + misses)")
        refusals = srv.log().count("kata-agent: refused a tcp connection from 127.0.0.1")
        expect(refusals == len(attempts), f"{refusals} refusals logged, expected {len(attempts)}: {srv.log()[-800:]}")
        # the counters can move: a caller with the secret gets its run, and it is counted
        expect_status(srv.run("python", "print('admitted')"), "completed", 0)
        expect(srv.runs_started() == 1, "the admitted run is counted")
    finally:
        srv.stop()


@case
def an_idle_caller_is_dropped_at_the_hand_shake_deadline():
    srv = tcp_server()
    with srv.raw() as s:
        s.settimeout(30)
        t0 = time.time()
        greeting = read_exactly(s, len(GREETING) + NONCE_BYTES)
        expect(len(greeting) == len(GREETING) + NONCE_BYTES, "the challenge")
        rest = s.recv(1)  # the agent closes the connection: an idle caller cannot hold a worker
        expect(rest == b"", f"nothing but the end of the stream, got {rest!r}")
        waited = time.time() - t0
    expect(waited < 30, f"the agent dropped the idle caller after {waited:.1f} s")


def serve_refusal(*args):
    p = subprocess.run([AGENT, "serve", "--socket", os.path.join(tempfile.mkdtemp(), "a.sock"), *args],
                       capture_output=True, text=True, timeout=30)
    return p.returncode, p.stderr


@case
def the_secret_file_must_be_the_agents_alone_and_long_enough():
    url = f"tcp://127.0.0.1:{free_port()}"
    cases = {
        "group-readable": (write_secret_file(mode=0o640), "readable by nobody else"),
        "other-readable": (write_secret_file(mode=0o604), "readable by nobody else"),
        "short": (write_secret_file(b"0123456789abcdef0123456789abcde\n"), "shorter than 32 bytes"),
        "empty": (write_secret_file(b""), "shorter than 32 bytes"),
        "missing": ("/nonexistent/agent.secret", "cannot open the secret file"),
        "a directory": (tempfile.mkdtemp(), "not a regular file"),
    }
    other = write_secret_file()
    os.chown(other, 65534, 65534)
    cases["owned by nobody"] = (other, "must be owned by uid 0")
    for what, (path, message) in cases.items():
        rc, err = serve_refusal("--listen", url, "--secret-file", path)
        expect(rc == 3 and message in err, f"{what}: expected a refusal with {message!r}, got {rc} {err!r}")
    rc, err = serve_refusal("--listen", url)
    expect(rc == 3 and "--secret-file" in err, f"--listen without a secret file: {rc} {err!r}")
    rc, err = serve_refusal("--listen", "udp://127.0.0.1:1", "--secret-file", write_secret_file())
    expect(rc == 3 and "bad agent address" in err, f"a bad address: {rc} {err!r}")
    # 32 bytes exactly, with the final newline an editor adds: accepted (checked by --check, which binds nothing)
    ok = write_secret_file(b"0123456789abcdef0123456789abcdef\n")
    p = subprocess.run([AGENT, "--check", "--listen", url, "--secret-file", ok], capture_output=True, text=True,
                       timeout=120)
    expect("ok      transport: " + url + ", callers prove" in p.stdout, f"--check names the transport: {p.stdout[:1500]!r}")


def call_cli(*args, stdin=""):
    p = subprocess.run([AGENT, "call", *args], input=stdin, capture_output=True, text=True, timeout=60)
    return p.returncode, p.stdout, p.stderr


@case
def call_over_tcp_proves_the_secret_and_checks_the_agents_proof():
    srv = tcp_server()
    rc, out, err = call_cli("--url", srv.url, "--secret-file", srv.secret_file, "--language", "python",
                            stdin="print('over tcp')")
    expect(rc == 0 and json.loads(out)["stdout"] == "over tcp\n", f"call --url: {rc} {out!r} {err!r}")
    rc, out, err = call_cli("--url", srv.url, "--secret-file", srv.secret_file, "--ping")
    expect(rc == 0 and json.loads(out)["transport"] == "tcp", f"call --ping over tcp: {rc} {out!r} {err!r}")
    rc, out, err = call_cli("--url", srv.url, "--secret-file", write_secret_file(), "--ping")
    expect(rc != 0 and out == "" and "refused" in err, f"a wrong secret: {rc} {out!r} {err!r}")
    rc, out, err = call_cli("--url", srv.url, "--ping")
    expect(rc == 2 and "--secret-file" in err, f"no secret file: {rc} {out!r} {err!r}")


class FirecrackerMuxer:
    """Stands in for Firecracker's vsock Unix socket: reads "CONNECT <port>\\n"; for the one guest port it knows,
    answers "OK <host port>\\n" and then relays bytes to the agent's TCP port; for any other, closes."""

    def __init__(self, guest_port, agent_port):
        self.path = os.path.join(tempfile.mkdtemp(prefix="ka-fc-"), "v.sock")
        self.guest_port, self.agent_port = guest_port, agent_port
        self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.listener.bind(self.path)
        self.listener.listen(8)
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self):
        while True:
            try:
                host, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self.relay, args=(host,), daemon=True).start()

    def relay(self, host):
        line = b""
        while not line.endswith(b"\n") and len(line) < 64:
            byte = host.recv(1)
            if not byte:
                break
            line += byte
        if line != f"CONNECT {self.guest_port}\n".encode():
            host.close()
            return
        guest = socket.create_connection(("127.0.0.1", self.agent_port))
        host.sendall(b"OK 1073741824\n")

        def pump(src, dst):
            try:
                while data := src.recv(65536):
                    dst.sendall(data)
            except OSError:
                pass
            for s in (src, dst):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

        threading.Thread(target=pump, args=(guest, host), daemon=True).start()
        pump(host, guest)

    def close(self):
        self.listener.close()


@case
def call_over_firecrackers_hybrid_vsock():
    srv = tcp_server()
    muxer = FirecrackerMuxer(1024, srv.port)
    try:
        rc, out, err = call_cli("--url", f"hvsock://{muxer.path}:1024", "--secret-file", srv.secret_file,
                                "--language", "python", stdin="print('through the vsock muxer')")
        expect(rc == 0 and json.loads(out)["stdout"] == "through the vsock muxer\n",
               f"call over hvsock: {rc} {out!r} {err!r}")
        rc, out, err = call_cli("--url", f"hvsock://{muxer.path}:1025", "--secret-file", srv.secret_file, "--ping")
        expect(rc != 0 and "CONNECT 1025" in err, f"a guest port nobody listens on: {rc} {out!r} {err!r}")
    finally:
        muxer.close()


@case
def a_request_is_never_read_before_the_proof():
    """A valid run frame sent in place of the answer is 64 bytes of someone's garbage to the agent: refused."""
    srv = tcp_server()
    body = json.dumps({"op": "run", "language": "python", "code": "print('x' * 100)"}).encode()
    frame = len(body).to_bytes(4, "big") + body
    expect(len(frame) > NONCE_BYTES + PROOF_BYTES, "the frame covers the whole answer")
    with srv.raw() as s:
        s.settimeout(30)
        read_exactly(s, len(GREETING) + NONCE_BYTES)
        s.sendall(frame)
        try:
            back = read_exactly(s, 1)
        except ConnectionResetError:  # closed with the rest of the frame unread: a reset, still nothing
            back = b""
        expect(back == b"", f"a frame in place of the proof gets nothing, got {back!r}")
    expect_status(srv.run("python", "print('still serving')"), "completed", 0)



@case
def vsock_listener_binds_where_the_kernel_has_vsock():
    """No guest here to connect from: the listener's own path (parse, bind, listen, the address logged) is checked,
    or, on a kernel without AF_VSOCK, a clear refusal to start."""
    port = 20000 + os.getpid() % 20000
    try:
        socket.socket(socket.AF_VSOCK, socket.SOCK_STREAM).close()
        has_vsock = True
    except OSError:
        has_vsock = False
    if not has_vsock:
        rc, err = serve_refusal("--listen", f"vsock://any:{port}", "--secret-file", write_secret_file())
        expect(rc == 3 and "socket(AF_VSOCK)" in err, f"no vsock: a clear refusal, got {rc} {err!r}")
        return
    srv = Server("--pool-python", "0", *LIGHT_POOLS, "--listen", f"vsock://any:{port}", "--secret-file",
                 write_secret_file())
    try:
        line = f"listening on vsock://4294967295:{port} (callers prove the shared secret) and {srv.path}"
        deadline = time.time() + 30  # the line follows the pools' set-up, a moment after the socket accepts
        while line not in srv_log(srv) and time.time() < deadline:
            time.sleep(0.05)
        expect(line in srv_log(srv), f"the vsock listener is up: {srv_log(srv)!r}")
        expect(srv.call({"op": "ping"})["transport"] == "unix", "the Unix socket serves beside it")
    finally:
        srv.stop()


@case
def tcp_listens_on_ipv6_too():
    port = free_port()
    secret_file = write_secret_file()
    srv = Server("--pool-python", "0", *LIGHT_POOLS, "--listen", f"tcp://[::1]:{port}", "--secret-file", secret_file)
    try:
        agent = NetworkAgent(f"tcp://[::1]:{port}", secret_file)
        expect_status(agent.run("python", "print('over ipv6')"), "completed", 0)
        rc, out, err = call_cli("--url", f"tcp://[::1]:{port}", "--secret-file", secret_file, "--ping")
        expect(rc == 0 and json.loads(out)["transport"] == "tcp", f"call over ipv6: {rc} {out!r} {err!r}")
    finally:
        srv.stop()


@case
def streamed_runs_and_files_over_tcp():
    """The stream's chunk frames and the working directory's files ride the same connection as on the socket."""
    srv = tcp_server()
    expect_streamed(*run_frames(srv, "python", STREAMED, stream=True))
    r = srv.run("python", "open('out.txt', 'w').write(open('in.txt').read().upper())",
                files=[{"path": "in.txt", "content": base64.b64encode(b"over tcp").decode()}])
    expect_status(r, "completed", 0)
    out = [f for f in r.get("files", []) if f["path"] == "out.txt"]
    expect(out and base64.b64decode(out[0]["content"]) == b"OVER TCP", "the run's output file comes back", r)
