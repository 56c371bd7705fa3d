/* outfiles.c: the regular files a run created or changed under its working directory, for the response. */
#ifndef KA_OUTFILES_H
#define KA_OUTFILES_H

#include "request.h"
#include "result.h"

#include <sys/types.h>

/* Collects into r->files / r->files_truncated through a workdir helper (workdir.c) on the jail's mount namespace
 * (mntns_fd); the caller calls it after the program ended and before the jail's tmpfs goes. The files' share of
 * the response frame (paths and base64 contents) stays within room_bytes. -1 (no files) if the working directory
 * could not be walked. */
int outfiles_collect(int mntns_fd, uid_t uid, gid_t gid, const struct run_request *req, size_t room_bytes,
                     struct run_result *r);

#endif
