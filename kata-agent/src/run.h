/* run.c: the pipeline for one run: setup jail -> start runtime -> hand code -> supervise -> collect. The cold path
 * runs it whole (run_execute); a warm pool member (warm/warm_jail.c) runs the same steps, split at the hand-over. */
#ifndef KA_RUN_H
#define KA_RUN_H

#include "cgroup.h"
#include "error.h"
#include "init.h"
#include "mount.h"
#include "request.h"
#include "result.h"
#include "runtime.h"
#include "slot.h"
#include "supervise.h"
#include <seccomp.h>

struct run_ctx {
    struct slot slot;
    struct cgroup cg;
    bool have_slot, have_cg;
    int init_pidfd; /* PID 1 of the jail (a pidfd: signals through it cannot hit a reused pid), or -1 */
    pid_t init_pid; /* its host pid, only to be shown (the ping's idleJails) */
    int netns_fd; /* the slot's network namespace (netns.c), which PID 1 joins */
    int mntns_fd; /* the jail's mount namespace (workdir.c): its working directory outlives PID 1 until cleanup */
};

/* The supervisor's pipes to one jail; PIPE_CODE (a socketpair) only for a warm runtime. */
enum { PIPE_STDIN, PIPE_STDOUT, PIPE_STDERR, PIPE_REPORT, PIPE_CODE, PIPE_COUNT };
struct jail_pipes {
    int fd[PIPE_COUNT][2];
};

/* The cold path: the whole pipeline; the caller answers, then calls run_cleanup. */
void run_execute(const struct run_request *req, int abort_fd, struct run_ctx *ctx, struct run_result *r, bool *aborted);
/* The rest of the jail's teardown, reaping PID 1, cgroup removal, slot release: after the answer. */
void run_cleanup(struct run_ctx *ctx);

/* The steps, for a caller that splits them (a warm member). */
/* Slot (unless ctx->have_slot: given), network namespace (unless ctx->netns_fd >= 0: given; netns.c), cgroups,
 * seccomp filter (filter NULL: someone else's, as the Python template builds its own), pipes. */
int run_setup_jail(const struct run_limits *limits, bool warm, struct run_ctx *ctx, struct jail_pipes *pipes,
                   scmp_filter_ctx *filter, struct ka_error *e);
void run_pipes_close(struct jail_pipes *p);
void run_jail_ends(const struct jail_pipes *pipes, int fds[JFD_COUNT]); /* the jail's ends, in JFD_* order */
void run_close_jail_ends(struct jail_pipes *pipes); /* once the jail holds them */
struct mount_plan run_mount_plan(enum language language, const struct run_ctx *ctx);
/* Clones PID 1 (which execs cmd's runtime) and sets ctx->init_pidfd; -1 with the pipes closed. req: the cold path's
 * request, whose input files the main process writes; NULL for a warm Node member (language: JavaScript). */
int run_start_runtime(const struct run_request *req, const struct run_limits *limits, struct run_ctx *ctx,
                      struct jail_pipes *pipes, scmp_filter_ctx filter, struct runtime_cmd *cmd, struct ka_error *e);
int run_init_outputs(const struct run_request *req, struct run_result *r);
void run_supervise_and_collect(const struct run_request *req, const struct run_ctx *ctx, struct supervision *sv,
                               struct run_result *r, bool *aborted);

#endif
