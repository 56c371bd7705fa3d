/* netns.c: the network namespace of a run slot, made once and kept for the slot's later runs. */
#ifndef KA_NETNS_H
#define KA_NETNS_H

#include "error.h"

/* For the holder of slot `slot` (slot.h): a descriptor of the slot's network namespace (only a loopback, down),
 * created on first use; PID 1 of the slot's jails joins it with setns. -1 with e set. */
int netns_open_slot(int slot, struct ka_error *e);

#endif
