/* cgroup.c: a run's cgroups, on whichever cgroup version the host mounts (cgroup_v1.c, cgroup_v2.c). */
#ifndef KA_CGROUP_H
#define KA_CGROUP_H

#include "error.h"
#include "request.h"

enum cg_mode { CG_MODE_NONE, CG_MODE_V1, CG_MODE_V2 };

/* v1: one group per controller per run */
enum cg1_controller { CG1_MEMORY, CG1_CPU, CG1_CPUACCT, CG1_PIDS, CG1_NCTL };
struct cg_v1 {
    char path[CG1_NCTL][128];
    bool created[CG1_NCTL];
    bool shared_with_prev[CG1_NCTL]; /* co-mounted hierarchy (cpu,cpuacct): same directory as the one before */
    bool has_memsw;
    char warmup_path[128]; /* a warm member's warm-up memory group (cg_create_warmup): a sibling of the run's */
    bool warmup_created;
};

/* v2: the run's group (cpu, pids) with two leaves, PID 1's and the memory-limited one of the main process; a warm
 * member's main process warms up in a third (cg_create_warmup) */
enum cg2_group { CG2_SLOT, CG2_INIT, CG2_RUN, CG2_WARMUP, CG2_NGROUPS };
struct cg_v2 {
    char path[CG2_NGROUPS][128];
    bool created[CG2_NGROUPS];
    long long cpu_base_usec; /* cpu.stat usage_usec when the run's usage started (warm runs: at the code's arrival) */
    int peak_fd; /* the run group's memory.peak once reset for this run (kernels from 6.12), else -1 */
};

/* Plain data: copied into the jail's PID 1 and sent to the warm Python template as bytes. */
struct cgroup {
    enum cg_mode mode;
    union {
        struct cg_v1 v1;
        struct cg_v2 v2;
    };
};

/* Once per agent, before any run: finds which version the host mounts and, on v2, sets up the agent's subtree. */
int cg_init(struct ka_error *e);
enum cg_mode cg_mode(void);
const char *cg_mode_name(void); /* "v1" or "v2" */
const char *cg_mode_reason(void); /* why that one, for --check and the ping */
/* v2: whether the kernel offers FILE (memory.peak, cgroup.kill, ...) in the agent's subtree */
bool cg_feature_present(const char *file);

int cg_create(struct cgroup *cg, int slot, const struct run_limits *limits, struct ka_error *e);
/* Joins every limit but memory: PID 1 stays out of the run's memory group, so that its OOM killer can only ever
 * pick the snippet's processes (whatever they do to their oom_score_adj). */
int cg_enter_self(const struct cgroup *cg, const char **step);
/* A warm member's runtime loads its libraries in a memory group of its own, bounded like the run's, so that none of
 * that is charged to the run: the main process joins it instead of the run's memory group. The kernel never moves
 * charges with a process (v2; v1 only with memory.move_charge_at_immigrate, which the agent keeps at 0), so once
 * cg_move_warmup_into_run has moved every process of it into the run's empty memory group, the run's usage, peak
 * and limit count only what is allocated from then on. The group goes with the others (cg_destroy). */
int cg_create_warmup(struct cgroup *cg, long long mem_limit_bytes, struct ka_error *e); /* before the jail starts */
int cg_move_warmup_into_run(const struct cgroup *cg, struct ka_error *e); /* none created: nothing to do */
/* The memory group's membership file, open for the main process to join it ("0") once forked; -1 on failure. */
int cg_open_memory_tasks(const struct cgroup *cg);
int cg_set_cpu_quota(const struct cgroup *cg, long cpu_quota_us, struct ka_error *e); /* -1 = unlimited */
int cg_set_cpu_shares(const struct cgroup *cg, long shares, struct ka_error *e); /* v1 CFS shares, 1024 by default */
int cg_reset_usage(struct cgroup *cg, struct ka_error *e); /* peak memory and CPU time start again */
long long cg_peak_memory_bytes(const struct cgroup *cg);
long cg_oom_kills(const struct cgroup *cg);
long long cg_cpu_time_ns(const struct cgroup *cg);
void cg_destroy(struct cgroup *cg);
void cg_remove_slot(int slot);

#endif
