/* slot.c: a host-wide run slot (uid, cgroup names), held by an flock until released. */
#ifndef KA_SLOT_H
#define KA_SLOT_H

#include "error.h"

struct slot {
    int index;
    int lock_fd;
};
int slot_acquire(struct slot *s, struct ka_error *e);
void slot_release(struct slot *s);
void slot_sweep(void);

#endif
