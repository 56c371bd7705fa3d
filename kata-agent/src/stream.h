/* stream.c: live output: chunk frames of stdout and stderr sent to the client while the program runs. */
#ifndef KA_STREAM_H
#define KA_STREAM_H

#include "output.h"

#include <stdbool.h>
#include <stdint.h>

/* Pending output goes out at most this long after its first byte arrived (the protocol promises 100 ms). */
#define STREAM_FLUSH_MS 50

struct stream_sink {
    int fd; /* the client connection */
    size_t sent[2]; /* per stream (stdout, stderr): raw captured bytes already sent in chunks */
    int64_t due_ns; /* when the pending output must be sent; 0 = none pending */
    char *outbox; /* frames the client has not taken yet: the supervisor never blocks on a slow client */
    size_t out_len, out_off;
    bool broken; /* the client cannot take more: nothing else is sent */
};

void stream_init(struct stream_sink *s, int client_fd);
void stream_output_arrived(struct stream_sink *s, int64_t now_ns); /* new bytes in a capture */
int stream_timeout_ms(const struct stream_sink *s); /* until a flush is due, -1 = none */
bool stream_wants_write(const struct stream_sink *s); /* frames wait in the outbox: poll for POLLOUT */
/* Puts every capture's pending bytes in chunk frames if due (or final: all of them, incomplete sequences as U+FFFD),
 * then sends what the socket takes now. */
void stream_flush(struct stream_sink *s, const struct capture *out, const struct capture *err, bool final);
void stream_send(struct stream_sink *s); /* what the socket takes without blocking */
/* The last chunks, sent whole (blocking, under the connection's send timeout) before the response frame; releases
 * the outbox (sending nothing once broken). */
void stream_finish(struct stream_sink *s, const struct capture *out, const struct capture *err);

#endif
