/* init.c: PID 1 of the jail, and the main process it forks. */
#ifndef KA_INIT_H
#define KA_INIT_H

#include "cgroup.h"
#include "mount.h"
#include "request.h"
#include "runtime.h"
#include <seccomp.h>

enum report_kind { REPORT_INFRA = 1, REPORT_STARTED, REPORT_EXITED };
struct report {
    int kind;
    int wait_status;
    int err;
    int64_t t_ns;
    char step[80];
};

/* Fixed descriptor numbers inside the jail, set up by init before anything else. */
/* JFD_CODE only in a pool member (-1 in fds[] otherwise): a socket to its supervisor, READY out, the code in, and
 * at the end the runtime's claim that the program is done (END_CLAIM and the exit status byte, see supervise.c). */
enum jail_fd { JFD_STDIN = 0, JFD_STDOUT = 1, JFD_STDERR = 2, JFD_REPORT = 3, JFD_CODE = 4, JFD_COUNT = 5 };
/* The main process holds the code socket at the highest number its RLIMIT_NOFILE allows, not at JFD_CODE: the
 * numbers a program's own open() calls get are then those of a cold run (3, 4, ...). The bootstraps use it. */
#define RUN_CODE_FD 255
/* On the code socket, supervisor -> runtime: the code's length (4 bytes, little-endian), the code, a nonce of
 * CLAIM_NONCE_BYTES, then EOF. The bootstrap reads only the length and the code; at the end it reads the nonce and
 * sends END_CLAIM, the nonce and the exit status byte. */
#define END_CLAIM "D"
#define CLAIM_NONCE_BYTES 16

/* Only in PID 1 of a warm Python jail (warm/template.c): the jails' reaper (a sealed memfd), which PID 1 execs. */
#define JFD_REAPER JFD_COUNT

struct init_plan {
    int fds[JFD_COUNT]; /* supervisor-side numbers, moved to the jail_fd numbers */
    int netns_fd; /* the slot's network namespace (netns.c), joined first */
    int reaper_fd; /* -1, or (warm/template.c) PID 1 execs this after forking the main process */
    int memory_tasks_fd; /* set by PID 1: the main process joins the memory group through it */
    pid_t (*fork_main)(void); /* fork, or the template's fork around its interpreter */
    struct cgroup cgroup;
    struct mount_plan mount;
    struct run_limits limits;
    struct runtime_cmd cmd;
    scmp_filter_ctx filter;
    const struct run_file *files; /* the request's input files (cold runs; a warm member writes its own) */
    size_t n_files;
};
void init_main(struct init_plan *plan) __attribute__((noreturn));
/* The jails' reaper, a program of its own (reaper/jail_init.c) whose bytes are linked in (jail_init_image.S): PID 1
 * of a warm Python jail execs it as `jail-init MAIN_PID` (init.c, warm/template.c). */
extern const unsigned char jail_init_image[], jail_init_image_end[];

#endif
