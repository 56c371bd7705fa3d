/* The serve loop: accepts connections and hands each to its own forked worker, so a run that crashes or hangs its
 * worker never takes the agent down. The loop itself only accepts, reaps, counts and keeps the warm pools filled
 * (warm/: it forks the members and the template; SIGUSR1 from a member = "I was taken, refill"); it never reads a
 * request.
 * SIGTERM/SIGINT: stop accepting (the socket file is removed), kill the idle pool members, let in-flight workers
 * finish, exit 0. */
#include "server.h"

#include "connection.h"
#include "inflight.h"
#include "transport_net.h"
#include "slot.h"
#include "warm/warm.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/vm_sockets.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

struct server {
    const struct server_opts *opts;
    struct inflight *inflight;
    pid_t *worker_pid; /* index = worker index, 0 = free */
    int live;
    bool stopping;
    int listen_fd[SERVER_MAX_LISTENERS]; /* -1 once closed */
    int signal_fd;
    sigset_t old_mask; /* the signal mask before the loop's; its children get it back */
};

static int free_index(const struct server *s)
{
    for (int i = 0; i < s->opts->max_runs; i++)
        if (s->worker_pid[i] == 0)
            return i;
    return -1;
}

static bool worker_reaped(struct server *s, pid_t pid)
{
    for (int i = 0; i < s->opts->max_runs; i++) {
        if (s->worker_pid[i] != pid)
            continue;
        s->worker_pid[i] = 0;
        inflight_set(s->inflight, i, false); /* a worker that died mid-run cannot clear its own flag */
        s->live--;
        return true;
    }
    return false;
}

/* Workers, the pools' members and template, and (as the subreaper) jails' PID 1s the template left behind. */
static void reap_children(struct server *s)
{
    pid_t pid;
    int status;
    bool crashed = false;
    while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
        bool adopted = !warm_reaped(pid, status) && !worker_reaped(s, pid);
        /* a worker or member killed mid-run could not remove its cgroups; nor could the member of an adopted jail
         * that ended after it (its PID 1 goes last): the sweep leaves alone every slot whose holder is alive */
        crashed = crashed || adopted || WIFSIGNALED(status);
    }
    if (crashed)
        slot_sweep();
}

static void close_listeners(struct server *s)
{
    for (int i = 0; i < s->opts->n_listeners; i++) {
        if (s->listen_fd[i] >= 0)
            close(s->listen_fd[i]);
        s->listen_fd[i] = -1;
    }
}

static void stop_accepting(struct server *s)
{
    s->stopping = true;
    warm_stop();
    close_listeners(s);
    if (s->opts->socket_path != NULL)
        unlink(s->opts->socket_path);
}

/* In every child of the loop (worker or pool member), first. */
static void child_init(void *arg)
{
    struct server *s = arg;
    /* a SIGTERM to the whole process group (Ctrl-C, a service manager) must not cut in-flight runs short:
     * draining is the loop's decision, and every run ends by its own limits anyway */
    signal(SIGTERM, SIG_IGN);
    signal(SIGINT, SIG_IGN);
    sigprocmask(SIG_SETMASK, &s->old_mask, NULL);
    close_listeners(s);
    close(s->signal_fd);
    warm_child_init();
}

static void on_signal(struct server *s)
{
    struct signalfd_siginfo si;
    while (read(s->signal_fd, &si, sizeof si) == (ssize_t)sizeof si) {
        if (si.ssi_signo == SIGCHLD)
            reap_children(s);
        else if (si.ssi_signo != SIGUSR1 && !s->stopping)
            stop_accepting(s);
    }
    warm_fill(child_init, s);
}

/* The caller's address as accept() gave it, for the log. */
struct peer {
    struct sockaddr_storage addr;
    socklen_t len;
};

/* A refused caller is logged with its address: the operator's trace of a probe or a misconfigured secret. */
static void log_refused(const struct peer *peer, const struct listener *l, const char *why)
{
    char host[NI_MAXHOST] = "?", port[NI_MAXSERV] = "?";
    if (peer->addr.ss_family == AF_VSOCK) {
        const struct sockaddr_vm *vm = (const struct sockaddr_vm *)&peer->addr;
        snprintf(host, sizeof host, "cid %u", vm->svm_cid);
        snprintf(port, sizeof port, "%u", vm->svm_port);
    } else {
        getnameinfo((const struct sockaddr *)&peer->addr, peer->len, host, sizeof host, port, sizeof port,
                    NI_NUMERICHOST | NI_NUMERICSERV);
    }
    fprintf(stderr, "kata-agent: refused a %s connection from %s port %s: %s\n", l->transport, host, port, why);
}

/* In the worker: nothing of the caller's is read before it proved the secret, where its listener asks for that. */
static void serve_connection(struct server *s, int fd, const struct peer *peer, const struct listener *l, int index)
{
    if (l->authenticate) {
        struct ka_error e = {{0}};
        transport_net_no_delay(fd);
        if (auth_serve(fd, s->opts->secret, &e) < 0) {
            log_refused(peer, l, e.msg);
            close(fd);
            return;
        }
    }
    connection_handle(fd, l->transport, s->inflight, index);
}

static void spawn_worker(struct server *s, int which)
{
    const struct listener *l = &s->opts->listeners[which];
    struct peer peer = {.len = sizeof peer.addr};
    int fd = accept4(s->listen_fd[which], (struct sockaddr *)&peer.addr, &peer.len, SOCK_CLOEXEC);
    if (fd < 0)
        return;
    int index = free_index(s);
    pid_t pid = fork();
    if (pid == 0) {
        child_init(s);
        serve_connection(s, fd, &peer, l, index);
        _exit(0);
    }
    close(fd);
    if (pid < 0) {
        perror("kata-agent: fork worker");
        return;
    }
    s->worker_pid[index] = pid;
    s->live++;
}

int server_loop(const struct server_opts *opts)
{
    struct server s = {.opts = opts};
    for (int i = 0; i < opts->n_listeners; i++)
        s.listen_fd[i] = opts->listeners[i].fd;
    s.inflight = inflight_create(opts->max_runs);
    s.worker_pid = calloc((size_t)opts->max_runs, sizeof(pid_t));
    if (s.inflight == NULL || s.worker_pid == NULL) {
        perror("kata-agent: allocate worker table");
        return 1;
    }
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGCHLD);
    sigaddset(&mask, SIGTERM);
    sigaddset(&mask, SIGINT);
    sigaddset(&mask, SIGUSR1);
    sigprocmask(SIG_BLOCK, &mask, &s.old_mask);
    s.signal_fd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
    /* a warm Python jail's PID 1 is the template's child; when the template retires or is killed, the jails it
     * started carry on as the loop's children (reaped below), not as orphans of the host's init */
    if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0) {
        perror("kata-agent: prctl(PR_SET_CHILD_SUBREAPER)");
        return 1;
    }
    if (s.signal_fd < 0) {
        perror("kata-agent: signalfd");
        return 1;
    }
    warm_fill(child_init, &s);
    /* idle pool members end by themselves after the stop (their cgroups are theirs to remove): wait for them */
    while (!(s.stopping && s.live == 0 && warm_pending() == 0)) {
        /* at max-runs the loop stops accepting; further clients wait in the listen backlog */
        bool can_accept = !s.stopping && s.live < opts->max_runs;
        struct pollfd p[1 + SERVER_MAX_LISTENERS] = {{s.signal_fd, POLLIN, 0}};
        for (int i = 0; i < opts->n_listeners; i++)
            p[1 + i] = (struct pollfd){can_accept ? s.listen_fd[i] : -1, POLLIN, 0};
        int n = poll(p, (nfds_t)(1 + opts->n_listeners), warm_timeout_ms());
        if (n < 0 && errno != EINTR) {
            perror("kata-agent: poll");
            return 1;
        }
        if (n == 0)
            warm_fill(child_init, &s); /* a failed warm-up's retry is due */
        if (p[0].revents)
            on_signal(&s);
        for (int i = 0; i < opts->n_listeners; i++)
            if (p[1 + i].revents && !s.stopping && s.live < opts->max_runs)
                spawn_worker(&s, i);
    }
    return 0;
}
