/* server.c: accept loop, one forked worker per connection. */
#ifndef KA_SERVER_H
#define KA_SERVER_H

#include "auth.h"

#include <stdbool.h>

#define SERVER_MAX_LISTENERS 2

struct listener {
    int fd;
    const char *transport; /* "unix", "tcp", "vsock": what the ping answers */
    bool authenticate; /* the caller proves the shared secret before its request is read (auth.c) */
};

struct server_opts {
    struct listener listeners[SERVER_MAX_LISTENERS];
    int n_listeners;
    const char *socket_path; /* the Unix listener's file, unlinked on SIGTERM; NULL without one */
    const struct auth_secret *secret;
    int max_runs;
};
int server_loop(const struct server_opts *opts);

#endif
