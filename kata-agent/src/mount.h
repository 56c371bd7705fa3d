/* mount.c: the jail's root filesystem, built inside the new mount namespace. */
#ifndef KA_MOUNT_H
#define KA_MOUNT_H

#include "error.h"
#include <stdbool.h>
#include <sys/types.h>

/* The run's working directory inside the jail: its cwd and HOME, a tmpfs of its own. */
#define MOUNT_WORKDIR "/sandbox"

struct mount_plan {
    bool with_node_runtime;
    uid_t uid;
    gid_t gid;
};
int mount_prepare_staging(struct ka_error *e);
int mount_build_root(const struct mount_plan *plan, const char **step);

#endif
