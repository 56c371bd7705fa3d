/* The run's working directory seen from its supervisor (workdir.h). The supervisor is root in the host's mount
 * namespace; the run's files must never be opened with that: a link a run leaves in its directory would then point
 * wherever it likes on the host. So every access is a helper's, a fork that enters the jail's mount namespace,
 * chroots into the working directory (nothing outside it can be named, not even by a link) and drops to the run's
 * uid before it touches a single entry. The run cannot reach the helper either: it lives in the host's PID
 * namespace, invisible to the jail's, and the run's seccomp filter denies ptrace. */
#include "workdir.h"

#include "clock.h"
#include "mount.h"
#include "privs.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <sys/pidfd.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* the helper's fixed descriptors */
enum { HELPER_MNTNS_FD = 3, HELPER_OUT_FD = 4 };

static int open_of_pid1(pid_t init_pid, int init_pidfd, const char *what, int flags)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/%s", (int)init_pid, what);
    int fd = open(path, flags);
    /* PID 1 still alive after the open: the pid was its own, not a reused one */
    if (fd >= 0 && pidfd_send_signal(init_pidfd, 0, NULL, 0) < 0) {
        close(fd);
        return -1;
    }
    return fd;
}

int workdir_hold(pid_t init_pid, int init_pidfd)
{
    return open_of_pid1(init_pid, init_pidfd, "ns/mnt", O_RDONLY | O_CLOEXEC);
}

int workdir_open(pid_t init_pid, int init_pidfd)
{
    return open_of_pid1(init_pid, init_pidfd, "root" MOUNT_WORKDIR, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
}

bool workdir_untouched(int workdir_fd)
{
    struct statfs fs;
    /* a tmpfs counts its inodes: the root alone is 1 (a file removed again is not counted) */
    return workdir_fd >= 0 && fstatfs(workdir_fd, &fs) == 0 && fs.f_files > 0 && fs.f_files - fs.f_ffree <= 1;
}

static void helper_main(uid_t uid, gid_t gid, bool with_out, int (*fn)(int out_fd, void *arg), void *arg)
    __attribute__((noreturn));
static void helper_main(uid_t uid, gid_t gid, bool with_out, int (*fn)(int out_fd, void *arg), void *arg)
{
    const char *step;
    /* nothing of the supervisor's (client connection, pipes, slot lock) stays open */
    close_range(with_out ? HELPER_OUT_FD + 1 : HELPER_MNTNS_FD + 1, ~0U, 0);
    if (setns(HELPER_MNTNS_FD, CLONE_NEWNS) < 0 || close(HELPER_MNTNS_FD) < 0)
        _exit(2);
    /* the jail's root is read-only and root's: MOUNT_WORKDIR in it is the working directory's mount point, which
     * the run cannot replace */
    if (chdir(MOUNT_WORKDIR) < 0 || chroot(".") < 0)
        _exit(2);
    if (privs_drop(uid, gid, &step) < 0)
        _exit(2);
    _exit(fn(with_out ? HELPER_OUT_FD : -1, arg) == 0 ? 0 : 1);
}

static int wait_helper(pid_t pid, int64_t timeout_ms)
{
    int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
    int64_t deadline = clock_now_ns() + timeout_ms * 1000000LL;
    struct pollfd p = {pidfd, POLLIN, 0};
    int n = 0;
    while (pidfd >= 0 && (n = poll(&p, 1, clock_ms_until(deadline))) < 0 && errno == EINTR)
        ;
    if (pidfd < 0 || n == 0)
        kill(pid, SIGKILL); /* a working directory too slow to walk: nothing of it */
    if (pidfd >= 0)
        close(pidfd);
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return -1;
    return n > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

int workdir_run_as(int mntns_fd, uid_t uid, gid_t gid, int out_fd, int (*fn)(int out_fd, void *arg), void *arg,
                   int64_t timeout_ms)
{
    if (mntns_fd < 0)
        return -1;
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        /* to the helper's fixed numbers (either may sit on the other's number: through a free one above) */
        int ns = fcntl(mntns_fd, F_DUPFD, 10), out = out_fd >= 0 ? fcntl(out_fd, F_DUPFD, 10) : -1;
        if (ns < 0 || dup2(ns, HELPER_MNTNS_FD) < 0 || (out_fd >= 0 && (out < 0 || dup2(out, HELPER_OUT_FD) < 0)))
            _exit(2);
        helper_main(uid, gid, out_fd >= 0, fn, arg);
    }
    return wait_helper(pid, timeout_ms);
}
