/* supervise.c: the poll loop around one running jail. */
#ifndef KA_SUPERVISE_H
#define KA_SUPERVISE_H

#include "cgroup.h"
#include "init.h"
#include "result.h"
#include "stream.h"

struct supervision {
    int init_pidfd;
    pid_t init_pid; /* cold runs: PID 1's host pid, to open the working directory at STARTED; else 0 */
    int workdir_fd; /* the working directory's root (workdir_open), -1 until known; closed by the caller */
    int stdout_fd, stderr_fd, report_fd, stdin_fd;
    int abort_fd; /* client connection: hang-up aborts the run; -1 in CLI mode */
    struct stream_sink *stream; /* stream: true over a connection: chunk frames to abort_fd; else NULL */
    int lifeline_fd; /* warm runs: the worker that handed the run over; its death aborts the run; else -1 */
    int end_claim_fd; /* warm runs: the code socket, where the runtime claims its end; else -1 */
    const struct cgroup *cgroup; /* the run's: its CPU quota is lifted once the jail is killed */
    const char *stdin_data;
    size_t stdin_bytes, stdin_off;
    long wall_limit_ms;
    int64_t start_ns; /* 0: the run starts at PID 1's STARTED report; else (warm runs) it started then */
    unsigned char claim_nonce[CLAIM_NONCE_BYTES]; /* warm runs: what a true end claim carries */
    /* filled in */
    struct run_observation obs;
    int64_t end_ns;
    bool aborted; /* the client went away */
    bool infra_failed;
    char infra_msg[256];
};
void supervise_run(struct supervision *sv, struct run_result *r);

#endif
