'use strict';
// The kernel surface a snippet must not touch (seccomp, no capabilities, own namespaces). Each call is made with
// valid arguments, so a refusal can only come from the jail, never from a malformed request.

// x86-64 syscall numbers
const NR = { clone: 56, ptrace: 101, syslog: 103, personality: 135, setns: 308, keyctl: 250, add_key: 248, bpf: 321,
  perf_event_open: 298, io_uring_setup: 425, userfaultfd: 323, init_module: 175, socket: 41, settimeofday: 164,
  kexec_load: 246 };

module.exports = [
  {
    name: 'python ptrace, process_vm and userfaultfd are refused',
    language: 'python',
    prelude: true,
    code: `import signal
child = os.fork()
if child == 0:
    signal.pause()
    os._exit(0)
probe('ptrace attach child', lambda: syscall(${NR.ptrace}, 16, child, 0, 0))
probe('ptrace traceme', lambda: syscall(${NR.ptrace}, 0, 0, 0, 0))
probe('userfaultfd', lambda: syscall(${NR.userfaultfd}, 0))
os.kill(child, signal.SIGKILL)`,
    expect: { status: 'completed', probes: ['ptrace attach child', 'ptrace traceme', 'userfaultfd'] },
  },
  {
    name: 'python mount, umount, chroot and pivot are refused',
    language: 'python',
    prelude: true,
    code: `probe('mount tmpfs', lambda: libc_call('mount', b'none', b'/tmp', b'tmpfs', 0, None))
probe('remount /usr writable', lambda: libc_call('mount', None, b'/usr', None, 0x20 | 0x1000, None))
probe('umount /usr', lambda: libc_call('umount2', b'/usr', 2))
probe('chroot', lambda: os.chroot('/tmp'))`,
    expect: { status: 'completed', probes: ['mount tmpfs', 'remount /usr writable', 'umount /usr', 'chroot'] },
  },
  {
    name: 'python unshare and setns into new or other namespaces are refused',
    language: 'python',
    prelude: true,
    code: `CLONE_NEWUSER, CLONE_NEWNS, CLONE_NEWNET = 0x10000000, 0x20000, 0x40000000
probe('unshare user', lambda: libc_call('unshare', CLONE_NEWUSER))
probe('unshare mount', lambda: libc_call('unshare', CLONE_NEWNS))
probe('unshare net', lambda: libc_call('unshare', CLONE_NEWNET))
def clone_newuser():
    pid = syscall(${NR.clone}, CLONE_NEWUSER | 17, 0, 0, 0, 0)  # 17 = SIGCHLD
    if pid == 0:
        os._exit(0)
    os.waitpid(pid, 0)
    return pid
probe('clone newuser', clone_newuser)
fd = os.open('/proc/self/ns/uts', os.O_RDONLY)
probe('setns own uts ns', lambda: syscall(${NR.setns}, fd, 0x04000000))
probe('setns pid 1 mount ns', lambda: syscall(${NR.setns}, os.open('/proc/1/ns/mnt', os.O_RDONLY), 0))`,
    expect: {
      status: 'completed',
      probes: ['unshare user', 'unshare mount', 'unshare net', 'clone newuser', 'setns own uts ns', 'setns pid 1 mount ns'],
    },
  },
  {
    name: 'python keyctl, add_key, bpf, perf_event_open and io_uring are refused',
    language: 'python',
    prelude: true,
    code: `import struct
bpf_attr = ctypes.create_string_buffer(struct.pack('IIII', 2, 4, 4, 1), 72)  # BPF_MAP_CREATE of a 1-slot array
perf_attr = ctypes.create_string_buffer(struct.pack('IIQQQQQ', 1, 128, 0, 0, 0, 0, (1 << 5) | (1 << 6)), 128)
uring_params = ctypes.create_string_buffer(120)
probe('keyctl session keyring', lambda: syscall(${NR.keyctl}, 0, -3, 1))
probe('add_key', lambda: syscall(${NR.add_key}, b'user', b'hostile', b'value', 5, -3))
probe('bpf map create', lambda: syscall(${NR.bpf}, 0, bpf_attr, 72))
probe('perf_event_open', lambda: syscall(${NR.perf_event_open}, perf_attr, 0, -1, -1, 0))
probe('io_uring_setup', lambda: syscall(${NR.io_uring_setup}, 4, uring_params))`,
    expect: {
      status: 'completed',
      probes: ['keyctl session keyring', 'add_key', 'bpf map create', 'perf_event_open', 'io_uring_setup'],
    },
  },
  {
    name: 'python clock, hostname, kernel log, module, kexec and personality changes are refused',
    language: 'python',
    prelude: true,
    code: `import socket, struct, time
timeval = ctypes.create_string_buffer(struct.pack('qq', int(time.time()), 0), 16)
probe('clock_settime', lambda: time.clock_settime(time.CLOCK_REALTIME, time.time()))
probe('settimeofday', lambda: syscall(${NR.settimeofday}, timeval, 0))
probe('sethostname', lambda: socket.sethostname('hostile'))
probe('syslog read', lambda: syscall(${NR.syslog}, 3, ctypes.create_string_buffer(4096), 4096))
probe('init_module', lambda: syscall(${NR.init_module}, b'', 0, b''))
probe('kexec_load unload', lambda: syscall(${NR.kexec_load}, 0, 0, 0, 0))
probe('personality', lambda: syscall(${NR.personality}, 0x0400000))`,
    expect: {
      status: 'completed',
      probes: ['clock_settime', 'settimeofday', 'sethostname', 'syslog read', 'init_module', 'kexec_load unload',
        'personality'],
    },
  },
  {
    name: 'python 32-bit syscall through int 0x80 kills the process',
    language: 'python',
    // Machine code: mov eax, 20 (i386 getpid); int 0x80; ret. The seccomp filter's bad-architecture action kills.
    code: `import ctypes, mmap
page = mmap.mmap(-1, 4096, prot=mmap.PROT_READ | mmap.PROT_WRITE | mmap.PROT_EXEC)
page.write(bytes([0xB8, 20, 0, 0, 0, 0xCD, 0x80, 0xC3]))
addr = ctypes.addressof(ctypes.c_char.from_buffer(page))
print('before', flush=True)
print('returned', ctypes.CFUNCTYPE(ctypes.c_int)(addr)())`,
    expect: { status: 'killed', signal: 'SIGSYS', stdout: 'before\n' },
  },
  {
    name: 'python x32 ABI syscall kills the process',
    language: 'python',
    prelude: true,
    code: `print('before', flush=True)
print('returned', syscall(0x40000000 + 39))`,
    expect: { status: 'killed', signal: 'SIGSYS', stdout: 'before\n' },
  },
  {
    name: 'javascript namespace and mount tools fail',
    language: 'javascript',
    prelude: true,
    code: `const { execFileSync } = require('child_process');
const run = (file, args) => execFileSync(file, args, { stdio: 'pipe' }).toString();
probe('unshare -U -r', () => run('/usr/bin/unshare', ['-U', '-r', '/usr/bin/id', '-u']));
probe('unshare -m', () => run('/usr/bin/unshare', ['-m', '/usr/bin/true']));
probe('nsenter pid 1', () => run('/usr/bin/nsenter', ['-t', '1', '-m', '/usr/bin/true']));
probe('mount tmpfs', () => run('/usr/bin/mount', ['-t', 'tmpfs', 'none', '/tmp']));
probe('setuid 0', () => process.setuid(0));`,
    expect: { status: 'completed', probes: ['unshare -U -r', 'unshare -m', 'nsenter pid 1', 'mount tmpfs', 'setuid 0'] },
  },
];
