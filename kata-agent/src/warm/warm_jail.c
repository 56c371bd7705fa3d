/* A pool member's jail (warm_jail.h). */
#include "warm_jail.h"

#include "../clock.h"
#include "../fdio.h"
#include "../infiles.h"
#include "../workdir.h"
#include "template_client.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdlib.h>
#include <poll.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

/* A pool member's warm-up (imports) must end within this, or the member is given up. */
#define WARM_UP_TIMEOUT_MS 60000
/* Writing at most KA_MAX_FILES_BYTES into a tmpfs; only a broken host takes longer. */
#define INPUT_FILES_TIMEOUT_MS 10000
/* CFS weights. A Node member warming up (a whole node start) yields the CPU to the runs beside it. A Python member's
 * warm-up is a fork of the template, small next to a cold run: starved behind the runs, it would leave the pool empty
 * under load and send the next requests down the cold path, so it gets the usual weight, as does every run. */
enum { NODE_WARM_UP_CPU_SHARES = 2, RUN_CPU_SHARES = 1024 };

static long warm_up_cpu_shares(enum language language)
{
    return language == LANG_PYTHON ? RUN_CPU_SHARES : NODE_WARM_UP_CPU_SHARES;
}

/* A warm Python jail: the template clones its PID 1, which forks the main process from the template's memory. */
static int start_in_template(int channel, int stop_fd, const struct run_limits *limits, struct run_ctx *ctx,
                             struct jail_pipes *pipes, struct ka_error *e)
{
    struct template_jail z = {.cgroup = ctx->cg, .mount = run_mount_plan(LANG_PYTHON, ctx), .limits = *limits};
    int fds[JFD_COUNT];
    run_jail_ends(pipes, fds);
    int rc = template_start_jail(channel, stop_fd, &z, fds, ctx->netns_fd, &ctx->init_pidfd, &ctx->init_pid, e);
    run_close_jail_ends(pipes);
    if (rc == 0)
        ctx->mntns_fd = workdir_hold(ctx->init_pid, ctx->init_pidfd);
    return rc;
}

/* A warm-up gives way to a stop at once: on a loaded machine it may take seconds (the lowest CPU weight), and the
 * agent's stop must not wait for it. */
static int wait_readable(int fd, int stop_fd, int64_t deadline_ns, struct ka_error *e)
{
    struct pollfd p[2] = {{fd, POLLIN, 0}, {stop_fd, POLLIN, 0}};
    int n;
    while ((n = poll(p, 2, clock_ms_until(deadline_ns))) < 0 && errno == EINTR)
        ;
    if (n > 0 && p[1].revents)
        return error_setf(e, "warm-up: the agent is stopping");
    return n > 0 ? 0 : error_setf(e, "warm-up: timed out");
}

/* PID 1's STARTED report, then the runtime's READY byte: the libraries are loaded. */
int warm_jail_wait_ready(struct warm_jail *w, int stop_fd, struct ka_error *e)
{
    int64_t deadline_ns = clock_now_ns() + WARM_UP_TIMEOUT_MS * 1000000LL;
    struct report rep;
    if (wait_readable(w->report_fd, stop_fd, deadline_ns, e) < 0)
        return -1;
    if (fdio_read_full(w->report_fd, &rep, sizeof rep) != sizeof rep)
        return error_setf(e, "warm-up: no report from the jail");
    if (rep.kind != REPORT_STARTED)
        return error_setf(e, "warm-up: %s: %s", rep.step, strerror(rep.err));
    char ready = 0;
    if (wait_readable(w->code_fd, stop_fd, deadline_ns, e) < 0)
        return -1;
    if (read(w->code_fd, &ready, 1) != 1 || ready != 'R')
        return error_setf(e, "warm-up: the runtime did not get ready (its stderr is in the pool member's jail)");
    if ((w->workdir_fd = workdir_open(w->ctx.init_pid, w->ctx.init_pidfd)) < 0)
        return error_set(e, "warm-up: open the working directory");
    return 0;
}

static int start_runtime(enum language language, int template_channel, int stop_fd, const struct run_limits *limits,
                         struct warm_jail *w, struct jail_pipes *pipes, scmp_filter_ctx filter, struct ka_error *e)
{
    if (language == LANG_PYTHON)
        return start_in_template(template_channel, stop_fd, limits, &w->ctx, pipes, e);
    struct runtime_cmd cmd;
    if (runtime_prepare_warm(language, limits, &cmd) < 0)
        return error_set(e, "prepare runtime arguments");
    return run_start_runtime(NULL, limits, &w->ctx, pipes, filter, &cmd, e);
}

int warm_jail_start(enum language language, const struct slot *slot, int netns_fd, int template_channel, int stop_fd,
                    struct warm_jail *w, struct ka_error *e)
{
    struct jail_pipes pipes;
    scmp_filter_ctx filter = NULL;
    struct run_limits limits;
    memset(w, 0, sizeof *w);
    w->ctx.init_pidfd = w->ctx.mntns_fd = w->workdir_fd = -1;
    w->ctx.slot = *slot;
    w->ctx.have_slot = true;
    w->ctx.netns_fd = netns_fd;
    w->language = language;
    memset(&pipes, -1, sizeof pipes);
    request_default_limits(&limits);
    /* warm-up is not the run's: no CPU quota until the code arrives (warm_jail_execute sets the request's) */
    limits.cpu_quota_us = -1;
    int rc = -1;
    /* the Python template builds its jails' seccomp filter itself, once. Node's loaded libraries must not count in
     * the run's memory: they are loaded in a warm-up memory group (a Python run's are the template's pages, charged
     * to the agent's group) */
    if (run_setup_jail(&limits, true, &w->ctx, &pipes, language == LANG_PYTHON ? NULL : &filter, e) < 0 ||
        cg_set_cpu_shares(&w->ctx.cg, warm_up_cpu_shares(language), e) < 0 ||
        (language == LANG_JAVASCRIPT && cg_create_warmup(&w->ctx.cg, limits.mem_limit_bytes, e) < 0) ||
        start_runtime(language, template_channel, stop_fd, &limits, w, &pipes, filter, e) < 0)
        goto out;
    w->stdout_fd = pipes.fd[PIPE_STDOUT][0];
    w->stderr_fd = pipes.fd[PIPE_STDERR][0];
    w->report_fd = pipes.fd[PIPE_REPORT][0];
    w->stdin_fd = pipes.fd[PIPE_STDIN][1];
    w->code_fd = pipes.fd[PIPE_CODE][0];
    memset(&pipes, -1, sizeof pipes);
    rc = 0;
out:
    run_pipes_close(&pipes);
    if (filter != NULL)
        seccomp_release(filter);
    return rc;
}

void warm_jail_discard(struct warm_jail *w)
{
    struct ka_error ignored;
    /* the kernel's work of killing a runtime is charged to the jail's group: at the warm-up's weight it would wait
     * behind everything else on a busy machine, and so would the agent's stop */
    if (w->ctx.have_cg)
        (void)cg_set_cpu_shares(&w->ctx.cg, RUN_CPU_SHARES, &ignored);
    if (w->workdir_fd >= 0)
        close(w->workdir_fd);
    run_cleanup(&w->ctx);
}

/* The run's context for the bootstrap (runtimes/bootstrap/): "" without env and args, else
 * {"env": [[name, value], ...], "args": [...]}, applied before the code runs as the cold path's exec applies them. */
static char *run_context(const struct run_request *req)
{
    if (req->n_env == 0 && req->n_args == 0)
        return strdup("");
    json_t *env = json_array(), *args = json_array();
    for (size_t i = 0; i < req->n_env; i++) {
        const char *eq = strchr(req->env[i], '=');
        json_array_append_new(env, json_pack("[s%s]", req->env[i], (size_t)(eq - req->env[i]), eq + 1));
    }
    for (size_t i = 0; i < req->n_args; i++)
        json_array_append_new(args, json_string(req->args[i]));
    json_t *o = json_pack("{s:o, s:o}", "env", env, "args", args);
    char *text = o == NULL ? NULL : json_dumps(o, JSON_COMPACT);
    json_decref(o);
    return text;
}

static void le32(unsigned char out[4], uint32_t v)
{
    out[0] = v & 0xff;
    out[1] = (v >> 8) & 0xff;
    out[2] = (v >> 16) & 0xff;
    out[3] = v >> 24;
}

/* The request's limits on a warmed jail: memory and pids were set at warm-up (only requests with the default ones
 * are handed to a member); the CPU quota, the run's memory group (the runtime moves into it, empty: what it loaded
 * stays charged to the warm-up's), the usage counters and the wall clock start here, as the code goes in,
 * with the run's context, followed on the code socket by the nonce a true end claim carries (supervise.c). */
static int hand_code(struct warm_jail *w, const struct run_request *req, int64_t *start_ns,
                     unsigned char nonce[CLAIM_NONCE_BYTES], struct ka_error *e)
{
    if (cg_set_cpu_quota(&w->ctx.cg, req->limits.cpu_quota_us, e) < 0 ||
        cg_set_cpu_shares(&w->ctx.cg, RUN_CPU_SHARES, e) < 0 || cg_move_warmup_into_run(&w->ctx.cg, e) < 0 ||
        cg_reset_usage(&w->ctx.cg, e) < 0)
        return -1;
    if (getrandom(nonce, CLAIM_NONCE_BYTES, 0) != CLAIM_NONCE_BYTES)
        return error_set(e, "getrandom claim nonce");
    char *context = run_context(req);
    if (context == NULL)
        return error_set(e, "encode the run's context");
    size_t context_bytes = strlen(context);
    unsigned char code_len[4], context_len[4];
    le32(code_len, (uint32_t)req->code_bytes);
    le32(context_len, (uint32_t)context_bytes);
    struct iovec iov[5] = {{code_len, 4},
                           {req->code, req->code_bytes},
                           {context_len, 4},
                           {context, context_bytes},
                           {nonce, CLAIM_NONCE_BYTES}};
    size_t total = 8 + req->code_bytes + context_bytes + CLAIM_NONCE_BYTES;
    /* before the write: a short snippet can end (and PID 1 report it) before the write call returns here */
    *start_ns = clock_now_ns();
    /* blocking: the runtime reads as it arrives */
    ssize_t n = writev(w->code_fd, iov, 5);
    free(context);
    if (n != (ssize_t)total)
        return error_set(e, "hand the code to the warm runtime");
    /* EOF ends the runtime's last read, of the nonce */
    if (shutdown(w->code_fd, SHUT_WR) < 0)
        return error_set(e, "shutdown code socket");
    return 0;
}

static int write_input_files(int out_fd, void *arg)
{
    (void)out_fd;
    const struct run_request *req = arg;
    const char *step;
    return infiles_write(AT_FDCWD, req->files, req->n_files, &step);
}

/* The cold path's main process writes them before its exec; here the runtime is already waiting for its code, so
 * a workdir helper (the run's uid, in the jail's mount namespace) writes them before the code goes in. */
static int put_input_files(struct warm_jail *w, const struct run_request *req, struct ka_error *e)
{
    if (req->n_files == 0)
        return 0;
    struct mount_plan ids = run_mount_plan(w->language, &w->ctx);
    if (workdir_run_as(w->ctx.mntns_fd, ids.uid, ids.gid, -1, write_input_files, (void *)req, INPUT_FILES_TIMEOUT_MS) <
        0)
        return error_setf(e, "write the input files: failed");
    return 0;
}

void warm_jail_execute(struct warm_jail *w, const struct run_request *req, int abort_fd, int lifeline_fd,
                       struct run_result *r, bool *aborted)
{
    struct ka_error e = {{0}};
    *aborted = false;
    struct supervision sv = {
        .init_pidfd = w->ctx.init_pidfd,
        .workdir_fd = w->workdir_fd,
        .stdout_fd = w->stdout_fd,
        .stderr_fd = w->stderr_fd,
        .report_fd = w->report_fd,
        .stdin_fd = w->stdin_fd,
        .abort_fd = abort_fd,
        .lifeline_fd = lifeline_fd,
        .end_claim_fd = w->code_fd,
    };
    if (run_init_outputs(req, r) < 0 || put_input_files(w, req, &e) < 0 ||
        hand_code(w, req, &sv.start_ns, sv.claim_nonce, &e) < 0) {
        if (r->status != ST_INFRA_ERROR)
            result_infra(r, e.msg);
        return; /* run_cleanup kills the jail */
    }
    w->workdir_fd = -1; /* the supervision's from here on */
    run_supervise_and_collect(req, &w->ctx, &sv, r, aborted);
    w->code_fd = -1; /* closed by supervise_run with the others */
}
