"""Escapes and containment: bombs, memory, processes that outlive their run, network, filesystem, environment and
privileges."""

from .harness import HOST_SECRET_VAR, UID_BASE, case, code, expect, expect_status, run_cli, shared_server, slow
from .host import expect_cgroups_removed, expect_gone, slot_of


@case
def fork_bomb_is_contained():
    _, r = run_cli("python", code("""
        import os, time
        n = 0
        for _ in range(500):
            try:
                if os.fork() == 0:
                    time.sleep(30)
                    os._exit(0)
                n += 1
            except OSError:
                break
        print(os.getuid(), n, flush=True)
    """))
    expect_status(r, "completed", 0)
    forked = int(r["stdout"].split()[1])
    expect(forked < 64, f"{forked} processes forked; pids limit is 64", r)
    expect_cgroups_removed(slot_of(r))


@case
@slow
def fork_bomb_runs_to_timeout_and_leaves_nothing():
    r = shared_server().run("python", code("""
        import os
        print(os.getuid(), flush=True)
        while True:
            try:
                os.fork()
            except OSError:
                pass
    """), limits={"wallTimeMs": 3000})
    expect_status(r, "timed_out", 124)
    expect_cgroups_removed(slot_of(r))
    _, after = run_cli("python", "print('host still fine')")
    expect(after["stdout"] == "host still fine\n", "the next run must work", after)


@case
def node_fork_bomb_is_contained():
    _, r = run_cli("javascript", code("""
        const { spawn } = require('child_process');
        let ok = 0, failed = 0;
        for (let i = 0; i < 200; i++) {
          try { const c = spawn('sleep', ['30']); c.on('error', () => failed++); ok++; } catch (e) { failed++; }
        }
        setTimeout(() => { console.log(process.getuid(), ok - failed); process.exit(0); }, 1000);
    """))
    expect_status(r, "completed", 0)
    expect(int(r["stdout"].split()[1]) < 64, "spawned processes must stay under the pids limit", r)


@case
def memory_400mb_python_is_oom_killed():
    _, r = run_cli("python", "x = b'x' * (400 * 1024 * 1024)\nprint('survived')")
    expect_status(r, "memory_limit", 137)
    expect(r["signal"] == "SIGKILL" and "survived" not in r["stdout"], "OOM kill", r)
    expect(r["memoryUsageMb"] >= 200, "peak near the 256 MiB limit", r)


@case
def memory_js_heap_and_buffer():
    _, r = run_cli("javascript", "const a = []; for (;;) a.push(new Array(100000).fill(1.5));")
    expect_status(r, "memory_limit", 137)
    _, r = run_cli("javascript", "const b = Buffer.alloc(400 * 1024 * 1024, 1); console.log(b.length);")
    expect_status(r, "memory_limit", 137)


@case
@slow
def sigstop_still_ends_at_timeout():
    _, r = run_cli("python", code("""
        import os, signal, subprocess
        subprocess.Popen(['sleep', '41.5151'])
        os.kill(os.getpid(), signal.SIGSTOP)
    """))
    expect_status(r, "timed_out", 124)
    expect(10000 <= r["executionTimeMs"] < 12000, "stopped run ends at the wall limit", r)
    expect_gone("41.5151")


@case
def detached_grandchild_does_not_outlive_run():
    _, r = run_cli("python", code("""
        import os, subprocess
        subprocess.Popen(['sleep', '42.7182'], start_new_session=True, stdout=subprocess.DEVNULL)
        if os.fork() == 0:
            os.setsid()
            if os.fork() == 0:
                os.execvp('sleep', ['sleep', '43.1415'])
            os._exit(0)
        print(os.getuid())
    """))
    expect_status(r, "completed", 0)
    expect_gone("42.7182")
    expect_gone("43.1415")
    expect_cgroups_removed(slot_of(r))


@case
def node_detached_child_does_not_outlive_run():
    _, r = run_cli("javascript", code("""
        const { spawn, execSync } = require('child_process');
        spawn('sleep', ['44.2718'], { detached: true, stdio: 'ignore' }).unref();
        console.log(execSync('echo child ran').toString().trim());
    """))
    expect_status(r, "completed", 0)
    expect(r["stdout"] == "child ran\n", "child processes themselves work", r)
    expect_gone("44.2718")


@case
def network_is_unreachable_python():
    _, r = run_cli("python", code("""
        import socket
        for host, port in [('127.0.0.1', 22), ('1.1.1.1', 80), ('8.8.8.8', 53)]:
            try:
                socket.create_connection((host, port), timeout=2)
                print('CONNECTED', host)
            except OSError as e:
                print('blocked', host, e.errno)
        try:
            socket.getaddrinfo('example.com', 80)
            print('RESOLVED')
        except OSError:
            print('no dns')
        a, b = socket.socketpair()
        a.send(b'unix ok'); print(b.recv(10).decode())
    """))
    expect_status(r, "completed", 0)
    expect("CONNECTED" not in r["stdout"] and "RESOLVED" not in r["stdout"], "network must be unreachable", r)
    expect(r["stdout"].count("blocked") == 3 and "unix ok" in r["stdout"], "AF_UNIX stays usable", r)


@case
def network_is_unreachable_node():
    _, r = run_cli("javascript", code("""
        const net = require('net');
        const targets = [['127.0.0.1', 22], ['1.1.1.1', 80]];
        let done = 0;
        const finish = (msg) => { console.log(msg); if (++done === targets.length + 1) process.exit(0); };
        for (const [h, p] of targets) {
          try {
            const s = net.connect({ host: h, port: p, timeout: 2000 });
            s.on('connect', () => finish('CONNECTED ' + h));
            s.on('error', (e) => finish('blocked ' + h + ' ' + e.code));
            s.on('timeout', () => { s.destroy(); finish('blocked ' + h + ' timeout'); });
          } catch (e) { finish('blocked ' + h + ' ' + e.code); }
        }
        fetch('http://1.1.1.1/').then(() => finish('FETCHED'), (e) => finish('blocked fetch'));
    """))
    expect_status(r, "completed", 0)
    expect("CONNECTED" not in r["stdout"] and "FETCHED" not in r["stdout"], "network must be unreachable", r)
    expect(r["stdout"].count("blocked") == 3, "every attempt must fail", r)


@case
def filesystem_is_read_only_and_private_python():
    _, r = run_cli("python", code("""
        import os
        def attempt(label, fn):
            try:
                fn(); print('ALLOWED', label)
            except OSError as e:
                print('blocked', label, e.errno)
        attempt('read /etc/shadow', lambda: open('/etc/shadow').read())
        attempt('write /usr', lambda: open('/usr/pwned', 'w'))
        attempt('write /', lambda: open('/pwned', 'w'))
        attempt('write /etc', lambda: open('/etc/passwd', 'a'))
        for p in ['/home', '/root', '/var', '/run', '/sys', '/etc/shadow', '/work']:
            print('present' if os.path.exists(p) else 'absent', p)
        print('pids', sorted(int(p) for p in os.listdir('/proc') if p.isdigit()))
        open('/tmp/ok', 'w').write('scratch'); open('/dev/shm/ok', 'w').write('shm'); print('scratch ok')
    """))
    expect_status(r, "completed", 0)
    out = r["stdout"]
    expect("ALLOWED" not in out, "no write outside the scratch dirs, no shadow", r)
    expect("present" not in out, "host directories must be absent", r)
    expect("pids [2]" in out, "only the snippet's own process is visible in /proc", r)
    expect("scratch ok" in out, "/tmp and /dev/shm are writable", r)


@case
def filesystem_checks_node():
    _, r = run_cli("javascript", code("""
        const fs = require('fs');
        const attempt = (label, fn) => { try { fn(); console.log('ALLOWED', label); }
                                          catch (e) { console.log('blocked', label, e.code); } };
        attempt('read /etc/shadow', () => fs.readFileSync('/etc/shadow'));
        attempt('write /usr', () => fs.writeFileSync('/usr/pwned', 'x'));
        attempt('write runtime', () => fs.writeFileSync('/runtime/node/pwned', 'x'));
        attempt('read /root', () => fs.readdirSync('/root'));
        fs.writeFileSync('/tmp/ok', 'fine'); console.log('tmp', fs.readFileSync('/tmp/ok', 'utf8'));
    """))
    expect_status(r, "completed", 0)
    expect("ALLOWED" not in r["stdout"] and "tmp fine" in r["stdout"], "node file checks", r)


@case
def scratch_files_do_not_persist():
    _, r = run_cli("python", "open('/tmp/persist-probe', 'w').write('1'); open('/dev/shm/persist-probe', 'w').write('1')")
    expect_status(r, "completed", 0)
    _, r = run_cli("python", code("""
        import os
        print(os.path.exists('/tmp/persist-probe'), os.path.exists('/dev/shm/persist-probe'), os.listdir('/sandbox'))
    """))
    expect(r["stdout"] == "False False []\n", "a new run must start with empty scratch dirs", r)


@case
def environment_is_scrubbed():
    allowed = {"PATH", "HOME", "TMPDIR", "LANG", "TZ", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "NODE_PATH",
               "UV_USE_IO_URING", "LC_CTYPE"}
    _, r = run_cli("python", "import os; print(' '.join(sorted(os.environ)))")
    names = set(r["stdout"].split())
    expect(names <= allowed, f"unexpected variables {names - allowed}", r)
    _, r = run_cli("javascript", "console.log(Object.keys(process.env).sort().join(' '))")
    names = set(r["stdout"].split())
    expect(names <= allowed and HOST_SECRET_VAR not in names, f"unexpected variables {names - allowed}", r)


@case
def privileged_syscalls_are_refused():
    _, r = run_cli("python", code("""
        import ctypes, os
        libc = ctypes.CDLL(None, use_errno=True)
        def attempt(label, rc):
            print(label, 'ALLOWED' if rc == 0 else 'refused', ctypes.get_errno())
        attempt('ptrace', libc.ptrace(0, 0, 0, 0))
        attempt('mount', libc.mount(b'none', b'/tmp', b'tmpfs', 0, None))
        attempt('unshare-user', libc.unshare(0x10000000))
        attempt('unshare-net', libc.unshare(0x40000000))
        attempt('setuid0', libc.setuid(0))
        attempt('chroot', libc.chroot(b'/tmp'))
        for name, nr in [('keyctl', 250), ('bpf', 321), ('perf_event_open', 298), ('io_uring_setup', 425),
                         ('kexec_load', 246), ('init_module', 175), ('settimeofday', 164), ('userfaultfd', 323)]:
            attempt(name, libc.syscall(nr, 0, 0, 0, 0, 0))
        try:
            open('/proc/sysrq-trigger', 'w').write('h'); print('sysrq ALLOWED')
        except OSError:
            print('sysrq refused')
        print('fds', sorted(os.listdir('/proc/self/fd')))
        print('uid', os.getuid(), 'caps', open('/proc/self/status').read().split('CapEff:')[1].split()[0])
        print('nnp', open('/proc/self/status').read().split('NoNewPrivs:')[1].split()[0])
    """))
    expect_status(r, "completed", 0)
    out = r["stdout"]
    expect("ALLOWED" not in out, "ptrace, mount, unshare, setuid and chroot must fail", r)
    expect("caps 0000000000000000" in out and "nnp 1" in out, "no capabilities, no_new_privs", r)
    expect("fds ['0', '1', '2', '3']" in out, "no agent descriptor leaks into the jail (3 is listdir's own)", r)
    uid = int(out.split("uid ")[1].split()[0])
    expect(UID_BASE <= uid < UID_BASE + 256, "per-run unprivileged uid", r)
    _, r = run_cli("python", "import subprocess; print(subprocess.run(['unshare', '-U', 'true']).returncode != 0)")
    expect(r["stdout"] == "True\n", "unshare(1) must fail", r)

