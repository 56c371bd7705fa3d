/* cgroup_dir.c: removing one cgroup directory, for cgroup_v1.c and cgroup_v2.c alike. */
#ifndef KA_CGROUP_DIR_H
#define KA_CGROUP_DIR_H

/* Removes the group DIR, killing what a dead agent left in it (its cgroup.procs) first; gives up after ~100 ms. */
void cg_remove_dir(const char *dir);

#endif
