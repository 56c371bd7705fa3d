/* Which workers run user code right now (inflight.h): one flag per worker in memory the serve loop shares with its
 * workers, so that a ping answered by any worker counts the runs of all of them. */
#include "inflight.h"

#include <stddef.h>
#include <stdint.h>
#include <sys/mman.h>

struct inflight {
    int workers;
    volatile uint8_t running[];
};

struct inflight *inflight_create(int workers)
{
    size_t size = sizeof(struct inflight) + (size_t)workers;
    struct inflight *f = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (f == MAP_FAILED)
        return NULL;
    f->workers = workers;
    return f;
}

void inflight_set(struct inflight *f, int worker_index, bool running)
{
    f->running[worker_index] = running ? 1 : 0;
}

int inflight_count(const struct inflight *f)
{
    int n = 0;
    for (int i = 0; i < f->workers; i++)
        n += f->running[i];
    return n;
}
