/* The jail's root filesystem, built by the jail's PID 1 inside its new mount namespace:
 *
 *   /            tmpfs, read-only once built (nosuid)
 *   /usr         read-only bind of the host's /usr (python3, its libraries, shared libraries)
 *   /bin /lib /lib64 /sbin   symlinks into /usr when the host has a merged /usr, read-only binds otherwise
 *   /etc         only passwd, group (the run's user), ld.so.cache and alternatives (library symlinks go there)
 *   /runtime/node  read-only bind of the Node runtime folder (JavaScript runs only)
 *   /proc        a fresh procfs of the jail's PID namespace (hidepid: other users' processes are invisible)
 *   /dev         null, zero, random, urandom, the fd symlinks and /dev/shm (tmpfs)
 *   /tmp /sandbox  writable size-capped tmpfs (the run's cwd and HOME is /sandbox)
 *
 * Nothing else of the host is reachable: no /home, /root, /var, /run, /sys, sockets, /etc/shadow, nor the agent.
 * The old root is detached after pivot_root, so no path leads back to it. */
#include "mount.h"

#include "contract.h"
#include "error.h"
#include "fdio.h"
#include "runtime.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>
#include <unistd.h>

#define STAGING KA_STATE_DIR "/root"
#define PROC_FLAGS (MS_NOSUID | MS_NODEV | MS_NOEXEC)
#define BIND_RO_FLAGS (MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV)

/* the failed step's name, copied: callers often pass a path built on their stack */
static char fail_step[96];

static int fail(const char *step)
{
    snprintf(fail_step, sizeof fail_step, "%s", step);
    return -1;
}

static int bind_ro(const char *src, const char *dst, const char *step)
{
    if (mount(src, dst, NULL, MS_BIND | MS_REC, NULL) < 0)
        return fail(step);
    /* a bind inherits the source's flags; read-only needs a second, remounting call */
    if (mount(NULL, dst, NULL, BIND_RO_FLAGS, NULL) < 0)
        return fail(step);
    return 0;
}

static int make_dir(const char *path)
{
    if (mkdir(path, 0755) < 0 && errno != EEXIST)
        return fail(path);
    return 0;
}

static int make_file(const char *path, const char *content)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0)
        return fail(path);
    int rc = fdio_write_all(fd, content, strlen(content));
    close(fd);
    return rc < 0 ? fail(path) : 0;
}

/* /bin, /lib, /lib64, /sbin: mirror the host (symlink into /usr on merged-/usr systems such as Debian 12). */
static int mirror_top_dir(const char *name)
{
    char host[32], jail[64], target[64];
    snprintf(host, sizeof host, "/%s", name);
    snprintf(jail, sizeof jail, STAGING "/%s", name);
    ssize_t n = readlink(host, target, sizeof target - 1);
    if (n > 0) {
        target[n] = '\0';
        return symlink(target, jail) < 0 ? fail(jail) : 0;
    }
    if (access(host, F_OK) < 0)
        return 0;
    if (make_dir(jail) < 0)
        return -1;
    return bind_ro(host, jail, jail);
}

static int build_etc(const struct mount_plan *plan)
{
    char passwd[160], group[128];
    snprintf(passwd, sizeof passwd,
             "root:x:0:0:root:/:/usr/sbin/nologin\nsandbox:x:%u:%u:sandbox:/sandbox:/usr/sbin/nologin\n",
             (unsigned)plan->uid, (unsigned)plan->gid);
    snprintf(group, sizeof group, "root:x:0:\nsandbox:x:%u:\n", (unsigned)plan->gid);
    if (make_dir(STAGING "/etc") < 0 || make_file(STAGING "/etc/passwd", passwd) < 0 ||
        make_file(STAGING "/etc/group", group) < 0)
        return -1;
    /* the dynamic linker's cache; without it libraries outside the default paths are not found */
    if (access("/etc/ld.so.cache", F_OK) == 0 &&
        (make_file(STAGING "/etc/ld.so.cache", "") < 0 ||
         bind_ro("/etc/ld.so.cache", STAGING "/etc/ld.so.cache", "bind /etc/ld.so.cache") < 0))
        return -1;
    /* Debian's BLAS/LAPACK (numpy) are symlinks through /etc/alternatives */
    if (access("/etc/alternatives", F_OK) == 0 &&
        (make_dir(STAGING "/etc/alternatives") < 0 ||
         bind_ro("/etc/alternatives", STAGING "/etc/alternatives", "bind /etc/alternatives") < 0))
        return -1;
    return 0;
}

static int make_dev(const char *name, unsigned major_nr, unsigned minor_nr)
{
    char path[64];
    snprintf(path, sizeof path, STAGING "/dev/%s", name);
    if (mknod(path, S_IFCHR | 0666, makedev(major_nr, minor_nr)) < 0)
        return fail(path);
    /* mknod is subject to the umask; the devices must be usable by the run's uid */
    return chmod(path, 0666) < 0 ? fail(path) : 0;
}

static int build_dev(void)
{
    static const char *const links[][2] = {{"/proc/self/fd", "fd"},
                                           {"/proc/self/fd/0", "stdin"},
                                           {"/proc/self/fd/1", "stdout"},
                                           {"/proc/self/fd/2", "stderr"}};
    if (make_dir(STAGING "/dev") < 0 || make_dev("null", 1, 3) < 0 || make_dev("zero", 1, 5) < 0 ||
        make_dev("random", 1, 8) < 0 || make_dev("urandom", 1, 9) < 0)
        return -1;
    for (size_t i = 0; i < sizeof links / sizeof links[0]; i++) {
        char path[64];
        snprintf(path, sizeof path, STAGING "/dev/%s", links[i][1]);
        if (symlink(links[i][0], path) < 0)
            return fail(path);
    }
    if (make_dir(STAGING "/dev/shm") < 0)
        return -1;
    if (mount("tmpfs", STAGING "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV, "size=64m,mode=1777") < 0)
        return fail("mount /dev/shm");
    return 0;
}

static int build_scratch(const struct mount_plan *plan)
{
    char opts[96];
    if (make_dir(STAGING "/tmp") < 0 || make_dir(STAGING "/sandbox") < 0)
        return -1;
    if (mount("tmpfs", STAGING "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, "size=64m,mode=1777") < 0)
        return fail("mount /tmp");
    snprintf(opts, sizeof opts, "size=64m,mode=0700,uid=%u,gid=%u", (unsigned)plan->uid, (unsigned)plan->gid);
    if (mount("tmpfs", STAGING "/sandbox", "tmpfs", MS_NOSUID | MS_NODEV, opts) < 0)
        return fail("mount /sandbox");
    return 0;
}

static int build_runtime(const struct mount_plan *plan)
{
    if (!plan->with_node_runtime)
        return 0;
    char host[4096];
    snprintf(host, sizeof host, "%s/node", runtime_dir());
    if (make_dir(STAGING "/runtime") < 0 || make_dir(STAGING JAIL_RUNTIME_DIR) < 0)
        return -1;
    return bind_ro(host, STAGING JAIL_RUNTIME_DIR, "bind the node runtime");
}

static int enter_root(void)
{
    /* the tmpfs skeleton itself becomes read-only; its submounts keep their own flags */
    if (mount(NULL, STAGING, NULL, MS_REMOUNT | MS_RDONLY | MS_NOSUID, NULL) < 0)
        return fail("remount / read-only");
    if (chdir(STAGING) < 0)
        return fail("chdir new root");
    /* pivot_root(".", ".") stacks the old root under the new one; detaching it leaves no way back */
    if (syscall(SYS_pivot_root, ".", ".") < 0)
        return fail("pivot_root");
    if (umount2(".", MNT_DETACH) < 0)
        return fail("detach old root");
    if (chdir("/sandbox") < 0)
        return fail("chdir /sandbox");
    return 0;
}

int mount_build_root(const struct mount_plan *plan, const char **step)
{
    static const char *const top_dirs[] = {"bin", "lib", "lib64", "sbin"};
    fail_step[0] = '\0';
    int rc = -1;
    /* nothing we mount may propagate back to the host's namespace */
    if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0) {
        fail("make mounts private");
        goto out;
    }
    if (mount("tmpfs", STAGING, "tmpfs", MS_NOSUID, "size=1m,nr_inodes=256,mode=0755") < 0) {
        fail("mount root tmpfs");
        goto out;
    }
    if (make_dir(STAGING "/usr") < 0 || bind_ro("/usr", STAGING "/usr", "bind /usr") < 0)
        goto out;
    for (size_t i = 0; i < sizeof top_dirs / sizeof top_dirs[0]; i++)
        if (mirror_top_dir(top_dirs[i]) < 0)
            goto out;
    if (build_etc(plan) < 0 || build_dev() < 0 || build_scratch(plan) < 0 || build_runtime(plan) < 0)
        goto out;
    if (make_dir(STAGING "/proc") < 0)
        goto out;
    /* procfs of the new PID namespace: only the jail's processes, and those of other uids (PID 1) hidden */
    if (mount("proc", STAGING "/proc", "proc", PROC_FLAGS, "hidepid=invisible") < 0) {
        fail("mount /proc");
        goto out;
    }
    rc = enter_root();
out:
    *step = fail_step;
    return rc;
}

int mount_prepare_staging(struct ka_error *e)
{
    /* each jail mounts its root here inside its own mount namespace; the host only ever sees an empty dir */
    if (fdio_mkdir(KA_STATE_DIR, 0755) < 0 || fdio_mkdir(STAGING, 0700) < 0)
        return error_set(e, "mkdir " STAGING);
    return 0;
}
