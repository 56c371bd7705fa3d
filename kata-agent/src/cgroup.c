/* Which cgroup version a run's limits use, chosen once per agent by what the host mounts at /sys/fs/cgroup:
 *   cgroup2 there (unified, every current distribution)          v2 (cgroup_v2.c), in a subtree the agent owns
 *   v1 hierarchies there, memory among them (legacy or hybrid,  v1 (cgroup_v1.c): in a hybrid layout the v2 tree
 *   where /sys/fs/cgroup/unified is a v2 tree without           (/sys/fs/cgroup/unified) has no controllers to use
 *   controllers)
 * Each run's struct cgroup names its version itself, so the processes that only receive it (the jail's PID 1, the
 * warm Python template) need no set-up of their own. */
#include "cgroup.h"

#include "cgroup_impl.h"
#include "fdio.h"

#include <errno.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statfs.h>
#include <unistd.h>

#define CG_MOUNT "/sys/fs/cgroup"

static enum cg_mode mode;
static char mode_reason[256];
static char v2_base[128];

static bool is_fs(const char *path, long magic)
{
    struct statfs st;
    return statfs(path, &st) == 0 && (long)st.f_type == magic;
}

int cg_init(struct ka_error *e)
{
    if (mode != CG_MODE_NONE)
        return 0;
    if (is_fs(CG_MOUNT, CGROUP2_SUPER_MAGIC)) {
        char where[200];
        if (cg2_init(v2_base, sizeof v2_base, where, sizeof where, e) < 0)
            return -1;
        snprintf(mode_reason, sizeof mode_reason, "%s is cgroup2 (unified hierarchy); %s", CG_MOUNT, where);
        mode = CG_MODE_V2;
        return 0;
    }
    if (is_fs(CG_MOUNT "/memory", CGROUP_SUPER_MAGIC)) {
        snprintf(mode_reason, sizeof mode_reason, "%s",
                 is_fs(CG_MOUNT "/unified", CGROUP2_SUPER_MAGIC)
                     ? "hybrid layout: the controllers are on v1 hierarchies (" CG_MOUNT "/unified is a v2 tree "
                       "without them)"
                     : "legacy layout: v1 hierarchies under " CG_MOUNT);
        mode = CG_MODE_V1;
        return 0;
    }
    return error_setf(e, "cgroup: %s is neither cgroup2 nor v1 hierarchies with a memory controller", CG_MOUNT);
}

enum cg_mode cg_mode(void)
{
    return mode;
}

const char *cg_mode_name(void)
{
    return mode == CG_MODE_V2 ? "v2" : mode == CG_MODE_V1 ? "v1" : "none";
}

const char *cg_mode_reason(void)
{
    return mode == CG_MODE_NONE ? "not set up" : mode_reason;
}

bool cg_feature_present(const char *file)
{
    /* the root group lacks most files: the agent's own subtree shows what the kernel offers a run's group */
    char path[192];
    snprintf(path, sizeof path, "%s/%s", v2_base, file);
    return mode == CG_MODE_V2 && access(path, F_OK) == 0;
}

int cg_create(struct cgroup *cg, int slot, const struct run_limits *limits, struct ka_error *e)
{
    memset(cg, 0, sizeof *cg);
    cg->mode = mode;
    if (mode == CG_MODE_V2)
        return cg2_create(&cg->v2, v2_base, slot, limits, e);
    if (mode == CG_MODE_V1)
        return cg1_create(&cg->v1, slot, limits, e);
    return error_set(e, "cgroup: not set up (cg_init)");
}

int cg_enter_self(const struct cgroup *cg, const char **step)
{
    return cg->mode == CG_MODE_V2 ? cg2_enter_self(&cg->v2, step) : cg1_enter_self(&cg->v1, step);
}

int cg_create_warmup(struct cgroup *cg, long long mem_limit_bytes, struct ka_error *e)
{
    return cg->mode == CG_MODE_V2 ? cg2_create_warmup(&cg->v2, mem_limit_bytes, e)
                                  : cg1_create_warmup(&cg->v1, mem_limit_bytes, e);
}

int cg_move_warmup_into_run(const struct cgroup *cg, struct ka_error *e)
{
    return cg->mode == CG_MODE_V2 ? cg2_move_warmup_into_run(&cg->v2, e) : cg1_move_warmup_into_run(&cg->v1, e);
}

int cg_open_memory_tasks(const struct cgroup *cg)
{
    return cg->mode == CG_MODE_V2 ? cg2_open_memory_tasks(&cg->v2) : cg1_open_memory_tasks(&cg->v1);
}

int cg_set_cpu_quota(const struct cgroup *cg, long cpu_quota_us, struct ka_error *e)
{
    return cg->mode == CG_MODE_V2 ? cg2_set_cpu_quota(&cg->v2, cpu_quota_us, e)
                                  : cg1_set_cpu_quota(&cg->v1, cpu_quota_us, e);
}

int cg_set_cpu_shares(const struct cgroup *cg, long shares, struct ka_error *e)
{
    return cg->mode == CG_MODE_V2 ? cg2_set_cpu_shares(&cg->v2, shares, e) : cg1_set_cpu_shares(&cg->v1, shares, e);
}

int cg_reset_usage(struct cgroup *cg, struct ka_error *e)
{
    return cg->mode == CG_MODE_V2 ? cg2_reset_usage(&cg->v2, e) : cg1_reset_usage(&cg->v1, e);
}

long long cg_peak_memory_bytes(const struct cgroup *cg)
{
    return cg->mode == CG_MODE_V2 ? cg2_peak_memory_bytes(&cg->v2) : cg1_peak_memory_bytes(&cg->v1);
}

long cg_oom_kills(const struct cgroup *cg)
{
    return cg->mode == CG_MODE_V2 ? cg2_oom_kills(&cg->v2) : cg1_oom_kills(&cg->v1);
}

long long cg_cpu_time_ns(const struct cgroup *cg)
{
    return cg->mode == CG_MODE_V2 ? cg2_cpu_time_ns(&cg->v2) : cg1_cpu_time_ns(&cg->v1);
}

void cg_destroy(struct cgroup *cg)
{
    if (cg->mode == CG_MODE_V2)
        cg2_destroy(&cg->v2);
    else if (cg->mode == CG_MODE_V1)
        cg1_destroy(&cg->v1);
}

void cg_remove_slot(int slot)
{
    if (mode == CG_MODE_V2)
        cg2_remove_slot(v2_base, slot);
    else if (mode == CG_MODE_V1)
        cg1_remove_slot(slot);
}
