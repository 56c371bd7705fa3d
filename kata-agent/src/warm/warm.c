/* The warm path's interface (warm.h): each process's own configuration of the pools (sizes, channels, the stop
 * pipe), and the serve loop's side: filling the pools, reaping members and the template, stopping. */
#include "warm.h"

#include "../clock.h"
#include "../netns.h"
#include "../slot.h"
#include "handover.h"
#include "member.h"
#include "pool_table.h"
#include "template.h"
#include "template_client.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

/* An empty pool with members warming up: a request waits this long for one before it goes cold. A Python member
 * already warming up is ready sooner than a cold jail would be, even on a loaded machine, and a cold run costs more
 * CPU than a warm run and its refill together: going cold early would only load the machine further. A Node
 * member's warm-up is a whole node start, longer than a cold run: there, a short wait. */
static int claim_wait_ms(enum language language)
{
    return language == LANG_PYTHON ? 250 : 50;
}
/* a member (or template) whose warm-up failed is replaced only after this: a broken runtime must not make the loop
 * spin */
#define RETRY_AFTER_FAILURE_MS 2000

/* Set by warm_init before any fork, then only read (retry_after_ns: the serve loop's own). */
static struct {
    struct warm_config config;
    struct pool_counts *counts; /* [language], shared; NULL until warm_init */
    int channel[KA_LANGUAGES][2]; /* [0]: workers send a hand-over, [1]: idle members receive it */
    int64_t retry_after_ns[KA_LANGUAGES];
    /* The serve loop holds the write end alone; its close (a stop, or the loop's death) tells idle and warming
     * members and the template to end. */
    int stop_pipe[2];
    /* The Python template's request channel ([0] for members, [1] its own); the loop keeps both, so requests
     * queued when a template ends are served by its replacement. */
    int template_channel[2];
    int template_image; /* the loop's: the sealed copy of this binary the template is exec'd from */
    pid_t template_pid; /* the loop's */
    bool stopping;
} pools = {.stop_pipe = {-1, -1}, .template_channel = {-1, -1}, .template_image = -1};

int warm_init(const struct warm_config *config)
{
    pools.config = *config;
    if ((pools.counts = pool_table_create(KA_LANGUAGES)) == NULL || pipe2(pools.stop_pipe, O_CLOEXEC) < 0)
        return -1;
    for (int l = 0; l < KA_LANGUAGES; l++) {
        pools.channel[l][0] = pools.channel[l][1] = -1;
        if (config->pool_size[l] > 0 && socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pools.channel[l]) < 0)
            return -1;
    }
    if (config->pool_size[LANG_PYTHON] > 0 &&
        (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pools.template_channel) < 0 ||
         (pools.template_image = template_image_create()) < 0))
        return -1;
    return 0;
}

void warm_child_init(void)
{
    if (pools.stop_pipe[1] >= 0)
        close(pools.stop_pipe[1]);
    pools.stop_pipe[1] = -1;
}

static void retry_later(enum language language)
{
    pools.retry_after_ns[language] = clock_now_ns() + RETRY_AFTER_FAILURE_MS * 1000000LL;
}

/* ---------------------------------------------------------------- filling */

static void close_if_open(int fd)
{
    if (fd >= 0)
        close(fd);
}

/* In the member, first: only its own language's receiving end stays open. */
static void member_start(enum language language, int index, const struct slot *run_slot, int netns_fd)
    __attribute__((noreturn));
static void member_start(enum language language, int index, const struct slot *run_slot, int netns_fd)
{
    for (int l = 0; l < KA_LANGUAGES; l++) {
        close_if_open(pools.channel[l][0]);
        if (l != (int)language)
            close_if_open(pools.channel[l][1]);
    }
    close_if_open(pools.template_channel[1]);
    close_if_open(pools.template_image);
    struct member_env env = {
        .language = language,
        .counts = &pools.counts[language],
        .slot = &pools.counts[language].members[index],
        .run_slot = *run_slot,
        .netns_fd = netns_fd,
        .channel = pools.channel[language][1],
        .template_channel = pools.template_channel[0],
        .stop_fd = pools.stop_pipe[0],
        .answer = pools.config.answer,
    };
    member_main(&env);
}

/* The member's run slot is taken here, before the fork, so that the loop knows whose network namespace it hands
 * on (netns.c); the lock then belongs to the member alone (the loop closes its copy). */
static void spawn_member(enum language language, int index, void (*child_init)(void *), void *arg)
{
    struct member_slot *m = &pools.counts[language].members[index];
    struct slot run_slot = {.index = -1, .lock_fd = -1};
    struct ka_error e = {{0}};
    int netns_fd = -1;
    if (slot_acquire(&run_slot, &e) < 0 || (netns_fd = netns_of_slot(run_slot.index, &e)) < 0) {
        fprintf(stderr, "kata-agent: %s pool: %s\n", request_language_name(language), e.msg);
        slot_release(&run_slot);
        retry_later(language);
        return;
    }
    m->jail_pid = 0;
    m->run_slot = run_slot.index;
    m->state = M_WARMING;
    pid_t pid = fork();
    if (pid == 0) {
        child_init(arg);
        member_start(language, index, &run_slot, netns_fd);
    }
    slot_release(&run_slot);
    if (pid < 0) {
        perror("kata-agent: fork pool member");
        m->state = M_FREE;
        retry_later(language);
        return;
    }
    m->pid = pid;
}

/* Python members need the template: it is started first (their requests wait in its channel meanwhile). */
static bool template_missing(enum language language)
{
    return language == LANG_PYTHON && pools.template_pid == 0;
}

/* Whether the loop has something to start for the language (ignoring a pending retry). */
static bool needs_fill(enum language language)
{
    int size = pools.config.pool_size[language];
    return size > 0 && (template_missing(language) || pool_table_not_busy(&pools.counts[language]) < size);
}

void warm_fill(void (*child_init)(void *), void *arg)
{
    if (pools.counts == NULL || pools.stopping)
        return;
    for (int l = 0; l < KA_LANGUAGES; l++) {
        enum language language = (enum language)l;
        if (!needs_fill(language) || clock_now_ns() < pools.retry_after_ns[l])
            continue;
        if (template_missing(language)) {
            struct template_options options = {pools.config.template_memory_tuned,
                                               pools.config.template_retire_after_jails};
            pid_t pid = template_spawn(pools.template_image, pools.template_channel[1], pools.stop_pipe[0], &options,
                                       child_init, arg);
            if (pid < 0) {
                retry_later(language);
                continue;
            }
            pools.template_pid = pid;
        }
        struct pool_counts *pc = &pools.counts[l];
        for (int i = 0; i < POOL_TABLE_MEMBERS && pool_table_not_busy(pc) < pools.config.pool_size[l]; i++)
            if (pc->members[i].state == M_FREE)
                spawn_member(language, i, child_init, arg);
    }
}

/* ---------------------------------------------------------------- reaping and stopping */

/* The jails the template started do not depend on it (their reaper is on its own); members waiting for an answer
 * see EOF, or their request waits in the channel for the replacement. */
static void template_reaped(int wait_status)
{
    pools.template_pid = 0;
    if (pools.stopping || (WIFEXITED(wait_status) && WEXITSTATUS(wait_status) == TEMPLATE_EXIT_RETIRED))
        return; /* a retired template is replaced at once */
    fprintf(stderr, "kata-agent: python pool: the template ended (wait status %d); restarting it\n", wait_status);
    retry_later(LANG_PYTHON);
}

bool warm_reaped(pid_t pid, int wait_status)
{
    if (pools.counts == NULL)
        return false;
    if (pools.template_pid > 0 && pid == pools.template_pid) {
        template_reaped(wait_status);
        return true;
    }
    for (int l = 0; l < KA_LANGUAGES; l++) {
        for (int i = 0; i < POOL_TABLE_MEMBERS; i++) {
            struct member_slot *m = &pools.counts[l].members[i];
            if (m->pid != pid || m->state == M_FREE)
                continue;
            /* an idle member that died (killed, or its jail did) can no longer take the claim it offered */
            if (m->state == M_IDLE)
                (void)pool_table_idle_take(&pools.counts[l]);
            if (m->state == M_WARMING && !pools.stopping) {
                fprintf(stderr, "kata-agent: %s pool: a member failed to warm up (wait status %d); retrying\n",
                        request_language_name((enum language)l), wait_status);
                retry_later((enum language)l);
            }
            m->pid = m->jail_pid = 0;
            m->state = M_FREE;
            return true;
        }
    }
    return false;
}

int warm_timeout_ms(void)
{
    int timeout = -1;
    for (int l = 0; pools.counts != NULL && !pools.stopping && l < KA_LANGUAGES; l++) {
        if (pools.retry_after_ns[l] == 0 || !needs_fill((enum language)l))
            continue;
        int ms = clock_ms_until(pools.retry_after_ns[l]) + 1;
        timeout = timeout < 0 || ms < timeout ? ms : timeout;
    }
    return timeout;
}

void warm_stop(void)
{
    pools.stopping = true;
    for (int l = 0; pools.counts != NULL && l < KA_LANGUAGES; l++)
        __atomic_store_n(&pools.counts[l].idle, 0, __ATOMIC_SEQ_CST);
    /* idle and warming members kill their jails, clean up and exit; a taken member is an in-flight run: draining
     * lets it finish. The template may be deep in its imports and would not look at the stop pipe for a while. */
    if (pools.template_pid > 0)
        kill(pools.template_pid, SIGKILL);
    warm_child_init();
}

int warm_pending(void)
{
    int n = pools.template_pid > 0;
    for (int l = 0; pools.counts != NULL && l < KA_LANGUAGES; l++)
        n += pool_table_not_busy(&pools.counts[l]);
    return n;
}

/* ---------------------------------------------------------------- a worker's side */

bool warm_try_run(int client_fd, const char *request_json, size_t len, const struct run_request *req)
{
    if (pools.counts == NULL || pools.config.pool_size[req->language] == 0)
        return false;
    struct pool_counts *pc = &pools.counts[req->language];
    struct run_limits defaults;
    request_default_limits(&defaults);
    /* a member's memory limit, heap cap and RLIMIT_NPROC were set at warm-up, to the defaults */
    bool fits =
        req->limits.mem_limit_bytes == defaults.mem_limit_bytes && req->limits.pids_limit == defaults.pids_limit;
    int lifeline = fits && pool_table_claim(pc, claim_wait_ms(req->language))
                       ? handover_offer(pools.channel[req->language][0], client_fd, request_json, len)
                       : -1;
    if (lifeline < 0) {
        pool_table_count(&pc->misses);
        return false;
    }
    pool_table_count(&pc->hits);
    handover_wait_done(lifeline);
    return true;
}

json_t *warm_stats_json(void)
{
    json_t *o = json_object();
    for (int l = 0; pools.counts != NULL && l < KA_LANGUAGES; l++)
        json_object_set_new(o, request_language_name((enum language)l),
                            pool_table_stats(&pools.counts[l], pools.config.pool_size[l]));
    return o;
}

void warm_template_main(int argc, char **argv)
{
    if (argc != 5)
        _exit(2);
    struct template_options options = {strcmp(argv[3], TEMPLATE_MEMORY_TUNED) == 0, atoi(argv[4])};
    if (options.retire_after_jails < 1)
        _exit(2);
    template_main((pid_t)atoi(argv[2]), &options);
}
