/* The Python pool's template ("zygote"): a process the serve loop execs (`kata-agent python-template`, from a sealed
 * copy of this binary, with the jail's environment) that loads libpython (dlopen, so the agent's other modes do not
 * pay for it), initialises it as `python3 -I -c` would (isolated, sys.argv ['-c'], the jail's environment, its
 * signal set-up), imports the preloaded modules once, freezes the GC (so children do not copy the template's pages
 * just to scan them), and then only starts jails for the Python pool's members: it never runs user code.
 *
 * Exec'd, not forked from the serve loop: every run is a fork of the template, and must share no memory with a root
 * process (the loop's pool and worker tables are MAP_SHARED) nor its address-space layout and AT_RANDOM (stack
 * canary, pointer guard). Runs forked from one template do share its layout with each other; the template retires
 * after TEMPLATE_MAX_JAILS jails or TEMPLATE_MAX_AGE_MS, and the loop execs a new one.
 *
 * A Python member (pool.c) sets up a jail's slot, cgroups and pipes as a cold run does (run.c), then asks the
 * template, on its channel, for the jail's PID 1 with the jail's ends of the pipes. The template clones PID 1 into
 * new namespaces with CLONE_VM | CLONE_VFORK: PID 1 runs on the template's memory, without a copy, while the
 * template waits. It joins the cgroups, builds the root and forks the main process, which is thus the one copy of
 * the template per run, and then execs the small reaper (reaper/jail_init.c), which ends the sharing and lets the
 * template go on; the template answers the member with PID 1's pidfd.
 * The main process, instead of exec'ing python3, re-initialises the interpreter for the fork
 * (PyOS_AfterFork_Child: locks, threads, and `random`'s own reseed) and runs the same bootstrap a cold-started
 * member would (runtime.c): READY, the code, reseeded RNGs, run as "<string>", the end claim, _exit.
 *
 * The template has no network (its own net namespace), its own IPC and UTS namespaces, dies with the serve loop
 * (PR_SET_PDEATHSIG) and is invisible to runs: each run is PID 1's child in a PID namespace of its own, nested
 * below the template's. It stays root in the host's mount namespace, where its jails' roots are built. Its pages are
 * charged to the agent's memory cgroup, not to any run's. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "agent.h"

#include <dlfcn.h>
#include <malloc.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#define LIBPYTHON "libpython3.11.so.1.0"
/* a member's wait for its jail: the template may still be importing pandas, or restarting */
#define ZYGOTE_ANSWER_TIMEOUT_MS 60000
#define PYTHON_PROGRAM L"/usr/bin/python3"
#define HUGE_PAGE (2UL << 20)
#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE 25 /* Linux 6.1; glibc 2.36's headers predate it */
#endif

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
    void (*set_arena_allocator)(PyObjectArenaAllocator *);
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
    PY_SYM(set_arena_allocator, "PyObject_SetArenaAllocator")
#undef PY_SYM
    return 0;
}

/* pymalloc's arenas (and the interpreter's 16 KiB frame stacks, which come from the same allocator), from one
 * reserved range instead of an mmap each: one mapping, 2 MiB-aligned, which the template can turn into huge pages
 * (anon_to_huge_pages) where separate 1 MiB mappings could not be. Runs inherit it. The allocator is called under
 * the GIL, one call at a time. */
#define ARENA_RANGE (1UL << 30) /* address space only: pages exist once touched */
#define FREED_BLOCKS_MAX 64

struct arena_block {
    void *p;
    size_t size;
};

static struct {
    char *base, *next, *end;
    size_t freed_count;
    struct arena_block freed[FREED_BLOCKS_MAX]; /* given back, pages dropped: handed out again for the same size */
} arenas;

static void *arena_alloc(void *ctx, size_t size)
{
    (void)ctx;
    for (size_t i = 0; i < arenas.freed_count; i++)
        if (arenas.freed[i].size == size) {
            void *p = arenas.freed[i].p;
            arenas.freed[i] = arenas.freed[--arenas.freed_count];
            return p;
        }
    if (arenas.base != NULL && size <= (size_t)(arenas.end - arenas.next)) {
        void *p = arenas.next;
        arenas.next += size;
        return p;
    }
    void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return p == MAP_FAILED ? NULL : p;
}

static void arena_free(void *ctx, void *ptr, size_t size)
{
    (void)ctx;
    if ((char *)ptr < arenas.base || (char *)ptr >= arenas.end)
        munmap(ptr, size);
    else if (madvise(ptr, size, MADV_DONTNEED) == 0 && arenas.freed_count < FREED_BLOCKS_MAX)
        arenas.freed[arenas.freed_count++] = (struct arena_block){ptr, size};
}

static void arenas_reserve(void)
{
    void *range = mmap(NULL, ARENA_RANGE + HUGE_PAGE, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (range == MAP_FAILED)
        return; /* pymalloc keeps its own mmaps */
    arenas.base = arenas.next = (char *)(((unsigned long)range + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1));
    arenas.end = arenas.base + ARENA_RANGE;
    PyObjectArenaAllocator a = {NULL, arena_alloc, arena_free};
    py.set_arena_allocator(&a);
}

/* bootstrap: runtime.c's definition of the warm bootstrap, run in __main__ once the libraries are loaded */
static int py_start(const char *bootstrap)
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
    /* in a throwaway namespace, so __main__ stays as clean as a fresh interpreter's (the bootstrap deletes its own
     * definition before the code runs); frozen last, so that no collection ever scans any of it */
    return py.run("exec('import " RUNTIME_PYTHON_PRELOAD "', {})") == 0 && py.run(bootstrap) == 0 &&
                   py.run("exec('import gc\\ngc.freeze()', {})") == 0
               ? 0
               : -1;
}

/* Every run's malloc starts from the free lists it inherits: after the imports those hold ~800 chunks scattered over
 * the heap, and walking them copied ~350 of the template's pages per run (a third of a print(1)'s page faults). The
 * template takes every free chunk for itself, once, so that runs allocate from the top of the heap instead. */
static void *volatile heap_sink; /* a malloc whose result is never used may be dropped by the compiler */

static void heap_take_free_chunks(void)
{
    malloc_trim(0); /* merges the fast bins' chunks into the bins, where mallinfo2 counts them */
    struct mallinfo2 now = mallinfo2();
    for (size_t size = 64 * 1024; size >= 32; size /= 2) {
        while (now.fordblks - now.keepcost >= size) {
            void *p = malloc(size - 2 * sizeof(size_t));
            struct mallinfo2 after = mallinfo2();
            /* no free chunk was this big: it came from the top of the heap (or grew it): give it back */
            if (p == NULL || after.keepcost < now.keepcost || after.arena > now.arena || after.hblkhd > now.hblkhd) {
                free(p);
                now = mallinfo2();
                break;
            }
            heap_sink = p;
            now = after;
        }
    }
}

/* fork copies, and a run's exit frees, one page table entry per 4 KiB of the template's ~40 MiB of anonymous memory;
 * a 2 MiB page is one entry, and a run's writes split only the huge pages they touch. Best effort: whatever the
 * kernel cannot collapse stays as it is. */
static void anon_to_huge_pages(void)
{
    FILE *maps = fopen("/proc/self/maps", "re");
    char line[512];
    while (maps != NULL && fgets(line, sizeof line, maps) != NULL) {
        unsigned long start, end, inode;
        char perms[8];
        if (sscanf(line, "%lx-%lx %7s %*x %*x:%*x %lu", &start, &end, perms, &inode) != 4 || inode != 0 ||
            perms[1] != 'w' || perms[3] != 'p' || strstr(line, "[stack]") != NULL)
            continue;
        unsigned long from = (start + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1), to = end & ~(HUGE_PAGE - 1);
        if (from < to)
            (void)madvise((void *)from, to - from, MADV_COLLAPSE);
    }
    if (maps != NULL)
        fclose(maps);
}

/* Whether any mapping is both shared and writable: one would be memory another process (a root one, or another run)
 * also sees. The template maps none and is exec'd, so none is inherited; this is the backstop should that change. */
static bool maps_have_shared_writable(void)
{
    FILE *maps = fopen("/proc/self/maps", "re");
    char line[512];
    bool found = maps == NULL;
    while (!found && fgets(line, sizeof line, maps) != NULL) {
        char perms[8];
        found = sscanf(line, "%*x-%*x %7s", perms) == 1 && perms[1] == 'w' && perms[3] == 's';
        while (strchr(line, '\n') == NULL && fgets(line, sizeof line, maps) != NULL)
            ; /* the rest of a long line (a long path) */
    }
    if (maps != NULL)
        fclose(maps);
    return found;
}

/* The main process of a member's jail, privileges dropped and seccomp loaded (init.c), in place of execve. */
static void run_in_process(const struct runtime_cmd *cmd) __attribute__((noreturn));
static void run_in_process(const struct runtime_cmd *cmd)
{
    if (maps_have_shared_writable()) {
        /* the member's warm-up then fails (no READY) and is retried; no code is ever handed to this process */
        static const char msg[] = "kata-agent: python template: a shared writable mapping: refusing to take code\n";
        (void)!write(STDERR_FILENO, msg, sizeof msg - 1);
        _exit(127);
    }
    py.after_fork_child();
    /* init.c reset every signal for an exec that does not happen here: put back python3's own start-up set-up
     * (SIGPIPE and SIGXFSZ ignored, so they surface as exceptions; SIGINT raises KeyboardInterrupt) */
    signal(SIGPIPE, SIG_IGN);
    signal(SIGXFSZ, SIG_IGN);
    py.run("exec('import signal\\nsignal.signal(signal.SIGINT, signal.default_int_handler)', {})");
    (void)cmd;
    py.run(RUNTIME_PYTHON_BOOT_CALL); /* the bootstrap; it ends in os._exit */
    _exit(1);             /* the bootstrap itself failed (its traceback is on the run's stderr) */
}

/* ---------------------------------------------------------------- the member's side */

/* One message on the channel: the request as data, the jail's ends and the answer socket as SCM_RIGHTS. */
enum { JAIL_FDS = JFD_COUNT + 1 };

struct jail_answer {
    int err; /* 0, or the errno of the failed clone */
    pid_t pid; /* PID 1's host pid */
};

int zygote_start_jail(int channel, const struct zygote_jail *z, const int fds[JFD_COUNT], int *pidfd, pid_t *pid,
                      struct ka_error *e)
{
    int answer_pair[2];
    if (channel < 0)
        return error_setf(e, "no python template");
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, answer_pair) < 0)
        return error_set(e, "socketpair template answer");
    int all[JAIL_FDS];
    memcpy(all, fds, JFD_COUNT * sizeof(int));
    all[JFD_COUNT] = answer_pair[1];
    int sent = fdio_send_fds(channel, z, sizeof *z, all, JAIL_FDS, 0);
    close(answer_pair[1]);
    struct jail_answer answer;
    /* the template may be starting (pandas takes a while) or restarting: wait, but not past a stop */
    struct pollfd p[2] = {{answer_pair[0], POLLIN, 0}, {pool_stop_fd(), POLLIN, 0}};
    int got = sent == 0 && poll(p, 2, ZYGOTE_ANSWER_TIMEOUT_MS) > 0 && p[0].revents
                  ? fdio_recv_fds(answer_pair[0], &answer, sizeof answer, pidfd, 0, 1, 0)
                  : -1;
    close(answer_pair[0]);
    if (got != 1) {
        if (got == 0)
            errno = answer.err;
        return got == 0 ? error_set(e, "the python template could not clone the jail")
                        : error_setf(e, "no answer from the python template");
    }
    *pid = answer.pid;
    return 0;
}

/* ---------------------------------------------------------------- the template's side */

static struct {
    scmp_filter_ctx filter;    /* every jail's seccomp filter, built once */
    struct runtime_cmd cmd;    /* the warm bootstrap */
    int reaper_fd;             /* the reaper's image, which PID 1 execs once the main process is forked */
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
    struct zygote_jail z;
    int fds[JAIL_FDS];
    if (fdio_recv_fds(channel, &z, sizeof z, fds, JAIL_FDS, JAIL_FDS, 0) < 0)
        return;
    struct init_plan plan;
    memset(&plan, 0, sizeof plan);
    memcpy(plan.fds, fds, sizeof plan.fds);
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
    struct jail_answer answer = {pid < 0 ? errno : 0, pid};
    (void)fdio_send_fds(fds[JFD_COUNT], &answer, sizeof answer, &pidfd, pid > 0 ? 1 : 0, 0);
    for (int i = 0; i < JAIL_FDS; i++)
        close(fds[i]);
    if (pidfd >= 0)
        close(pidfd);
}

/* A template is replaced after this many jails or this long, whichever comes first: every run forked from one
 * template shares its address-space layout and AT_RANDOM (stack canary, pointer guard), so these bound how many runs
 * share them and for how long. A replacement costs one interpreter start with the imports, spread over many runs. */
#define TEMPLATE_MAX_JAILS 2000
#define TEMPLATE_MAX_AGE_MS (10 * 60 * 1000)

static void template_loop(int channel, int stop_fd) __attribute__((noreturn));
static void template_loop(int channel, int stop_fd)
{
    /* our children are the jails' PID 1s: the kernel reaps them the moment they end, so a member can remove its
     * cgroups right after its jail is gone (a zombie would still hold them), and their status is not ours to read */
    signal(SIGCHLD, SIG_IGN);
    int64_t retire_ns = clock_now_ns() + TEMPLATE_MAX_AGE_MS * 1000000LL;
    for (int jails = 0;;) {
        if (jails >= TEMPLATE_MAX_JAILS || clock_now_ns() >= retire_ns)
            _exit(ZYGOTE_EXIT_RETIRED); /* requests still queued on the channel wait for the replacement */
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

void zygote_main(pid_t loop_pid)
{
    /* PR_SET_PDEATHSIG was set before the exec: an orphaned template would keep its members waiting for nobody */
    if (getppid() != loop_pid)
        _exit(1);
    int channel = ZYGOTE_FD_CHANNEL;
    /* ours alone: the jails we clone must not inherit them (PID 1 closes what it does not know anyway) */
    if (fcntl(channel, F_SETFD, FD_CLOEXEC) < 0 || fcntl(ZYGOTE_FD_STOP, F_SETFD, FD_CLOEXEC) < 0)
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
    if (py_load() < 0)
        _exit(1);
    arenas_reserve();
    if (py_start(tpl.cmd.argv[3]) < 0)
        _exit(1);
    heap_take_free_chunks();
    anon_to_huge_pages();
    template_loop(channel, ZYGOTE_FD_STOP);
}
