/* member.c: a pool member, a process the serve loop forks. It sets up one jail of its own and starts the runtime in
 * it (warm_jail.c), then waits, idle, for one request (handover.c); it is that run's supervisor, answers the client
 * itself and exits: nothing that ran user code is ever reused, and it asks the loop for its replacement. Until it
 * is taken it dies with the loop (PR_SET_PDEATHSIG) and ends cleanly, its jail killed and its own cgroups removed,
 * when the loop stops (the stop pipe); once taken it is an in-flight run, which outlives the loop like a worker. */
#ifndef KA_WARM_MEMBER_H
#define KA_WARM_MEMBER_H

#include "../request.h"
#include "../result.h"
#include "../slot.h"
#include "pool_table.h"

struct member_env {
    enum language language;
    struct pool_counts *counts; /* the language's */
    struct member_slot *slot; /* this member's */
    struct slot run_slot; /* the run slot the loop took for this member, now the member's to release */
    int netns_fd; /* the loop's network namespace of that slot (netns.c) */
    int channel; /* the language's hand-over channel, receiving end */
    int template_channel; /* Python: where the template takes requests for jails */
    int stop_fd; /* readable (EOF) once the serve loop stops or dies */
    void (*answer)(int client_fd, const struct run_result *r, bool aborted);
};

void member_main(const struct member_env *env) __attribute__((noreturn));

#endif
