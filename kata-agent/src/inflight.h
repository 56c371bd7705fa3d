/* inflight.c: which of the serve loop's workers run user code right now, in memory shared by the loop and its
 * workers (never by a jail: workers and members are root supervisors, and every runtime is exec'd or forked from
 * the exec'd template). */
#ifndef KA_INFLIGHT_H
#define KA_INFLIGHT_H

#include <stdbool.h>

struct inflight;
struct inflight *inflight_create(int workers);
void inflight_set(struct inflight *f, int worker_index, bool running);
int inflight_count(const struct inflight *f);

#endif
