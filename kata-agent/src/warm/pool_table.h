/* pool_table.c: per language, the counters and member states that the serve loop, its workers and the members
 * share (MAP_SHARED between root processes only: no runtime ever maps it, see template_client.c). Nothing a process
 * acts on without checking lives here: descriptors and sizes are each process's own (warm.c). */
#ifndef KA_WARM_POOL_TABLE_H
#define KA_WARM_POOL_TABLE_H

#include <jansson.h>
#include <stdbool.h>
#include <sys/types.h>

/* members alive per language at once: idle ones plus those running a request */
#define POOL_TABLE_MEMBERS 64

enum member_state { M_FREE = 0, M_WARMING, M_IDLE, M_BUSY };

struct member_slot {
    pid_t pid; /* written by the serve loop */
    pid_t jail_pid; /* PID 1 of its jail, written by the member */
    int run_slot; /* the run slot (slot.h) it holds, written by the serve loop before the fork */
    int state; /* written by the member (and by the serve loop before the fork and after the reap) */
};

struct pool_counts {
    int idle; /* members waiting for a request, minus claims in flight; a futex */
    long hits, misses, refills;
    long refill_us_last, refill_us_total; /* a member's warm-up: fork to READY */
    struct member_slot members[POOL_TABLE_MEMBERS];
};

struct pool_counts *pool_table_create(int languages); /* zeroed, one per language */
void pool_table_idle_add(struct pool_counts *pc); /* one more idle member; wakes a waiting worker */
bool pool_table_idle_take(struct pool_counts *pc);
/* A unit of the idle counter; with none, and members warming up, waits up to wait_ms for one. */
bool pool_table_claim(struct pool_counts *pc, int wait_ms);
int pool_table_not_busy(const struct pool_counts *pc); /* warming or idle */
void pool_table_set_state(struct member_slot *m, enum member_state state);
void pool_table_refilled(struct pool_counts *pc, long warm_up_us);
void pool_table_count(long *counter);
json_t *pool_table_stats(const struct pool_counts *pc, int size);

#endif
