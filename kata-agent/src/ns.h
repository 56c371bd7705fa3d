/* ns.c: the jail's namespaces, and PID 1 killed or waited for through its pidfd. */
#ifndef KA_NS_H
#define KA_NS_H

#include <sched.h>
#include <sys/types.h>

/* the network namespace is the slot's, which PID 1 joins (netns.c) */
#define NS_JAIL_FLAGS (CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWIPC | CLONE_NEWUTS)
/* fork-like: 0 in the child, which is PID 1 of new pid/mnt/ipc/uts namespaces; *pidfd refers to it */
pid_t ns_clone_jail(int *pidfd);
int ns_setup_uts(const char **step);
/* kill / wait for a jail through its PID 1's pidfd (PID 1 of a warm Python jail is the template's child) */
void jail_kill(int init_pidfd);
void jail_wait_gone(int init_pidfd);

#endif
