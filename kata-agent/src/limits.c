/* Resource limits of the user's process, inherited by everything it starts. The cgroups bound the whole tree;
 * these bound each process, and RLIMIT_NPROC also counts per uid, which is why each run has its own uid. */
#include "limits.h"

#include "request.h"

#include <sys/resource.h>

#define FILE_SIZE_LIMIT_BYTES (64L * 1024 * 1024)
#define OPEN_FILES_LIMIT 256

static int set_limit(int resource, rlim_t value)
{
    struct rlimit rl = {value, value};
    return setrlimit(resource, &rl);
}

int limits_apply(const struct run_limits *limits, const char **step)
{
    /* no core dumps: they would write the snippet's memory somewhere and take time */
    *step = "setrlimit(RLIMIT_CORE)";
    if (set_limit(RLIMIT_CORE, 0) < 0)
        return -1;
    /* no single file bigger than the tmpfs that could hold it */
    *step = "setrlimit(RLIMIT_FSIZE)";
    if (set_limit(RLIMIT_FSIZE, FILE_SIZE_LIMIT_BYTES) < 0)
        return -1;
    /* bounded descriptor table: runtimes need a few dozen */
    *step = "setrlimit(RLIMIT_NOFILE)";
    if (set_limit(RLIMIT_NOFILE, OPEN_FILES_LIMIT) < 0)
        return -1;
    /* a second fork-bomb fence beside pids.max, counted per (run-unique) uid */
    *step = "setrlimit(RLIMIT_NPROC)";
    if (set_limit(RLIMIT_NPROC, (rlim_t)limits->pids_limit) < 0)
        return -1;
    /* no locked memory: nothing in a snippet needs it, and it is not swappable */
    *step = "setrlimit(RLIMIT_MEMLOCK)";
    if (set_limit(RLIMIT_MEMLOCK, 0) < 0)
        return -1;
    /* no message queues: they are kernel memory outside the memory cgroup's view */
    *step = "setrlimit(RLIMIT_MSGQUEUE)";
    return set_limit(RLIMIT_MSGQUEUE, 0);
}
