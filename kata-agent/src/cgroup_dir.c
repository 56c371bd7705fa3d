/* Removing a run's cgroup directory and moving processes between groups, on either cgroup version (cgroup_dir.h). */
#include "cgroup_dir.h"

#include "fdio.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Removes one group. Anything still in it (possible only in a group left by an agent that died mid-run; the slot
 * lock proves nobody else uses it) is killed first, since a group with members cannot be removed. */
void cg_remove_dir(const char *dir)
{
    char procs[192], buf[4096];
    snprintf(procs, sizeof procs, "%s/cgroup.procs", dir);
    for (int attempt = 0; attempt < 50; attempt++) {
        if (rmdir(dir) == 0 || errno == ENOENT)
            return;
        int n = fdio_read_file(procs, buf, sizeof buf);
        if (n <= 0) {
            usleep(2000);
            continue;
        }
        for (char *line = strtok(buf, "\n"); line != NULL; line = strtok(NULL, "\n"))
            kill((pid_t)atoi(line), SIGKILL);
        usleep(2000);
    }
}

/* Enough for what a group being emptied can gain meanwhile: only a process forking in the middle of the move. */
#define MOVE_ROUNDS 20

int cg_move_processes(const char *from, const char *to)
{
    char from_procs[192], to_procs[192], buf[4096];
    snprintf(from_procs, sizeof from_procs, "%s/cgroup.procs", from);
    snprintf(to_procs, sizeof to_procs, "%s/cgroup.procs", to);
    for (int round = 0; round < MOVE_ROUNDS; round++) {
        int n = fdio_read_file(from_procs, buf, sizeof buf);
        if (n < 0)
            return -1;
        if (n == 0)
            return 0;
        for (char *line = strtok(buf, "\n"); line != NULL; line = strtok(NULL, "\n"))
            /* ESRCH: it exited meanwhile, which empties FROM as well */
            if (fdio_write_file(to_procs, line) < 0 && errno != ESRCH)
                return -1;
    }
    errno = EBUSY;
    return -1;
}
