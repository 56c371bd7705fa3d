/* fdio.c: whole-buffer I/O on blocking fds, and descriptors passed over Unix sockets. */
#ifndef KA_FDIO_H
#define KA_FDIO_H

#include <stddef.h>
#include <sys/types.h>

int fdio_write_all(int fd, const void *buf, size_t len);
ssize_t fdio_read_full(int fd, void *buf, size_t len); /* stops early only at EOF */
int fdio_write_file(const char *path, const char *text);
int fdio_read_file(const char *path, char *buf, size_t size);
int fdio_mkdir(const char *path, mode_t mode); /* EEXIST is fine */
/* One message: len bytes of data and nfds descriptors (SCM_RIGHTS, at most 8); flags for sendmsg. */
int fdio_send_fds(int sock, const void *data, size_t len, const int *fds, int nfds, int flags);
/* One message of exactly len bytes with min..max descriptors, put (close-on-exec) in fds; returns how many, or -1
 * with none of them left open. flags for recvmsg. */
int fdio_recv_fds(int sock, void *data, size_t len, int *fds, int min, int max, int flags);

#endif
