/* connection.c: one request/response on a connected stream. */
#ifndef KA_CONNECTION_H
#define KA_CONNECTION_H

#include "result.h"
#include "inflight.h"

/* transport: the listener's kind, which the ping reports */
void connection_handle(int fd, const char *transport, struct inflight *inflight, int worker_index);
/* After a run: log an infra error, answer (unless the client is gone) and shut the connection; the caller cleans
 * up the run (run_cleanup) after this, off the client's clock. */
void connection_answer(int fd, const struct run_result *r, bool aborted);

#endif
