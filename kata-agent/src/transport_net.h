/* transport_net.c: the agent's addresses (unix://, tcp://, vsock://, hvsock://), listening and connecting. */
#ifndef KA_TRANSPORT_NET_H
#define KA_TRANSPORT_NET_H

#include "error.h"

#include <stdbool.h>
#include <stddef.h>

enum net_kind { NET_UNIX, NET_TCP, NET_VSOCK, NET_HVSOCK };

struct net_address {
    enum net_kind kind;
    char host[256]; /* tcp: name or address (IPv6 without brackets) */
    char port[8]; /* tcp: decimal */
    char path[108]; /* unix, hvsock: the Unix socket's path */
    unsigned cid; /* vsock: the context id to listen on or connect to */
    unsigned vport; /* vsock, hvsock: the vsock port */
};

int net_address_parse(const char *url, struct net_address *a, struct ka_error *e);
const char *net_kind_name(enum net_kind kind); /* "unix", "tcp", "vsock", "hvsock" */
/* Does a connection of this kind have to prove the shared secret? Only the Unix socket is guarded by file modes. */
bool net_kind_authenticates(enum net_kind kind);
/* tcp and vsock: a listening socket; its actual address (port 0 picks one) written to bound_url */
int transport_net_listen(const struct net_address *a, char *bound_url, size_t size, struct ka_error *e);
/* any kind: a connected stream, past Firecracker's CONNECT hand-shake for hvsock */
int transport_net_connect(const struct net_address *a, struct ka_error *e);
/* on a connected TCP stream: frames go out at once (a 4-byte header and its body are two writes) */
void transport_net_no_delay(int fd);

#endif
