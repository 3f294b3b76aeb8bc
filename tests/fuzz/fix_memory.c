/*
 * fix_memory.c - memory calls never touch the worker's own mappings
 * (harness), mostly work on mappings the worker made (shape), and what
 * they return is remembered for later calls.
 */
#define _GNU_SOURCE
#include "fixups.h"
#include "sys.h"

#include <sys/mman.h>

int fix_mmap(struct fz_worker *w, uint64_t *a)
{
	static const uint64_t extra[] = { MAP_FIXED, MAP_POPULATE,
		MAP_NORESERVE, MAP_GROWSDOWN, MAP_STACK, MAP_FIXED_NOREPLACE,
		MAP_LOCKED, MAP_32BIT };
	uint64_t flags = a[3];

	if (!fz_one_in(&w->rng, 4)) {	/* shape: mostly a valid mapping */
		flags = fz_one_in(&w->rng, 3) ? MAP_SHARED : MAP_PRIVATE;
		if (fz_one_in(&w->rng, 2)) {
			flags |= MAP_ANONYMOUS;
			a[4] = -1ULL;
		}
		if (fz_one_in(&w->rng, 2))
			flags |= extra[fz_below(&w->rng, sizeof(extra) /
						    sizeof(extra[0]))];
		a[5] = FZ_PAGE * fz_below(&w->rng, 4);
		if (!(flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) &&
		    fz_one_in(&w->rng, 2))
			a[0] = 0;
	}
	if (a[1] > POPULATE_CAP)
		flags &= ~(uint64_t)(MAP_POPULATE | MAP_LOCKED);
	a[3] = flags;
	if ((flags & MAP_FIXED) && fz_overlaps_protected(w, a[0], a[1]))
		return 1;
	return 0;
}

int fix_munmap(struct fz_worker *w, uint64_t *a)
{
	return fz_overlaps_protected(w, a[0], a[1]);
}

int fix_mprotect(struct fz_worker *w, uint64_t *a)
{
	return fz_overlaps_protected(w, a[0], a[1]);
}

int fix_madvise(struct fz_worker *w, uint64_t *a)
{
	int64_t advice = (int64_t)a[2];

	/* MADV_HWPOISON and MADV_SOFT_OFFLINE take pages away from a root
	 * caller's machine for good. */
	if (advice == 100 || advice == 101)
		return 1;
	if ((advice == 3 || advice == 22 || advice == 23) &&
	    a[1] > POPULATE_CAP)
		a[1] = POPULATE_CAP;
	return fz_overlaps_protected(w, a[0], a[1]);
}

int fix_mremap(struct fz_worker *w, uint64_t *a)
{
	if (w->nmaps && fz_one_in(&w->rng, 2)) {	/* shape */
		struct fz_range *m = &w->maps[fz_below(&w->rng, w->nmaps)];

		a[0] = m->start;
		a[1] = m->end - m->start;
		if (fz_one_in(&w->rng, 2))
			a[3] |= 1;			/* MREMAP_MAYMOVE */
	}
	if (fz_overlaps_protected(w, a[0], a[1]))
		return 1;
	if ((a[3] & 2) && fz_overlaps_protected(w, a[4], a[2]))	/* FIXED */
		return 1;
	return 0;
}

int fix_brk(struct fz_worker *w, uint64_t *a)
{
	/* Shrinking below the brk we started with frees our TLS. */
	return a[0] < w->brk_floor && fz_overlaps_protected(w, a[0], 1);
}

int fix_shmat(struct fz_worker *w, uint64_t *a)
{
	/* SHM_REMAP replaces whatever is there, for the segment's unknown
	 * size: only where no mapping of ours could be. */
	if (fz_one_in(&w->rng, 2))
		a[1] = 0;				/* shape */
	if ((a[2] & 040000) && a[1] && a[1] < USER_END)
		a[2] &= ~040000ULL;
	return 0;
}

int fix_shmdt(struct fz_worker *w, uint64_t *a)
{
	if (w->shm_addr && fz_below(&w->rng, 4) < 3)
		a[0] = w->shm_addr;			/* shape */
	return fz_overlaps_protected(w, a[0], 1);
}

/* ---- after the call ---- */

static void remember_map(struct fz_worker *w, uint64_t start, uint64_t len)
{
	struct fz_range *m;

	if (start >= USER_END || (start & (FZ_PAGE - 1)))
		return;
	if (len == 0 || len > (1ULL << 40))
		len = FZ_PAGE;
	if (w->nmaps < FZ_MAX_MAPS)
		m = &w->maps[w->nmaps++];
	else
		m = &w->maps[fz_below(&w->rng, FZ_MAX_MAPS)];
	m->start = start;
	m->end = start + ((len + FZ_PAGE - 1) & ~(FZ_PAGE - 1));
}

void after_map(struct fz_worker *w, const uint64_t *a, int64_t ret)
{
	if (ret > 0)
		remember_map(w, (uint64_t)ret, w->call_nr == 9 ? a[1] : FZ_PAGE);
}

void after_shmat(struct fz_worker *w, const uint64_t *a, int64_t ret)
{
	if (ret > 0 && (uint64_t)ret < USER_END)
		w->shm_addr = (uint64_t)ret;
	after_map(w, a, ret);
}

void after_mremap(struct fz_worker *w, const uint64_t *a, int64_t ret)
{
	if (ret > 0)
		remember_map(w, (uint64_t)ret, a[2]);
}
