/* netns.c: a jail's network namespace, new per run or kept per run slot by the serve loop. */
#ifndef KA_NETNS_H
#define KA_NETNS_H

#include "error.h"

/* A new network namespace (only a loopback, down), as a descriptor; the caller's own is unchanged. The caller must
 * be single-threaded (as every agent process is). -1 with e set. */
int netns_create(struct ka_error *e);
/* The serve loop's namespace for run slot `slot` (slot.h), made on first use and kept (close-on-exec) for the slot's
 * later pool members; the caller holds the slot. Not to be closed by the loop. -1 with e set. */
int netns_of_slot(int slot, struct ka_error *e);

#endif
