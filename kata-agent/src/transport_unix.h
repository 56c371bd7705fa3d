/* transport_unix.c: the serve mode's Unix socket. */
#ifndef KA_TRANSPORT_UNIX_H
#define KA_TRANSPORT_UNIX_H

#include "error.h"
#include <sys/types.h>

struct unix_listen_opts {
    const char *path;
    mode_t mode;
    const char *group; /* NULL = keep */
};
int transport_unix_listen(const struct unix_listen_opts *opts, struct ka_error *e);

#endif
