/*
 * badptr_mm.c - bad addresses in the memory-management calls (see
 * badptr.h).
 *
 * These calls take addresses, not pointers they read through, so their
 * probes are ranges of two pages: NULL..+8 KiB, two pages of the
 * unmapped gap, two pages at the start of the kernel half, and, for the
 * straddle, the last mapped page plus the first unmapped one. What Linux
 * does with each is part of the ABI: munmap of nothing succeeds, mprotect,
 * madvise, mincore and msync of a range with a hole say ENOMEM, mremap
 * of a range that is not one mapping says EFAULT, and kernel addresses
 * are EINVAL or ENOMEM depending on the call. mincore's vector is a real
 * pointer (two bytes for two pages).
 */
#include "badptr.h"

#define RANGE (2 * BP_PAGE)

static char *fresh_page(void)
{
	return t_map(BP_PAGE, PROT_READ | PROT_WRITE);
}

static void s_mmap(struct bp_call *c, long flags)
{
	c->a[1] = RANGE;
	c->a[2] = PROT_READ | PROT_WRITE;
	c->a[3] = MAP_PRIVATE | MAP_ANONYMOUS | flags;
	c->a[4] = -1;
}
static void s_mmap_hint(struct bp_call *c) { s_mmap(c, 0); }
static void s_mmap_fixed(struct bp_call *c) { s_mmap(c, MAP_FIXED); }
static void s_mmap_noreplace(struct bp_call *c) { s_mmap(c, MAP_FIXED_NOREPLACE); }
static void s_munmap(struct bp_call *c) { c->a[1] = RANGE; }
static void s_mprotect(struct bp_call *c) { c->a[1] = RANGE; c->a[2] = PROT_READ; }
static void s_madvise(struct bp_call *c) { c->a[1] = RANGE; c->a[2] = MADV_DONTNEED; }
static void s_msync(struct bp_call *c) { c->a[1] = RANGE; c->a[2] = MS_SYNC; }
static void s_mincore(struct bp_call *c)
{
	c->a[0] = (long)(bp_env.edge_end - RANGE);
	c->a[1] = RANGE;
	c->a[2] = (long)bp_buf;
}
static void s_mremap_old(struct bp_call *c)
{
	c->a[1] = RANGE;
	c->a[2] = RANGE + BP_PAGE;	/* growing: equal sizes never fail */
}
static void s_mremap_new(struct bp_call *c)
{
	c->a[0] = (long)fresh_page();
	c->a[1] = BP_PAGE;
	c->a[2] = RANGE;
	c->a[3] = MREMAP_MAYMOVE | MREMAP_FIXED;
}
static void s_brk(struct bp_call *c) { (void)c; }

#define ADDR(name, arg, what, setup, n, u, k, s)                           \
	BP_ROW(name, arg, what, RANGE, setup, n, u, k, s)

static const struct bp_row rows[] = {
	ADDR(mmap, 0, "addr (a hint)", s_mmap_hint, OK, OK, OK, OK),
	ADDR(mmap, 0, "addr, MAP_FIXED", s_mmap_fixed, OK, OK, ENOMEM, OK),
	ADDR(mmap, 0, "addr, MAP_FIXED_NOREPLACE", s_mmap_noreplace,
	     OK, OK, ENOMEM, EEXIST),
	ADDR(munmap, 0, "addr", s_munmap, OK, OK, EINVAL, OK),
	ADDR(mprotect, 0, "addr", s_mprotect, ENOMEM, ENOMEM, ENOMEM, ENOMEM),
	ADDR(madvise, 0, "addr", s_madvise, ENOMEM, ENOMEM, ENOMEM, ENOMEM),
	ADDR(msync, 0, "addr", s_msync, ENOMEM, ENOMEM, ENOMEM, ENOMEM),
	ADDR(mincore, 0, "addr", s_mincore, ENOMEM, ENOMEM, ENOMEM, ENOMEM),
	BP_ROW(mincore, 2, "vec", 2, s_mincore, EF, EF, EF, EF),
	ADDR(mremap, 0, "old_address", s_mremap_old, EF, EF, EF, EF),
	ADDR(mremap, 4, "new_address, MREMAP_FIXED", s_mremap_new,
	     OK, OK, EINVAL, OK),
	/* brk(addr) answers the current break when it cannot move it. */
	ADDR(brk, 0, "addr", s_brk, OK, NA, OK, NA),
};

BP_TABLE_MAIN(rows)
