/* The warm path: per language, a pool of jails set up and warmed in advance (the preinstalled libraries loaded),
 * each taking exactly one request. The serve loop starts and reaps them; a worker hands a request over. The theory
 * of operation is in kata-agent/README.md (Warm pools); what each part owns is said at the top of its file:
 *   warm.c              this interface: the pools' configuration, the stop pipe, filling and reaping
 *   pool_table.c        the counters and member states the loop, workers and members share
 *   handover.c          a request passed from a worker to an idle member
 *   member.c            a member: one warm jail, one request, the answer
 *   warm_jail.c         a member's jail: the cold path's steps, split at the code's arrival
 *   template_client.c   the Python template seen from outside: exec'd by the loop, asked for jails by members
 *   template.c          the Python template itself: an interpreter with the libraries, forking jails' runs
 *   template_memory.c   the template's memory layout, tuned so that forks of it are cheap (optional)
 *   self_maps.c         the template's own mappings, as /proc/self/maps lists them
 *   libpython.c         the few libpython entry points the template needs, loaded at run time */
#ifndef KA_WARM_H
#define KA_WARM_H

#include "../request.h"
#include "../result.h"
#include <jansson.h>
#include <stdbool.h>
#include <sys/types.h>

#define WARM_POOL_MAX_SIZE 16

struct warm_config {
    int pool_size[KA_LANGUAGES]; /* 0: no pool, every run of the language is cold */
    bool template_memory_tuned; /* template_memory.c's layout: an optimization, never a change of behaviour */
    int template_retire_after_jails; /* the template is replaced after this many jails (or ten minutes) */
    /* how a member answers its client: the connection's own answer (log, send, shut down) */
    void (*answer)(int client_fd, const struct run_result *r, bool aborted);
};

int warm_init(const struct warm_config *config);
/* In the serve loop: starts what is missing; child_init(arg) runs first in each child, as in a worker. */
void warm_fill(void (*child_init)(void *), void *arg);
bool warm_reaped(pid_t pid, int wait_status); /* true if pid was the pools' (a member or the template) */
int warm_timeout_ms(void); /* poll timeout until the next retry of a failed warm-up, -1 = none */
void warm_stop(void); /* members not running a request clean up and exit at once; the template is killed */
int warm_pending(void); /* the loop's pool children still to end after warm_stop */
void warm_child_init(void); /* in every child of the serve loop: only the loop may hold the stop pipe open */
/* In a worker: runs the request on an idle member (which answers the client); false = take the cold path. */
bool warm_try_run(int client_fd, const char *request_json, size_t len, const struct run_request *req);
json_t *warm_stats_json(void);

/* `kata-agent python-template ...`: how the serve loop starts the Python template (never a user's mode). */
#define WARM_TEMPLATE_MODE "python-template"
void warm_template_main(int argc, char **argv) __attribute__((noreturn));

#endif
