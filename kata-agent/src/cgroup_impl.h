/* The two cgroup versions behind cgroup.h: cgroup.c picks one per agent and calls its functions. */
#ifndef KA_CGROUP_IMPL_H
#define KA_CGROUP_IMPL_H

#include "cgroup.h"

int cg1_create(struct cg_v1 *cg, int slot, const struct run_limits *limits, struct ka_error *e);
int cg1_enter_self(const struct cg_v1 *cg, const char **step);
int cg1_create_warmup(struct cg_v1 *cg, long long mem_limit_bytes, struct ka_error *e);
int cg1_move_warmup_into_run(const struct cg_v1 *cg, struct ka_error *e);
int cg1_open_memory_tasks(const struct cg_v1 *cg);
int cg1_set_cpu_quota(const struct cg_v1 *cg, long cpu_quota_us, struct ka_error *e);
int cg1_set_cpu_shares(const struct cg_v1 *cg, long shares, struct ka_error *e);
int cg1_reset_usage(const struct cg_v1 *cg, struct ka_error *e);
long long cg1_peak_memory_bytes(const struct cg_v1 *cg);
long cg1_oom_kills(const struct cg_v1 *cg);
long long cg1_cpu_time_ns(const struct cg_v1 *cg);
void cg1_destroy(struct cg_v1 *cg);
void cg1_remove_slot(int slot);

/* v2 needs a subtree of its own, found or made once (base_path receives it) */
int cg2_init(char *base_path, size_t size, char *reason, size_t reason_size, struct ka_error *e);
int cg2_create(struct cg_v2 *cg, const char *base, int slot, const struct run_limits *limits, struct ka_error *e);
int cg2_enter_self(const struct cg_v2 *cg, const char **step);
int cg2_create_warmup(struct cg_v2 *cg, long long mem_limit_bytes, struct ka_error *e);
int cg2_move_warmup_into_run(const struct cg_v2 *cg, struct ka_error *e);
int cg2_open_memory_tasks(const struct cg_v2 *cg);
int cg2_set_cpu_quota(const struct cg_v2 *cg, long cpu_quota_us, struct ka_error *e);
int cg2_set_cpu_shares(const struct cg_v2 *cg, long shares, struct ka_error *e);
int cg2_reset_usage(struct cg_v2 *cg, struct ka_error *e);
long long cg2_peak_memory_bytes(const struct cg_v2 *cg);
long cg2_oom_kills(const struct cg_v2 *cg);
long long cg2_cpu_time_ns(const struct cg_v2 *cg);
void cg2_destroy(struct cg_v2 *cg);
void cg2_remove_slot(const char *base, int slot);

#endif
