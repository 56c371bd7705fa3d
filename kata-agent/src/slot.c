/* Run slots. A slot names a run's uid (KA_UID_BASE + index) and its cgroups, so two concurrent runs never share
 * either, across every agent process on the host (serve and CLI alike). A slot is held by an flock on its lock
 * file: the kernel drops it when the holder dies, so a crashed run never leaks its slot. */
#include "slot.h"

#include "cgroup.h"
#include "contract.h"
#include "error.h"
#include "fdio.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#define SLOT_DIR KA_STATE_DIR "/slots"

static int ensure_dirs(void)
{
    /* the state dir may also hold the service's socket, so it stays traversable; the slots are root's only */
    return fdio_mkdir(KA_STATE_DIR, 0755) < 0 || fdio_mkdir(SLOT_DIR, 0700) < 0 ? -1 : 0;
}

static int open_lock(int index, int flags)
{
    char path[64];
    snprintf(path, sizeof path, SLOT_DIR "/%d.lock", index);
    return open(path, O_RDWR | O_CLOEXEC | O_NOFOLLOW | flags, 0600);
}

int slot_acquire(struct slot *s, struct ka_error *e)
{
    if (ensure_dirs() < 0)
        return error_set(e, "slot: mkdir " SLOT_DIR);
    /* start at a pid-derived index so concurrent agents rarely contend for the same lock */
    int start = (int)(getpid() % KA_SLOT_COUNT);
    for (int i = 0; i < KA_SLOT_COUNT; i++) {
        int index = (start + i) % KA_SLOT_COUNT;
        int fd = open_lock(index, O_CREAT);
        if (fd < 0)
            return error_set(e, "slot: open lock file");
        if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
            s->index = index;
            s->lock_fd = fd;
            return 0;
        }
        close(fd);
    }
    return error_setf(e, "slot: all %d run slots are busy", KA_SLOT_COUNT);
}

/* Removes what agents killed mid-run (SIGKILL, a crash: no chance to clean up) left behind: the cgroups of every
 * slot nobody holds. Called when serve starts and when one of its workers dies by a signal. */
void slot_sweep(void)
{
    for (int index = 0; index < KA_SLOT_COUNT; index++) {
        int fd = open_lock(index, 0);
        if (fd < 0)
            continue; /* never used on this host */
        if (flock(fd, LOCK_EX | LOCK_NB) == 0)
            cg_remove_slot(index);
        close(fd);
    }
}

void slot_release(struct slot *s)
{
    if (s->lock_fd >= 0)
        close(s->lock_fd);
    s->lock_fd = -1;
}
