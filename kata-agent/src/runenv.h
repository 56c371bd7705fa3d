/* runenv.c: which environment variables a request may add to its run's environment. */
#ifndef KA_RUNENV_H
#define KA_RUNENV_H

#include <stdbool.h>
#include <stddef.h>

/* A name of the form [A-Za-z_][A-Za-z0-9_]*. */
bool runenv_name_valid(const char *name, size_t len);
/* A name on the deny-list: set by the jail itself, or read by the runtime, its libraries or the C library to change
 * how they behave (what they load, where they look, how they allocate, which locale or time zone they use). */
bool runenv_name_denied(const char *name);

#endif
