/* Infrastructure failures carry "step: strerror(errno)" so the service can tell which jail step broke. */
#include "error.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int error_set(struct ka_error *e, const char *step)
{
    int saved = errno;
    snprintf(e->msg, sizeof e->msg, "%s: %s", step, strerror(saved));
    errno = saved;
    return -1;
}

int error_setf(struct ka_error *e, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
    return -1;
}
