/* One run, in the order the later warm-pool work can split up:
 *   setup jail      slot (uid, cgroup names), cgroups with limits, seccomp filter, pipes
 *   start runtime   clone PID 1 into new namespaces; it joins the cgroups, builds its root and execs the runtime
 *   hand code       the code travels in the runtime's argv; stdin is fed by the supervisor
 *   supervise       poll loop until everything in the jail is gone (supervise.c)
 *   collect result  peak memory, OOM kills and CPU time from the cgroups, then the status
 * Cleanup (cgroup removal, slot release) is separate so the caller can answer first and clean up after. */
#include "agent.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

enum { PIPE_STDIN, PIPE_STDOUT, PIPE_STDERR, PIPE_REPORT, PIPE_COUNT };

struct jail_pipes {
    int fd[PIPE_COUNT][2];
};

static void pipes_close_all(struct jail_pipes *p)
{
    for (int i = 0; i < PIPE_COUNT; i++)
        for (int j = 0; j < 2; j++)
            if (p->fd[i][j] >= 0) {
                close(p->fd[i][j]);
                p->fd[i][j] = -1;
            }
}

static int pipes_open(struct jail_pipes *p, struct ka_error *e)
{
    memset(p, -1, sizeof *p);
    for (int i = 0; i < PIPE_COUNT; i++)
        if (pipe2(p->fd[i], O_CLOEXEC) < 0) {
            pipes_close_all(p);
            return error_set(e, "pipe2");
        }
    /* stdin is fed from the poll loop, which must never block on a snippet that does not read */
    if (fcntl(p->fd[PIPE_STDIN][1], F_SETFL, O_NONBLOCK) < 0) {
        pipes_close_all(p);
        return error_set(e, "fcntl stdin pipe");
    }
    return 0;
}

static int setup_jail(const struct run_request *req, struct run_ctx *ctx, struct jail_pipes *pipes,
                      scmp_filter_ctx *filter, struct ka_error *e)
{
    if (slot_acquire(&ctx->slot, e) < 0)
        return -1;
    ctx->have_slot = true;
    if (mount_prepare_staging(e) < 0)
        return -1;
    ctx->have_cg = true; /* before cg_create: whatever part of it succeeded is removed by run_cleanup */
    if (cg_create(&ctx->cg, ctx->slot.index, &req->limits, e) < 0)
        return -1;
    if ((*filter = sc_build_filter(e)) == NULL)
        return -1;
    return pipes_open(pipes, e);
}

/* Returns PID 1's host pid, or -1 with the pipes closed. */
static pid_t start_runtime(const struct run_request *req, const struct run_ctx *ctx, struct jail_pipes *pipes,
                           scmp_filter_ctx filter, struct ka_error *e)
{
    struct init_plan plan;
    memset(&plan, 0, sizeof plan);
    plan.fds[JFD_STDIN] = pipes->fd[PIPE_STDIN][0];
    plan.fds[JFD_STDOUT] = pipes->fd[PIPE_STDOUT][1];
    plan.fds[JFD_STDERR] = pipes->fd[PIPE_STDERR][1];
    plan.fds[JFD_REPORT] = pipes->fd[PIPE_REPORT][1];
    plan.cgroup = ctx->cg;
    plan.mount.with_node_runtime = req->language == LANG_JAVASCRIPT;
    plan.mount.uid = (uid_t)(KA_UID_BASE + ctx->slot.index);
    plan.mount.gid = (gid_t)(KA_UID_BASE + ctx->slot.index);
    plan.limits = req->limits;
    plan.filter = filter;
    if (runtime_prepare(req, &plan.cmd) < 0) {
        error_set(e, "prepare runtime arguments");
        pipes_close_all(pipes);
        return -1;
    }

    pid_t pid = ns_clone_jail();
    if (pid == 0)
        init_main(&plan);
    runtime_release(&plan.cmd);
    if (pid < 0) {
        error_set(e, "clone namespaces");
        pipes_close_all(pipes);
        return -1;
    }
    /* the jail's ends belong to the jail now; holding them would keep its pipes from ever reaching EOF */
    for (int i = 0; i < JFD_COUNT; i++)
        close(plan.fds[i]);
    pipes->fd[PIPE_STDIN][0] = pipes->fd[PIPE_STDOUT][1] = pipes->fd[PIPE_STDERR][1] = -1;
    pipes->fd[PIPE_REPORT][1] = -1;
    return pid;
}

static void collect(const struct run_request *req, const struct run_ctx *ctx, struct supervision *sv,
                    struct run_result *r)
{
    long long peak = cg_peak_memory_bytes(&ctx->cg);
    long long cpu_ns = cg_cpu_time_ns(&ctx->cg);
    r->memory_usage_mb = peak > 0 ? (double)peak / (1024.0 * 1024.0) : 0.0;
    r->cpu_time_ms = cpu_ns > 0 ? (double)cpu_ns / 1e6 : 0.0;
    r->execution_time_ms = (double)(sv->end_ns - sv->start_ns) / 1e6;
    if (sv->infra_failed) {
        result_infra(r, sv->infra_msg);
        return;
    }
    sv->obs.oom_kills = cg_oom_kills(&ctx->cg);
    sv->obs.v8_heap_exhausted =
        sv->obs.exited && runtime_is_v8_heap_exhaustion(req, &r->err, sv->obs.wait_status);
    result_classify(r, &sv->obs);
}

void run_execute(const struct run_request *req, int abort_fd, struct run_ctx *ctx, struct run_result *r,
                 bool *aborted)
{
    struct ka_error e = {{0}};
    struct jail_pipes pipes;
    scmp_filter_ctx filter = NULL;
    memset(ctx, 0, sizeof *ctx);
    ctx->slot.lock_fd = -1;
    *aborted = false;
    memset(&pipes, -1, sizeof pipes);
    if (output_init(&r->out, (size_t)req->limits.output_limit_bytes) < 0 ||
        output_init(&r->err, (size_t)req->limits.output_limit_bytes) < 0) {
        result_infra(r, "malloc output buffers: out of memory");
        return;
    }
    if (setup_jail(req, ctx, &pipes, &filter, &e) < 0) {
        result_infra(r, e.msg);
        goto out;
    }
    pid_t init_pid = start_runtime(req, ctx, &pipes, filter, &e);
    if (init_pid < 0) {
        result_infra(r, e.msg);
        goto out;
    }
    struct supervision sv = {
        .init_pid = init_pid,
        .stdout_fd = pipes.fd[PIPE_STDOUT][0],
        .stderr_fd = pipes.fd[PIPE_STDERR][0],
        .report_fd = pipes.fd[PIPE_REPORT][0],
        .stdin_fd = pipes.fd[PIPE_STDIN][1],
        .abort_fd = abort_fd,
        .stdin_data = req->stdin_data,
        .stdin_bytes = req->stdin_bytes,
        .wall_limit_ms = req->limits.wall_limit_ms,
    };
    supervise_run(&sv, r); /* closes the pipe ends it was given */
    memset(&pipes, -1, sizeof pipes);
    /* PID 1 is our child and unreaped until here, so its pid cannot have been reused by the kill() calls */
    waitpid(init_pid, NULL, 0);
    *aborted = sv.aborted;
    collect(req, ctx, &sv, r);
out:
    pipes_close_all(&pipes);
    if (filter != NULL)
        seccomp_release(filter);
}

void run_cleanup(struct run_ctx *ctx)
{
    if (ctx->have_cg)
        cg_destroy(&ctx->cg);
    if (ctx->have_slot)
        slot_release(&ctx->slot);
    ctx->have_cg = ctx->have_slot = false;
}
