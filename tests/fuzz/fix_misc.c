/*
 * fix_misc.c - the structures of System V IPC calls, futex_waitv and the
 * robust list (shape), numbers no kernel assigns, and the IPC ids get
 * calls return.
 */
#define _GNU_SOURCE
#include "fixups.h"
#include "sys.h"

#include <string.h>

int fix_msgsnd(struct fz_worker *w, uint64_t *a)
{
	size_t len = 8 + (size_t)fz_below(&w->rng, 256);
	int64_t *msg = fz_scratch(w, len);

	fz_fill(w, msg, len);
	if (!fz_one_in(&w->rng, 4))
		msg[0] = 1 + (int64_t)fz_below(&w->rng, 4);	/* mtype */
	if (!fz_one_in(&w->rng, 8))
		a[1] = (uint64_t)(uintptr_t)msg;
	if (!fz_one_in(&w->rng, 4))
		a[2] = len - 8;
	if (!fz_one_in(&w->rng, 4))
		a[3] = 04000;				/* IPC_NOWAIT */
	return 0;
}

int fix_msgrcv(struct fz_worker *w, uint64_t *a)
{
	if (!fz_one_in(&w->rng, 4))
		a[2] = fz_below(&w->rng, 512);
	if (!fz_one_in(&w->rng, 4))
		a[3] = fz_below(&w->rng, 6) - 2;	/* type -2..3 */
	if (!fz_one_in(&w->rng, 4))
		a[4] |= 04000;				/* IPC_NOWAIT */
	return 0;
}

/* struct sembuf { u16 num; s16 op; s16 flg; }: small, mostly valid. */
int fix_semop(struct fz_worker *w, uint64_t *a)
{
	uint64_t n = 1 + fz_below(&w->rng, 4);
	int16_t *ops = fz_scratch(w, n * 6);

	for (uint64_t i = 0; i < n; i++) {
		ops[3 * i] = (int16_t)fz_below(&w->rng, 4);
		ops[3 * i + 1] = (int16_t)(fz_below(&w->rng, 5) - 2);
		ops[3 * i + 2] = (int16_t)((fz_one_in(&w->rng, 2) ? 04000 : 0) |
					   (fz_one_in(&w->rng, 2) ? 010000 : 0));
	}
	if (!fz_one_in(&w->rng, 8))
		a[1] = (uint64_t)(uintptr_t)ops;
	if (!fz_one_in(&w->rng, 8))
		a[2] = n;
	return 0;
}

/* struct futex_waitv { u64 val; u64 uaddr; u32 flags; u32 reserved; } */
int fix_futex_waitv(struct fz_worker *w, uint64_t *a)
{
	uint64_t n = 1 + fz_below(&w->rng, 4);
	uint64_t *v = fz_scratch(w, n * 24);
	uint32_t *word = fz_scratch(w, 4 * n);

	for (uint64_t i = 0; i < n; i++) {
		word[i] = (uint32_t)fz_below(&w->rng, 3);
		v[3 * i] = fz_below(&w->rng, 3);
		v[3 * i + 1] = fz_one_in(&w->rng, 8) ? fz_ptr_out(w) :
			       (uint64_t)(uintptr_t)&word[i];
		v[3 * i + 2] = fz_one_in(&w->rng, 8) ? fz_rand(&w->rng) :
			       2 | (fz_one_in(&w->rng, 2) ? 128 : 0);
	}
	if (!fz_one_in(&w->rng, 8))
		a[0] = (uint64_t)(uintptr_t)v;
	if (!fz_one_in(&w->rng, 8))
		a[1] = n;
	if (!fz_one_in(&w->rng, 8))
		a[2] = 0;
	return 0;
}

int fix_set_robust_list(struct fz_worker *w, uint64_t *a)
{
	if (!fz_one_in(&w->rng, 4))
		a[1] = 24;		/* sizeof(struct robust_list_head) */
	return 0;
}

int fix_enosys(struct fz_worker *w, uint64_t *a)
{
	static const int64_t odd[] = { -1, 1024, 0x7fffffff, 0x80000000LL,
				       0xffffffffLL, 0x100000000LL + 39 };

	switch (fz_below(&w->rng, 3)) {
	case 0: w->call_nr = 335 + (int64_t)fz_below(&w->rng, 89); break;
	case 1: w->call_nr = 451 + (int64_t)fz_below(&w->rng, 61); break;
	default: w->call_nr = odd[fz_below(&w->rng, 6)]; break;
	}
	for (int i = 0; i < 6; i++)
		a[i] = fz_rand(&w->rng);
	return 0;
}

/* ---- after the call ---- */

void after_ipcget(struct fz_worker *w, const uint64_t *a, int64_t ret)
{
	int kind = fz_ipc_kind(w->call_nr);

	(void)a;
	if (ret < 0)
		return;
	if (w->nids[kind] < FZ_MAX_IDS)
		w->ids[kind][w->nids[kind]++] = ret;
	else
		w->ids[kind][fz_below(&w->rng, FZ_MAX_IDS)] = ret;
}
