/* A pool member's life (member.h). */
#include "member.h"

#include "../clock.h"
#include "handover.h"
#include "warm_jail.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

/* The refill and the jail's teardown wait this long after the answer: the service still bills the run and answers
 * over HTTP, and a refill beside that (or beside the run itself, on two cores) slows it down. */
#define AFTER_ANSWER_PAUSE_MS 25

static bool stopping(const struct member_env *env)
{
    struct pollfd p = {env->stop_fd, POLLIN, 0};
    return poll(&p, 1, 0) == 1;
}

/* Waits for a committed hand-over; -1 if the idle jail died or the pool is stopping. */
static int wait_for_request(const struct member_env *env, const struct warm_jail *w, struct handover *h)
{
    for (;;) {
        /* the jail says nothing until its code arrives: anything on the report pipe, EOF included, is its end */
        struct pollfd p[3] = {{env->channel, POLLIN, 0}, {w->report_fd, POLLIN, 0}, {env->stop_fd, POLLIN, 0}};
        if (poll(p, 3, -1) < 0 && errno != EINTR)
            return -1;
        if (p[1].revents || p[2].revents)
            return -1;
        if (!(p[0].revents & POLLIN) || handover_receive(env->channel, h) < 0)
            continue;
        if (handover_commit(h))
            return 0;
        /* stale: the worker already ran it cold; the claim it made on us is given back */
        handover_close(h);
        pool_table_idle_add(env->counts);
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
static void run_and_answer(const struct member_env *env, struct warm_jail *w, struct handover *h)
{
    struct run_request req;
    struct run_result r;
    bool aborted = false;
    memset(&req, 0, sizeof req);
    result_init(&r);
    if (read_request(h->request_fd, &req) < 0)
        result_infra(&r, "warm handover: cannot read the request");
    else
        warm_jail_execute(w, &req, h->client_fd, h->lifeline_fd, &r, &aborted);
    env->answer(h->client_fd, &r, aborted);
    result_free(&r);
    request_free(&req);
}

void member_main(const struct member_env *env)
{
    pid_t loop_pid = getppid();
    /* an idle member is only worth anything to its serve loop: it goes (and its jail with it) when the loop does */
    if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0 || getppid() != loop_pid)
        _exit(1);
    int64_t t0 = clock_now_ns();
    struct warm_jail w;
    struct ka_error e = {{0}};
    int rc = warm_jail_start(env->language, &env->run_slot, env->netns_fd, env->template_channel, env->stop_fd, &w, &e);
    /* shown by the ping while it warms up, and once idle: a jail that has not run anything yet */
    env->slot->jail_pid = w.ctx.init_pid;
    if (rc < 0 || warm_jail_wait_ready(&w, env->stop_fd, &e) < 0) {
        /* a warm-up cut short by a stop is no failure to report */
        if (!stopping(env))
            fprintf(stderr, "kata-agent: %s pool: %s\n", request_language_name(env->language), e.msg);
        warm_jail_discard(&w);
        _exit(1);
    }
    pool_table_refilled(env->counts, (long)((clock_now_ns() - t0) / 1000));
    pool_table_set_state(env->slot, M_IDLE);
    pool_table_idle_add(env->counts);
    struct handover h;
    if (wait_for_request(env, &w, &h) < 0) {
        warm_jail_discard(&w);
        _exit(0);
    }
    pool_table_set_state(env->slot, M_BUSY);
    /* taken: from here on this is an in-flight run, which outlives the serve loop like a worker's does */
    prctl(PR_SET_PDEATHSIG, 0, 0, 0, 0);
    close(env->channel);
    run_and_answer(env, &w, &h);
    usleep(AFTER_ANSWER_PAUSE_MS * 1000);
    kill(loop_pid, SIGUSR1); /* "I was taken: refill" */
    run_cleanup(&w.ctx);
    handover_close(&h);
    _exit(0);
}
