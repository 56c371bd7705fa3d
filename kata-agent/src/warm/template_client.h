/* template_client.c: the Python template as the serve loop and the members see it. The loop execs it (never forks
 * it: every warm Python run is a fork of the template, and must share no memory, address-space layout or AT_RANDOM
 * with a root process) from a sealed memfd copy of this binary, with the jail's environment and only its channel and
 * the stop pipe open. A member asks it, on the channel, for its jail's PID 1. The template's side is template.c. */
#ifndef KA_WARM_TEMPLATE_CLIENT_H
#define KA_WARM_TEMPLATE_CLIENT_H

#include "../cgroup.h"
#include "../error.h"
#include "../init.h"
#include "../mount.h"
#include "../request.h"
#include <stdbool.h>
#include <sys/types.h>

/* The template's command line: `kata-agent python-template LOOP_PID tuned|plain RETIRE_AFTER_JAILS`, its request
 * channel and the stop pipe at these descriptors. */
enum { TEMPLATE_FD_CHANNEL = 3, TEMPLATE_FD_STOP = 4 };
#define TEMPLATE_MEMORY_TUNED "tuned"
#define TEMPLATE_MEMORY_PLAIN "plain"
/* The template's exit status when it retires (its jail count or age); the loop replaces it at once. */
#define TEMPLATE_EXIT_RETIRED 75

/* What a member asks for: PID 1 of a new jail whose main process is a fork of the template. One message: this as
 * data, the jail's ends (JFD_* order), the slot's network namespace and the answer socket as SCM_RIGHTS. */
struct template_jail {
    struct cgroup cgroup;
    struct mount_plan mount;
    struct run_limits limits;
};
struct template_answer {
    int err; /* 0, or the errno of the failed clone */
    pid_t pid; /* PID 1's host pid; its pidfd comes with the answer */
};
enum { TEMPLATE_FD_NETNS = JFD_COUNT, TEMPLATE_FD_ANSWER = JFD_COUNT + 1, TEMPLATE_REQUEST_FDS = JFD_COUNT + 2 };

/* How the template is started (warm.h's configuration). */
struct template_options {
    bool memory_tuned; /* template_memory.h */
    int retire_after_jails; /* a template is replaced after this many jails (or TEMPLATE_MAX_AGE_MS) */
};

/* In the serve loop, once: the sealed copy of this binary the template is exec'd from. */
int template_image_create(void);
/* Forks and execs the template; child_init(arg) first in the child. Returns its pid, or -1. */
pid_t template_spawn(int image, int channel, int stop_fd, const struct template_options *options,
                     void (*child_init)(void *), void *arg);
/* In a member: returns PID 1's pidfd and host pid; waits while the template starts, but not past a stop. */
int template_start_jail(int channel, int stop_fd, const struct template_jail *z, const int fds[JFD_COUNT], int netns_fd,
                        int *pidfd, pid_t *pid, struct ka_error *e);

#endif
