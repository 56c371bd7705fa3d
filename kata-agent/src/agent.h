/* kata-agent: the one header. Every function is prefixed by the file that defines it. */
#ifndef KATA_AGENT_H
#define KATA_AGENT_H

#ifndef _GNU_SOURCE /* Python.h (zygote.c) defines it first */
#define _GNU_SOURCE
#endif
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <seccomp.h>

#define KA_PROTOCOL_VERSION "1"

/* The seed's limits; a request may only lower them. */
#define KA_DEFAULT_WALL_MS 10000L
#define KA_DEFAULT_MEM_BYTES (256LL * 1024 * 1024)
#define KA_DEFAULT_CPU_QUOTA_US 50000L
#define KA_CPU_PERIOD_US 100000L
#define KA_DEFAULT_OUTPUT_BYTES (1024L * 1024)
#define KA_DEFAULT_PIDS 64L
#define KA_MAX_CODE_BYTES 102400
#define KA_MAX_STDIN_BYTES (1024L * 1024)
#define KA_MAX_FRAME_BYTES (4L * 1024 * 1024)

/* Jail setup (namespaces, cgroups, mounts) must finish well before this, or the run is an infra error. */
#define KA_SETUP_TIMEOUT_MS 5000L

/* Per-run uid/gid: KA_UID_BASE + slot. One uid per concurrent run keeps RLIMIT_NPROC and kill() per run. */
#define KA_UID_BASE 60000
#define KA_SLOT_COUNT 256

#define KA_STATE_DIR "/run/kata-agent"

/* ---- error.c: the message of an infrastructure failure, "step: strerror" ---- */
struct ka_error {
    char msg[256];
};
int error_set(struct ka_error *e, const char *step); /* uses errno; returns -1 */
int error_setf(struct ka_error *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- clock.c ---- */
int64_t clock_now_ns(void);
int clock_ms_until(int64_t deadline_ns); /* poll() timeout, >= 0 */

/* ---- fdio.c: whole-buffer I/O on blocking fds, and descriptors passed over Unix sockets ---- */
int fdio_write_all(int fd, const void *buf, size_t len);
ssize_t fdio_read_full(int fd, void *buf, size_t len); /* stops early only at EOF */
int fdio_write_file(const char *path, const char *text);
int fdio_read_file(const char *path, char *buf, size_t size);
int fdio_mkdir(const char *path, mode_t mode); /* EEXIST is fine */
/* One message: len bytes of data and nfds descriptors (SCM_RIGHTS, at most 8); flags for sendmsg. */
int fdio_send_fds(int sock, const void *data, size_t len, const int *fds, int nfds, int flags);
/* One message of exactly len bytes with min..max descriptors, put (close-on-exec) in fds; returns how many, or -1
 * with none of them left open. flags for recvmsg. */
int fdio_recv_fds(int sock, void *data, size_t len, int *fds, int min, int max, int flags);

/* ---- request.c ---- */
enum language { LANG_PYTHON, LANG_JAVASCRIPT, KA_LANGUAGES };

struct run_limits {
    long wall_limit_ms;
    long long mem_limit_bytes;
    long cpu_quota_us; /* per KA_CPU_PERIOD_US */
    long output_limit_bytes; /* per stream */
    long pids_limit;
};

struct run_request {
    enum language language;
    char *code;
    size_t code_bytes;
    char *stdin_data;
    size_t stdin_bytes;
    struct run_limits limits;
};

enum request_op { OP_PING, OP_RUN };

struct request_rejection {
    char msg[256];
    const char *field; /* "code", "language", "stdin", "limits" or NULL */
};

void request_default_limits(struct run_limits *limits);
int request_parse_language(const char *name, enum language *out);
int request_check_code(const char *code, size_t bytes, struct request_rejection *rej);
int request_parse(const char *json, size_t len, enum request_op *op, struct run_request *req,
                  struct request_rejection *rej);
void request_free(struct run_request *req);

/* ---- output.c: one captured stream, capped ---- */
struct capture {
    char *data;
    size_t bytes;
    size_t cap_bytes;
    bool truncated;
};
int output_init(struct capture *c, size_t cap_bytes);
/* Appends what fits; returns true once the stream has tried to exceed its cap (bytes were dropped). */
bool output_append(struct capture *c, const char *buf, size_t len);
char *output_utf8(const struct capture *c, size_t *out_len); /* invalid bytes -> U+FFFD */
void output_free(struct capture *c);

/* ---- result.c ---- */
enum run_status {
    ST_COMPLETED,
    ST_FAILED,
    ST_TIMED_OUT,
    ST_MEMORY_LIMIT,
    ST_OUTPUT_LIMIT,
    ST_KILLED,
    ST_INFRA_ERROR,
    ST_REJECTED,
};

struct run_result {
    enum run_status status;
    int exit_code;
    int signal; /* 0 = none */
    bool timed_out;
    struct capture out;
    struct capture err;
    double execution_time_ms;
    double memory_usage_mb;
    double cpu_time_ms;
    char error[256];
    const char *error_field;
};

/* What the supervisor observed; result_classify turns it into a status by the protocol's precedence. */
struct run_observation {
    bool exited; /* the main process's wait status is known */
    int wait_status;
    bool timed_out;
    bool output_capped;
    long oom_kills;
    bool v8_heap_exhausted;
};

void result_init(struct run_result *r);
void result_classify(struct run_result *r, const struct run_observation *obs);
void result_infra(struct run_result *r, const char *msg);
void result_rejected(struct run_result *r, const char *msg, const char *field);
char *result_to_json(const struct run_result *r);
void result_free(struct run_result *r);

/* ---- slot.c: a host-wide run slot (uid, cgroup names), held by an flock until released ---- */
struct slot {
    int index;
    int lock_fd;
};
int slot_acquire(struct slot *s, struct ka_error *e);
void slot_release(struct slot *s);
void slot_sweep(void);

/* ---- cgroup.c: cgroup v1 memory, cpu, cpuacct and pids for one run ---- */
enum cg_controller { CG_MEMORY, CG_CPU, CG_CPUACCT, CG_PIDS, CG_NCTL };
struct cgroup {
    char path[CG_NCTL][128];
    bool created[CG_NCTL];
    bool shared_with_prev[CG_NCTL]; /* co-mounted hierarchy (cpu,cpuacct): same directory as the one before */
    bool has_memsw;
};
int cg_create(struct cgroup *cg, int slot, const struct run_limits *limits, struct ka_error *e);
/* Joins every controller but memory: PID 1 stays out of the run's memory group, so that its OOM killer can only
 * ever pick the snippet's processes (whatever they do to their oom_score_adj). */
int cg_enter_self(const struct cgroup *cg, const char **step);
/* The memory group's tasks file, open for the main process to join it ("0") once forked; -1 on failure. */
int cg_open_memory_tasks(const struct cgroup *cg);
int cg_set_cpu_quota(const struct cgroup *cg, long cpu_quota_us, struct ka_error *e); /* -1 = unlimited */
int cg_set_cpu_shares(const struct cgroup *cg, long shares, struct ka_error *e); /* CFS weight, 1024 by default */
int cg_reset_usage(const struct cgroup *cg, struct ka_error *e); /* peak memory and CPU time start again */
long long cg_peak_memory_bytes(const struct cgroup *cg);
long cg_oom_kills(const struct cgroup *cg);
long long cg_cpu_time_ns(const struct cgroup *cg);
void cg_destroy(struct cgroup *cg);
void cg_remove_slot(int slot);

/* ---- seccomp.c (sc_: libseccomp owns seccomp_) ---- */
scmp_filter_ctx sc_build_filter(struct ka_error *e);

/* ---- limits.c ---- */
int limits_apply(const struct run_limits *limits, const char **step);

/* ---- privs.c ---- */
int privs_drop(uid_t uid, gid_t gid, const char **step);

/* ---- runtime.c: what to exec inside the jail for a language ---- */
#define JAIL_RUNTIME_DIR "/runtime/node"
struct runtime_cmd {
    const char *path;
    char *argv[8];
    char *envp[16];
    char heap_flag[48];
    char *eval_arg; /* owned: "--eval=CODE" */
    /* set: instead of execve, the main process runs argv's code in the interpreter it already has (zygote.c) */
    void (*in_process)(const struct runtime_cmd *cmd);
};
/* The modules every warm Python loads before its code arrives. */
#define RUNTIME_PYTHON_PRELOAD "numpy, pandas, dateutil.parser, PIL.Image"
/* A warm Python's bootstrap (argv[3] of runtime_prepare_warm) defines this function, which runs it. */
#define RUNTIME_PYTHON_BOOT_CALL "_ka_boot()\n"
void runtime_set_dir(const char *dir);
const char *runtime_dir(void);
const char *runtime_node_host_path(char *buf, size_t size);
int runtime_prepare(const struct run_request *req, struct runtime_cmd *cmd);
/* A pool member: the runtime with the libraries loaded, reading its code from JFD_CODE (see pool.c). */
int runtime_prepare_warm(enum language language, const struct run_limits *limits, struct runtime_cmd *cmd);
/* In the Python template: warm Python members run in the template's interpreter instead of exec'ing python3. */
void runtime_set_python_in_process(void (*run)(const struct runtime_cmd *cmd));
void runtime_release(struct runtime_cmd *cmd);
bool runtime_is_v8_heap_exhaustion(const struct run_request *req, const struct capture *err, int wait_status);

/* ---- mount.c: the jail's root filesystem, built inside the new mount namespace ---- */
struct mount_plan {
    bool with_node_runtime;
    uid_t uid;
    gid_t gid;
};
int mount_prepare_staging(struct ka_error *e);
int mount_build_root(const struct mount_plan *plan, const char **step);

/* ---- ns.c ---- */
#define NS_JAIL_FLAGS (CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS)
/* fork-like: 0 in the child, which is PID 1 of new pid/mnt/net/ipc/uts namespaces; *pidfd refers to it */
pid_t ns_clone_jail(int *pidfd);
int ns_setup_uts(const char **step);

/* ---- init.c: PID 1 of the jail, and the main process it forks ---- */
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

/* Only in PID 1 of a warm Python jail (zygote.c): the jails' reaper (a sealed memfd), which PID 1 execs. */
#define JFD_REAPER JFD_COUNT

struct init_plan {
    int fds[JFD_COUNT]; /* supervisor-side numbers, moved to the jail_fd numbers */
    int reaper_fd; /* -1, or (zygote.c) PID 1 execs this after forking the main process */
    int memory_tasks_fd; /* set by PID 1: the main process joins the memory group through it */
    pid_t (*fork_main)(void); /* fork, or the template's fork around its interpreter */
    struct cgroup cgroup;
    struct mount_plan mount;
    struct run_limits limits;
    struct runtime_cmd cmd;
    scmp_filter_ctx filter;
};
void init_main(struct init_plan *plan) __attribute__((noreturn));
/* The jails' reaper, a program of its own (reaper/jail_init.c) whose bytes are linked in (jail_init_image.S): PID 1
 * of a warm Python jail execs it as `jail-init MAIN_PID` (init.c, zygote.c). */
extern const unsigned char jail_init_image[], jail_init_image_end[];
/* kill / wait for a jail through its PID 1's pidfd (PID 1 of a warm Python jail is the template's child) */
void jail_kill(int init_pidfd);
void jail_wait_gone(int init_pidfd);

/* ---- supervise.c: the poll loop around one running jail ---- */
struct supervision {
    int init_pidfd;
    int stdout_fd, stderr_fd, report_fd, stdin_fd;
    int abort_fd; /* client connection: hang-up aborts the run; -1 in CLI mode */
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

/* ---- run.c: the pipeline for one run: setup jail -> start runtime -> hand code -> supervise -> collect ---- */
struct run_ctx {
    struct slot slot;
    struct cgroup cg;
    bool have_slot, have_cg;
    int init_pidfd; /* PID 1 of the jail (a pidfd: signals through it cannot hit a reused pid), or -1 */
    pid_t init_pid; /* its host pid, only to be shown (the ping's idleJails) */
};
void run_execute(const struct run_request *req, int abort_fd, struct run_ctx *ctx, struct run_result *r,
                 bool *aborted);
void run_cleanup(struct run_ctx *ctx);

/* A pool member's jail: set up and warmed (libraries loaded) before any request, then given exactly one. */
struct warm_jail {
    struct run_ctx ctx;
    enum language language;
    int stdout_fd, stderr_fd, report_fd, stdin_fd, code_fd;
};
int run_warm_start(enum language language, struct warm_jail *w, struct ka_error *e);
void run_warm_execute(struct warm_jail *w, const struct run_request *req, int abort_fd, int lifeline_fd,
                      struct run_result *r, bool *aborted);

/* ---- pool.c: warm runtimes, one pool per language (members are forked by the serve loop) ---- */
#define POOL_MAX_SIZE 16
int pool_init(int size_python, int size_javascript);
/* Starts members up to the sizes; child_init(arg) runs first in each (what a forked worker also does). */
void pool_fill(void (*child_init)(void *), void *arg);
bool pool_reaped(pid_t pid, int wait_status); /* true if pid was a member */
int pool_timeout_ms(void); /* poll timeout until the next retry of a failed warm-up, -1 = none */
void pool_stop(void); /* tells every member not running a request to clean up and exit */
int pool_pending(void); /* this process's pool children still to end after pool_stop (the loop waits for them) */
void pool_child_init(void); /* in every child of the serve loop: only the loop may hold the stop pipe open */
int pool_stop_fd(void); /* readable (EOF) once the serve loop stops or dies */
/* The Python template's channel end for members (zygote_start_jail), -1 without a Python pool. */
int pool_template_channel(void);
/* In a worker: runs the request on a warm member if one is idle; false = take the cold path. */
bool pool_try_run(int client_fd, const char *request_json, size_t len, const struct run_request *req);
struct json_t;
struct json_t *pool_stats_json(void);

/* ---- zygote.c: the Python pool's template, exec'd by the serve loop, with the libraries loaded ---- */
/* `kata-agent python-template LOOP_PID`, with its request channel and the stop pipe at these descriptors. */
#define ZYGOTE_MODE "python-template"
enum { ZYGOTE_FD_CHANNEL = 3, ZYGOTE_FD_STOP = 4 };
/* The template's exit status when it retires after its jail count or age; the loop replaces it at once. */
#define ZYGOTE_EXIT_RETIRED 75
void zygote_main(pid_t loop_pid) __attribute__((noreturn));
/* What a Python member asks the template for: PID 1 of a new jail whose main process is a fork of the template. */
struct zygote_jail {
    struct cgroup cgroup;
    struct mount_plan mount;
    struct run_limits limits;
};
/* In a member: fds are the jail's ends (JFD_* order); returns PID 1's pidfd and host pid. */
int zygote_start_jail(int channel, const struct zygote_jail *z, const int fds[JFD_COUNT], int *pidfd, pid_t *pid,
                      struct ka_error *e);

/* ---- frame.c: 4-byte big-endian length + JSON, transport-independent ---- */
enum frame_status { FRAME_OK, FRAME_EOF, FRAME_TOO_BIG, FRAME_IO_ERROR };
enum frame_status frame_read(int fd, char **buf, size_t *len);
int frame_write(int fd, const char *buf, size_t len);

/* ---- connection.c: one request/response on a connected stream ---- */
struct agent_shared; /* shared between the serve loop and its workers */
void connection_handle(int fd, struct agent_shared *shared, int worker_index);
/* After a run: log an infra error, answer (unless the client is gone) and shut the connection; the caller cleans
 * up the run (run_cleanup) after this, off the client's clock. */
void connection_answer(int fd, const struct run_result *r, bool aborted);

/* ---- transport_unix.c ---- */
struct unix_listen_opts {
    const char *path;
    mode_t mode;
    const char *group; /* NULL = keep */
};
int transport_unix_listen(const struct unix_listen_opts *opts, struct ka_error *e);

/* ---- server.c: accept loop, one forked worker per connection ---- */
struct server_opts {
    int listen_fd;
    const char *socket_path; /* unlinked on SIGTERM */
    int max_runs;
};
int server_loop(const struct server_opts *opts);
void server_shared_set_running(struct agent_shared *s, int worker_index, bool running);
int server_runs_in_flight(const struct agent_shared *s);

/* ---- client.c: `kata-agent call`, a request to a serving agent (req NULL = ping) ---- */
int client_call(const char *socket_path, const struct run_request *req);

/* ---- check.c ---- */
int check_host(void);

#endif
