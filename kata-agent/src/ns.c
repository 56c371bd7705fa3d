/* The jail's namespaces: its own PIDs (so killing PID 1 ends everything), mounts, network (only a down loopback:
 * no network at all), System V IPC and hostname. No user namespace: the agent is real root and drops to a real
 * unprivileged uid, which keeps the host's uid checks meaningful. */
#include "agent.h"

#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define JAIL_HOSTNAME "sandbox"

pid_t ns_clone_jail(void)
{
    /* raw clone without a stack argument behaves like fork(): the child continues here on a copy of our memory */
    long flags = CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS | SIGCHLD;
    return (pid_t)syscall(SYS_clone, flags, NULL, NULL, NULL, 0L);
}

int ns_setup_uts(const char **step)
{
    *step = "sethostname";
    return sethostname(JAIL_HOSTNAME, strlen(JAIL_HOSTNAME));
}
