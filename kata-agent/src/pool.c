/* Warm runtimes: per language, a pool of members, each a process forked by the serve loop that sets up one jail of
 * its own exactly as a cold run does (slot, uid, cgroups, namespaces, root, privileges, seccomp: run.c), starts the
 * runtime in it with the preinstalled libraries loaded (runtime.c's bootstrap; for Python, the jail's PID 1 and
 * main process come from the template of zygote.c, which has the libraries loaded), and then waits, idle, for one
 * request. The member is that run's supervisor; it answers the client itself and exits: nothing that ran user code
 * is ever reused, and its parent forks a replacement as soon as a member is taken (refill in the background).
 *
 * Handover, between the worker that read the request and an idle member:
 *   1. the worker claims a unit of the language's `idle` counter (shared memory; 0 = take the cold path now);
 *   2. it sends, on the language's SOCK_SEQPACKET channel, the client connection, a memfd with the request and one
 *      end of a fresh socketpair, the lifeline; whichever idle member receives it answers 'A' on the lifeline;
 *   3. the worker answers 'G' (committed: the member runs it) or, if no 'A' came within HANDOVER_TIMEOUT_MS,
 *      closes the lifeline and runs the request cold (a member that gets the message later sees EOF instead of 'G'
 *      and goes back to waiting); no request ever waits on the pool for longer than that;
 *   4. the worker waits for the lifeline's EOF (the member is done) and exits; it stays the process the serve loop
 *      counts (runsInFlight, draining), and if it is killed, the lifeline's hang-up makes the member kill the run.
 * Until it is taken, a member dies with its parent (PR_SET_PDEATHSIG), and ends cleanly, removing its own cgroups,
 * when the serve loop stops (the stop pipe). */
#include "agent.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <linux/futex.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define HANDOVER_TIMEOUT_MS 1000
/* An empty pool with members warming up: a request waits this long for one before it goes cold. Under load a
 * member is ready within a few tens of ms, and a cold run then costs more CPU than the warm run and its refill
 * together (print(1) with 4 clients: 90% warm hits instead of 60%, 129 runs/s instead of 122). */
#define CLAIM_WAIT_MS 50
#define AFTER_ANSWER_PAUSE_MS 25
/* a member whose warm-up failed is replaced only after this (a broken runtime must not make the loop spin) */
#define RETRY_AFTER_FAILURE_MS 2000
/* members alive per language at once: idle ones plus those running a request */
#define POOL_TABLE 64
/* what a warm Python run's /proc/self/exe shows: "/memfd:python3-template (deleted)" */
#define TEMPLATE_EXE_NAME "python3-template"

enum member_state { M_FREE = 0, M_WARMING, M_IDLE, M_BUSY };

struct member {
    pid_t pid; /* written by the serve loop */
    pid_t jail_pid; /* PID 1 of its jail, written by the member */
    int state; /* written by the member (and by the serve loop before the fork and after the reap) */
};

/* MAP_SHARED between the serve loop, its workers and the members: counters and member states only. Nothing a
 * process acts on without checking it (descriptors, sizes) lives here, and no process that runs user code, or is
 * forked from one that will, ever maps it: the Python template is exec'd, Node runtimes exec node. */
struct pool_lang {
    int idle; /* members waiting for a request, minus claims in flight */
    long hits, misses, refills;
    long refill_us_last, refill_us_total; /* a member's warm-up: fork to READY */
    struct member members[POOL_TABLE];
};

/* Private to each process (set before any fork, then only read): what members and workers act on. */
struct pool_conf {
    int size;
    int channel[2]; /* [0]: workers send a handover, [1]: idle members receive it */
    int64_t retry_after_ns; /* serve loop only */
};

static const char *const lang_names[KA_LANGUAGES] = {"python", "javascript"};
static struct pool_lang *pools; /* [LANG_PYTHON], [LANG_JAVASCRIPT]; NULL until pool_init */
static struct pool_conf conf[KA_LANGUAGES];
static bool stopping;
/* The serve loop holds the write end alone; its close (a stop, or the loop's death) tells idle members and the
 * template to end: a member then kills its jail and removes its own cgroups (their slot lock is its own). */
static int stop_pipe[2] = {-1, -1};
/* The Python template (zygote.c), a child of the serve loop, and its request channel: [0] for members, [1] its own.
 * The loop keeps both, so requests queued when a template dies are served by its replacement. */
static pid_t template_pid; /* serve loop only */
static int template_channel[2] = {-1, -1};
static int template_image = -1; /* serve loop only: a sealed copy of this binary, which the template is exec'd from */

/* The template is exec'd, not forked from the serve loop, so that it (and every run forked from it) has its own
 * address-space layout and AT_RANDOM (stack canary, pointer guard) and none of the loop's memory, shared mappings
 * included. It is exec'd from a sealed copy of this binary: a run's /proc/self/exe then opens that copy, not a file
 * of the host outside its jail. */
static int template_image_create(void)
{
    int src = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
    int fd = memfd_create(TEMPLATE_EXE_NAME, MFD_CLOEXEC | MFD_ALLOW_SEALING);
    struct stat st;
    bool ok = src >= 0 && fd >= 0 && fstat(src, &st) == 0;
    for (off_t off = 0; ok && off < st.st_size;) {
        ssize_t n = sendfile(fd, src, &off, (size_t)(st.st_size - off));
        ok = n > 0;
    }
    ok = ok && fcntl(fd, F_ADD_SEALS, F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE) == 0;
    if (src >= 0)
        close(src);
    if (!ok && fd >= 0)
        close(fd);
    return ok ? fd : -1;
}

int pool_init(int size_python, int size_javascript)
{
    pools = mmap(NULL, KA_LANGUAGES * sizeof *pools, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (pools == MAP_FAILED) {
        pools = NULL;
        return -1;
    }
    memset(pools, 0, KA_LANGUAGES * sizeof *pools);
    conf[LANG_PYTHON].size = size_python;
    conf[LANG_JAVASCRIPT].size = size_javascript;
    if (pipe2(stop_pipe, O_CLOEXEC) < 0)
        return -1;
    for (int l = 0; l < KA_LANGUAGES; l++) {
        conf[l].channel[0] = conf[l].channel[1] = -1;
        if (conf[l].size > 0 && socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, conf[l].channel) < 0)
            return -1;
    }
    if (size_python > 0 && (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, template_channel) < 0 ||
                            (template_image = template_image_create()) < 0))
        return -1;
    return 0;
}

int pool_template_channel(void)
{
    return template_channel[0];
}

/* One more idle member; wakes a worker waiting for one (claim_member). */
static void idle_add(struct pool_lang *pl)
{
    __atomic_add_fetch(&pl->idle, 1, __ATOMIC_SEQ_CST);
    syscall(SYS_futex, &pl->idle, FUTEX_WAKE, 1, NULL, NULL, 0);
}

static bool counter_take(int *counter)
{
    int n = __atomic_load_n(counter, __ATOMIC_SEQ_CST);
    while (n > 0 && !__atomic_compare_exchange_n(counter, &n, n - 1, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
        ;
    return n > 0;
}

/* ---------------------------------------------------------------- the member */

struct handover {
    int client_fd, request_fd, lifeline_fd;
};

static void handover_close(struct handover *h)
{
    close(h->client_fd);
    close(h->request_fd);
    close(h->lifeline_fd);
}

/* The message is one byte and the three descriptors (handover_send). */
static int handover_recv(int channel, struct handover *h)
{
    char byte;
    int fds[3];
    /* EAGAIN: another idle member was faster */
    if (fdio_recv_fds(channel, &byte, 1, fds, 3, 3, MSG_DONTWAIT) < 0)
        return -1;
    *h = (struct handover){fds[0], fds[1], fds[2]};
    return 0;
}

/* 'A' out, then 'G' in: the worker committed. EOF: it gave up on us and went cold. */
static bool handover_commit(const struct handover *h)
{
    char go = 0;
    return write(h->lifeline_fd, "A", 1) == 1 && read(h->lifeline_fd, &go, 1) == 1 && go == 'G';
}

void pool_child_init(void)
{
    if (stop_pipe[1] >= 0)
        close(stop_pipe[1]);
    stop_pipe[1] = -1;
}

int pool_stop_fd(void)
{
    return stop_pipe[0];
}

/* Waits for a committed handover; returns -1 if the idle jail died or the pool is stopping. */
static int member_wait(struct pool_lang *pl, int channel, const struct warm_jail *w, struct handover *h)
{
    for (;;) {
        /* the jail says nothing until its code arrives: anything on the report pipe, EOF included, is its end */
        struct pollfd p[3] = {{channel, POLLIN, 0}, {w->report_fd, POLLIN, 0}, {stop_pipe[0], POLLIN, 0}};
        if (poll(p, 3, -1) < 0 && errno != EINTR)
            return -1;
        if (p[1].revents || p[2].revents)
            return -1;
        if (!(p[0].revents & POLLIN) || handover_recv(channel, h) < 0)
            continue;
        if (handover_commit(h))
            return 0;
        /* stale: the worker already ran it cold; the claim it made on us is given back */
        handover_close(h);
        idle_add(pl);
    }
}

static int read_request(int fd, struct run_request *req)
{
    struct stat st;
    enum request_op op;
    struct request_rejection rej;
    if (fstat(fd, &st) < 0 || st.st_size <= 0)
        return -1;
    char *json = malloc((size_t)st.st_size);
    int rc = json != NULL && pread(fd, json, (size_t)st.st_size, 0) == st.st_size &&
                     request_parse(json, (size_t)st.st_size, &op, req, &rej) == 0 && op == OP_RUN
                 ? 0
                 : -1;
    free(json);
    return rc;
}

/* Runs the request and answers; the caller cleans up. */
static void member_run(struct warm_jail *w, struct handover *h)
{
    struct run_request req;
    struct run_result r;
    bool aborted = false;
    memset(&req, 0, sizeof req);
    result_init(&r);
    if (read_request(h->request_fd, &req) < 0)
        result_infra(&r, "warm handover: cannot read the request");
    else
        run_warm_execute(w, &req, h->client_fd, h->lifeline_fd, &r, &aborted);
    connection_answer(h->client_fd, &r, aborted);
    result_free(&r);
    request_free(&req);
}

static void member_main(enum language lang, int index) __attribute__((noreturn));
static void member_main(enum language lang, int index)
{
    struct pool_lang *pl = &pools[lang];
    struct member *m = &pl->members[index];
    pid_t loop_pid = getppid();
    /* an idle member is only worth anything to its serve loop: it goes (and its jail with it) when the loop does */
    if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0 || getppid() != loop_pid)
        _exit(1);
    for (int l = 0; l < KA_LANGUAGES; l++) {
        if (conf[l].channel[0] >= 0)
            close(conf[l].channel[0]);
        if (l != (int)lang && conf[l].channel[1] >= 0)
            close(conf[l].channel[1]);
    }
    if (template_channel[1] >= 0)
        close(template_channel[1]);
    int64_t t0 = clock_now_ns();
    struct warm_jail w;
    struct ka_error e = {{0}};
    if (run_warm_start(lang, &w, &e) < 0) {
        fprintf(stderr, "kata-agent: %s pool: %s\n", lang_names[lang], e.msg);
        run_cleanup(&w.ctx);
        _exit(1);
    }
    long us = (long)((clock_now_ns() - t0) / 1000);
    __atomic_store_n(&pl->refill_us_last, us, __ATOMIC_SEQ_CST);
    __atomic_add_fetch(&pl->refill_us_total, us, __ATOMIC_SEQ_CST);
    __atomic_add_fetch(&pl->refills, 1, __ATOMIC_SEQ_CST);
    m->jail_pid = w.ctx.init_pid;
    __atomic_store_n(&m->state, M_IDLE, __ATOMIC_SEQ_CST);
    idle_add(pl);
    struct handover h;
    if (member_wait(pl, conf[lang].channel[1], &w, &h) < 0) {
        run_cleanup(&w.ctx); /* kills the idle jail first */
        _exit(0);
    }
    __atomic_store_n(&m->state, M_BUSY, __ATOMIC_SEQ_CST);
    /* taken: from here on this is an in-flight run, which outlives the serve loop like a worker's does */
    prctl(PR_SET_PDEATHSIG, 0, 0, 0, 0);
    close(conf[lang].channel[1]);
    member_run(&w, &h);
    /* the refill and the jail's teardown wait until the client has had a moment with its answer: the service still
     * bills the run and answers over HTTP, and on two cores ~10 ms of our CPU beside that slowed it down (print(1)
     * over HTTP, medians of 80: 17.8 and 15.6 ms with the pause, 18.3 and 19.9 without; throughput unchanged); a
     * refill beside the run itself had doubled the run's time */
    usleep(AFTER_ANSWER_PAUSE_MS * 1000);
    kill(loop_pid, SIGUSR1);
    run_cleanup(&w.ctx);
    handover_close(&h);
    _exit(0);
}

/* ---------------------------------------------------------------- the serve loop's side */

static int members_not_busy(const struct pool_lang *pl)
{
    int n = 0;
    for (int i = 0; i < POOL_TABLE; i++)
        n += pl->members[i].state == M_WARMING || pl->members[i].state == M_IDLE;
    return n;
}

static void spawn_member(enum language lang, int index, void (*child_init)(void *), void *arg)
{
    struct member *m = &pools[lang].members[index];
    m->state = M_WARMING;
    pid_t pid = fork();
    if (pid == 0) {
        child_init(arg);
        member_main(lang, index);
    }
    if (pid < 0) {
        perror("kata-agent: fork pool member");
        m->state = M_FREE;
        conf[lang].retry_after_ns = clock_now_ns() + RETRY_AFTER_FAILURE_MS * 1000000LL;
        return;
    }
    m->pid = pid;
}

/* Python members need the template: it is started first (their requests wait in its channel meanwhile). */
static bool template_missing(enum language lang)
{
    return lang == LANG_PYTHON && template_pid == 0;
}

/* Whether the serve loop has something to start for the language (ignoring a pending retry). */
static bool needs_fill(enum language lang)
{
    return conf[lang].size > 0 && (template_missing(lang) || members_not_busy(&pools[lang]) < conf[lang].size);
}

/* In the forked child: the channel and the stop pipe at the numbers zygote_main expects, nothing else inherited,
 * the jail's environment (none of the agent's), and the template's own program image. */
static void exec_template(void) __attribute__((noreturn));
static void exec_template(void)
{
    /* an orphaned template would keep its members' slots and memory for nobody; kept across the exec */
    if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0)
        _exit(127);
    /* out of the way first: either may have the other's target number */
    int image = fcntl(template_image, F_DUPFD_CLOEXEC, ZYGOTE_FD_STOP + 1);
    int channel = fcntl(template_channel[1], F_DUPFD_CLOEXEC, ZYGOTE_FD_STOP + 1);
    int stop = fcntl(stop_pipe[0], F_DUPFD_CLOEXEC, ZYGOTE_FD_STOP + 1);
    if (image < 0 || channel < 0 || stop < 0 || dup2(channel, ZYGOTE_FD_CHANNEL) < 0 || dup2(stop, ZYGOTE_FD_STOP) < 0)
        _exit(127);
    close_range(ZYGOTE_FD_STOP + 1, ~0U, CLOSE_RANGE_CLOEXEC);
    struct runtime_cmd cmd;
    struct run_limits limits;
    request_default_limits(&limits);
    if (runtime_prepare_warm(LANG_PYTHON, &limits, &cmd) < 0)
        _exit(127);
    char loop_pid[16];
    snprintf(loop_pid, sizeof loop_pid, "%d", (int)getppid());
    char *argv[] = {"kata-agent", ZYGOTE_MODE, loop_pid, NULL};
    execveat(image, "", argv, cmd.envp, AT_EMPTY_PATH);
    perror("kata-agent: exec the python template");
    _exit(127);
}

static void spawn_template(void (*child_init)(void *), void *arg)
{
    pid_t pid = fork();
    if (pid == 0) {
        child_init(arg);
        exec_template();
    }
    if (pid < 0) {
        perror("kata-agent: fork the python template");
        conf[LANG_PYTHON].retry_after_ns = clock_now_ns() + RETRY_AFTER_FAILURE_MS * 1000000LL;
        return;
    }
    template_pid = pid;
}

void pool_fill(void (*child_init)(void *), void *arg)
{
    if (pools == NULL || stopping)
        return;
    for (int l = 0; l < KA_LANGUAGES; l++) {
        struct pool_lang *pl = &pools[l];
        if (!needs_fill((enum language)l) || clock_now_ns() < conf[l].retry_after_ns)
            continue;
        if (template_missing((enum language)l))
            spawn_template(child_init, arg);
        if (template_missing((enum language)l))
            continue;
        for (int i = 0; i < POOL_TABLE && members_not_busy(pl) < conf[l].size; i++)
            if (pl->members[i].state == M_FREE)
                spawn_member((enum language)l, i, child_init, arg);
    }
}

/* The template died: so did the jails it started (their PID 1 is its child, with PR_SET_PDEATHSIG), and their
 * members end on seeing it, to be replaced by the loop like any other. */
static void template_reaped(int wait_status)
{
    template_pid = 0;
    /* a template that retired (zygote.c: its age or jail count) is replaced at once */
    if (stopping || (WIFEXITED(wait_status) && WEXITSTATUS(wait_status) == ZYGOTE_EXIT_RETIRED))
        return;
    fprintf(stderr, "kata-agent: python pool: the template ended (wait status %d); restarting it\n", wait_status);
    conf[LANG_PYTHON].retry_after_ns = clock_now_ns() + RETRY_AFTER_FAILURE_MS * 1000000LL;
}

bool pool_reaped(pid_t pid, int wait_status)
{
    if (pools != NULL && template_pid > 0 && pid == template_pid) {
        template_reaped(wait_status);
        return true;
    }
    for (int l = 0; pools != NULL && l < KA_LANGUAGES; l++) {
        for (int i = 0; i < POOL_TABLE; i++) {
            struct member *m = &pools[l].members[i];
            if (m->pid != pid || m->state == M_FREE)
                continue;
            /* an idle member that died (killed, or its jail did) can no longer take the claim it offered */
            if (m->state == M_IDLE)
                (void)counter_take(&pools[l].idle);
            if (m->state == M_WARMING && !stopping) {
                fprintf(stderr, "kata-agent: %s pool: a member failed to warm up (wait status %d); retrying\n",
                        lang_names[l], wait_status);
                conf[l].retry_after_ns = clock_now_ns() + RETRY_AFTER_FAILURE_MS * 1000000LL;
            }
            m->pid = 0;
            m->state = M_FREE;
            return true;
        }
    }
    return false;
}

int pool_timeout_ms(void)
{
    int timeout = -1;
    for (int l = 0; pools != NULL && !stopping && l < KA_LANGUAGES; l++) {
        if (conf[l].retry_after_ns == 0 || !needs_fill((enum language)l))
            continue;
        int ms = clock_ms_until(conf[l].retry_after_ns) + 1;
        timeout = timeout < 0 || ms < timeout ? ms : timeout;
    }
    return timeout;
}

void pool_stop(void)
{
    stopping = true;
    for (int l = 0; pools != NULL && l < KA_LANGUAGES; l++)
        __atomic_store_n(&pools[l].idle, 0, __ATOMIC_SEQ_CST);
    /* idle and warming members kill their jails, clean up and exit; a taken member is an in-flight run: draining
     * lets it finish. The template may be deep in its imports and would not look at the stop pipe for seconds: it
     * is killed. The jails it started do not depend on it any more (their reaper is on its own), and a member
     * still waiting for its answer sees EOF. */
    if (template_pid > 0)
        kill(template_pid, SIGKILL);
    pool_child_init();
}

int pool_pending(void)
{
    int n = template_pid > 0;
    for (int l = 0; pools != NULL && l < KA_LANGUAGES; l++)
        n += members_not_busy(&pools[l]);
    return n;
}

/* ---------------------------------------------------------------- the worker's side */

static int handover_send(int channel, const struct handover *h)
{
    int fds[3] = {h->client_fd, h->request_fd, h->lifeline_fd};
    return fdio_send_fds(channel, "H", 1, fds, 3, MSG_DONTWAIT);
}

static bool members_warming(const struct pool_lang *pl)
{
    for (int i = 0; i < POOL_TABLE; i++)
        if (__atomic_load_n(&pl->members[i].state, __ATOMIC_SEQ_CST) == M_WARMING)
            return true;
    return false;
}

/* A unit of the idle counter; with none, and members warming up, waits up to CLAIM_WAIT_MS for one. */
static bool claim_member(struct pool_lang *pl)
{
    int64_t deadline = clock_now_ns() + CLAIM_WAIT_MS * 1000000LL;
    while (!counter_take(&pl->idle)) {
        int64_t left = deadline - clock_now_ns();
        if (left <= 0 || !members_warming(pl))
            return false;
        struct timespec t = {(time_t)(left / 1000000000LL), (long)(left % 1000000000LL)};
        syscall(SYS_futex, &pl->idle, FUTEX_WAIT, 0, &t, NULL, 0);
    }
    return true;
}

/* Sends the request to whichever member is idle; returns our end of the lifeline once one committed, else -1. */
static int hand_over(int channel, int client_fd, const char *json, size_t len)
{
    int lifeline[2];
    int request_fd = memfd_create("request", MFD_CLOEXEC);
    if (request_fd < 0)
        return -1;
    if (fdio_write_all(request_fd, json, len) < 0 ||
        socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, lifeline) < 0) {
        close(request_fd);
        return -1;
    }
    struct handover h = {client_fd, request_fd, lifeline[1]};
    int sent = handover_send(channel, &h);
    close(request_fd);
    close(lifeline[1]);
    char ack = 0;
    struct pollfd p = {lifeline[0], POLLIN, 0};
    if (sent == 0 && poll(&p, 1, HANDOVER_TIMEOUT_MS) == 1 && read(lifeline[0], &ack, 1) == 1 && ack == 'A' &&
        write(lifeline[0], "G", 1) == 1)
        return lifeline[0];
    close(lifeline[0]);
    return -1;
}

bool pool_try_run(int client_fd, const char *request_json, size_t len, const struct run_request *req)
{
    if (pools == NULL || conf[req->language].size == 0)
        return false;
    struct pool_lang *pl = &pools[req->language];
    struct run_limits defaults;
    request_default_limits(&defaults);
    /* a member's memory limit, heap cap and RLIMIT_NPROC were set at warm-up, to the defaults */
    bool fits = req->limits.mem_limit_bytes == defaults.mem_limit_bytes &&
                req->limits.pids_limit == defaults.pids_limit;
    int lifeline = fits && claim_member(pl) ? hand_over(conf[req->language].channel[0], client_fd, request_json, len) : -1;
    if (lifeline < 0) {
        __atomic_add_fetch(&pl->misses, 1, __ATOMIC_SEQ_CST);
        return false;
    }
    __atomic_add_fetch(&pl->hits, 1, __ATOMIC_SEQ_CST);
    char byte;
    ssize_t n;
    while ((n = read(lifeline, &byte, 1)) > 0 || (n < 0 && errno == EINTR))
        ; /* the member writes nothing more: this returns at its end (or its death) */
    close(lifeline);
    return true;
}

json_t *pool_stats_json(void)
{
    json_t *o = json_object();
    for (int l = 0; pools != NULL && l < KA_LANGUAGES; l++) {
        const struct pool_lang *pl = &pools[l];
        json_t *idle = json_array(), *jails = json_array();
        for (int i = 0; i < POOL_TABLE; i++)
            if (pl->members[i].state == M_IDLE) {
                json_array_append_new(idle, json_integer(pl->members[i].pid));
                json_array_append_new(jails, json_integer(pl->members[i].jail_pid));
            }
        long refills = pl->refills;
        json_object_set_new(
            o, lang_names[l],
            json_pack("{s:i, s:i, s:o, s:o, s:I, s:I, s:I, s:f, s:f}", "size", conf[l].size, "idle",
                      (int)json_array_size(idle), "idleMembers", idle, "idleJails", jails, "hits", (json_int_t)pl->hits, "misses", (json_int_t)pl->misses, "refills",
                      (json_int_t)refills, "refillMsLast", (double)pl->refill_us_last / 1000.0, "refillMsAvg",
                      refills > 0 ? (double)pl->refill_us_total / 1000.0 / (double)refills : 0.0));
    }
    return o;
}
