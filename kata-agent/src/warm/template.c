/* The Python template's process (template.h). After the exec (template_client.c) it loads libpython, initialises
 * it as `python3 -I -c` would (isolated, sys.argv ['-c'], the jail's environment, its signal set-up), runs the
 * bootstrap (runtimes/bootstrap/warm_python.py), imports the preloaded libraries and freezes the GC, and then serves
 * its channel: for each member's request it clones the jail's PID 1 with CLONE_VM | CLONE_VFORK into the jail's
 * namespaces, so PID 1 runs on the template's memory without a copy while the template waits; PID 1 joins the
 * cgroups, builds the root, forks the main process (the one copy of the template per run) and execs the small
 * reaper (reaper/jail_init.c), which ends the sharing. The template answers with PID 1's pidfd. The main process
 * re-initialises the interpreter for the fork (PyOS_AfterFork_Child) and calls the bootstrap instead of exec'ing.
 *
 * It has no network (its own net namespace), its own IPC and UTS namespaces, dies with the serve loop
 * (PR_SET_PDEATHSIG) and is invisible to runs: each run is PID 1's child in a PID namespace of its own, nested below
 * the template's. It stays root in the host's mount namespace, where its jails' roots are built. Its pages are
 * charged to the agent's memory cgroup, not to any run's. Every run forked from it shares its address-space layout
 * and AT_RANDOM with the others: it retires after a number of jails (warm.h) or TEMPLATE_MAX_AGE_MS, and the loop
 * execs a new one. */
#include "template.h"

#include "../clock.h"
#include "../fdio.h"
#include "../init.h"
#include "../ns.h"
#include "../runtime.h"
#include "../seccomp.h"
#include "libpython.h"
#include "self_maps.h"
#include "template_client.h"
#include "template_memory.h"
#include "warm.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#define PYTHON_PROGRAM L"/usr/bin/python3"

/* bootstrap: runtimes/bootstrap/warm_python.py, run in __main__ */
static int py_start(const char *bootstrap)
{
    PyConfig config;
    wchar_t *argv[] = {L"-c"};
    py.config_init(&config);
    config.isolated = 1; /* -I: no PYTHON* variables, no user site, no script directory on sys.path */
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
    /* the bootstrap's definitions go to __main__ (each run deletes them before its code runs); frozen last, so that
     * no collection in a run ever scans (and so copies) any of the template's objects */
    return py.run(bootstrap) == 0 && py.run(RUNTIME_PYTHON_PRELOAD_CALL) == 0 &&
                   py.run("exec('import gc\\ngc.freeze()', {})") == 0
               ? 0
               : -1;
}

/* Whether any mapping is both shared and writable: memory some other process (a root one, or another run) could also
 * see. Every run is a fork of the template's address space as it is when it starts serving (PID 1 shares it and
 * maps nothing; the fork copies it), so the template checks it then, once, and refuses to start any jail if one is
 * there. It maps none and is exec'd, so none is inherited: this is the backstop should that change. (Checked in each
 * run instead, every run would pay for reading the template's many mappings.) */
static bool not_shared_writable(const struct mapping *m, void *found)
{
    *(bool *)found = m->perms[1] == 'w' && m->perms[3] == 's';
    return !*(bool *)found;
}

static bool maps_have_shared_writable(void)
{
    bool found = false;
    return self_maps_each(not_shared_writable, &found) < 0 || found;
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
    (void)cmd;
    py.run(RUNTIME_PYTHON_BOOT_CALL); /* the bootstrap; it ends in os._exit */
    _exit(1); /* the bootstrap itself failed (its traceback is on the run's stderr) */
}

/* ---------------------------------------------------------------- the template's side */

static struct {
    scmp_filter_ctx filter; /* every jail's seccomp filter, built once */
    struct runtime_cmd cmd; /* the warm bootstrap */
    int reaper_fd; /* the reaper's image, which PID 1 execs once the main process is forked */
} tpl;

/* PID 1's stack: it runs on our memory while we wait (CLONE_VFORK), so one stack serves every jail in turn */
static char init_stack[256 * 1024] __attribute__((aligned(16)));

static pid_t fork_main(void)
{
    py.before_fork();
    pid_t pid = fork();
    if (pid != 0)
        py.after_fork_parent();
    return pid;
}

static int init_entry(void *plan)
{
    init_main(plan);
}

static void serve_request(int channel)
{
    struct template_jail z;
    int fds[TEMPLATE_REQUEST_FDS];
    if (fdio_recv_fds(channel, &z, sizeof z, fds, TEMPLATE_REQUEST_FDS, TEMPLATE_REQUEST_FDS, 0) < 0)
        return;
    struct init_plan plan;
    memset(&plan, 0, sizeof plan);
    memcpy(plan.fds, fds, sizeof plan.fds);
    plan.netns_fd = fds[TEMPLATE_FD_NETNS];
    plan.reaper_fd = tpl.reaper_fd;
    plan.fork_main = fork_main;
    plan.cgroup = z.cgroup;
    plan.mount = z.mount;
    plan.limits = z.limits;
    plan.filter = tpl.filter;
    plan.cmd = tpl.cmd;
    int pidfd = -1;
    pid_t pid = clone(init_entry, init_stack + sizeof init_stack,
                      CLONE_VM | CLONE_VFORK | NS_JAIL_FLAGS | CLONE_PIDFD | SIGCHLD, &plan, &pidfd);
    struct template_answer answer = {pid < 0 ? errno : 0, pid};
    (void)fdio_send_fds(fds[TEMPLATE_FD_ANSWER], &answer, sizeof answer, &pidfd, pid > 0 ? 1 : 0, 0);
    for (int i = 0; i < TEMPLATE_REQUEST_FDS; i++)
        close(fds[i]);
    if (pidfd >= 0)
        close(pidfd);
}

/* A template is replaced after this many jails or this long, whichever comes first: every run forked from one
 * template shares its address-space layout and AT_RANDOM (stack canary, pointer guard), so these bound how many runs
 * share them and for how long. A replacement costs one interpreter start with the imports, spread over many runs. */
#define TEMPLATE_MAX_AGE_MS (10 * 60 * 1000)

static void template_loop(int channel, int stop_fd, int retire_after_jails) __attribute__((noreturn));
static void template_loop(int channel, int stop_fd, int retire_after_jails)
{
    /* our children are the jails' PID 1s: the kernel reaps them the moment they end, so a member can remove its
     * cgroups right after its jail is gone (a zombie would still hold them), and their status is not ours to read */
    signal(SIGCHLD, SIG_IGN);
    int64_t retire_ns = clock_now_ns() + TEMPLATE_MAX_AGE_MS * 1000000LL;
    for (int jails = 0;;) {
        if (jails >= retire_after_jails || clock_now_ns() >= retire_ns)
            _exit(TEMPLATE_EXIT_RETIRED); /* requests still queued on the channel wait for the replacement */
        struct pollfd p[2] = {{channel, POLLIN, 0}, {stop_fd, POLLIN, 0}};
        if (poll(p, 2, clock_ms_until(retire_ns)) <= 0)
            continue;
        /* the serve loop stopped (or died): the jails we started do not need us */
        if (p[1].revents)
            _exit(0);
        if (p[0].revents & POLLIN) {
            serve_request(channel);
            jails++;
        }
    }
}

/* The jails' reaper (reaper/jail_init.c) in a file PID 1 can exec: the kernel refuses to exec a file of the host's
 * root from inside the jail (its mount is not in the jail's namespace), but not one in a memfd. Sealed: nothing can
 * change it. */
static int reaper_image(void)
{
    size_t size = (size_t)(jail_init_image_end - jail_init_image);
    int fd = memfd_create("jail-init", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    if (fd >= 0 && (fdio_write_all(fd, jail_init_image, size) < 0 ||
                    fcntl(fd, F_ADD_SEALS, F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE) < 0)) {
        close(fd);
        fd = -1;
    }
    return fd;
}

void template_main(pid_t loop_pid, const struct template_options *options)
{
    /* PR_SET_PDEATHSIG was set before the exec: an orphaned template would keep its members waiting for nobody */
    if (getppid() != loop_pid)
        _exit(1);
    int channel = TEMPLATE_FD_CHANNEL;
    /* its command name would otherwise be the number of the descriptor it was exec'd from */
    prctl(PR_SET_NAME, WARM_TEMPLATE_MODE, 0, 0, 0);
    /* ours alone: the jails we clone must not inherit them (PID 1 closes what it does not know anyway) */
    if (fcntl(channel, F_SETFD, FD_CLOEXEC) < 0 || fcntl(TEMPLATE_FD_STOP, F_SETFD, FD_CLOEXEC) < 0)
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
    runtime_set_python_in_process(run_in_process);
    struct run_limits limits;
    struct ka_error e;
    request_default_limits(&limits);
    tpl.reaper_fd = reaper_image();
    if (tpl.reaper_fd < 0 || (tpl.filter = sc_build_filter(&e)) == NULL ||
        runtime_prepare_warm(LANG_PYTHON, &limits, &tpl.cmd) < 0) {
        fprintf(stderr, "kata-agent: python template: cannot prepare its jails\n");
        _exit(1);
    }
    if (libpython_load() < 0)
        _exit(1);
    if (options->memory_tuned)
        template_memory_reserve_arenas();
    if (py_start(tpl.cmd.argv[3]) < 0)
        _exit(1);
    if (options->memory_tuned)
        template_memory_settle();
    if (maps_have_shared_writable()) {
        fprintf(stderr, "kata-agent: python template: a shared writable mapping: refusing to start jails\n");
        _exit(1);
    }
    template_loop(channel, TEMPLATE_FD_STOP, options->retire_after_jails);
}
