/* handover.c: a request passed from the worker that read it to whichever idle member of its language takes it.
 *   1. the worker, holding a unit of the language's idle counter (pool_table.c), sends on the language's
 *      SOCK_SEQPACKET channel the client connection, a memfd with the request and one end of a fresh socketpair,
 *      the lifeline; whichever idle member receives it answers 'A' on the lifeline;
 *   2. the worker answers 'G' (committed: the member runs it) or, if no 'A' came within HANDOVER_TIMEOUT_MS,
 *      closes the lifeline and runs the request cold (a member that gets the message later sees EOF instead of 'G'
 *      and goes back to waiting); no request ever waits on a member for longer than that;
 *   3. the worker waits for the lifeline's EOF (the member is done) and exits; it stays the process the serve loop
 *      counts (runsInFlight, draining), and if it is killed, the lifeline's hang-up makes the member kill the run. */
#ifndef KA_WARM_HANDOVER_H
#define KA_WARM_HANDOVER_H

#include <stdbool.h>
#include <stddef.h>

struct handover {
    int client_fd, request_fd, lifeline_fd;
};

/* The worker's side: returns its end of the lifeline once a member committed, else -1. */
int handover_offer(int channel, int client_fd, const char *request_json, size_t len);
void handover_wait_done(int lifeline); /* returns at the member's end (or death); closes the lifeline */

/* The member's side. receive does not block (another idle member may have been faster: -1). */
int handover_receive(int channel, struct handover *h);
bool handover_commit(const struct handover *h); /* false: the worker gave up on us and ran the request cold */
void handover_close(struct handover *h);

#endif
