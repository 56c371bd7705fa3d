/* Whole-buffer reads and writes that survive EINTR and short transfers, and messages carrying descriptors. */
#include "fdio.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

int fdio_write_all(int fd, const void *buf, size_t len)
{
    const char *p = buf;
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

ssize_t fdio_read_full(int fd, void *buf, size_t len)
{
    char *p = buf;
    size_t got = 0;
    while (got < len) {
        ssize_t n = read(fd, p + got, len - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        if (n == 0)
            break;
        got += (size_t)n;
    }
    return (ssize_t)got;
}

int fdio_write_file(const char *path, const char *text)
{
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    int rc = fdio_write_all(fd, text, strlen(text));
    int saved = errno;
    close(fd);
    errno = saved;
    return rc;
}

int fdio_read_file(const char *path, char *buf, size_t size)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    ssize_t n = fdio_read_full(fd, buf, size - 1);
    close(fd);
    if (n < 0)
        return -1;
    buf[n] = '\0';
    return (int)n;
}

int fdio_mkdir(const char *path, mode_t mode)
{
    if (mkdir(path, mode) < 0 && errno != EEXIST)
        return -1;
    return 0;
}

/* Room for the most descriptors one message carries (a Python jail's request to the template: 6). */
#define FDIO_MAX_FDS 8

int fdio_send_fds(int sock, const void *data, size_t len, const int *fds, int nfds, int flags)
{
    union {
        struct cmsghdr align;
        char buf[CMSG_SPACE(FDIO_MAX_FDS * sizeof(int))];
    } control;
    if (nfds < 0 || nfds > FDIO_MAX_FDS) {
        errno = EINVAL;
        return -1;
    }
    memset(&control, 0, sizeof control);
    struct iovec iov = {(void *)data, len};
    struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1};
    if (nfds > 0) {
        msg.msg_control = control.buf;
        msg.msg_controllen = CMSG_SPACE((size_t)nfds * sizeof(int));
        struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN((size_t)nfds * sizeof(int));
        memcpy(CMSG_DATA(c), fds, (size_t)nfds * sizeof(int));
    }
    return sendmsg(sock, &msg, flags | MSG_NOSIGNAL) == (ssize_t)len ? 0 : -1;
}

int fdio_recv_fds(int sock, void *data, size_t len, int *fds, int min, int max, int flags)
{
    union {
        struct cmsghdr align;
        char buf[CMSG_SPACE(FDIO_MAX_FDS * sizeof(int))];
    } control;
    int got[FDIO_MAX_FDS];
    int n_fds = 0;
    struct iovec iov = {data, len};
    struct msghdr msg = {
        .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.buf, .msg_controllen = sizeof control.buf};
    ssize_t n = recvmsg(sock, &msg, flags | MSG_CMSG_CLOEXEC);
    struct cmsghdr *c = n >= 0 ? CMSG_FIRSTHDR(&msg) : NULL;
    if (c != NULL && c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
        n_fds = (int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
        memcpy(got, CMSG_DATA(c), (size_t)n_fds * sizeof(int));
    }
    if (n == (ssize_t)len && n_fds >= min && n_fds <= max && !(msg.msg_flags & (MSG_TRUNC | MSG_CTRUNC))) {
        memcpy(fds, got, (size_t)n_fds * sizeof(int));
        return n_fds;
    }
    for (int i = 0; i < n_fds; i++)
        close(got[i]);
    return -1;
}
