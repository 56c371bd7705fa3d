/* The Python pool's template ("zygote"): a child of the serve loop that loads libpython (dlopen, so the agent's
 * other modes do not pay for it), initialises it as `python3 -I -c` would (isolated, sys.argv ['-c'], the jail's
 * environment, its signal set-up), imports the preloaded modules once, freezes the GC (so children do not copy the
 * template's pages just to scan them), and then only forks pool members: it never runs user code.
 *
 * A member is a fork of the template, so it and everything it starts share the template's loaded interpreter
 * copy-on-write. It sets up its jail exactly as a cold run does (run.c: slot, cgroups, clone into new namespaces,
 * root, rlimits, uid, no capabilities, seccomp), but its main process, instead of exec'ing python3, re-initialises
 * the interpreter for the fork (PyOS_AfterFork_Child: locks, threads, and `random`'s own reseed) and runs the same
 * bootstrap a cold-started member would (runtime.c): READY, the code, reseeded RNGs, run as "<string>", _exit.
 *
 * The template has no network (its own net namespace), its own IPC and UTS namespaces, dies with the serve loop
 * (PR_SET_PDEATHSIG), and is invisible to runs: each run is PID 1's child in a PID namespace of its own, nested
 * below the template's. It must stay root in the host's mount namespace: its members create cgroups, take slot
 * locks and build jail roots there. Its pages are charged to the agent's memory cgroup, not to any run's. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "agent.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#define LIBPYTHON "libpython3.11.so.1.0"
#define PYTHON_PROGRAM L"/usr/bin/python3"

/* The few entry points the template needs, resolved at run time. */
static struct {
    void (*config_init)(PyConfig *);
    PyStatus (*config_set_string)(PyConfig *, wchar_t **, const wchar_t *);
    PyStatus (*config_set_argv)(PyConfig *, Py_ssize_t, wchar_t *const *);
    PyStatus (*initialize)(const PyConfig *);
    int (*status_exception)(PyStatus);
    void (*config_clear)(PyConfig *);
    int (*run)(const char *);
    void (*before_fork)(void);
    void (*after_fork_parent)(void);
    void (*after_fork_child)(void);
} py;

static int py_load(void)
{
    /* RTLD_GLOBAL: numpy's and pandas' extension modules resolve their Py* symbols against this library */
    void *lib = dlopen(LIBPYTHON, RTLD_NOW | RTLD_GLOBAL);
    if (lib == NULL) {
        fprintf(stderr, "kata-agent: python template: %s\n", dlerror());
        return -1;
    }
#define PY_SYM(field, name)                                                                                       \
    if ((*(void **)&py.field = dlsym(lib, name)) == NULL) {                                                       \
        fprintf(stderr, "kata-agent: python template: %s\n", dlerror());                                          \
        return -1;                                                                                                \
    }
    PY_SYM(config_init, "PyConfig_InitPythonConfig")
    PY_SYM(config_set_string, "PyConfig_SetString")
    PY_SYM(config_set_argv, "PyConfig_SetArgv")
    PY_SYM(initialize, "Py_InitializeFromConfig")
    PY_SYM(status_exception, "PyStatus_Exception")
    PY_SYM(config_clear, "PyConfig_Clear")
    PY_SYM(run, "PyRun_SimpleString")
    PY_SYM(before_fork, "PyOS_BeforeFork")
    PY_SYM(after_fork_parent, "PyOS_AfterFork_Parent")
    PY_SYM(after_fork_child, "PyOS_AfterFork_Child")
#undef PY_SYM
    return 0;
}

/* The environment a cold python3 would get (runtime.c), as os.environ will have captured it. */
static void jail_environment(void)
{
    struct runtime_cmd cmd;
    struct run_limits limits;
    request_default_limits(&limits);
    runtime_prepare_warm(LANG_PYTHON, &limits, &cmd);
    clearenv();
    for (int i = 0; cmd.envp[i] != NULL; i++)
        putenv(cmd.envp[i]); /* string literals: they outlive the environment */
    runtime_release(&cmd);
}

static int py_start(void)
{
    PyConfig config;
    wchar_t *argv[] = {L"-c"};
    py.config_init(&config);
    config.isolated = 1;   /* -I: no PYTHON* variables, no user site, no script directory on sys.path */
    config.parse_argv = 0; /* sys.argv is exactly ['-c'], as for `python3 -I -c CODE` */
    PyStatus st = py.config_set_string(&config, &config.program_name, PYTHON_PROGRAM);
    if (!py.status_exception(st))
        st = py.config_set_argv(&config, 1, argv);
    if (!py.status_exception(st))
        st = py.initialize(&config);
    py.config_clear(&config);
    if (py.status_exception(st)) {
        fprintf(stderr, "kata-agent: python template: %s: %s\n", st.func ? st.func : "init",
                st.err_msg ? st.err_msg : "failed");
        return -1;
    }
    /* in a throwaway namespace, so __main__ stays as clean as a fresh interpreter's */
    return py.run("exec('import gc, " RUNTIME_PYTHON_PRELOAD "\\ngc.freeze()', {})") == 0 ? 0 : -1;
}

/* The main process of a member's jail, privileges dropped and seccomp loaded (init.c), in place of execve. */
static void run_in_process(const struct runtime_cmd *cmd) __attribute__((noreturn));
static void run_in_process(const struct runtime_cmd *cmd)
{
    py.after_fork_child();
    /* init.c reset every signal for an exec that does not happen here: put back python3's own start-up set-up
     * (SIGPIPE and SIGXFSZ ignored, so they surface as exceptions; SIGINT raises KeyboardInterrupt) */
    signal(SIGPIPE, SIG_IGN);
    signal(SIGXFSZ, SIG_IGN);
    py.run("exec('import signal\\nsignal.signal(signal.SIGINT, signal.default_int_handler)', {})");
    py.run(cmd->argv[3]); /* the bootstrap; it ends in os._exit */
    _exit(1);             /* the bootstrap itself failed (its traceback is on the run's stderr) */
}

static pid_t fork_member(void)
{
    py.before_fork();
    pid_t pid = fork();
    if (pid != 0)
        py.after_fork_parent();
    /* the member itself runs no Python: only its jail's main process does, after PyOS_AfterFork_Child */
    return pid;
}

static sigset_t loop_mask_before;

static void member_init(void *signal_fd)
{
    close(*(int *)signal_fd);
    sigprocmask(SIG_SETMASK, &loop_mask_before, NULL);
}

static void template_loop(void) __attribute__((noreturn));
static void template_loop(void)
{
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGCHLD);
    sigaddset(&mask, SIGUSR1); /* a member was taken: refill */
    sigprocmask(SIG_BLOCK, &mask, &loop_mask_before);
    int signal_fd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
    if (signal_fd < 0)
        _exit(1);
    pool_become_template(fork_member);
    for (;;) {
        /* stopping: no more members, and the end once the idle ones have cleaned up (they die with us) */
        if (pool_stop_requested()) {
            pool_stop();
            if (pool_pending() == 0)
                _exit(0);
        }
        pool_fill(member_init, &signal_fd);
        struct pollfd p = {signal_fd, POLLIN, 0};
        if (poll(&p, 1, pool_stop_requested() ? 100 : pool_timeout_ms()) <= 0)
            continue;
        struct signalfd_siginfo si;
        while (read(signal_fd, &si, sizeof si) == (ssize_t)sizeof si)
            ;
        int status;
        pid_t pid;
        while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
            pool_reaped(pid, status);
    }
}

void zygote_main(void)
{
    pid_t loop_pid = getppid();
    /* an orphaned template would keep its members' slots and memory for nobody */
    if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0 || getppid() != loop_pid)
        _exit(1);
    /* no network, IPC or hostname of the host's: the template needs none (its members clone their own) */
    if (unshare(CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS) < 0) {
        perror("kata-agent: python template: unshare");
        _exit(1);
    }
    /* stdin and stdout of the agent are not the template's; sys.stdout must be a plain non-tty file, as a run's
     * pipe is (its buffering is decided here, once); stderr stays the agent's log */
    int null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (null_fd < 0 || dup2(null_fd, STDIN_FILENO) < 0 || dup2(null_fd, STDOUT_FILENO) < 0)
        _exit(1);
    close(null_fd);
    /* the agent's own environment (with `make run`, the database password) is still in this process's memory,
     * which every warm Python run inherits and can read with ctypes: wipe it, do not only unset it */
    for (char **e = environ; e != NULL && *e != NULL; e++)
        explicit_bzero(*e, strlen(*e));
    jail_environment();
    if (py_load() < 0 || py_start() < 0)
        _exit(1);
    runtime_set_python_in_process(run_in_process);
    template_loop();
}
