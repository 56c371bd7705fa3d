/* The jail's namespaces: its own PIDs (so killing PID 1 ends everything), mounts, network (only a down loopback:
 * no network at all), System V IPC and hostname. No user namespace: the agent is real root and drops to a real
 * unprivileged uid, which keeps the host's uid checks meaningful. PID 1 is held by a pidfd: the supervisor is not
 * always its parent (warm/template.c), and a pidfd never signals a pid the kernel has reused. */
#include "ns.h"

#include <errno.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/pidfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define JAIL_HOSTNAME "sandbox"

pid_t ns_clone_jail(int *pidfd)
{
    /* raw clone without a stack argument behaves like fork(): the child continues here on a copy of our memory;
     * CLONE_PIDFD stores the pidfd where the parent_tid argument points */
    long flags = NS_JAIL_FLAGS | CLONE_PIDFD | SIGCHLD;
    *pidfd = -1;
    return (pid_t)syscall(SYS_clone, flags, NULL, pidfd, NULL, 0L);
}

int ns_setup_uts(const char **step)
{
    *step = "sethostname";
    return sethostname(JAIL_HOSTNAME, strlen(JAIL_HOSTNAME));
}

void jail_kill(int init_pidfd)
{
    if (init_pidfd >= 0)
        (void)pidfd_send_signal(init_pidfd, SIGKILL, NULL, 0);
}

/* Returns once PID 1 has exited, which it does only after every other process of its namespace is gone; reaps it
 * if it is our child (cold runs, Node members). */
void jail_wait_gone(int init_pidfd)
{
    if (init_pidfd < 0)
        return;
    struct pollfd p = {init_pidfd, POLLIN, 0};
    while (poll(&p, 1, -1) < 0 && errno == EINTR)
        ;
    siginfo_t info;
    (void)waitid(P_PIDFD, (id_t)init_pidfd, &info, WEXITED | WNOHANG);
}
