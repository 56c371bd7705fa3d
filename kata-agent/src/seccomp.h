/* seccomp.c: the jails' seccomp filter (sc_: libseccomp owns seccomp_). */
#ifndef KA_SECCOMP_H
#define KA_SECCOMP_H

#include <seccomp.h>
#include "error.h"

scmp_filter_ctx sc_build_filter(struct ka_error *e);

#endif
