/* workdir.c: the run's working directory (/sandbox in its jail) as its supervisor reaches it: through the jail's
 * mount namespace, by a helper process that is the run's uid and nothing more. */
#ifndef KA_WORKDIR_H
#define KA_WORKDIR_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

/* The jail's mount namespace, held (an fd) from its start so the working directory outlives the jail's processes
 * until collected. init_pidfd confirms init_pid was still PID 1 when opened. -1 if PID 1 is already gone. */
int workdir_hold(pid_t init_pid, int init_pidfd);

/* The working directory's root, O_PATH, through PID 1's root while PID 1 is alive (init_pidfd confirms it after the
 * open), or -1: only for workdir_untouched, never to open anything under it. */
int workdir_open(pid_t init_pid, int init_pidfd);
/* The working directory holds nothing but its root (its tmpfs counts no other inode): nothing to collect. */
bool workdir_untouched(int workdir_fd);

/* Runs fn(out_fd, arg) in a forked helper: in the jail's mount namespace, chrooted to the working directory (its
 * cwd), the run's uid and gid, no capability, no_new_privs, holding only mntns_fd and out_fd. Killed after
 * timeout_ms. 0 if fn returned 0. */
int workdir_run_as(int mntns_fd, uid_t uid, gid_t gid, int out_fd, int (*fn)(int out_fd, void *arg), void *arg,
                   int64_t timeout_ms);

#endif
