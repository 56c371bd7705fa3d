/* One connection = one request and one response (PROTOCOL.md), handled in a forked worker. */
#include "connection.h"

#include "cgroup.h"

#include "contract.h"
#include "frame.h"
#include "run.h"
#include "warm/warm.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

/* A client that connects and then sends nothing must not hold a worker forever. */
#define REQUEST_READ_TIMEOUT_S 30

static void send_json(int fd, char *text)
{
    if (text != NULL)
        (void)frame_write(fd, text, strlen(text));
    free(text);
}

static void send_rejected(int fd, const char *msg, const char *field)
{
    struct run_result r;
    result_init(&r);
    result_rejected(&r, msg, field);
    send_json(fd, result_to_json(&r));
}

static void send_pong(int fd, const char *transport, int runs_in_flight)
{
    json_t *o = json_pack("{s:s, s:s, s:s, s:i, s:o, s:{s:s, s:s}}", "status", "ok", "version", KA_PROTOCOL_VERSION,
                          "transport", transport, "runsInFlight", runs_in_flight, "pools", warm_stats_json(), "cgroup",
                          "mode", cg_mode_name(), "reason", cg_mode_reason());
    send_json(fd, json_dumps(o, JSON_COMPACT));
    json_decref(o);
}

void connection_answer(int fd, const struct run_result *r, bool aborted)
{
    /* the operator's only trace of a broken jail; the request itself (code, stdin) is never logged */
    if (r->status == ST_INFRA_ERROR)
        fprintf(stderr, "kata-agent: infra_error: %s\n", r->error);
    if (!aborted)
        send_json(fd, result_to_json(r));
    shutdown(fd, SHUT_RDWR);
}

static void serve_run(int fd, const char *json, size_t len, const struct run_request *req, struct inflight *inflight,
                      int worker_index)
{
    inflight_set(inflight, worker_index, true);
    /* a warm member answers the client itself; this worker waits for it (warm/handover.c) */
    if (!warm_try_run(fd, json, len, req)) {
        struct run_result r;
        struct run_ctx ctx;
        bool aborted;
        result_init(&r);
        run_execute(req, fd, &ctx, &r, &aborted);
        connection_answer(fd, &r, aborted);
        run_cleanup(&ctx); /* the jail's teardown and cgroup removal are not on the client's clock */
        result_free(&r);
    }
    inflight_set(inflight, worker_index, false);
}

void connection_handle(int fd, const char *transport, struct inflight *inflight, int worker_index)
{
    struct timeval tv = {REQUEST_READ_TIMEOUT_S, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    char *buf = NULL;
    size_t len = 0;
    enum frame_status fs = frame_read(fd, &buf, &len);
    if (fs == FRAME_TOO_BIG)
        send_rejected(fd, "request frame is larger than 16 MiB", NULL);
    if (fs != FRAME_OK) {
        close(fd);
        return;
    }
    enum request_op op;
    struct run_request req;
    struct request_rejection rej;
    if (request_parse(buf, len, &op, &req, &rej) < 0)
        send_rejected(fd, rej.msg, rej.field);
    else if (op == OP_PING)
        send_pong(fd, transport, inflight_count(inflight));
    else
        serve_run(fd, buf, len, &req, inflight, worker_index);
    request_free(&req);
    free(buf);
    close(fd);
}
