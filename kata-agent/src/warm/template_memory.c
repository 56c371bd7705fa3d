/* The Python template's memory layout (template_memory.h). */
#include "template_memory.h"

#include "libpython.h"
#include "self_maps.h"

#include <malloc.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#define HUGE_PAGE (2UL << 20)
#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE 25 /* Linux 6.1; glibc 2.36's headers predate it */
#endif

/* pymalloc's arenas from one reserved range. The allocator is called under the GIL, one call at a time. */
#define ARENA_RANGE (1UL << 30) /* address space only: pages exist once touched */
#define FREED_BLOCKS_MAX 64

struct arena_block {
    void *p;
    size_t size;
};

static struct {
    char *base, *next, *end;
    size_t freed_count;
    struct arena_block freed[FREED_BLOCKS_MAX]; /* given back, pages dropped: handed out again for the same size */
} arenas;

static void *arena_alloc(void *ctx, size_t size)
{
    (void)ctx;
    for (size_t i = 0; i < arenas.freed_count; i++)
        if (arenas.freed[i].size == size) {
            void *p = arenas.freed[i].p;
            arenas.freed[i] = arenas.freed[--arenas.freed_count];
            return p;
        }
    if (arenas.base != NULL && size <= (size_t)(arenas.end - arenas.next)) {
        void *p = arenas.next;
        arenas.next += size;
        return p;
    }
    void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return p == MAP_FAILED ? NULL : p;
}

static void arena_free(void *ctx, void *ptr, size_t size)
{
    (void)ctx;
    if ((char *)ptr < arenas.base || (char *)ptr >= arenas.end)
        munmap(ptr, size);
    else if (madvise(ptr, size, MADV_DONTNEED) == 0 && arenas.freed_count < FREED_BLOCKS_MAX)
        arenas.freed[arenas.freed_count++] = (struct arena_block){ptr, size};
}

void template_memory_reserve_arenas(void)
{
    void *range =
        mmap(NULL, ARENA_RANGE + HUGE_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (range == MAP_FAILED)
        return; /* pymalloc keeps its own mmaps */
    arenas.base = arenas.next = (char *)(((unsigned long)range + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1));
    arenas.end = arenas.base + ARENA_RANGE;
    PyObjectArenaAllocator a = {NULL, arena_alloc, arena_free};
    py.set_arena_allocator(&a);
}

/* Every run's malloc starts from the free lists it inherits, scattered over the template's heap after the imports:
 * walking them copies the template's pages. The template takes every free chunk for itself, once. */
static void *volatile heap_sink; /* a malloc whose result is never used may be dropped by the compiler */

static void heap_take_free_chunks(void)
{
    malloc_trim(0); /* merges the fast bins' chunks into the bins, where mallinfo2 counts them */
    struct mallinfo2 now = mallinfo2();
    for (size_t size = 64 * 1024; size >= 32; size /= 2) {
        while (now.fordblks - now.keepcost >= size) {
            void *p = malloc(size - 2 * sizeof(size_t));
            struct mallinfo2 after = mallinfo2();
            /* no free chunk was this big: it came from the top of the heap (or grew it): give it back */
            if (p == NULL || after.keepcost < now.keepcost || after.arena > now.arena || after.hblkhd > now.hblkhd) {
                free(p);
                now = mallinfo2();
                break;
            }
            heap_sink = p;
            now = after;
        }
    }
}

/* Best effort: whatever the kernel cannot collapse stays as it is. */
static bool collapse(const struct mapping *m, void *unused)
{
    (void)unused;
    if (m->inode != 0 || m->perms[1] != 'w' || m->perms[3] != 'p' || strcmp(m->path, "[stack]") == 0)
        return true;
    unsigned long from = (m->start + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1), to = m->end & ~(HUGE_PAGE - 1);
    if (from < to)
        (void)madvise((void *)from, to - from, MADV_COLLAPSE);
    return true;
}

static void anon_to_huge_pages(void)
{
    (void)self_maps_each(collapse, NULL);
}

void template_memory_settle(void)
{
    heap_take_free_chunks();
    anon_to_huge_pages();
}
