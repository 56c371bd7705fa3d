/* server.c: accept loop, one forked worker per connection. */
#ifndef KA_SERVER_H
#define KA_SERVER_H

struct server_opts {
    int listen_fd;
    const char *socket_path; /* unlinked on SIGTERM */
    int max_runs;
};
int server_loop(const struct server_opts *opts);

#endif
