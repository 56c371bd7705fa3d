/* Chunk frames ({"event": "stdout"|"stderr", "data": "..."}) while a run is going, for a request with stream: true
 * (PROTOCOL.md). A chunk is the next piece of a capture (output.c) from where the last one ended, converted to UTF-8
 * exactly as the response's text is (a sequence split across reads waits for its end), so the chunks of a stream
 * add up to the response's text and never go past the output cap. The supervise loop owns the timing: new output
 * arms a flush STREAM_FLUSH_MS later, so a program printing line by line costs a frame per flush, not per line.
 * Frames go through an outbox with non-blocking sends: a client that does not read must not stop the loop from
 * enforcing the wall limit. */
#include "stream.h"

#include "clock.h"
#include "fdio.h"

#include <arpa/inet.h>
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

void stream_init(struct stream_sink *s, int client_fd)
{
    memset(s, 0, sizeof *s);
    s->fd = client_fd;
}

void stream_output_arrived(struct stream_sink *s, int64_t now_ns)
{
    if (s->due_ns == 0)
        s->due_ns = now_ns + STREAM_FLUSH_MS * 1000000LL;
}

int stream_timeout_ms(const struct stream_sink *s)
{
    return s->due_ns == 0 ? -1 : clock_ms_until(s->due_ns);
}

bool stream_wants_write(const struct stream_sink *s)
{
    return !s->broken && s->out_off < s->out_len;
}

static void outbox_add(struct stream_sink *s, const char *frame, size_t len)
{
    /* what the client took is dropped first */
    if (s->out_off > 0) {
        memmove(s->outbox, s->outbox + s->out_off, s->out_len - s->out_off);
        s->out_len -= s->out_off;
        s->out_off = 0;
    }
    char *grown = realloc(s->outbox, s->out_len + 4 + len);
    if (grown == NULL) {
        s->broken = true; /* no memory for live output: the response still carries all of it */
        return;
    }
    s->outbox = grown;
    uint32_t be_len = htonl((uint32_t)len);
    memcpy(s->outbox + s->out_len, &be_len, 4);
    memcpy(s->outbox + s->out_len + 4, frame, len);
    s->out_len += 4 + len;
}

static void chunk(struct stream_sink *s, const char *event, const struct capture *c, size_t *sent, bool final)
{
    if (c->data == NULL || *sent >= c->bytes)
        return;
    size_t len;
    char *text = output_utf8_piece(c, sent, final, &len);
    if (text == NULL || len == 0) {
        free(text);
        return;
    }
    json_t *o = json_object();
    json_object_set_new(o, "event", json_string(event));
    json_object_set_new(o, "data", json_stringn_nocheck(text, len));
    free(text);
    char *frame = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    if (frame != NULL)
        outbox_add(s, frame, strlen(frame));
    free(frame);
}

void stream_send(struct stream_sink *s)
{
    while (stream_wants_write(s)) {
        ssize_t n = send(s->fd, s->outbox + s->out_off, s->out_len - s->out_off, MSG_DONTWAIT | MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return;
        if (n <= 0) {
            s->broken = true; /* the client is gone: the loop sees its hang-up and stops the run */
            return;
        }
        s->out_off += (size_t)n;
    }
}

void stream_flush(struct stream_sink *s, const struct capture *out, const struct capture *err, bool final)
{
    if (s->broken || (!final && (s->due_ns == 0 || clock_now_ns() < s->due_ns)))
        return;
    s->due_ns = 0;
    chunk(s, "stdout", out, &s->sent[0], final);
    chunk(s, "stderr", err, &s->sent[1], final);
    stream_send(s);
}

void stream_finish(struct stream_sink *s, const struct capture *out, const struct capture *err)
{
    stream_flush(s, out, err, true);
    /* the run is over: the client's reading decides, under the connection's send timeout */
    if (stream_wants_write(s) && fdio_write_all(s->fd, s->outbox + s->out_off, s->out_len - s->out_off) < 0)
        s->broken = true;
    free(s->outbox);
    s->outbox = NULL;
    s->out_len = s->out_off = 0;
}
