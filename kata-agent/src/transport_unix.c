/* The Unix-socket transport: a listening SOCK_STREAM socket with the requested mode and group. */
#include "transport_unix.h"

#include "error.h"
#include "fdio.h"

#include <errno.h>
#include <grp.h>
#include <libgen.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

static int fill_addr(struct sockaddr_un *addr, const char *path, struct ka_error *e)
{
    memset(addr, 0, sizeof *addr);
    addr->sun_family = AF_UNIX;
    if (strlen(path) >= sizeof addr->sun_path)
        return error_setf(e, "socket path is too long: %s", path);
    strcpy(addr->sun_path, path);
    return 0;
}

/* A socket file left by an agent that died is removed; one that still answers belongs to a live agent. */
static int remove_stale(const char *path, const struct sockaddr_un *addr, struct ka_error *e)
{
    struct stat st;
    if (lstat(path, &st) < 0)
        return errno == ENOENT ? 0 : error_set(e, "lstat socket path");
    if (!S_ISSOCK(st.st_mode))
        return error_setf(e, "%s exists and is not a socket; refusing to remove it", path);
    int probe = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (probe < 0)
        return error_set(e, "socket");
    int alive = connect(probe, (const struct sockaddr *)addr, sizeof *addr) == 0;
    close(probe);
    if (alive)
        return error_setf(e, "another agent is already listening on %s", path);
    return unlink(path) < 0 ? error_set(e, "unlink stale socket") : 0;
}

static int apply_owner_mode(const struct unix_listen_opts *opts, struct ka_error *e)
{
    if (opts->group != NULL) {
        struct group *g = getgrnam(opts->group);
        if (g == NULL)
            return error_setf(e, "unknown group %s", opts->group);
        if (chown(opts->path, (uid_t)-1, g->gr_gid) < 0)
            return error_set(e, "chown socket");
    }
    return chmod(opts->path, opts->mode) < 0 ? error_set(e, "chmod socket") : 0;
}

int transport_unix_listen(const struct unix_listen_opts *opts, struct ka_error *e)
{
    struct sockaddr_un addr;
    if (fill_addr(&addr, opts->path, e) < 0 || remove_stale(opts->path, &addr, e) < 0)
        return -1;
    char dir[sizeof addr.sun_path];
    snprintf(dir, sizeof dir, "%s", opts->path);
    if (fdio_mkdir(dirname(dir), 0755) < 0)
        return error_set(e, "mkdir socket dir");
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return error_set(e, "socket");
    /* bind with a tight umask, then open up to the requested mode: no window where the socket is world-usable */
    mode_t old = umask(0177);
    int bound = bind(fd, (struct sockaddr *)&addr, sizeof addr);
    umask(old);
    if (bound < 0)
        error_set(e, "bind");
    else if (apply_owner_mode(opts, e) == 0 && listen(fd, 64) == 0)
        return fd;
    else if (e->msg[0] == '\0')
        error_set(e, "listen");
    close(fd);
    return -1;
}
