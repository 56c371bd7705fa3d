/* cgroup v2: one subtree the agent owns, one group per run with two leaves.
 *
 *   BASE                    the agent's subtree: /sys/fs/cgroup/kata-agent when the agent runs in the root group
 *                           (a VM's init, a container's own namespace), else the group it was started in, which must
 *                           be delegated to it (systemd Delegate=yes): it moves itself to BASE/supervisor, because a
 *                           group that hands controllers down may hold no processes itself
 *   BASE/slot-N             the run: cpu.max (quota per 100 ms period), cpu.weight, pids.max for the whole jail;
 *                           CPU time from its cpu.stat
 *   BASE/slot-N/init        the jail's PID 1 (and the reaper it execs): outside the memory limit, as on v1
 *   BASE/slot-N/run         the main process and all it starts: memory.max, memory.swap.max 0, peak from
 *                           memory.peak, OOM kills from memory.events
 *   BASE/slot-N/warmup      a warm member's main process while its runtime loads (memory.max as run's), moved
 *                           into run when the code arrives: its charges stay here, out of the run's
 *
 * Processes only ever sit in leaves (init, run, supervisor). Teardown writes cgroup.kill where the kernel has it. */
#include "cgroup_impl.h"

#include "cgroup_dir.h"

#include "contract.h"
#include "fdio.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CG_MOUNT "/sys/fs/cgroup"
#define CG_CONTROLLERS "+memory +cpu +pids"
#define SUPERVISOR_LEAF "supervisor"

static const char *const group_names[CG2_NGROUPS] = {NULL, "init", "run", "warmup"};

static int write_text(const char *dir, const char *file, const char *text, struct ka_error *e)
{
    char path[192];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    if (fdio_write_file(path, text) < 0)
        return error_setf(e, "cgroup: write \"%s\" to %s: %s", text, path, strerror(errno));
    return 0;
}

static int write_ll(const char *dir, const char *file, long long value, struct ka_error *e)
{
    char text[32];
    snprintf(text, sizeof text, "%lld", value);
    return write_text(dir, file, text, e);
}

static long long read_ll(const char *dir, const char *file)
{
    char path[192], text[64];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    if (fdio_read_file(path, text, sizeof text) < 0)
        return -1;
    return strtoll(text, NULL, 10);
}

/* The value of KEY in a flat-keyed file ("key value" lines: cpu.stat, memory.events); -1 when absent. */
static long long read_key(const char *dir, const char *file, const char *key)
{
    char path[192], text[1024];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    if (fdio_read_file(path, text, sizeof text) < 0)
        return -1;
    size_t klen = strlen(key);
    for (char *line = text; line != NULL; line = strchr(line, '\n')) {
        line += *line == '\n';
        if (strncmp(line, key, klen) == 0 && line[klen] == ' ')
            return strtoll(line + klen + 1, NULL, 10);
    }
    return -1;
}

static bool file_exists(const char *dir, const char *file)
{
    char path[192];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    return access(path, F_OK) == 0;
}

/* The group this process is in, from its "0::PATH" line. */
static int own_group(char *path, size_t size, struct ka_error *e)
{
    char text[1024];
    if (fdio_read_file("/proc/self/cgroup", text, sizeof text) < 0)
        return error_setf(e, "cgroup: read /proc/self/cgroup: %s", strerror(errno));
    const char *p = strstr(text, "0::");
    if (p == NULL || (p != text && p[-1] != '\n'))
        return error_set(e, "cgroup: /proc/self/cgroup has no cgroup2 entry");
    p += 3;
    size_t n = strcspn(p, "\n");
    if (n >= size)
        return error_set(e, "cgroup: own group path too long");
    memcpy(path, p, n);
    path[n] = '\0';
    return 0;
}

/* Hands the three controllers down from DIR; says what DIR offers when it cannot. */
static int enable_controllers(const char *dir, struct ka_error *e)
{
    if (write_text(dir, "cgroup.subtree_control", CG_CONTROLLERS, e) == 0)
        return 0;
    char path[192], offered[256] = "";
    snprintf(path, sizeof path, "%s/cgroup.controllers", dir);
    (void)fdio_read_file(path, offered, sizeof offered);
    offered[strcspn(offered, "\n")] = '\0';
    return error_setf(e,
                      "cgroup: cannot enable %s below %s (it offers \"%s\"): the agent's group must be delegated "
                      "to it with those controllers (systemd: Delegate=yes)",
                      CG_CONTROLLERS, dir, offered);
}

int cg2_init(char *base_path, size_t size, char *reason, size_t reason_size, struct ka_error *e)
{
    char own[128];
    if (own_group(own, sizeof own, e) < 0)
        return -1;
    if (strcmp(own, "/") == 0) {
        /* the root group may hold processes and hand controllers down at once */
        snprintf(base_path, size, CG_MOUNT "/kata-agent");
        snprintf(reason, reason_size, "the agent is in the root group: runs go under %s", base_path);
        if (enable_controllers(CG_MOUNT, e) < 0)
            return -1;
        if (mkdir(base_path, 0755) < 0 && errno != EEXIST)
            return error_setf(e, "cgroup: mkdir %s: %s", base_path, strerror(errno));
        return enable_controllers(base_path, e);
    }
    /* a second agent started from the first one's leaf shares its subtree */
    char *leaf = strrchr(own, '/');
    if (strcmp(leaf + 1, SUPERVISOR_LEAF) == 0)
        *leaf = '\0';
    if ((size_t)snprintf(base_path, size, CG_MOUNT "%s", own) >= size)
        return error_set(e, "cgroup: own group path too long");
    snprintf(reason, reason_size, "the agent's group %s is delegated to it: it moved itself to %s/" SUPERVISOR_LEAF,
             own, own);
    char supervisor[192];
    snprintf(supervisor, sizeof supervisor, "%s/" SUPERVISOR_LEAF, base_path);
    if (mkdir(supervisor, 0755) < 0 && errno != EEXIST)
        return error_setf(e, "cgroup: mkdir %s: %s", supervisor, strerror(errno));
    if (write_text(supervisor, "cgroup.procs", "0", e) < 0)
        return -1;
    return enable_controllers(base_path, e);
}

static void group_paths(struct cg_v2 *cg, const char *base, int slot)
{
    snprintf(cg->path[CG2_SLOT], sizeof cg->path[CG2_SLOT], "%s/slot-%d", base, slot);
    for (int g = CG2_INIT; g < CG2_NGROUPS; g++)
        snprintf(cg->path[g], sizeof cg->path[g], "%s/slot-%d/%s", base, slot, group_names[g]);
}

static int make_group(struct cg_v2 *cg, enum cg2_group g, struct ka_error *e)
{
    if (mkdir(cg->path[g], 0755) < 0)
        return error_setf(e, "cgroup: mkdir %s: %s", cg->path[g], strerror(errno));
    cg->created[g] = true;
    return 0;
}

/* memory.max, and no swap (memory.swap.max is absent when the kernel does no swap accounting; then there is no swap
 * for a group to use either way) */
static int set_memory_limit(const char *dir, long long bytes, struct ka_error *e)
{
    if (write_ll(dir, "memory.max", bytes, e) < 0)
        return -1;
    return file_exists(dir, "memory.swap.max") ? write_ll(dir, "memory.swap.max", 0, e) : 0;
}

int cg2_create(struct cg_v2 *cg, const char *base, int slot, const struct run_limits *limits, struct ka_error *e)
{
    cg->peak_fd = -1;
    group_paths(cg, base, slot);
    /* left behind by an agent that died mid-run: its old counters (peak, oom_kill) must not leak into ours */
    if (access(cg->path[CG2_SLOT], F_OK) == 0)
        cg2_remove_slot(base, slot);
    if (make_group(cg, CG2_SLOT, e) < 0 || write_text(cg->path[CG2_SLOT], "cgroup.subtree_control", "+memory", e) < 0)
        return -1;
    for (int g = CG2_INIT; g <= CG2_RUN; g++)
        if (make_group(cg, g, e) < 0)
            return -1;
    if (set_memory_limit(cg->path[CG2_RUN], limits->mem_limit_bytes, e) < 0)
        return -1;
    if (cg2_set_cpu_quota(cg, limits->cpu_quota_us, e) < 0 ||
        write_ll(cg->path[CG2_SLOT], "pids.max", limits->pids_limit, e) < 0)
        return -1;
    return 0;
}

int cg2_enter_self(const struct cg_v2 *cg, const char **step)
{
    char path[192];
    snprintf(path, sizeof path, "%s/cgroup.procs", cg->path[CG2_INIT]);
    if (fdio_write_file(path, "0") < 0) {
        *step = "join the run's cgroup";
        return -1;
    }
    return 0;
}

int cg2_create_warmup(struct cg_v2 *cg, long long mem_limit_bytes, struct ka_error *e)
{
    if (make_group(cg, CG2_WARMUP, e) < 0)
        return -1;
    return set_memory_limit(cg->path[CG2_WARMUP], mem_limit_bytes, e);
}

int cg2_move_warmup_into_run(const struct cg_v2 *cg, struct ka_error *e)
{
    if (cg->created[CG2_WARMUP] && cg_move_processes(cg->path[CG2_WARMUP], cg->path[CG2_RUN]) < 0)
        return error_setf(e, "cgroup: move %s into %s: %s", cg->path[CG2_WARMUP], cg->path[CG2_RUN], strerror(errno));
    return 0;
}

int cg2_open_memory_tasks(const struct cg_v2 *cg)
{
    char path[192];
    snprintf(path, sizeof path, "%s/cgroup.procs", cg->path[cg->created[CG2_WARMUP] ? CG2_WARMUP : CG2_RUN]);
    return open(path, O_WRONLY | O_CLOEXEC);
}

int cg2_set_cpu_quota(const struct cg_v2 *cg, long cpu_quota_us, struct ka_error *e)
{
    char text[48];
    if (cpu_quota_us < 0)
        snprintf(text, sizeof text, "max %ld", (long)KA_CPU_PERIOD_US);
    else
        snprintf(text, sizeof text, "%ld %ld", cpu_quota_us, (long)KA_CPU_PERIOD_US);
    return write_text(cg->path[CG2_SLOT], "cpu.max", text, e);
}

/* v1's shares (default 1024, range 2..262144) onto v2's weight (default 100, range 1..10000) */
int cg2_set_cpu_shares(const struct cg_v2 *cg, long shares, struct ka_error *e)
{
    long weight = shares * 100 / 1024;
    weight = weight < 1 ? 1 : weight > 10000 ? 10000 : weight;
    return write_ll(cg->path[CG2_SLOT], "cpu.weight", weight, e);
}

/* A pool member's warm-up is not the run's. cpu.stat cannot be reset: its usage now is the run's zero. memory.peak
 * can be reset (kernels from 6.12) only for reads through the descriptor that wrote to it, kept until the group
 * goes; older kernels report the peak since the warm-up began, which the loaded runtime dominates anyway. */
int cg2_reset_usage(struct cg_v2 *cg, struct ka_error *e)
{
    long long usec = read_key(cg->path[CG2_SLOT], "cpu.stat", "usage_usec");
    if (usec < 0)
        return error_setf(e, "cgroup: read %s/cpu.stat: %s", cg->path[CG2_SLOT], strerror(errno));
    cg->cpu_base_usec = usec;
    if (cg->peak_fd >= 0)
        close(cg->peak_fd);
    char path[192];
    snprintf(path, sizeof path, "%s/memory.peak", cg->path[CG2_RUN]);
    cg->peak_fd = open(path, O_RDWR | O_CLOEXEC);
    if (cg->peak_fd >= 0 && write(cg->peak_fd, "reset\n", 6) != 6) {
        close(cg->peak_fd);
        cg->peak_fd = -1;
    }
    return 0;
}

long long cg2_peak_memory_bytes(const struct cg_v2 *cg)
{
    const char *run = cg->path[CG2_RUN];
    if (cg->peak_fd >= 0) {
        char text[32];
        ssize_t n = pread(cg->peak_fd, text, sizeof text - 1, 0);
        if (n > 0) {
            text[n] = '\0';
            return strtoll(text, NULL, 10);
        }
    }
    long long peak = read_ll(run, "memory.peak");
    if (peak >= 0)
        return peak;
    /* kernels before 5.19 have no memory.peak: a group that hit its limit peaked at it; otherwise what is still
     * charged is all there is to report */
    if (read_key(run, "memory.events", "max") > 0)
        return read_ll(run, "memory.max");
    return read_ll(run, "memory.current");
}

long cg2_oom_kills(const struct cg_v2 *cg)
{
    long long n = read_key(cg->path[CG2_RUN], "memory.events", "oom_kill");
    return n > 0 ? (long)n : 0;
}

long long cg2_cpu_time_ns(const struct cg_v2 *cg)
{
    long long usec = read_key(cg->path[CG2_SLOT], "cpu.stat", "usage_usec");
    return usec < 0 ? -1 : (usec - cg->cpu_base_usec) * 1000;
}

void cg2_destroy(struct cg_v2 *cg)
{
    if (cg->peak_fd >= 0)
        close(cg->peak_fd);
    cg->peak_fd = -1;
    if (!cg->created[CG2_SLOT])
        return;
    /* normally empty by now (the jail's PID 1 is gone, and with it its namespace); one write ends anything a dead
     * agent left, where the kernel has cgroup.kill (5.14+), else cg_remove_dir kills by pid */
    struct ka_error ignored;
    if (file_exists(cg->path[CG2_SLOT], "cgroup.kill"))
        (void)write_text(cg->path[CG2_SLOT], "cgroup.kill", "1", &ignored);
    for (int g = CG2_NGROUPS - 1; g >= 0; g--) {
        if (!cg->created[g])
            continue;
        cg_remove_dir(cg->path[g]);
        cg->created[g] = false;
    }
}

void cg2_remove_slot(const char *base, int slot)
{
    struct cg_v2 cg;
    memset(&cg, 0, sizeof cg);
    cg.peak_fd = -1;
    group_paths(&cg, base, slot);
    for (int g = 0; g < CG2_NGROUPS; g++)
        cg.created[g] = access(cg.path[g], F_OK) == 0;
    cg2_destroy(&cg);
}
