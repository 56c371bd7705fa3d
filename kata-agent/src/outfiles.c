/* Output files. The walk runs in a workdir helper (workdir.c): the run's uid, chrooted into the working directory,
 * so the worst a hostile tree can do is be skipped. It trusts nothing it finds:
 *   - entries are looked at with fstatat(AT_SYMLINK_NOFOLLOW); only directories and regular files are considered,
 *     so symlinks, FIFOs, sockets and device nodes are never opened;
 *   - a directory is entered with openat(O_DIRECTORY | O_NOFOLLOW) relative to its parent's descriptor, a file is
 *     opened with openat2(RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV) and
 *     O_NOFOLLOW | O_NONBLOCK (a FIFO swapped in cannot block), and fstat on the open descriptor must say regular
 *     file on the working directory's own filesystem (a hard link can only name a file of that tmpfs);
 *   - a file is read up to the size fstat gave and the bytes left in the budget, never more (a sparse or growing
 *     file cannot make it read past either); one too big for what is left is skipped and flags the truncation;
 *   - depth, entries seen and path bytes kept are bounded, and the helper is killed after WALK_TIMEOUT_MS;
 *   - a name that is not UTF-8 cannot be a JSON path: left out (and flagged), as is a file whose path and base64
 *     content would take the response frame past KA_MAX_FRAME_BYTES (the supervisor says how much room is left).
 * The files go to the supervisor through a memfd as records: path length (4 bytes), path, size (8 bytes), bytes;
 * then a trailer: 0xffffffff and the truncation byte. An input file whose bytes are unchanged is not returned. */
#include "outfiles.h"

#include "base64.h"
#include "contract.h"
#include "fdio.h"
#include "output.h"
#include "workdir.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#define WALK_TIMEOUT_MS 5000
#define WALK_MAX_DEPTH 64
#define WALK_MAX_ENTRIES 20000
#define WALK_MAX_PATH_BYTES (4L * 1024 * 1024) /* all candidates' paths together */
#define TRAILER_MARK 0xffffffffu
/* a file's entry in the response besides its base64 content: the keys, the size, and its path escaped at worst */
#define FILE_ENTRY_BYTES(path_len) (64 + 6 * (path_len))

struct candidate {
    char *path;
    off_t size;
};

struct walk {
    const struct run_request *req;
    size_t room; /* of the response frame, for the files' entries */
    dev_t dev; /* the working directory's filesystem */
    struct candidate *cands;
    size_t n, cap;
    size_t entries, path_bytes;
    bool truncated;
};

static int add_candidate(struct walk *w, const char *path, off_t size)
{
    size_t len = strlen(path);
    if (w->path_bytes + len > (size_t)WALK_MAX_PATH_BYTES) {
        w->truncated = true;
        return 0;
    }
    if (w->n == w->cap) {
        size_t cap = w->cap ? w->cap * 2 : 64;
        struct candidate *c = realloc(w->cands, cap * sizeof *c);
        if (c == NULL)
            return -1;
        w->cands = c;
        w->cap = cap;
    }
    if ((w->cands[w->n].path = strdup(path)) == NULL)
        return -1;
    w->cands[w->n++].size = size;
    w->path_bytes += len;
    return 0;
}

static int walk_dir(struct walk *w, int dirfd, char *path, size_t plen, int depth);

/* One entry of the directory dirfd, whose path (relative to the working directory) is path[0..plen). */
static int walk_entry(struct walk *w, int dirfd, char *path, size_t plen, const char *name, int depth)
{
    size_t nlen = strlen(name);
    size_t full = plen + (plen > 0) + nlen;
    if (++w->entries > WALK_MAX_ENTRIES || full > KA_MAX_PATH_BYTES || nlen > KA_MAX_PATH_SEGMENT_BYTES ||
        !output_is_utf8(name, nlen)) {
        w->truncated = true;
        return 0;
    }
    if (plen > 0)
        path[plen] = '/';
    memcpy(path + plen + (plen > 0), name, nlen + 1);
    struct stat st;
    int rc = 0;
    if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0 || st.st_dev != w->dev)
        rc = 0; /* gone, or not of the working directory's filesystem: nothing to return */
    else if (S_ISREG(st.st_mode))
        rc = add_candidate(w, path, st.st_size);
    else if (S_ISDIR(st.st_mode) && depth >= WALK_MAX_DEPTH)
        w->truncated = true;
    else if (S_ISDIR(st.st_mode)) {
        int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
        if (fd >= 0)
            rc = walk_dir(w, fd, path, full, depth + 1); /* closes fd */
    }
    path[plen] = '\0';
    return rc;
}

static int walk_dir(struct walk *w, int dirfd, char *path, size_t plen, int depth)
{
    DIR *d = fdopendir(dirfd);
    if (d == NULL) {
        close(dirfd);
        return 0;
    }
    int rc = 0;
    struct dirent *e;
    while (rc == 0 && !(w->entries > WALK_MAX_ENTRIES) && (e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            rc = walk_entry(w, dirfd, path, plen, e->d_name, depth);
    closedir(d);
    return rc;
}

static int by_path(const void *a, const void *b)
{
    return strcmp(((const struct candidate *)a)->path, ((const struct candidate *)b)->path);
}

/* A regular file of the working directory's filesystem, opened without following anything; -1 otherwise. */
static int open_regular(const struct walk *w, const char *path, struct stat *st)
{
    struct open_how how = {
        .flags = O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC,
        .resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV,
    };
    int fd = (int)syscall(SYS_openat2, AT_FDCWD, path, &how, sizeof how);
    if (fd >= 0 && (fstat(fd, st) < 0 || !S_ISREG(st->st_mode) || st->st_dev != w->dev)) {
        close(fd);
        return -1;
    }
    return fd;
}

static bool unchanged_input(const struct run_request *req, const char *path, const unsigned char *data, size_t n)
{
    for (size_t i = 0; i < req->n_files; i++)
        if (strcmp(req->files[i].path, path) == 0)
            return req->files[i].bytes == n && memcmp(req->files[i].data, data, n) == 0;
    return false;
}

static int emit(int out, const char *path, const unsigned char *data, size_t n)
{
    uint32_t plen = (uint32_t)strlen(path);
    uint64_t size = n;
    return fdio_write_all(out, &plen, sizeof plen) < 0 || fdio_write_all(out, path, plen) < 0 ||
                   fdio_write_all(out, &size, sizeof size) < 0 || fdio_write_all(out, data, n) < 0
               ? -1
               : 0;
}

/* The candidates in path order, while they fit: at most KA_MAX_FILES, KA_MAX_FILES_BYTES in all. */
static int emit_files(struct walk *w, int out)
{
    size_t left = KA_MAX_FILES_BYTES, kept = 0;
    qsort(w->cands, w->n, sizeof *w->cands, by_path);
    for (size_t i = 0; i < w->n; i++) {
        struct stat st;
        int fd = open_regular(w, w->cands[i].path, &st);
        if (fd < 0)
            continue;
        size_t entry = base64_encoded_len((size_t)st.st_size) + FILE_ENTRY_BYTES(strlen(w->cands[i].path));
        if (kept == KA_MAX_FILES || (size_t)st.st_size > left || entry > w->room) {
            close(fd);
            w->truncated = true;
            continue;
        }
        unsigned char *data = malloc((size_t)st.st_size + 1);
        ssize_t n = data == NULL ? -1 : fdio_read_full(fd, data, (size_t)st.st_size);
        close(fd);
        if (n >= 0 && !unchanged_input(w->req, w->cands[i].path, data, (size_t)n)) {
            if (emit(out, w->cands[i].path, data, (size_t)n) < 0) {
                free(data);
                return -1;
            }
            kept++;
            left -= (size_t)n;
            w->room -= base64_encoded_len((size_t)n) + FILE_ENTRY_BYTES(strlen(w->cands[i].path));
        }
        free(data);
    }
    return 0;
}

struct scan_args {
    const struct run_request *req;
    size_t room_bytes;
};

/* In the helper: its cwd (and root) is the working directory. */
static int scan(int out, void *arg)
{
    const struct scan_args *a = arg;
    struct walk w = {.req = a->req, .room = a->room_bytes};
    static char path[KA_MAX_PATH_BYTES + KA_MAX_PATH_SEGMENT_BYTES + 2];
    struct stat root;
    int fd = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0 || fstat(fd, &root) < 0)
        return -1;
    w.dev = root.st_dev;
    path[0] = '\0';
    if (walk_dir(&w, fd, path, 0, 0) < 0 || emit_files(&w, out) < 0)
        return -1;
    uint32_t mark = TRAILER_MARK;
    unsigned char truncated = w.truncated;
    return fdio_write_all(out, &mark, sizeof mark) < 0 || fdio_write_all(out, &truncated, 1) < 0 ? -1 : 0;
}

/* The helper's records, checked as they are read: its output is never trusted past its length. */
static int parse_records(const unsigned char *p, size_t len, struct run_result *r)
{
    size_t off = 0;
    r->files = calloc(KA_MAX_FILES, sizeof *r->files);
    if (r->files == NULL)
        return -1;
    for (;;) {
        uint32_t plen;
        uint64_t size;
        if (len - off < sizeof plen)
            return -1;
        memcpy(&plen, p + off, sizeof plen);
        off += sizeof plen;
        if (plen == TRAILER_MARK) {
            if (len - off != 1)
                return -1;
            r->files_truncated = p[off] != 0;
            return 0;
        }
        if (r->n_files == KA_MAX_FILES || plen == 0 || plen > KA_MAX_PATH_BYTES || len - off < plen + sizeof size)
            return -1;
        memcpy(&size, p + off + plen, sizeof size);
        if (size > KA_MAX_FILES_BYTES || len - off - plen - sizeof size < size)
            return -1;
        struct out_file *f = &r->files[r->n_files];
        f->path = strndup((const char *)p + off, plen);
        f->data = malloc(size + 1);
        if (f->path == NULL || f->data == NULL) {
            free(f->path);
            free(f->data);
            return -1;
        }
        memcpy(f->data, p + off + plen + sizeof size, size);
        f->bytes = size;
        r->n_files++;
        off += plen + sizeof size + size;
    }
}

int outfiles_collect(int mntns_fd, uid_t uid, gid_t gid, const struct run_request *req, size_t room_bytes,
                     struct run_result *r)
{
    struct scan_args args = {req, room_bytes};
    int out = memfd_create("kata-agent-files", MFD_CLOEXEC);
    if (out < 0)
        return -1;
    struct stat st;
    void *map = MAP_FAILED;
    int rc = -1;
    if (workdir_run_as(mntns_fd, uid, gid, out, scan, &args, WALK_TIMEOUT_MS) == 0 && fstat(out, &st) == 0 &&
        st.st_size > 0 && (map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, out, 0)) != MAP_FAILED)
        rc = parse_records(map, (size_t)st.st_size, r);
    if (map != MAP_FAILED)
        munmap(map, (size_t)st.st_size);
    close(out);
    if (rc < 0)
        result_free_files(r);
    return rc;
}
