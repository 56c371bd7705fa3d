/* check.c: `kata-agent --check`: whether this host has what the jail needs. */
#ifndef KA_CHECK_H
#define KA_CHECK_H

int check_host(void);

#endif
