/* A pool member's jail joins a network namespace the serve loop keeps for the member's run slot, instead of a new
 * one per run: a new network namespace is costly to make and costlier to take down (the kernel does that later, in a
 * worker: every per-network subsystem's tables), and a run leaves nothing in one that outlives its processes. It has
 * no capability there (it cannot raise the loopback, add an address, a route, a firewall rule or change a sysctl),
 * the seccomp filter allows only AF_UNIX sockets, and those, with their abstract names, go with the last process that
 * holds them. The loop takes the slot before it forks the member, so the slot's namespace has one user at a time,
 * and the slot is free again only after every process of its previous run is gone (released after PID 1 has exited
 * and the cgroups are removed; a jail left behind by a killed member keeps its cgroups, and the slot's next member
 * then fails to create them instead of running beside it). Runs that overlap hold different slots, hence different
 * namespaces. The namespaces are held by descriptors only: nothing is mounted on the host, and they go with the loop.
 * Cold runs, which have no such keeper, get a new namespace each. */
#include "netns.h"

#include "contract.h"

#include <fcntl.h>
#include <sched.h>
#include <stdbool.h>
#include <unistd.h>

int netns_create(struct ka_error *e)
{
    int own = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
    if (own < 0)
        return error_set(e, "netns: open our own network namespace");
    int fd = -1;
    if (unshare(CLONE_NEWNET) < 0)
        error_set(e, "netns: unshare a network namespace");
    else if ((fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC)) < 0)
        error_set(e, "netns: open the new network namespace");
    /* back where we were, whatever happened: a process left in the new namespace would make its sockets there */
    if (setns(own, CLONE_NEWNET) < 0) {
        error_set(e, "netns: return to our own network namespace");
        if (fd >= 0)
            close(fd);
        fd = -1;
    }
    close(own);
    return fd;
}

static struct {
    bool made;
    int fd;
} kept[KA_SLOT_COUNT];

int netns_of_slot(int slot, struct ka_error *e)
{
    if (slot < 0 || slot >= KA_SLOT_COUNT)
        return error_setf(e, "netns: no slot %d", slot);
    if (!kept[slot].made) {
        if ((kept[slot].fd = netns_create(e)) < 0)
            return -1;
        kept[slot].made = true;
    }
    return kept[slot].fd;
}
