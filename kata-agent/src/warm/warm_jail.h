/* warm_jail.c: a pool member's jail, set up and warmed (the libraries loaded) before any request, then given
 * exactly one. The cold path's steps (run.c) split at the code's arrival: setup and start at warm-up, with no CPU
 * quota and the lowest CPU weight (warm-up is nobody's run); the request's CPU quota, the usage counters' reset, the
 * code and the wall clock when the request comes. A Python jail's PID 1 and main process come from the template
 * (template_client.c); a Node jail's main process execs node with the bootstrap. */
#ifndef KA_WARM_WARM_JAIL_H
#define KA_WARM_WARM_JAIL_H

#include "../run.h"

struct warm_jail {
    struct run_ctx ctx;
    enum language language;
    int stdout_fd, stderr_fd, report_fd, stdin_fd, code_fd;
    int workdir_fd; /* workdir_open's, once the jail is ready */
};

/* Sets up the jail and starts its runtime (w->ctx.init_pid is then PID 1's host pid); a Python jail's start gives up
 * at once when stop_fd becomes readable (a stop). */
int warm_jail_start(enum language language, const struct slot *slot, int netns_fd, int template_channel, int stop_fd,
                    struct warm_jail *w, struct ka_error *e);
/* Waits until the runtime has loaded the libraries; gives up at once when stop_fd becomes readable. */
int warm_jail_wait_ready(struct warm_jail *w, int stop_fd, struct ka_error *e);
/* Kills an unused (idle or warming) jail and cleans up: its exit runs at the usual CPU weight, not the warm-up's. */
void warm_jail_discard(struct warm_jail *w);
void warm_jail_execute(struct warm_jail *w, const struct run_request *req, int abort_fd, int lifeline_fd,
                       struct run_result *r, bool *aborted);

#endif
