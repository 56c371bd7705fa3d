/* The supervisor's poll loop around one jail. It owns the read ends of stdout/stderr and the report pipe, the write
 * end of stdin, and (serve mode) the client connection. It stops the run by SIGKILL to the jail's PID 1, which
 * takes down the whole PID namespace, stopped processes included, when:
 *   - the wall limit passes (counted from PID 1's STARTED report, so jail setup is not billed to the snippet),
 *   - a stream tries to exceed its cap,
 *   - the client hangs up (nobody is waiting for the result any more), or, for a warm run, the worker that handed
 *     it over dies (lifeline_fd: that worker is what the serve loop counts and kills),
 *   - the jail reports a setup failure, or setup takes longer than KA_SETUP_TIMEOUT_MS.
 * The loop ends when the run has ended: when PID 1 reports the main process's exit, or a warm runtime claims its
 * end (below), whatever the main process wrote is in the pipes already; the loop drains them without waiting and
 * stops, so the answer does not wait for the jail's teardown (run_cleanup waits for that, after the answer). Else
 * it ends when stdout, stderr (unless capped) and the report pipe are all at EOF (a killed jail).
 *
 * The end claim: a warm runtime's bootstrap, once the program is done (atexit handlers run, output flushed), reads
 * the nonce the supervisor left after the code on the code socket and writes END_CLAIM, the nonce and the exit
 * status back, then exits. A process with pandas mapped takes milliseconds to exit and its jail more to go, so the
 * claim is taken as the exit: the jail is killed at once and the status reported is the claimed one. Anything on
 * that socket that is not a claim with the nonce makes the loop ignore the socket from then on: the run then ends
 * at the main process's real exit, as a cold run does. The nonce is in the socket, not in the runtime's memory,
 * until the program is done; a program that reads it from the socket on purpose can only end its own run early,
 * with a status of its choosing, as os._exit(status) would. */
#include "supervise.h"

#include "cgroup.h"
#include "clock.h"
#include "contract.h"
#include "error.h"
#include "init.h"
#include "ns.h"
#include "output.h"
#include "result.h"
#include "workdir.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* After the kill, the kernel closes every pipe end as the namespace dies; this only guards against a kernel hang. */
#define DRAIN_AFTER_KILL_MS 5000
#define READ_CHUNK_BYTES 65536

enum { P_OUT, P_ERR, P_REPORT, P_STDIN, P_ABORT, P_LIFELINE, P_CLAIM, P_COUNT };

struct loop_state {
    struct supervision *sv;
    struct run_result *r;
    bool started, killed;
    bool ended; /* the main process is done: drained, answer now */
    int64_t deadline_ns;
};

static void end_run(struct loop_state *st);

static void close_fd(int *fd)
{
    if (*fd >= 0)
        close(*fd);
    *fd = -1;
}

static void stop_jail(struct loop_state *st)
{
    if (st->killed)
        return;
    jail_kill(st->sv->init_pidfd);
    st->killed = true;
    /* only the kernel's teardown of killed processes runs from here on; held to the run's quota, a fork bomb of
     * processes sharing a warm runtime's mappings took seconds to exit */
    struct ka_error ignored;
    (void)cg_set_cpu_quota(st->sv->cgroup, -1, &ignored);
    st->deadline_ns = clock_now_ns() + DRAIN_AFTER_KILL_MS * 1000000LL;
    if (st->sv->end_ns == 0)
        st->sv->end_ns = clock_now_ns();
}

static void infra_fail(struct loop_state *st, const char *msg)
{
    if (!st->sv->infra_failed) {
        st->sv->infra_failed = true;
        snprintf(st->sv->infra_msg, sizeof st->sv->infra_msg, "%s", msg);
    }
    stop_jail(st);
}

static void on_report(struct loop_state *st, const struct report *rep)
{
    struct supervision *sv = st->sv;
    char msg[256];
    switch (rep->kind) {
    case REPORT_STARTED:
        st->started = true;
        sv->start_ns = rep->t_ns;
        /* while PID 1 lives: a program that is already gone again leaves -1, and its files are looked for anyway */
        if (sv->workdir_fd < 0 && sv->init_pid > 0)
            sv->workdir_fd = workdir_open(sv->init_pid, sv->init_pidfd);
        st->deadline_ns = rep->t_ns + sv->wall_limit_ms * 1000000LL;
        break;
    case REPORT_EXITED:
        sv->obs.exited = true;
        sv->obs.wait_status = rep->wait_status;
        if (sv->end_ns == 0)
            sv->end_ns = rep->t_ns;
        end_run(st);
        break;
    case REPORT_INFRA:
        snprintf(msg, sizeof msg, "%s: %s", rep->step, strerror(rep->err));
        infra_fail(st, msg);
        break;
    default: infra_fail(st, "report pipe: unknown message");
    }
}

static void read_reports(struct loop_state *st)
{
    struct report reps[8];
    ssize_t n = read(st->sv->report_fd, reps, sizeof reps);
    if (n < 0 && errno == EINTR)
        return;
    if (n <= 0) {
        close_fd(&st->sv->report_fd);
        return;
    }
    for (ssize_t i = 0; i + (ssize_t)sizeof reps[0] <= n; i += (ssize_t)sizeof reps[0])
        on_report(st, &reps[i / (ssize_t)sizeof reps[0]]);
}

/* A stream still worth polling: open, and not past its cap. A capped stream's pipe stays open but unread until the
 * end: the writer blocks on the full pipe until the kill lands, and never sees EPIPE (which would let it run on,
 * e.g. into an error handler printing elsewhere). */
static int live_fd(int fd, const struct capture *c)
{
    return c->truncated ? -1 : fd;
}

/* Returns whether it read anything (the pipes are non-blocking). */
static bool read_stream(struct loop_state *st, int *fd, struct capture *c)
{
    char buf[READ_CHUNK_BYTES];
    ssize_t n = read(*fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR)
        return true; /* again */
    if (n < 0 && errno == EAGAIN)
        return false;
    if (n <= 0) {
        close_fd(fd);
        return false;
    }
    if (output_append(c, buf, (size_t)n)) {
        st->sv->obs.output_capped = true;
        stop_jail(st);
    }
    if (st->sv->stream != NULL)
        stream_output_arrived(st->sv->stream, clock_now_ns());
    return true;
}

/* The main process is done and its output is in the pipes: take what is there now, without waiting for EOF (a
 * process it left behind may hold the pipes until the jail is gone; what it writes from now on is lost, as it
 * would be a moment later when the jail dies). */
static void end_run(struct loop_state *st)
{
    while (live_fd(st->sv->stdout_fd, &st->r->out) >= 0 && read_stream(st, &st->sv->stdout_fd, &st->r->out))
        ;
    while (live_fd(st->sv->stderr_fd, &st->r->err) >= 0 && read_stream(st, &st->sv->stderr_fd, &st->r->err))
        ;
    st->ended = true;
}

static void read_end_claim(struct loop_state *st)
{
    unsigned char claim[1 + CLAIM_NONCE_BYTES + 1];
    ssize_t n = recv(st->sv->end_claim_fd, claim, sizeof claim, MSG_DONTWAIT);
    if (n < 0 && (errno == EINTR || errno == EAGAIN))
        return;
    if (n != (ssize_t)sizeof claim || claim[0] != END_CLAIM[0] ||
        memcmp(claim + 1, st->sv->claim_nonce, CLAIM_NONCE_BYTES) != 0 || st->killed) {
        close_fd(&st->sv->end_claim_fd);
        return;
    }
    st->sv->obs.exited = true;
    st->sv->obs.wait_status = claim[sizeof claim - 1] << 8; /* as waitpid reports exit(status) */
    st->sv->end_ns = clock_now_ns();
    stop_jail(st);
    end_run(st);
}

static void feed_stdin(struct supervision *sv)
{
    size_t left = sv->stdin_bytes - sv->stdin_off;
    ssize_t n = left == 0 ? 0 : write(sv->stdin_fd, sv->stdin_data + sv->stdin_off, left);
    if (n < 0 && (errno == EAGAIN || errno == EINTR))
        return;
    if (n > 0)
        sv->stdin_off += (size_t)n;
    /* all handed over, or the snippet closed its stdin (EPIPE): it sees EOF from here on */
    if (n <= 0 || sv->stdin_off == sv->stdin_bytes)
        close_fd(&sv->stdin_fd);
}

static void on_timeout(struct loop_state *st)
{
    if (st->killed)
        return;
    if (!st->started) {
        infra_fail(st, "jail setup: timed out");
        return;
    }
    /* the main process ended in time and only the namespace teardown is still draining: not a timeout */
    if (!st->sv->obs.exited)
        st->sv->obs.timed_out = true;
    stop_jail(st);
}

/* The poll timeout: the wall limit's (or the drain's) deadline, or a due chunk flush if that comes first. */
static int poll_timeout_ms(const struct loop_state *st)
{
    int ms = clock_ms_until(st->deadline_ns);
    int flush_ms = st->sv->stream != NULL ? stream_timeout_ms(st->sv->stream) : -1;
    return flush_ms >= 0 && flush_ms < ms ? flush_ms : ms;
}

static bool loop_done(const struct supervision *sv, const struct run_result *r)
{
    return live_fd(sv->stdout_fd, &r->out) < 0 && live_fd(sv->stderr_fd, &r->err) < 0 && sv->report_fd < 0;
}

/* Which events on the client's connection mean it left. A Unix socket reports POLLHUP when the client closes, and
 * only POLLRDHUP when it merely shut down its sending side (it still waits for the answer). TCP and vsock cannot tell
 * the two apart (both are one FIN; POLLHUP comes only once both directions are shut), so on those the end of the
 * client's sending side is its departure (PROTOCOL.md, "Transport"). */
static short departure_events(int client_fd)
{
    int domain = AF_UNIX;
    socklen_t len = sizeof domain;
    if (client_fd < 0 || getsockopt(client_fd, SOL_SOCKET, SO_DOMAIN, &domain, &len) < 0)
        return 0;
    return domain == AF_UNIX ? 0 : POLLRDHUP;
}

void supervise_run(struct supervision *sv, struct run_result *r)
{
    short departure = departure_events(sv->abort_fd);
    struct loop_state st = {.sv = sv, .r = r};
    st.deadline_ns = clock_now_ns() + KA_SETUP_TIMEOUT_MS * 1000000LL;
    /* a warm run started when its code was handed over: the jail was set up long before */
    if (sv->start_ns != 0) {
        st.started = true;
        st.deadline_ns = sv->start_ns + sv->wall_limit_ms * 1000000LL;
    }
    if (sv->stdin_bytes == 0)
        close_fd(&sv->stdin_fd);
    while (!st.ended && !loop_done(sv, r)) {
        struct pollfd p[P_COUNT] = {
            [P_OUT] = {live_fd(sv->stdout_fd, &r->out), POLLIN, 0},
            [P_ERR] = {live_fd(sv->stderr_fd, &r->err), POLLIN, 0},
            [P_REPORT] = {sv->report_fd, POLLIN, 0},
            [P_STDIN] = {sv->stdin_fd, POLLOUT, 0},
            /* POLLHUP (the client closed) is always reported; on a Unix socket a client that only half-closes
             * its sending side after the request (POLLRDHUP) is still waiting for the answer; a streamed run
             * also waits for room to send its next chunk */
            [P_ABORT] = {st.killed ? -1 : sv->abort_fd,
                         departure | (sv->stream != NULL && stream_wants_write(sv->stream) ? POLLOUT : 0), 0},
            [P_LIFELINE] = {st.killed ? -1 : sv->lifeline_fd, 0, 0},
            [P_CLAIM] = {sv->end_claim_fd, POLLIN, 0},
        };
        int n = poll(p, P_COUNT, poll_timeout_ms(&st));
        if (n < 0 && errno == EINTR)
            continue;
        if (sv->stream != NULL)
            stream_flush(sv->stream, &r->out, &r->err, false);
        if (n == 0 && sv->stream != NULL && clock_now_ns() < st.deadline_ns)
            continue; /* a flush was due, not the deadline */
        if (n == 0 && st.killed)
            break; /* DRAIN_AFTER_KILL_MS passed: give up on EOF */
        if (n == 0) {
            on_timeout(&st);
            continue;
        }
        if (p[P_ABORT].revents & POLLOUT)
            stream_send(sv->stream);
        if (p[P_REPORT].revents)
            read_reports(&st);
        if (p[P_OUT].revents)
            read_stream(&st, &sv->stdout_fd, &r->out);
        if (p[P_ERR].revents)
            read_stream(&st, &sv->stderr_fd, &r->err);
        if (p[P_STDIN].revents)
            feed_stdin(sv);
        if (p[P_CLAIM].revents && !st.ended)
            read_end_claim(&st);
        if ((p[P_ABORT].revents | p[P_LIFELINE].revents) & (POLLHUP | POLLERR | POLLRDHUP)) {
            sv->aborted = true;
            stop_jail(&st);
        }
        if (!st.killed && st.started && clock_now_ns() >= st.deadline_ns)
            on_timeout(&st);
    }
    close_fd(&sv->stdout_fd);
    close_fd(&sv->stderr_fd);
    close_fd(&sv->report_fd);
    close_fd(&sv->stdin_fd);
    close_fd(&sv->end_claim_fd);
    if (!sv->obs.exited && !st.killed && !sv->infra_failed)
        infra_fail(&st, "jail init: exited before the main process ended");
    if (sv->end_ns == 0)
        sv->end_ns = clock_now_ns();
    if (!st.started)
        sv->start_ns = sv->end_ns;
    /* every chunk before the response frame, which the caller sends next; nothing to a client that hung up */
    if (sv->stream != NULL) {
        sv->stream->broken |= sv->aborted;
        stream_finish(sv->stream, &r->out, &r->err);
    }
}
