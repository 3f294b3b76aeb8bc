/*
 * The out-of-memory killer (kernel/mm/oom.c), as the page allocator and
 * the address-space code see it. When memory runs out, the process with
 * the most resident memory (never init, never a kernel task) is killed
 * with SIGKILL, and allocations that may sleep wait for its memory to
 * come back, as with Linux's OOM killer. docs/security.md tells the story.
 */
#ifndef BASALT_MM_OOM_H
#define BASALT_MM_OOM_H

#include <types.h>
#include <mm/page.h>

struct mm;

/*
 * How far into the emergency reserve an allocation with these ALLOC_*
 * flags may go, in the current context: all of it for a process that is
 * exiting (so that it can finish, and give its memory back), half of it
 * where the caller cannot sleep, none otherwise, and never for user
 * memory (ALLOC_USER).
 */
enum alloc_reserve oom_alloc_reserve(unsigned int flags);

/*
 * An allocation of 2^order frames failed. If the caller may sleep (no
 * spinlock held, interrupts on, a process context), kill the biggest
 * process unless a victim is already on its way out, wait for memory to
 * come back and retry, for a bounded time; else (or for blocks larger
 * than 32 KiB, which Linux never kills for) give up. A process that is
 * being killed gets no user memory here: its fault fails and it dies.
 * Returns the frames, or NULL.
 */
struct page *oom_alloc_slowpath(unsigned int order, unsigned int flags);

/* The address space mm is gone (mm.c): if it was a victim's, wake the
 * allocations waiting for its memory. */
void oom_mm_gone(struct mm *mm);

#endif
