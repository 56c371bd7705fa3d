/* One run, in the order the warm pool splits up:
 *   setup jail      slot (uid, cgroup names), cgroups with limits, seccomp filter, pipes
 *   start runtime   clone PID 1 into new namespaces; it joins the cgroups, builds its root and execs the runtime
 *   hand code       cold: the code travels in the runtime's argv; warm: over the code socket (JFD_CODE) once a
 *                   request arrives, after the run's CPU quota is set and its usage counters are reset
 *   supervise       poll loop until everything in the jail is gone (supervise.c); stdin is fed by the supervisor
 *   collect result  peak memory, OOM kills and CPU time from the cgroups, then the status
 * A pool member (pool.c) does the first two at warm-up, with the CPU quota lifted, and the rest per request.
 * Cleanup (the rest of the jail's teardown, reaping PID 1, cgroup removal, slot release) is separate so the caller
 * can answer first and clean up after. */
#include "agent.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <poll.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

/* A pool member's warm-up (imports) must end within this, or the member is given up. */
#define WARM_UP_TIMEOUT_MS 60000
/* CFS weights: a member warming up yields the CPU to runs (a Node member's ~2 s of start-up otherwise took a core
 * from the run beside it: console.log(1) 7.9 ms through the agent instead of ~3); its run gets the usual weight. */
enum { WARM_UP_CPU_SHARES = 2, RUN_CPU_SHARES = 1024 };

/* PIPE_CODE is a socketpair, opened only for pool members */
enum { PIPE_STDIN, PIPE_STDOUT, PIPE_STDERR, PIPE_REPORT, PIPE_CODE, PIPE_COUNT };

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

static int pipes_open(struct jail_pipes *p, bool warm, struct ka_error *e)
{
    memset(p, -1, sizeof *p);
    for (int i = 0; i < PIPE_CODE; i++)
        if (pipe2(p->fd[i], O_CLOEXEC) < 0) {
            pipes_close_all(p);
            return error_set(e, "pipe2");
        }
    if (warm && socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, p->fd[PIPE_CODE]) < 0) {
        pipes_close_all(p);
        return error_set(e, "socketpair code");
    }
    /* stdin is fed from the poll loop, which must never block on a snippet that does not read; the output is
     * drained without waiting once the run has ended (supervise.c) */
    if (fcntl(p->fd[PIPE_STDIN][1], F_SETFL, O_NONBLOCK) < 0 || fcntl(p->fd[PIPE_STDOUT][0], F_SETFL, O_NONBLOCK) < 0 ||
        fcntl(p->fd[PIPE_STDERR][0], F_SETFL, O_NONBLOCK) < 0) {
        pipes_close_all(p);
        return error_set(e, "fcntl pipes");
    }
    return 0;
}

/* filter NULL: the jail's seccomp filter is someone else's (the Python template builds its own, once) */
static int setup_jail(const struct run_limits *limits, bool warm, struct run_ctx *ctx, struct jail_pipes *pipes,
                      scmp_filter_ctx *filter, struct ka_error *e)
{
    if (slot_acquire(&ctx->slot, e) < 0)
        return -1;
    ctx->have_slot = true;
    if (mount_prepare_staging(e) < 0)
        return -1;
    ctx->have_cg = true; /* before cg_create: whatever part of it succeeded is removed by run_cleanup */
    if (cg_create(&ctx->cg, ctx->slot.index, limits, e) < 0)
        return -1;
    if (filter != NULL && (*filter = sc_build_filter(e)) == NULL)
        return -1;
    return pipes_open(pipes, warm, e);
}

static void jail_ends(const struct jail_pipes *pipes, int fds[JFD_COUNT])
{
    fds[JFD_STDIN] = pipes->fd[PIPE_STDIN][0];
    fds[JFD_STDOUT] = pipes->fd[PIPE_STDOUT][1];
    fds[JFD_STDERR] = pipes->fd[PIPE_STDERR][1];
    fds[JFD_REPORT] = pipes->fd[PIPE_REPORT][1];
    fds[JFD_CODE] = pipes->fd[PIPE_CODE][1];
}

/* The jail's ends belong to the jail once it is started; holding them would keep its pipes from ever reaching EOF. */
static void close_jail_ends(struct jail_pipes *pipes)
{
    int fds[JFD_COUNT];
    jail_ends(pipes, fds);
    for (int i = 0; i < JFD_COUNT; i++)
        if (fds[i] >= 0)
            close(fds[i]);
    pipes->fd[PIPE_STDIN][0] = pipes->fd[PIPE_STDOUT][1] = pipes->fd[PIPE_STDERR][1] = -1;
    pipes->fd[PIPE_REPORT][1] = pipes->fd[PIPE_CODE][1] = -1;
}

static struct mount_plan mount_plan_for(enum language language, const struct run_ctx *ctx)
{
    return (struct mount_plan){.with_node_runtime = language == LANG_JAVASCRIPT,
                               .uid = (uid_t)(KA_UID_BASE + ctx->slot.index),
                               .gid = (gid_t)(KA_UID_BASE + ctx->slot.index)};
}

/* Sets ctx->init_pidfd to PID 1's; -1 with the pipes closed. */
static int start_runtime(enum language language, const struct run_limits *limits, struct run_ctx *ctx,
                         struct jail_pipes *pipes, scmp_filter_ctx filter, struct runtime_cmd *cmd,
                         struct ka_error *e)
{
    struct init_plan plan;
    memset(&plan, 0, sizeof plan);
    jail_ends(pipes, plan.fds);
    plan.reaper_fd = -1;
    plan.cgroup = ctx->cg;
    plan.mount = mount_plan_for(language, ctx);
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
        pipes_close_all(pipes);
        return -1;
    }
    close_jail_ends(pipes);
    return 0;
}

/* A warm Python jail: the template clones its PID 1, which forks the main process from the template's memory. */
static int start_in_template(const struct run_limits *limits, struct run_ctx *ctx, struct jail_pipes *pipes,
                             struct ka_error *e)
{
    struct zygote_jail z = {.cgroup = ctx->cg, .mount = mount_plan_for(LANG_PYTHON, ctx), .limits = *limits};
    int fds[JFD_COUNT];
    jail_ends(pipes, fds);
    int rc = zygote_start_jail(pool_template_channel(), &z, fds, &ctx->init_pidfd, &ctx->init_pid, e);
    close_jail_ends(pipes);
    return rc;
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

static void supervise_and_collect(const struct run_request *req, const struct run_ctx *ctx, struct supervision *sv,
                                  struct run_result *r, bool *aborted)
{
    sv->stdin_data = req->stdin_data;
    sv->stdin_bytes = req->stdin_bytes;
    sv->wall_limit_ms = req->limits.wall_limit_ms;
    sv->cgroup = &ctx->cg;
    supervise_run(sv, r); /* closes the pipe ends it was given */
    *aborted = sv->aborted;
    collect(req, ctx, sv, r);
}

static int init_outputs(const struct run_request *req, struct run_result *r)
{
    if (output_init(&r->out, (size_t)req->limits.output_limit_bytes) == 0 &&
        output_init(&r->err, (size_t)req->limits.output_limit_bytes) == 0)
        return 0;
    result_infra(r, "malloc output buffers: out of memory");
    return -1;
}

void run_execute(const struct run_request *req, int abort_fd, struct run_ctx *ctx, struct run_result *r,
                 bool *aborted)
{
    struct ka_error e = {{0}};
    struct jail_pipes pipes;
    struct runtime_cmd cmd;
    scmp_filter_ctx filter = NULL;
    memset(ctx, 0, sizeof *ctx);
    ctx->slot.lock_fd = ctx->init_pidfd = -1;
    *aborted = false;
    memset(&pipes, -1, sizeof pipes);
    if (init_outputs(req, r) < 0)
        return;
    if (setup_jail(&req->limits, false, ctx, &pipes, &filter, &e) < 0) {
        result_infra(r, e.msg);
        goto out;
    }
    if (runtime_prepare(req, &cmd) < 0) {
        result_infra(r, "prepare runtime arguments: out of memory");
        goto out;
    }
    if (start_runtime(req->language, &req->limits, ctx, &pipes, filter, &cmd, &e) < 0) {
        result_infra(r, e.msg);
        goto out;
    }
    struct supervision sv = {
        .init_pidfd = ctx->init_pidfd,
        .stdout_fd = pipes.fd[PIPE_STDOUT][0],
        .stderr_fd = pipes.fd[PIPE_STDERR][0],
        .report_fd = pipes.fd[PIPE_REPORT][0],
        .stdin_fd = pipes.fd[PIPE_STDIN][1],
        .abort_fd = abort_fd,
        .lifeline_fd = -1,
        .end_claim_fd = -1,
    };
    memset(&pipes, -1, sizeof pipes);
    supervise_and_collect(req, ctx, &sv, r, aborted);
out:
    pipes_close_all(&pipes);
    if (filter != NULL)
        seccomp_release(filter);
}

/* A warm-up gives way to a stop at once: it may take seconds on a loaded machine (a member warms up at the lowest
 * CPU weight), and the agent's stop must not wait for it. */
static int wait_readable(int fd, int64_t deadline_ns, struct ka_error *e)
{
    struct pollfd p[2] = {{fd, POLLIN, 0}, {pool_stop_fd(), POLLIN, 0}};
    int n;
    while ((n = poll(p, 2, clock_ms_until(deadline_ns))) < 0 && errno == EINTR)
        ;
    if (n > 0 && p[1].revents)
        return error_setf(e, "warm-up: the agent is stopping");
    return n > 0 ? 0 : error_setf(e, "warm-up: timed out");
}

/* Waits for PID 1's STARTED report and the runtime's READY byte: the libraries are loaded. */
static int warm_wait_ready(struct warm_jail *w, struct ka_error *e)
{
    int64_t deadline_ns = clock_now_ns() + WARM_UP_TIMEOUT_MS * 1000000LL;
    struct report rep;
    if (wait_readable(w->report_fd, deadline_ns, e) < 0)
        return -1;
    if (fdio_read_full(w->report_fd, &rep, sizeof rep) != sizeof rep)
        return error_setf(e, "warm-up: no report from the jail");
    if (rep.kind != REPORT_STARTED)
        return error_setf(e, "warm-up: %s: %s", rep.step, strerror(rep.err));
    char ready = 0;
    if (wait_readable(w->code_fd, deadline_ns, e) < 0)
        return -1;
    if (read(w->code_fd, &ready, 1) != 1 || ready != 'R')
        return error_setf(e, "warm-up: the runtime did not get ready (its stderr is in the pool member's jail)");
    return 0;
}

int run_warm_start(enum language language, struct warm_jail *w, struct ka_error *e)
{
    struct jail_pipes pipes;
    struct runtime_cmd cmd;
    scmp_filter_ctx filter = NULL;
    struct run_limits limits;
    memset(w, 0, sizeof *w);
    w->ctx.slot.lock_fd = w->ctx.init_pidfd = -1;
    w->language = language;
    memset(&pipes, -1, sizeof pipes);
    request_default_limits(&limits);
    /* warm-up is not the run's: no CPU quota until the code arrives (run_warm_execute sets the request's) */
    limits.cpu_quota_us = -1;
    int rc = -1;
    bool python = language == LANG_PYTHON;
    if (setup_jail(&limits, true, &w->ctx, &pipes, python ? NULL : &filter, e) < 0 ||
        cg_set_cpu_shares(&w->ctx.cg, WARM_UP_CPU_SHARES, e) < 0)
        goto out;
    if (python) {
        if (start_in_template(&limits, &w->ctx, &pipes, e) < 0)
            goto out;
    } else if (runtime_prepare_warm(language, &limits, &cmd) < 0) {
        error_set(e, "prepare runtime arguments");
        goto out;
    } else if (start_runtime(language, &limits, &w->ctx, &pipes, filter, &cmd, e) < 0) {
        goto out;
    }
    w->stdout_fd = pipes.fd[PIPE_STDOUT][0];
    w->stderr_fd = pipes.fd[PIPE_STDERR][0];
    w->report_fd = pipes.fd[PIPE_REPORT][0];
    w->stdin_fd = pipes.fd[PIPE_STDIN][1];
    w->code_fd = pipes.fd[PIPE_CODE][0];
    memset(&pipes, -1, sizeof pipes);
    rc = warm_wait_ready(w, e);
out:
    pipes_close_all(&pipes);
    if (filter != NULL)
        seccomp_release(filter);
    return rc;
}

/* The request's limits on a warmed jail: memory and pids were set at warm-up (pool.c only hands over requests with
 * the default ones); the CPU quota, the usage counters and the wall clock start here, as the code goes in. */
static int warm_hand_code(struct warm_jail *w, const struct run_request *req, int64_t *start_ns,
                          unsigned char nonce[CLAIM_NONCE_BYTES], struct ka_error *e)
{
    if (cg_set_cpu_quota(&w->ctx.cg, req->limits.cpu_quota_us, e) < 0 ||
        cg_set_cpu_shares(&w->ctx.cg, RUN_CPU_SHARES, e) < 0 || cg_reset_usage(&w->ctx.cg, e) < 0)
        return -1;
    if (getrandom(nonce, CLAIM_NONCE_BYTES, 0) != CLAIM_NONCE_BYTES)
        return error_set(e, "getrandom claim nonce");
    uint32_t len = (uint32_t)req->code_bytes;
    unsigned char len_le[4] = {len & 0xff, (len >> 8) & 0xff, (len >> 16) & 0xff, len >> 24};
    struct iovec iov[3] = {{len_le, sizeof len_le}, {req->code, req->code_bytes}, {nonce, CLAIM_NONCE_BYTES}};
    size_t total = sizeof len_le + req->code_bytes + CLAIM_NONCE_BYTES;
    /* before the write: a short snippet can end (and PID 1 report it) before the write call returns here */
    *start_ns = clock_now_ns();
    /* the code socket's buffer holds far more than the largest code: one call, whole */
    if (writev(w->code_fd, iov, 3) != (ssize_t)total)
        return error_set(e, "hand the code to the warm runtime");
    /* EOF ends the runtime's read: the code is complete */
    if (shutdown(w->code_fd, SHUT_WR) < 0)
        return error_set(e, "shutdown code socket");
    return 0;
}

void run_warm_execute(struct warm_jail *w, const struct run_request *req, int abort_fd, int lifeline_fd,
                      struct run_result *r, bool *aborted)
{
    struct ka_error e = {{0}};
    *aborted = false;
    struct supervision sv = {
        .init_pidfd = w->ctx.init_pidfd,
        .stdout_fd = w->stdout_fd,
        .stderr_fd = w->stderr_fd,
        .report_fd = w->report_fd,
        .stdin_fd = w->stdin_fd,
        .abort_fd = abort_fd,
        .lifeline_fd = lifeline_fd,
        .end_claim_fd = w->code_fd,
    };
    if (init_outputs(req, r) < 0 || warm_hand_code(w, req, &sv.start_ns, sv.claim_nonce, &e) < 0) {
        if (r->status != ST_INFRA_ERROR)
            result_infra(r, e.msg);
        return; /* run_cleanup kills the jail */
    }
    supervise_and_collect(req, &w->ctx, &sv, r, aborted);
    w->code_fd = -1; /* closed by supervise_run with the others */
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
    if (ctx->have_cg)
        cg_destroy(&ctx->cg);
    if (ctx->have_slot)
        slot_release(&ctx->slot);
    ctx->have_cg = ctx->have_slot = false;
}
