/* self_maps.c: this process's own mappings, as /proc/self/maps lists them, for the template's checks and layout. */
#ifndef KA_WARM_SELF_MAPS_H
#define KA_WARM_SELF_MAPS_H

#include <stdbool.h>

struct mapping {
    unsigned long start, end, inode;
    char perms[5]; /* "rw-p": read, write, execute, s(hared) or p(rivate) */
    const char *path; /* "" for anonymous memory; a long path may be cut short */
};

/* Calls visit for each mapping until it returns false; -1 if /proc/self/maps cannot be read. */
int self_maps_each(bool (*visit)(const struct mapping *m, void *arg), void *arg);

#endif
