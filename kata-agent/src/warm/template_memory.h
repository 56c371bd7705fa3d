/* template_memory.c: the Python template's memory laid out so that forking a run from it, and the run's exit, copy
 * and free as few page table entries and pages as possible. An optimization only: a template started without it
 * (`--template-memory plain`) behaves the same for every program, and the warm tests run both ways.
 *   - pymalloc's arenas (and the interpreter's frame stacks) come from one reserved, 2 MiB-aligned range instead of
 *     an mmap of 1 MiB each, which no huge page fits; runs inherit the allocator: arenas they give back have their
 *     pages dropped and are handed out again; past the range it falls back to mmap;
 *   - once the imports are done, the template takes every free chunk of its malloc heap for itself, so that a run's
 *     mallocs come from the top of the heap instead of walking (and copying) the template's scattered free lists;
 *   - then its anonymous memory is collapsed into 2 MiB pages where the kernel can (one page table entry to copy
 *     at fork and to free at exit instead of 512, and a run's writes split only the huge pages they touch). */
#ifndef KA_WARM_TEMPLATE_MEMORY_H
#define KA_WARM_TEMPLATE_MEMORY_H

void template_memory_reserve_arenas(void); /* before Python starts */
void template_memory_settle(void); /* after the imports: the heap's free chunks taken, huge pages */

#endif
