/* privs.c: dropping to the run's uid with no capability left. */
#ifndef KA_PRIVS_H
#define KA_PRIVS_H

#include <sys/types.h>

int privs_drop(uid_t uid, gid_t gid, const char **step);

#endif
