/* check.c: `kata-agent --check`: whether this host has what the jail needs. */
#ifndef KA_CHECK_H
#define KA_CHECK_H

/* The serve mode's addresses, as its flags would give them: the check says which transport is in use. */
struct check_transport {
    const char *socket_path; /* NULL: no Unix socket */
    const char *listen_url; /* NULL: no network transport */
    const char *secret_file;
};

int check_host(const struct check_transport *t);

#endif
