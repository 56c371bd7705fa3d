/* template.c: the Python template's own process (`kata-agent python-template`): an interpreter initialised as
 * `python3 -I -c` would be, with the preinstalled libraries imported once and the GC frozen, that never runs user
 * code and only starts jails for the Python pool's members. Its protocol and how it is started are in
 * template_client.h. */
#ifndef KA_WARM_TEMPLATE_H
#define KA_WARM_TEMPLATE_H

#include <stdbool.h>
#include <sys/types.h>

struct template_options;
void template_main(pid_t loop_pid, const struct template_options *options) __attribute__((noreturn));

#endif
