/* cgroup v1, one group per controller per run: /sys/fs/cgroup/<controller>/kata-agent/slot-<n>.
 * memory: limit (and memsw = limit, so no swap), peak = memory.max_usage_in_bytes, OOM kills = oom_control.oom_kill;
 * cpu: CFS quota per 100 ms period; cpuacct: CPU time of the whole tree; pids: pids.max for the whole tree.
 * A warm member's runtime warms up in memory/kata-agent/slot-<n>-warmup, a sibling: a child's charges would count
 * in the run's group. */
#include "cgroup_impl.h"

#include "cgroup_dir.h"

#include "contract.h"
#include "error.h"
#include "fdio.h"
#include "request.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CG_ROOT "/sys/fs/cgroup"
#define CG_PARENT "kata-agent"

static const char *const controller_names[CG1_NCTL] = {"memory", "cpu", "cpuacct", "pids"};

/* The runs' parent group in every hierarchy: CG_PARENT, or $KA_CGROUP_PARENT (a relative path whose groups exist),
 * which lets a benchmark account a second agent's runs apart from the first one's. */
static const char *runs_parent(void)
{
    const char *p = getenv("KA_CGROUP_PARENT");
    return p && *p && p[0] != '/' && !strstr(p, "..") ? p : CG_PARENT;
}

static int cg_write(const struct cg_v1 *cg, enum cg1_controller c, const char *file, long long value,
                    struct ka_error *e)
{
    char path[192], text[32];
    snprintf(path, sizeof path, "%s/%s", cg->path[c], file);
    snprintf(text, sizeof text, "%lld", value);
    if (fdio_write_file(path, text) < 0)
        return error_setf(e, "cgroup: write %s: %s", path, strerror(errno));
    return 0;
}

static long long cg_read_ll(const struct cg_v1 *cg, enum cg1_controller c, const char *file)
{
    char path[192], text[64];
    snprintf(path, sizeof path, "%s/%s", cg->path[c], file);
    if (fdio_read_file(path, text, sizeof text) < 0)
        return -1;
    return strtoll(text, NULL, 10);
}

/* cpu and cpuacct are often co-mounted (cpu,cpuacct); then both names lead to one directory, created once. */
static bool same_hierarchy(enum cg1_controller a, enum cg1_controller b)
{
    char pa[64], pb[64];
    struct stat sa, sb;
    snprintf(pa, sizeof pa, CG_ROOT "/%s", controller_names[a]);
    snprintf(pb, sizeof pb, CG_ROOT "/%s", controller_names[b]);
    return stat(pa, &sa) == 0 && stat(pb, &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

static void slot_path(struct cg_v1 *cg, enum cg1_controller c, int slot)
{
    snprintf(cg->path[c], sizeof cg->path[c], CG_ROOT "/%s/%s/slot-%d", controller_names[c], runs_parent(), slot);
}

/* after slot_path's memory group */
static void warmup_path(struct cg_v1 *cg)
{
    snprintf(cg->warmup_path, sizeof cg->warmup_path, "%.100s-warmup", cg->path[CG1_MEMORY]);
}

static int fresh_dir(const char *path, struct ka_error *e)
{
    if (mkdir(path, 0755) < 0) {
        if (errno != EEXIST)
            return error_setf(e, "cgroup: mkdir %s: %s", path, strerror(errno));
        /* left behind by an agent that died mid-run: its old counters (peak, oom_kill) must not leak into ours */
        cg_remove_dir(path);
        if (mkdir(path, 0755) < 0)
            return error_setf(e, "cgroup: mkdir %s: %s", path, strerror(errno));
    }
    return 0;
}

static int cg_make_dir(struct cg_v1 *cg, enum cg1_controller c, int slot, struct ka_error *e)
{
    char parent[96];
    snprintf(parent, sizeof parent, CG_ROOT "/%s/%s", controller_names[c], runs_parent());
    if (mkdir(parent, 0755) < 0 && errno != EEXIST)
        return error_setf(e, "cgroup: mkdir %s: %s", parent, strerror(errno));
    slot_path(cg, c, slot);
    if (fresh_dir(cg->path[c], e) < 0)
        return -1;
    cg->created[c] = true;
    return 0;
}

/* memory.limit_in_bytes, and memsw (memory + swap) equal to it: the group can never use swap */
static int set_memory_limit(const struct cg_v1 *cg, const char *dir, long long bytes, struct ka_error *e)
{
    char path[192], text[32];
    snprintf(text, sizeof text, "%lld", bytes);
    snprintf(path, sizeof path, "%s/memory.limit_in_bytes", dir);
    if (fdio_write_file(path, text) < 0)
        return error_setf(e, "cgroup: write %s: %s", path, strerror(errno));
    snprintf(path, sizeof path, "%s/memory.memsw.limit_in_bytes", dir);
    if (cg->has_memsw && fdio_write_file(path, text) < 0)
        return error_setf(e, "cgroup: write %s: %s", path, strerror(errno));
    return 0;
}

int cg1_create(struct cg_v1 *cg, int slot, const struct run_limits *limits, struct ka_error *e)
{
    memset(cg, 0, sizeof *cg);
    for (int c = 0; c < CG1_NCTL; c++) {
        if (c == CG1_CPUACCT && same_hierarchy(CG1_CPU, CG1_CPUACCT)) {
            cg->shared_with_prev[c] = true;
            snprintf(cg->path[c], sizeof cg->path[c], "%s", cg->path[CG1_CPU]);
            continue;
        }
        if (cg_make_dir(cg, c, slot, e) < 0)
            return -1;
    }
    char memsw[192];
    snprintf(memsw, sizeof memsw, "%s/memory.memsw.limit_in_bytes", cg->path[CG1_MEMORY]);
    cg->has_memsw = access(memsw, F_OK) == 0;
    if (set_memory_limit(cg, cg->path[CG1_MEMORY], limits->mem_limit_bytes, e) < 0)
        return -1;
    if (cg_write(cg, CG1_CPU, "cpu.cfs_period_us", KA_CPU_PERIOD_US, e) < 0 ||
        cg_write(cg, CG1_CPU, "cpu.cfs_quota_us", limits->cpu_quota_us, e) < 0 ||
        cg_write(cg, CG1_PIDS, "pids.max", limits->pids_limit, e) < 0)
        return -1;
    return 0;
}

/* Called by the jail's PID 1 for itself, while it is still single-threaded. Writing "0" (= the calling thread) to
 * `tasks` lets the kernel skip the global threadgroup lock that a write of another pid to cgroup.procs takes, and
 * that lock waits for an RCU grace period, milliseconds per run. */
int cg1_enter_self(const struct cg_v1 *cg, const char **step)
{
    for (int c = 0; c < CG1_NCTL; c++) {
        if (cg->shared_with_prev[c] || c == CG1_MEMORY)
            continue;
        char path[192];
        snprintf(path, sizeof path, "%s/tasks", cg->path[c]);
        if (fdio_write_file(path, "0") < 0) {
            *step = "join the run's cgroups";
            return -1;
        }
    }
    return 0;
}

int cg1_create_warmup(struct cg_v1 *cg, long long mem_limit_bytes, struct ka_error *e)
{
    warmup_path(cg);
    if (fresh_dir(cg->warmup_path, e) < 0)
        return -1;
    cg->warmup_created = true;
    /* the run's group takes no charges with the processes moved into it (its own default, made explicit) */
    char move_charge[192];
    snprintf(move_charge, sizeof move_charge, "%s/memory.move_charge_at_immigrate", cg->path[CG1_MEMORY]);
    if (access(move_charge, F_OK) == 0 && cg_write(cg, CG1_MEMORY, "memory.move_charge_at_immigrate", 0, e) < 0)
        return -1;
    return set_memory_limit(cg, cg->warmup_path, mem_limit_bytes, e);
}

int cg1_move_warmup_into_run(const struct cg_v1 *cg, struct ka_error *e)
{
    if (cg->warmup_created && cg_move_processes(cg->warmup_path, cg->path[CG1_MEMORY]) < 0)
        return error_setf(e, "cgroup: move %s into %s: %s", cg->warmup_path, cg->path[CG1_MEMORY], strerror(errno));
    return 0;
}

int cg1_open_memory_tasks(const struct cg_v1 *cg)
{
    char path[192];
    snprintf(path, sizeof path, "%s/tasks", cg->warmup_created ? cg->warmup_path : cg->path[CG1_MEMORY]);
    return open(path, O_WRONLY | O_CLOEXEC);
}

int cg1_set_cpu_quota(const struct cg_v1 *cg, long cpu_quota_us, struct ka_error *e)
{
    return cg_write(cg, CG1_CPU, "cpu.cfs_quota_us", cpu_quota_us, e);
}

int cg1_set_cpu_shares(const struct cg_v1 *cg, long shares, struct ka_error *e)
{
    return cg_write(cg, CG1_CPU, "cpu.shares", shares, e);
}

/* A pool member's warm-up is not the run's: writing 0 makes memory.max_usage_in_bytes start again from the current
 * usage (the loaded runtime stays in the peak, as it is in the run's memory) and cpuacct.usage from zero. */
int cg1_reset_usage(const struct cg_v1 *cg, struct ka_error *e)
{
    if (cg_write(cg, CG1_MEMORY, "memory.max_usage_in_bytes", 0, e) < 0)
        return -1;
    return cg_write(cg, CG1_CPUACCT, "cpuacct.usage", 0, e);
}

long long cg1_peak_memory_bytes(const struct cg_v1 *cg)
{
    return cg_read_ll(cg, CG1_MEMORY, "memory.max_usage_in_bytes");
}

long cg1_oom_kills(const struct cg_v1 *cg)
{
    char path[192], text[256];
    snprintf(path, sizeof path, "%s/memory.oom_control", cg->path[CG1_MEMORY]);
    if (fdio_read_file(path, text, sizeof text) < 0)
        return 0;
    const char *p = strstr(text, "oom_kill ");
    return p == NULL ? 0 : strtol(p + strlen("oom_kill "), NULL, 10);
}

long long cg1_cpu_time_ns(const struct cg_v1 *cg)
{
    return cg_read_ll(cg, CG1_CPUACCT, "cpuacct.usage");
}

/* For a slot whose lock the caller holds: removes whatever groups a dead agent left for it. */
void cg1_remove_slot(int slot)
{
    struct cg_v1 cg;
    memset(&cg, 0, sizeof cg);
    for (int c = 0; c < CG1_NCTL; c++) {
        slot_path(&cg, c, slot);
        cg.created[c] = access(cg.path[c], F_OK) == 0;
    }
    warmup_path(&cg);
    cg.warmup_created = access(cg.warmup_path, F_OK) == 0;
    cg1_destroy(&cg);
}

/* Page cache still charged to a memory group ("cache" in its memory.stat), in bytes. */
static long long page_cache_bytes(const char *dir)
{
    char path[192], text[4096];
    snprintf(path, sizeof path, "%s/memory.stat", dir);
    if (fdio_read_file(path, text, sizeof text) < 0)
        return 0;
    for (char *line = text; line != NULL; line = strchr(line, '\n')) {
        line += *line == '\n';
        if (strncmp(line, "cache ", 6) == 0)
            return strtoll(line + 6, NULL, 10);
    }
    return 0;
}

/* A v1 memory group removed while page cache is still charged to it lingers in the kernel as a dying group until
 * those pages are reclaimed; one run per request would pile them up. So that cache is handed back first, but only
 * when there is some: force_empty also retries on the kernel memory it cannot reclaim (which is reparented anyway),
 * and that spinning costs CPU and wall time on every run. Most runs read only files already cached by earlier runs
 * and leave no cache charged. */
static void remove_memory_dir(const char *dir)
{
    if (page_cache_bytes(dir) > 0) {
        char path[192];
        snprintf(path, sizeof path, "%s/memory.force_empty", dir);
        (void)fdio_write_file(path, "0");
    }
    cg_remove_dir(dir);
}

void cg1_destroy(struct cg_v1 *cg)
{
    /* empty since the code's arrival (or since a warm-up that never took code ended), but charged with pages of the
     * runtime that the run went on using until its end */
    if (cg->warmup_created) {
        remove_memory_dir(cg->warmup_path);
        cg->warmup_created = false;
    }
    for (int c = CG1_NCTL - 1; c >= 0; c--) {
        if (!cg->created[c])
            continue;
        if (c == CG1_MEMORY)
            remove_memory_dir(cg->path[c]);
        else
            cg_remove_dir(cg->path[c]);
        cg->created[c] = false;
    }
}
