/* clock.c: the monotonic clock, in ns, and poll() timeouts from deadlines. */
#ifndef KA_CLOCK_H
#define KA_CLOCK_H

#include <stdint.h>

int64_t clock_now_ns(void);
int clock_ms_until(int64_t deadline_ns); /* poll() timeout, >= 0 */

#endif
