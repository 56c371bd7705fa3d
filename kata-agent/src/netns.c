/* A jail's network namespace is its slot's, not its own. A new namespace per run is costly to make and costlier to
 * take down (the kernel does that later, in a worker: every per-network subsystem's tables), and a run leaves nothing
 * in one that outlives its processes: it has no capability there (it cannot raise the loopback, add an address, a
 * route, a firewall rule or change a sysctl), the seccomp filter allows only AF_UNIX sockets, and those, with their
 * abstract names, go with the last process that holds them. The slot's next run starts only after every process of
 * the previous one is gone (the slot is released after PID 1 has exited and the cgroups are removed; a jail left
 * behind by a killed agent keeps its cgroups, and the next holder then fails to create them instead of running
 * beside it). Runs that overlap hold different slots, hence different namespaces.
 *
 * The namespace is kept by a bind mount of its nsfs file at KA_STATE_DIR/netns/<slot>, in the agent's mount
 * namespace; the slot's lock holder alone creates or replaces it. */
#include "netns.h"

#include "contract.h"
#include "fdio.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/nsfs.h>
#include <sched.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#define NETNS_DIR KA_STATE_DIR "/netns"

/* a namespace file, or a plain file (never mounted, or its mount is gone after a reboot of /run): only the former */
static int open_namespace(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd >= 0 && ioctl(fd, NS_GET_NSTYPE) != CLONE_NEWNET) {
        close(fd);
        fd = -1;
    }
    return fd;
}

/* A child unshares the network and pins its namespace on `path`; the parent's own namespace is untouched. */
static int create_namespace(const char *path, struct ka_error *e)
{
    (void)umount2(path, MNT_DETACH | UMOUNT_NOFOLLOW); /* whatever is there is not a network namespace */
    int fd = open(path, O_RDONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0400);
    if (fd < 0)
        return error_setf(e, "netns: create %s", path);
    close(fd);
    pid_t pid = fork();
    if (pid == 0)
        _exit(unshare(CLONE_NEWNET) == 0 && mount("/proc/self/ns/net", path, NULL, MS_BIND, NULL) == 0 ? 0 : 1);
    int status;
    if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return error_setf(e, "netns: make the network namespace of %s", path);
    return 0;
}

int netns_open_slot(int slot, struct ka_error *e)
{
    char path[64];
    if (fdio_mkdir(NETNS_DIR, 0700) < 0)
        return error_set(e, "netns: mkdir " NETNS_DIR);
    snprintf(path, sizeof path, NETNS_DIR "/%d", slot);
    int fd = open_namespace(path);
    if (fd < 0 && create_namespace(path, e) == 0 && (fd = open_namespace(path)) < 0)
        error_setf(e, "netns: %s is not a network namespace", path);
    return fd;
}
