/* The reaper that PID 1 of a warm Python jail becomes (warm/template.c, init.c): exec'd with the main process's pid as its
 * only argument, it reaps every child until that one exits, reports EXITED with its wait status on JFD_REPORT and
 * exits, which makes the kernel kill whatever is left in the jail's PID namespace. If the supervisor dies first (the
 * report pipe's reader gone) it exits at once, as PR_SET_PDEATHSIG does for a jail the supervisor cloned itself;
 * the template's end (PID 1's parent) does not end it.
 *
 * Built on its own without the C library (static, no loader, no libc start-up) and carried inside kata-agent
 * (jail_init_image.S): every warm run execs it, and the dynamically linked agent in its place would cost every run
 * the loader and glibc's start-up (whose CPU probing traps to the hypervisor).
 * x86-64 Linux only, like the rest of the agent. */
#include "../init.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>

#if !defined(__x86_64__)
#error "jail_init.c makes x86-64 system calls"
#endif

/* the kernel's sigset_t for rt_sigprocmask and signalfd4 is 8 bytes; glibc's is bigger */
#define KERNEL_SIGSET_BYTES 8

static long sys(long nr, long a, long b, long c, long d)
{
    register long r10 __asm__("r10") = d;
    long ret;
    __asm__ volatile("syscall" : "=a"(ret) : "a"(nr), "D"(a), "S"(b), "d"(c), "r"(r10) : "rcx", "r11", "memory");
    return ret;
}

static void leave(int status) __attribute__((noreturn));
static void leave(int status)
{
    for (;;)
        sys(SYS_exit_group, status, 0, 0, 0);
}

static int64_t now_ns(void)
{
    struct timespec ts;
    sys(SYS_clock_gettime, CLOCK_MONOTONIC, (long)&ts, 0, 0);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Reaps one child if any has ended. At the main process's end: reports and exits. */
static int reap_one(pid_t main_pid)
{
    int status = 0;
    long pid = sys(SYS_wait4, -1, (long)&status, WNOHANG | __WALL, 0);
    if (pid == -EINTR)
        return 1;
    if (pid < 0)
        leave(0);
    if (pid == main_pid) {
        static struct report rep; /* static: zeroed without memset, which this program does not have */
        rep.kind = REPORT_EXITED;
        rep.wait_status = status;
        rep.t_ns = now_ns();
        /* one write below PIPE_BUF is atomic: the supervisor never sees half a report */
        sys(SYS_write, JFD_REPORT, (long)&rep, sizeof rep, 0);
        leave(0);
    }
    return pid > 0;
}

static pid_t parse_pid(const char *s)
{
    long v = 0;
    for (; *s >= '0' && *s <= '9' && v < 1 << 22; s++)
        v = v * 10 + (*s - '0');
    return *s == '\0' ? (pid_t)v : 0;
}

/* global, so that _start's call names it exactly */
void reaper_main(long *stack) __attribute__((noreturn));
void reaper_main(long *stack)
{
    long argc = stack[0];
    char **argv = (char **)(stack + 1);
    pid_t main_pid = argc == 2 ? parse_pid(argv[1]) : 0;
    if (main_pid <= 0 || sys(SYS_getpid, 0, 0, 0, 0) != 1)
        leave(2);
    unsigned long mask = 1UL << (SIGCHLD - 1);
    if (sys(SYS_rt_sigprocmask, SIG_BLOCK, (long)&mask, 0, KERNEL_SIGSET_BYTES) < 0)
        leave(127);
    int signal_fd = (int)sys(SYS_signalfd4, -1, (long)&mask, KERNEL_SIGSET_BYTES, SFD_CLOEXEC | SFD_NONBLOCK);
    if (signal_fd < 0)
        leave(127);
    for (;;) {
        while (reap_one(main_pid))
            ;
        struct pollfd p[2] = {{signal_fd, POLLIN, 0}, {JFD_REPORT, 0, 0}};
        long rc = sys(SYS_poll, (long)p, 2, -1, 0);
        if (rc < 0 && rc != -EINTR)
            leave(0);
        if (p[1].revents)
            leave(0);
        struct signalfd_siginfo si;
        while (sys(SYS_read, signal_fd, (long)&si, sizeof si, 0) == (long)sizeof si)
            ;
    }
}

/* the kernel starts us with argc, argv and the environment on the stack; no return address, so align and call */
__asm__(".text\n"
        ".global _start\n"
        "_start:\n"
        "    xor %ebp, %ebp\n"
        "    mov %rsp, %rdi\n"
        "    and $-16, %rsp\n"
        "    call reaper_main\n"
        "    hlt\n");
