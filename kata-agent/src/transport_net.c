/* The agent's addresses and the stream sockets behind them. The frames and the hand-shake do not care what carries
 * them: TCP (a guest reached through a forwarded port), vsock (a guest reached through virtio-vsock, as Kata does),
 * or Firecracker's hybrid vsock, where the host connects to a Unix socket and asks for a guest port with
 * "CONNECT <port>\n", answered "OK <host port>\n" (the Unix socket's own form, unix://, serves the host). */
#include "transport_net.h"

#include <errno.h>
#include <limits.h>
#include <linux/vm_sockets.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

/* Firecracker answers CONNECT at once; a muxer that does not is not one */
#define HVSOCK_REPLY_TIMEOUT_S 5

static const char *const kind_names[] = {"unix", "tcp", "vsock", "hvsock"};

const char *net_kind_name(enum net_kind kind)
{
    return kind_names[kind];
}

bool net_kind_authenticates(enum net_kind kind)
{
    return kind != NET_UNIX;
}

static int parse_uint(const char *text, unsigned max, unsigned *out)
{
    char *end;
    errno = 0;
    unsigned long n = strtoul(text, &end, 10);
    if (*text < '0' || *text > '9' || *end != '\0' || errno != 0 || n > max)
        return -1;
    *out = (unsigned)n;
    return 0;
}

/* "HOST:PORT" with HOST a name, an IPv4 address or a bracketed IPv6 address */
static int parse_tcp(const char *rest, struct net_address *a)
{
    const char *colon = strrchr(rest, ':');
    const char *host = rest;
    size_t host_len = colon == NULL ? 0 : (size_t)(colon - rest);
    if (host_len >= 2 && host[0] == '[' && host[host_len - 1] == ']') {
        host++;
        host_len -= 2;
    } else if (memchr(host, ':', host_len) != NULL) {
        return -1; /* an IPv6 address must be bracketed */
    }
    unsigned port;
    if (colon == NULL || host_len == 0 || host_len >= sizeof a->host || parse_uint(colon + 1, 65535, &port) < 0)
        return -1;
    memcpy(a->host, host, host_len);
    a->host[host_len] = '\0';
    snprintf(a->port, sizeof a->port, "%u", port);
    return 0;
}

/* "PATH:PORT", the path absolute */
static int parse_hvsock(const char *rest, struct net_address *a)
{
    const char *colon = strrchr(rest, ':');
    size_t path_len = colon == NULL ? 0 : (size_t)(colon - rest);
    if (colon == NULL || rest[0] != '/' || path_len >= sizeof a->path || parse_uint(colon + 1, UINT_MAX, &a->vport) < 0)
        return -1;
    memcpy(a->path, rest, path_len);
    a->path[path_len] = '\0';
    return 0;
}

/* "CID:PORT", CID a number or "any" */
static int parse_vsock(const char *rest, struct net_address *a)
{
    const char *colon = strchr(rest, ':');
    if (colon == NULL || parse_uint(colon + 1, UINT_MAX, &a->vport) < 0)
        return -1;
    char cid[16];
    size_t cid_len = (size_t)(colon - rest);
    if (cid_len == 0 || cid_len >= sizeof cid)
        return -1;
    memcpy(cid, rest, cid_len);
    cid[cid_len] = '\0';
    if (strcmp(cid, "any") == 0) {
        a->cid = VMADDR_CID_ANY;
        return 0;
    }
    return parse_uint(cid, UINT_MAX, &a->cid);
}

int net_address_parse(const char *url, struct net_address *a, struct ka_error *e)
{
    memset(a, 0, sizeof *a);
    int rc = -1;
    if (strncmp(url, "unix://", 7) == 0) {
        a->kind = NET_UNIX;
        rc = url[7] == '/' && strlen(url + 7) < sizeof a->path ? 0 : -1;
        if (rc == 0)
            strcpy(a->path, url + 7);
    } else if (strncmp(url, "tcp://", 6) == 0) {
        a->kind = NET_TCP;
        rc = parse_tcp(url + 6, a);
    } else if (strncmp(url, "vsock://", 8) == 0) {
        a->kind = NET_VSOCK;
        rc = parse_vsock(url + 8, a);
    } else if (strncmp(url, "hvsock://", 9) == 0) {
        a->kind = NET_HVSOCK;
        rc = parse_hvsock(url + 9, a);
    }
    if (rc < 0)
        return error_setf(e,
                          "bad agent address %s (unix:///PATH, tcp://HOST:PORT, vsock://CID:PORT or "
                          "hvsock:///PATH:PORT)",
                          url);
    return 0;
}

void transport_net_no_delay(int fd)
{
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

static int describe_bound(int fd, char *bound_url, size_t size)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    if (getsockname(fd, (struct sockaddr *)&ss, &len) < 0)
        return -1;
    if (ss.ss_family == AF_VSOCK) {
        const struct sockaddr_vm *vm = (const struct sockaddr_vm *)&ss;
        snprintf(bound_url, size, "vsock://%u:%u", vm->svm_cid, vm->svm_port);
        return 0;
    }
    char host[NI_MAXHOST], port[NI_MAXSERV];
    if (getnameinfo((struct sockaddr *)&ss, len, host, sizeof host, port, sizeof port,
                    NI_NUMERICHOST | NI_NUMERICSERV) != 0)
        return -1;
    snprintf(bound_url, size, ss.ss_family == AF_INET6 ? "tcp://[%s]:%s" : "tcp://%s:%s", host, port);
    return 0;
}

static int listen_on(int fd, const struct sockaddr *addr, socklen_t len, struct ka_error *e)
{
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(fd, addr, len) < 0)
        return error_set(e, "bind");
    return listen(fd, 64) < 0 ? error_set(e, "listen") : 0;
}

int transport_net_listen(const struct net_address *a, char *bound_url, size_t size, struct ka_error *e)
{
    int fd = -1, rc = -1;
    if (a->kind == NET_VSOCK) {
        struct sockaddr_vm vm = {.svm_family = AF_VSOCK, .svm_cid = a->cid, .svm_port = a->vport};
        fd = socket(AF_VSOCK, SOCK_STREAM | SOCK_CLOEXEC, 0);
        rc = fd < 0 ? error_set(e, "socket(AF_VSOCK)") : listen_on(fd, (struct sockaddr *)&vm, sizeof vm, e);
    } else if (a->kind == NET_TCP) {
        struct addrinfo hints = {.ai_flags = AI_PASSIVE | AI_NUMERICSERV, .ai_socktype = SOCK_STREAM};
        struct addrinfo *ai = NULL;
        int gai = getaddrinfo(a->host, a->port, &hints, &ai);
        if (gai != 0)
            return error_setf(e, "cannot resolve %s: %s", a->host, gai_strerror(gai));
        fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
        rc = fd < 0 ? error_set(e, "socket") : listen_on(fd, ai->ai_addr, ai->ai_addrlen, e);
        freeaddrinfo(ai);
    } else {
        return error_setf(e, "only tcp:// and vsock:// addresses can be listened on here");
    }
    if (rc == 0 && describe_bound(fd, bound_url, size) == 0)
        return fd;
    if (rc == 0)
        error_set(e, "getsockname");
    if (fd >= 0)
        close(fd);
    return -1;
}

static int connect_tcp(const struct net_address *a, struct ka_error *e)
{
    struct addrinfo hints = {.ai_flags = AI_NUMERICSERV, .ai_socktype = SOCK_STREAM};
    struct addrinfo *list = NULL;
    int gai = getaddrinfo(a->host, a->port, &hints, &list);
    if (gai != 0)
        return error_setf(e, "cannot resolve %s: %s", a->host, gai_strerror(gai));
    int fd = -1;
    for (struct addrinfo *ai = list; ai != NULL && fd < 0; ai = ai->ai_next) {
        fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd >= 0 && connect(fd, ai->ai_addr, ai->ai_addrlen) < 0) {
            error_setf(e, "connect to tcp://%s:%s: %s", a->host, a->port, strerror(errno));
            close(fd);
            fd = -1;
        }
    }
    freeaddrinfo(list);
    if (fd >= 0)
        transport_net_no_delay(fd);
    return fd;
}

static int connect_unix(const char *path, struct ka_error *e)
{
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    if (strlen(path) >= sizeof addr.sun_path)
        return error_setf(e, "socket path is too long: %s", path);
    strcpy(addr.sun_path, path);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return error_set(e, "socket");
    if (connect(fd, (struct sockaddr *)&addr, sizeof addr) < 0) {
        error_setf(e, "connect to %s: %s", path, strerror(errno));
        close(fd);
        return -1;
    }
    return fd;
}

/* Firecracker's host side of a guest's vsock port: "CONNECT <port>\n", then one line "OK <host port>\n"; read one
 * byte at a time so that nothing past the line (the agent's greeting) is consumed here. */
static int hvsock_connect(int fd, unsigned port, struct ka_error *e)
{
    char line[32];
    int n = snprintf(line, sizeof line, "CONNECT %u\n", port);
    if (write(fd, line, (size_t)n) != n)
        return error_set(e, "write CONNECT");
    struct timeval tv = {HVSOCK_REPLY_TIMEOUT_S, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    size_t len = 0;
    while (len < sizeof line - 1) {
        if (read(fd, line + len, 1) != 1)
            return error_setf(e, "no OK to CONNECT %u (is the guest listening on that vsock port?)", port);
        if (line[len++] == '\n')
            break;
    }
    line[len] = '\0';
    struct timeval none = {0, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &none, sizeof none);
    if (strncmp(line, "OK ", 3) != 0 || line[len - 1] != '\n')
        return error_setf(e, "CONNECT %u was answered %.20s", port, line);
    return 0;
}

int transport_net_connect(const struct net_address *a, struct ka_error *e)
{
    int fd = -1;
    switch (a->kind) {
    case NET_UNIX: return connect_unix(a->path, e);
    case NET_TCP: return connect_tcp(a, e);
    case NET_HVSOCK:
        fd = connect_unix(a->path, e);
        if (fd >= 0 && hvsock_connect(fd, a->vport, e) < 0) {
            close(fd);
            fd = -1;
        }
        return fd;
    case NET_VSOCK: {
        struct sockaddr_vm vm = {.svm_family = AF_VSOCK, .svm_cid = a->cid, .svm_port = a->vport};
        fd = socket(AF_VSOCK, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0)
            return error_set(e, "socket(AF_VSOCK)");
        if (connect(fd, (struct sockaddr *)&vm, sizeof vm) < 0) {
            error_set(e, "connect vsock");
            close(fd);
            fd = -1;
        }
        return fd;
    }
    }
    return error_setf(e, "unknown address kind");
}
