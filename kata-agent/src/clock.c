/* Monotonic time: the jail has no time namespace, so its PID 1 and the supervisor read the same clock. */
#include "clock.h"

#include <time.h>

int64_t clock_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int clock_ms_until(int64_t deadline_ns)
{
    int64_t left_ns = deadline_ns - clock_now_ns();
    if (left_ns <= 0)
        return 0;
    /* round up so poll() never wakes just before the deadline and spins */
    return (int)((left_ns + 999999) / 1000000);
}
