/* The pools' shared table: counters and member states, updated with atomics; the idle counter doubles as a futex a
 * worker waits on while members warm up. */
#include "pool_table.h"

#include "../clock.h"

#include <linux/futex.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

struct pool_counts *pool_table_create(int languages)
{
    size_t size = (size_t)languages * sizeof(struct pool_counts);
    struct pool_counts *pc = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (pc == MAP_FAILED)
        return NULL;
    memset(pc, 0, size);
    return pc;
}

void pool_table_idle_add(struct pool_counts *pc)
{
    __atomic_add_fetch(&pc->idle, 1, __ATOMIC_SEQ_CST);
    syscall(SYS_futex, &pc->idle, FUTEX_WAKE, 1, NULL, NULL, 0);
}

bool pool_table_idle_take(struct pool_counts *pc)
{
    int n = __atomic_load_n(&pc->idle, __ATOMIC_SEQ_CST);
    while (n > 0 && !__atomic_compare_exchange_n(&pc->idle, &n, n - 1, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
        ;
    return n > 0;
}

static bool members_warming(const struct pool_counts *pc)
{
    for (int i = 0; i < POOL_TABLE_MEMBERS; i++)
        if (__atomic_load_n(&pc->members[i].state, __ATOMIC_SEQ_CST) == M_WARMING)
            return true;
    return false;
}

bool pool_table_claim(struct pool_counts *pc, int wait_ms)
{
    int64_t deadline = clock_now_ns() + wait_ms * 1000000LL;
    while (!pool_table_idle_take(pc)) {
        int64_t left = deadline - clock_now_ns();
        if (left <= 0 || !members_warming(pc))
            return false;
        struct timespec t = {(time_t)(left / 1000000000LL), (long)(left % 1000000000LL)};
        syscall(SYS_futex, &pc->idle, FUTEX_WAIT, 0, &t, NULL, 0);
    }
    return true;
}

int pool_table_not_busy(const struct pool_counts *pc)
{
    int n = 0;
    for (int i = 0; i < POOL_TABLE_MEMBERS; i++)
        n += pc->members[i].state == M_WARMING || pc->members[i].state == M_IDLE;
    return n;
}

void pool_table_set_state(struct member_slot *m, enum member_state state)
{
    __atomic_store_n(&m->state, (int)state, __ATOMIC_SEQ_CST);
}

void pool_table_refilled(struct pool_counts *pc, long warm_up_us)
{
    __atomic_store_n(&pc->refill_us_last, warm_up_us, __ATOMIC_SEQ_CST);
    __atomic_add_fetch(&pc->refill_us_total, warm_up_us, __ATOMIC_SEQ_CST);
    __atomic_add_fetch(&pc->refills, 1, __ATOMIC_SEQ_CST);
}

void pool_table_count(long *counter)
{
    __atomic_add_fetch(counter, 1, __ATOMIC_SEQ_CST);
}

/* Members in a state, their jails' PID 1 (left out until the jail exists) and their run slots. */
static void members_in(const struct pool_counts *pc, enum member_state state, json_t *members, json_t *jails,
                       json_t *slots)
{
    for (int i = 0; i < POOL_TABLE_MEMBERS; i++) {
        const struct member_slot *m = &pc->members[i];
        if (__atomic_load_n(&m->state, __ATOMIC_SEQ_CST) != (int)state)
            continue;
        json_array_append_new(members, json_integer(m->pid));
        if (m->jail_pid > 0)
            json_array_append_new(jails, json_integer(m->jail_pid));
        json_array_append_new(slots, json_integer(m->run_slot));
    }
}

json_t *pool_table_stats(const struct pool_counts *pc, int size)
{
    json_t *idle = json_array(), *idle_jails = json_array(), *idle_slots = json_array();
    json_t *warming = json_array(), *warming_jails = json_array(), *warming_slots = json_array();
    members_in(pc, M_IDLE, idle, idle_jails, idle_slots);
    members_in(pc, M_WARMING, warming, warming_jails, warming_slots);
    long refills = pc->refills;
    return json_pack("{s:i, s:i, s:o, s:o, s:o, s:o, s:o, s:o, s:I, s:I, s:I, s:f, s:f}", "size", size, "idle",
                     (int)json_array_size(idle), "idleMembers", idle, "idleJails", idle_jails, "idleSlots", idle_slots,
                     "warmingMembers", warming, "warmingJails", warming_jails, "warmingSlots", warming_slots, "hits",
                     (json_int_t)pc->hits, "misses", (json_int_t)pc->misses, "refills", (json_int_t)refills,
                     "refillMsLast", (double)pc->refill_us_last / 1000.0, "refillMsAvg",
                     refills > 0 ? (double)pc->refill_us_total / 1000.0 / (double)refills : 0.0);
}
