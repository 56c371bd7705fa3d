/* cgroup.c: cgroup v1 memory, cpu, cpuacct and pids for one run. */
#ifndef KA_CGROUP_H
#define KA_CGROUP_H

#include "error.h"
#include "request.h"

enum cg_controller { CG_MEMORY, CG_CPU, CG_CPUACCT, CG_PIDS, CG_NCTL };
struct cgroup {
    char path[CG_NCTL][128];
    bool created[CG_NCTL];
    bool shared_with_prev[CG_NCTL]; /* co-mounted hierarchy (cpu,cpuacct): same directory as the one before */
    bool has_memsw;
};
int cg_create(struct cgroup *cg, int slot, const struct run_limits *limits, struct ka_error *e);
/* Joins every controller but memory: PID 1 stays out of the run's memory group, so that its OOM killer can only
 * ever pick the snippet's processes (whatever they do to their oom_score_adj). */
int cg_enter_self(const struct cgroup *cg, const char **step);
/* The memory group's tasks file, open for the main process to join it ("0") once forked; -1 on failure. */
int cg_open_memory_tasks(const struct cgroup *cg);
int cg_set_cpu_quota(const struct cgroup *cg, long cpu_quota_us, struct ka_error *e); /* -1 = unlimited */
int cg_set_cpu_shares(const struct cgroup *cg, long shares, struct ka_error *e); /* CFS weight, 1024 by default */
int cg_reset_usage(const struct cgroup *cg, struct ka_error *e); /* peak memory and CPU time start again */
long long cg_peak_memory_bytes(const struct cgroup *cg);
long cg_oom_kills(const struct cgroup *cg);
long long cg_cpu_time_ns(const struct cgroup *cg);
void cg_destroy(struct cgroup *cg);
void cg_remove_slot(int slot);

#endif
