/* limits.c: the main process's rlimits. */
#ifndef KA_LIMITS_H
#define KA_LIMITS_H

#include "request.h"

int limits_apply(const struct run_limits *limits, const char **step);

#endif
