/* Input files. The caller is the run's own uid (the cold path's main process before its exec; a warm member's
 * workdir helper, workdir.c) and the working directory is fresh and empty: nothing of the run has started yet. Every
 * step still refuses to follow a link (O_NOFOLLOW, O_EXCL), so a mistake here can only fail, never write elsewhere. */
#include "infiles.h"

#include "fdio.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DIR_MODE 0755
#define FILE_MODE 0644

/* The directory name[0..len) under parent, created if missing; an fd of it, or -1. */
static int enter_dir(int parent, const char *name, size_t len)
{
    char seg[KA_MAX_PATH_SEGMENT_BYTES + 1];
    memcpy(seg, name, len);
    seg[len] = '\0';
    bool created = mkdirat(parent, seg, DIR_MODE) == 0;
    if (!created && errno != EEXIST)
        return -1;
    int fd = openat(parent, seg, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    /* the mode exactly, whatever the umask */
    if (fd >= 0 && created && fchmod(fd, DIR_MODE) < 0) {
        close(fd);
        return -1;
    }
    return fd;
}

static int write_one(int dirfd, const struct run_file *f)
{
    int dir = dirfd;
    const char *p = f->path;
    const char *slash;
    while ((slash = strchr(p, '/')) != NULL) {
        int next = enter_dir(dir, p, (size_t)(slash - p));
        if (dir != dirfd)
            close(dir);
        if (next < 0)
            return -1;
        dir = next;
        p = slash + 1;
    }
    int fd = openat(dir, p, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, FILE_MODE);
    int saved = errno;
    if (dir != dirfd)
        close(dir);
    if (fd < 0) {
        errno = saved;
        return -1;
    }
    int rc = fchmod(fd, FILE_MODE) < 0 || fdio_write_all(fd, f->data, f->bytes) < 0 ? -1 : 0;
    saved = errno;
    close(fd);
    errno = saved;
    return rc;
}

int infiles_write(int dirfd, const struct run_file *files, size_t n, const char **step)
{
    *step = "write the input files";
    for (size_t i = 0; i < n; i++)
        if (write_one(dirfd, &files[i]) < 0)
            return -1;
    return 0;
}
