/* One run, in the order the warm pool splits up:
 *   setup jail      slot (uid, cgroup names), cgroups with limits, seccomp filter, pipes
 *   start runtime   clone PID 1 into new namespaces; it joins the cgroups, builds its root and execs the runtime
 *   hand code       cold: the code travels in the runtime's argv; warm: over the code socket (JFD_CODE) once a
 *                   request arrives, after the run's CPU quota is set and its usage counters are reset
 *   supervise       poll loop until everything in the jail is gone (supervise.c); stdin is fed by the supervisor
 *   collect result  peak memory, OOM kills and CPU time from the cgroups, then the status
 * A warm pool member (warm/warm_jail.c) does the first two at warm-up with these same steps, and the rest per
 * request.
 * Cleanup (the rest of the jail's teardown, reaping PID 1, cgroup removal, slot release) is separate so the caller
 * can answer first and clean up after. */
#include "run.h"

#include "cgroup.h"
#include "mount.h"
#include "ns.h"
#include "netns.h"
#include "outfiles.h"
#include "runtime.h"
#include "seccomp.h"
#include "slot.h"
#include "supervise.h"
#include "workdir.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

void run_pipes_close(struct jail_pipes *p)
{
    for (int i = 0; i < PIPE_COUNT; i++)
        for (int j = 0; j < 2; j++)
            if (p->fd[i][j] >= 0) {
                close(p->fd[i][j]);
                p->fd[i][j] = -1;
            }
}

static int pipes_open(struct jail_pipes *p, bool warm, struct ka_error *e)
{
    memset(p, -1, sizeof *p);
    for (int i = 0; i < PIPE_CODE; i++)
        if (pipe2(p->fd[i], O_CLOEXEC) < 0) {
            run_pipes_close(p);
            return error_set(e, "pipe2");
        }
    if (warm && socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, p->fd[PIPE_CODE]) < 0) {
        run_pipes_close(p);
        return error_set(e, "socketpair code");
    }
    /* stdin is fed from the poll loop, which must never block on a snippet that does not read; the output is
     * drained without waiting once the run has ended (supervise.c) */
    if (fcntl(p->fd[PIPE_STDIN][1], F_SETFL, O_NONBLOCK) < 0 || fcntl(p->fd[PIPE_STDOUT][0], F_SETFL, O_NONBLOCK) < 0 ||
        fcntl(p->fd[PIPE_STDERR][0], F_SETFL, O_NONBLOCK) < 0) {
        run_pipes_close(p);
        return error_set(e, "fcntl pipes");
    }
    return 0;
}

/* filter NULL: the jail's seccomp filter is someone else's (the Python template builds its own, once) */
int run_setup_jail(const struct run_limits *limits, bool warm, struct run_ctx *ctx, struct jail_pipes *pipes,
                   scmp_filter_ctx *filter, struct ka_error *e)
{
    /* a pool member's slot and namespace come from the serve loop (netns.c); a cold run takes its own */
    if (!ctx->have_slot && slot_acquire(&ctx->slot, e) < 0)
        return -1;
    ctx->have_slot = true;
    if (mount_prepare_staging(e) < 0)
        return -1;
    ctx->have_cg = true; /* before cg_create: whatever part of it succeeded is removed by run_cleanup */
    if (cg_create(&ctx->cg, ctx->slot.index, limits, e) < 0)
        return -1;
    if (ctx->netns_fd < 0 && (ctx->netns_fd = netns_create(e)) < 0)
        return -1;
    if (filter != NULL && (*filter = sc_build_filter(e)) == NULL)
        return -1;
    return pipes_open(pipes, warm, e);
}

void run_jail_ends(const struct jail_pipes *pipes, int fds[JFD_COUNT])
{
    fds[JFD_STDIN] = pipes->fd[PIPE_STDIN][0];
    fds[JFD_STDOUT] = pipes->fd[PIPE_STDOUT][1];
    fds[JFD_STDERR] = pipes->fd[PIPE_STDERR][1];
    fds[JFD_REPORT] = pipes->fd[PIPE_REPORT][1];
    fds[JFD_CODE] = pipes->fd[PIPE_CODE][1];
}

/* The jail's ends belong to the jail once it is started; holding them would keep its pipes from ever reaching EOF. */
void run_close_jail_ends(struct jail_pipes *pipes)
{
    int fds[JFD_COUNT];
    run_jail_ends(pipes, fds);
    for (int i = 0; i < JFD_COUNT; i++)
        if (fds[i] >= 0)
            close(fds[i]);
    pipes->fd[PIPE_STDIN][0] = pipes->fd[PIPE_STDOUT][1] = pipes->fd[PIPE_STDERR][1] = -1;
    pipes->fd[PIPE_REPORT][1] = pipes->fd[PIPE_CODE][1] = -1;
}

struct mount_plan run_mount_plan(enum language language, const struct run_ctx *ctx)
{
    return (struct mount_plan){.with_node_runtime = language == LANG_JAVASCRIPT,
                               .uid = (uid_t)(KA_UID_BASE + ctx->slot.index),
                               .gid = (gid_t)(KA_UID_BASE + ctx->slot.index)};
}

/* Sets ctx->init_pidfd to PID 1's; -1 with the pipes closed. */
int run_start_runtime(const struct run_request *req, const struct run_limits *limits, struct run_ctx *ctx,
                      struct jail_pipes *pipes, scmp_filter_ctx filter, struct runtime_cmd *cmd, struct ka_error *e)
{
    enum language language = req != NULL ? req->language : LANG_JAVASCRIPT;
    struct init_plan plan;
    memset(&plan, 0, sizeof plan);
    if (req != NULL) {
        plan.files = req->files;
        plan.n_files = req->n_files;
    }
    run_jail_ends(pipes, plan.fds);
    plan.reaper_fd = -1;
    plan.netns_fd = ctx->netns_fd;
    plan.cgroup = ctx->cg;
    plan.mount = run_mount_plan(language, ctx);
    plan.limits = *limits;
    plan.filter = filter;
    plan.cmd = *cmd;

    pid_t pid = ns_clone_jail(&ctx->init_pidfd);
    if (pid == 0)
        init_main(&plan);
    ctx->init_pid = pid;
    runtime_release(cmd);
    if (pid < 0) {
        error_set(e, "clone namespaces");
        run_pipes_close(pipes);
        return -1;
    }
    ctx->mntns_fd = workdir_hold(pid, ctx->init_pidfd);
    run_close_jail_ends(pipes);
    return 0;
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
    sv->obs.v8_heap_exhausted = sv->obs.exited && runtime_is_v8_heap_exhaustion(req, &r->err, sv->obs.wait_status);
    result_classify(r, &sv->obs);
}

/* ,"files":[],"filesTruncated":false and the separators between files */
#define RESPONSE_FILES_KEYS_BYTES 128

/* Whatever the program's status, its files are taken before the jail's tmpfs goes (run_cleanup). */
static void collect_files(const struct run_request *req, const struct run_ctx *ctx, int workdir_fd,
                          struct run_result *r)
{
    if (r->status == ST_INFRA_ERROR || ctx->mntns_fd < 0)
        return;
    /* the common case costs one fstatfs instead of a helper process */
    if (req->n_files == 0 && workdir_untouched(workdir_fd))
        return;
    /* the response frame holds the files besides everything else (KA_MAX_FRAME_BYTES, as a request's) */
    char *rest = result_to_json(r);
    size_t used = (rest != NULL ? strlen(rest) : 0) + RESPONSE_FILES_KEYS_BYTES;
    free(rest);
    size_t room = used < (size_t)KA_MAX_FRAME_BYTES ? (size_t)KA_MAX_FRAME_BYTES - used : 0;
    struct mount_plan ids = run_mount_plan(req->language, ctx);
    if (outfiles_collect(ctx->mntns_fd, ids.uid, ids.gid, req, room, r) < 0)
        r->files_truncated = true; /* whatever was there, none of it could be returned */
}

void run_supervise_and_collect(const struct run_request *req, const struct run_ctx *ctx, struct supervision *sv,
                               struct run_result *r, bool *aborted)
{
    sv->stdin_data = req->stdin_data;
    sv->stdin_bytes = req->stdin_bytes;
    sv->wall_limit_ms = req->limits.wall_limit_ms;
    sv->cgroup = &ctx->cg;
    r->files_asked = req->extended;
    struct stream_sink stream;
    if (req->stream && sv->abort_fd >= 0) {
        stream_init(&stream, sv->abort_fd);
        sv->stream = &stream;
    }
    supervise_run(sv, r); /* closes the pipe ends it was given */
    sv->stream = NULL;
    *aborted = sv->aborted;
    collect(req, ctx, sv, r);
    if (!*aborted)
        collect_files(req, ctx, sv->workdir_fd, r);
    if (sv->workdir_fd >= 0)
        close(sv->workdir_fd);
    sv->workdir_fd = -1;
}

int run_init_outputs(const struct run_request *req, struct run_result *r)
{
    if (output_init(&r->out, (size_t)req->limits.output_limit_bytes) == 0 &&
        output_init(&r->err, (size_t)req->limits.output_limit_bytes) == 0)
        return 0;
    result_infra(r, "malloc output buffers: out of memory");
    return -1;
}

void run_execute(const struct run_request *req, int abort_fd, struct run_ctx *ctx, struct run_result *r, bool *aborted)
{
    struct ka_error e = {{0}};
    struct jail_pipes pipes;
    struct runtime_cmd cmd;
    scmp_filter_ctx filter = NULL;
    memset(ctx, 0, sizeof *ctx);
    ctx->slot.lock_fd = ctx->init_pidfd = ctx->netns_fd = ctx->mntns_fd = -1;
    *aborted = false;
    memset(&pipes, -1, sizeof pipes);
    if (run_init_outputs(req, r) < 0)
        return;
    if (run_setup_jail(&req->limits, false, ctx, &pipes, &filter, &e) < 0) {
        result_infra(r, e.msg);
        goto out;
    }
    if (runtime_prepare(req, &cmd) < 0) {
        result_infra(r, "prepare runtime arguments: out of memory");
        goto out;
    }
    if (run_start_runtime(req, &req->limits, ctx, &pipes, filter, &cmd, &e) < 0) {
        result_infra(r, e.msg);
        goto out;
    }
    struct supervision sv = {
        .init_pidfd = ctx->init_pidfd,
        .init_pid = ctx->init_pid,
        .workdir_fd = -1,
        .stdout_fd = pipes.fd[PIPE_STDOUT][0],
        .stderr_fd = pipes.fd[PIPE_STDERR][0],
        .report_fd = pipes.fd[PIPE_REPORT][0],
        .stdin_fd = pipes.fd[PIPE_STDIN][1],
        .abort_fd = abort_fd,
        .lifeline_fd = -1,
        .end_claim_fd = -1,
    };
    memset(&pipes, -1, sizeof pipes);
    run_supervise_and_collect(req, ctx, &sv, r, aborted);
out:
    run_pipes_close(&pipes);
    if (filter != NULL)
        seccomp_release(filter);
}

void run_cleanup(struct run_ctx *ctx)
{
    if (ctx->init_pidfd >= 0) {
        /* a jail that ended by itself is already going; the kill ends one that did not */
        jail_kill(ctx->init_pidfd);
        jail_wait_gone(ctx->init_pidfd);
        close(ctx->init_pidfd);
        ctx->init_pidfd = -1;
    }
    if (ctx->mntns_fd >= 0) {
        close(ctx->mntns_fd);
        ctx->mntns_fd = -1;
    }
    if (ctx->netns_fd >= 0) {
        close(ctx->netns_fd);
        ctx->netns_fd = -1;
    }
    if (ctx->have_cg)
        cg_destroy(&ctx->cg);
    if (ctx->have_slot)
        slot_release(&ctx->slot);
    ctx->have_cg = ctx->have_slot = false;
}
