/* cgroup_dir.c: removing one cgroup directory and moving processes between two, for cgroup_v1.c and cgroup_v2.c
 * alike. */
#ifndef KA_CGROUP_DIR_H
#define KA_CGROUP_DIR_H

/* Removes the group DIR, killing what a dead agent left in it (its cgroup.procs) first; gives up after ~100 ms. */
void cg_remove_dir(const char *dir);
/* Moves every process of the group FROM into the group TO, whole (cgroup.procs: all its threads), until FROM is
 * empty; -1 (errno set) if it cannot be emptied. */
int cg_move_processes(const char *from, const char *to);

#endif
