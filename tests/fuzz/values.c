/*
 * values.c - where the fuzzer's arguments come from. Each kind of argument
 * (fuzz.h, enum fz_kind) is drawn mostly from values a kernel must handle
 * well - valid buffers and descriptors, edges such as 0, -1, page sizes and
 * INT_MAX - and the rest from values it must refuse cleanly: NULL,
 * unmapped, kernel and non-canonical addresses, buffers whose end runs
 * into a read-only or inaccessible page, huge sizes, random bits.
 *
 * Pointers the kernel reads point into the worker's scratch pages, filled
 * with random or structured data (fz_scratch, reset before every call);
 * pointers it writes point into scratch or into the arena. Neither ever
 * points at memory the worker itself depends on, so whatever the kernel
 * writes there cannot break the worker - a worker that breaks anyway is a
 * lead (supervisor.c prints its last calls).
 */
#include "fuzz.h"
#include "sys.h"

#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>

#define SCRATCH_BYTES	(FZ_SCRATCH_RW * FZ_PAGE)
#define RO_PAGE(w)	((w)->scratch + SCRATCH_BYTES)
#define NONE_PAGE(w)	((w)->scratch + SCRATCH_BYTES + FZ_PAGE)
#define USER_END	0x0000800000000000ULL

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const uint64_t interesting_ints[] = {
	0, 1, 2, 3, 4, 7, 8, 15, 16, 31, 32, 63, 64, 127, 128, 255, 256,
	511, 512, 1023, 1024, 4095, 4096, 4097, 65535, 65536,
	0x7fffffff, 0x80000000, 0xffffffff, 0x100000000ULL,
	0x7fffffffffffffffULL, 0x8000000000000000ULL,
	-1ULL, -2ULL, -4095ULL, -4096ULL, 1ULL << 40, 1ULL << 47,
};

static uint64_t pick(struct fz_worker *w, const uint64_t *v, size_t n)
{
	return v[fz_below(&w->rng, n)];
}

void *fz_scratch(struct fz_worker *w, size_t len)
{
	size_t at = (w->scratch_used + 15) & ~(size_t)15;

	if (len > SCRATCH_BYTES)
		len = SCRATCH_BYTES;
	if (at + len > SCRATCH_BYTES)
		at = SCRATCH_BYTES - len;	/* late arguments may overlap */
	w->scratch_used = at + len;
	return w->scratch + at;
}

void fz_fill(struct fz_worker *w, void *p, size_t len)
{
	uint8_t *b = p;

	while (len >= 8) {
		uint64_t v = fz_rand(&w->rng);

		memcpy(b, &v, 8);
		b += 8;
		len -= 8;
	}
	while (len--)
		*b++ = (uint8_t)fz_rand(&w->rng);
}

/* Addresses that are never valid user memory, and edges of user space. */
uint64_t fz_bad_ptr(struct fz_worker *w)
{
	static const uint64_t bad[] = {
		0, 1, 8, 0x1000, 0x10000,
		0xffff800000000000ULL,	/* the kernel's direct map */
		0xffffffff80000000ULL,	/* the kernel image */
		0xffffffffff600000ULL,	/* Linux's vsyscall page */
		USER_END - 1, USER_END - 8, USER_END - 64, USER_END,
		0x8000000000000000ULL,	/* non-canonical either way */
		-1ULL, -4096ULL,
	};

	switch (fz_below(&w->rng, 6)) {
	case 0:	/* read-only memory: the kernel must not write it */
		return (uint64_t)(uintptr_t)RO_PAGE(w) + fz_below(&w->rng, 64);
	case 1:	/* the end runs into the PROT_NONE page */
		return (uint64_t)(uintptr_t)NONE_PAGE(w) - 1 -
		       fz_below(&w->rng, 32);
	case 2:	/* our own code, or the vDSO: read-only to the kernel too */
		if (w->vdso && fz_one_in(&w->rng, 2))
			return w->vdso + 8 * fz_below(&w->rng, 64);
		return (uint64_t)(uintptr_t)fz_restorer;
	default:
		return pick(w, bad, N(bad));
	}
}

/* A pointer into the arena, whose pages fuzzed mm calls keep changing. */
static uint64_t arena_ptr(struct fz_worker *w)
{
	uint64_t off = fz_below(&w->rng, FZ_ARENA_PAGES * FZ_PAGE);

	if (fz_one_in(&w->rng, 2))
		off &= ~7ULL;
	return (uint64_t)(uintptr_t)w->arena + off;
}

uint64_t fz_ptr_in(struct fz_worker *w, size_t len)
{
	uint64_t r = fz_below(&w->rng, 16);

	if (r < 12) {
		void *p = fz_scratch(w, len);

		fz_fill(w, p, len);
		return (uint64_t)(uintptr_t)p;
	}
	if (r < 14)
		return arena_ptr(w);
	return fz_bad_ptr(w);
}

uint64_t fz_ptr_out(struct fz_worker *w)
{
	uint64_t r = fz_below(&w->rng, 16);

	if (r < 10)
		return (uint64_t)(uintptr_t)fz_scratch(w, 64 + fz_below(&w->rng, 4096));
	if (r < 11)	/* the end runs into the read-only page */
		return (uint64_t)(uintptr_t)RO_PAGE(w) - 1 - fz_below(&w->rng, 64);
	if (r < 14)
		return arena_ptr(w);
	return fz_bad_ptr(w);
}

static uint64_t value_len(struct fz_worker *w)
{
	static const uint64_t edges[] = {
		0, 1, 2, 7, 8, 16, 64, 511, 512, 4095, 4096, 4097, 8192,
		65536, 0x7ffff000, 0x7fffffff, 0x80000000, 0xffffffff,
		1ULL << 32, 1ULL << 40, 0x7fffffffffffffffULL, -1ULL,
		-4096ULL,
	};

	switch (fz_below(&w->rng, 4)) {
	case 0:
		return fz_below(&w->rng, 64);
	case 1:
		return fz_below(&w->rng, FZ_ARENA_PAGES * FZ_PAGE);
	default:
		return pick(w, edges, N(edges));
	}
}

static uint64_t value_off(struct fz_worker *w)
{
	static const uint64_t edges[] = {
		0, 1, 4095, 4096, 8192, 65536, 1ULL << 20, 1ULL << 31,
		1ULL << 32, 1ULL << 40, 0x7ffffffffffff000ULL,
		0x7fffffffffffffffULL, 0x8000000000000000ULL, -1ULL, -4096ULL,
	};

	if (fz_one_in(&w->rng, 3))
		return fz_below(&w->rng, 3 * FZ_PAGE);
	return pick(w, edges, N(edges));
}

static uint64_t value_int(struct fz_worker *w)
{
	uint64_t r = fz_below(&w->rng, 8);

	if (r < 5)
		return pick(w, interesting_ints, N(interesting_ints));
	if (r < 7)
		return fz_below(&w->rng, 256);
	return fz_rand(&w->rng);
}

static uint64_t value_small(struct fz_worker *w)
{
	static const uint64_t edges[] = {
		0, 1, 2, 3, 4, 8, 16, 63, 64, 1024, 1025, 65536, 0x7fffffff,
		-1ULL,
	};

	if (fz_one_in(&w->rng, 2))
		return fz_below(&w->rng, 9);
	return pick(w, edges, N(edges));
}

static uint64_t value_flags(struct fz_worker *w, uint64_t mask)
{
	uint64_t r = fz_below(&w->rng, 16);

	if (r == 0)
		return 0;
	if (r == 1)
		return fz_rand(&w->rng);
	if (r == 2)
		return mask;
	/* A few of the known bits, now and then one unknown bit. */
	uint64_t v = mask & fz_rand(&w->rng) & fz_rand(&w->rng);

	if (fz_one_in(&w->rng, 8))
		v |= 1ULL << fz_below(&w->rng, 32);
	return v;
}

static uint64_t value_fd(struct fz_worker *w)
{
	static const uint64_t bad[] = {
		-1ULL, -100ULL, 0x7fffffff, 1024, 65535, 1 << 20, 0x80000000,
		-9ULL,
	};
	uint64_t r = fz_below(&w->rng, 10);

	if (r < 8)
		return fz_below(&w->rng, (uint64_t)w->fd_hi + 2);
	return pick(w, bad, N(bad));
}

static uint64_t value_mode(struct fz_worker *w)
{
	static const uint64_t types[] = {
		0, S_IFREG, S_IFDIR, S_IFIFO, S_IFCHR, S_IFBLK, S_IFSOCK,
		S_IFLNK, 0170000,
	};
	uint64_t mode = fz_below(&w->rng, 010000);

	if (fz_one_in(&w->rng, 16))
		return fz_rand(&w->rng);
	if (fz_one_in(&w->rng, 2))
		mode |= pick(w, types, N(types));
	return mode;
}

static uint64_t value_pid(struct fz_worker *w)
{
	struct fz_shared *sh = w->sh;
	uint64_t self = (uint64_t)w->slot->pid;

	switch (fz_below(&w->rng, 12)) {
	case 0: return 0;
	case 1: case 2: return self;
	case 3: return (uint64_t)sh->slot[fz_below(&w->rng, sh->nworkers)].pid;
	case 4: return (uint64_t)(int64_t)w->children[fz_below(&w->rng, 8)];
	case 5: return -self;			/* our process group */
	case 6: return 1;
	case 7: return (uint64_t)sh->supervisor_pid; /* fixups filter it */
	case 8: return -1ULL;
	case 9: return 0x7fffffff;
	case 10: return 4194304;
	default: return fz_rand(&w->rng) & 0xffffffff;
	}
}

int fz_pick_sig(struct fz_worker *w)
{
	if (fz_one_in(&w->rng, 16))
		return (int)pick(w, interesting_ints, N(interesting_ints));
	return (int)fz_below(&w->rng, 66);
}

static uint64_t value_uid(struct fz_worker *w)
{
	static const uint64_t ids[] = { 0, 1, 1000, 65534, 65535, -1ULL,
					0x7fffffff, 0x80000000 };

	return pick(w, ids, N(ids));
}

static uint64_t value_addr(struct fz_worker *w)
{
	uint64_t r = fz_below(&w->rng, 16);
	uint64_t page = FZ_PAGE;

	if (r < 6) {	/* a page of the arena, sometimes not aligned */
		uint64_t a = (uint64_t)(uintptr_t)w->arena +
			     page * fz_below(&w->rng, FZ_ARENA_PAGES);
		return fz_one_in(&w->rng, 8) ? a + 1 + fz_below(&w->rng, 4095) : a;
	}
	if (r < 10 && w->nmaps) {
		struct fz_range *m = &w->maps[fz_below(&w->rng, w->nmaps)];
		uint64_t pages = (m->end - m->start) / page;

		return m->start + page * fz_below(&w->rng, pages ? pages : 1);
	}
	if (r < 12)	/* somewhere in user space, probably free */
		return (0x10000000ULL + (fz_rand(&w->rng) % 0x7e0000000000ULL)) &
		       ~(page - 1);
	if (r < 13)
		return USER_END - page;
	return fz_bad_ptr(w);
}

static uint64_t value_mmlen(struct fz_worker *w)
{
	static const uint64_t edges[] = {
		0, 1, 4095, 4096, 4097, 8192, 1ULL << 20, 1ULL << 32,
		1ULL << 40, 1ULL << 47, -4096ULL, -1ULL,
	};

	if (fz_one_in(&w->rng, 3))
		return pick(w, edges, N(edges));
	return FZ_PAGE * (1 + fz_below(&w->rng, FZ_ARENA_PAGES));
}

static uint64_t value_iovec(struct fz_worker *w)
{
	uint64_t *iov;
	int n = (int)fz_below(&w->rng, 9);

	w->iov_count = n;
	if (fz_one_in(&w->rng, 8)) {
		w->iov_count = fz_one_in(&w->rng, 2) ? 1025 : 1024;
		return fz_ptr_in(w, 64);
	}
	if (fz_one_in(&w->rng, 10))
		return fz_bad_ptr(w);
	iov = fz_scratch(w, (size_t)(n ? n : 1) * 16);
	for (int i = 0; i < n; i++) {
		iov[2 * i] = fz_ptr_out(w);
		iov[2 * i + 1] = fz_one_in(&w->rng, 2) ?
				 fz_below(&w->rng, 512) : value_len(w);
	}
	return (uint64_t)(uintptr_t)iov;
}

/* Two timespecs (or timevals): short waits mostly, edges sometimes. */
static uint64_t value_timespec(struct fz_worker *w)
{
	static const uint64_t secs[] = { 0, 1, -1ULL, 0x7fffffffffffffffULL,
					 1ULL << 32, 3600 };
	static const uint64_t nsecs[] = { 0, 1, 999999999, 1000000000,
					  -1ULL, (1 << 30) - 1, (1 << 30) - 2 };
	uint64_t *t;

	if (fz_one_in(&w->rng, 8))
		return fz_bad_ptr(w);
	t = fz_scratch(w, 32);
	for (int i = 0; i < 4; i += 2) {
		if (fz_below(&w->rng, 4) < 3) {
			t[i] = 0;
			t[i + 1] = fz_below(&w->rng, 2000000);
		} else {
			t[i] = pick(w, secs, N(secs));
			t[i + 1] = pick(w, nsecs, N(nsecs));
		}
	}
	return (uint64_t)(uintptr_t)t;
}

static uint64_t value_sigset(struct fz_worker *w)
{
	uint64_t *set;

	if (fz_one_in(&w->rng, 8)) {
		uint64_t p = fz_bad_ptr(w);
		/* Readable junk could hold the wake signal: only pointers
		 * the kernel cannot read in full. */
		if (p < 0x10000 || p >= USER_END - 64)
			return p;
		return 0;
	}
	set = fz_scratch(w, 16);
	set[0] = fz_one_in(&w->rng, 4) ? -1ULL : fz_rand(&w->rng);
	set[0] &= ~(1ULL << (FZ_WAKE_SIG - 1));
	set[1] = fz_rand(&w->rng);
	return (uint64_t)(uintptr_t)set;
}

int fz_ipc_kind(int64_t nr)
{
	switch (nr) {
	case 29: case 30: case 31: case 67: return 0;	/* shm* */
	case 64: case 65: case 66: case 220: return 1;	/* sem* */
	default: return 2;				/* msg* */
	}
}

/* Mostly an id a get call of the same kind returned. */
static uint64_t value_ipcid(struct fz_worker *w, int64_t nr)
{
	static const uint64_t junk[] = { 0, 1, -1ULL, 32768, 0x7fffffff,
					 65536 };
	int kind = fz_ipc_kind(nr);

	if (fz_below(&w->rng, 8) < 7 && w->nids[kind])
		return (uint64_t)w->ids[kind][fz_below(&w->rng, w->nids[kind])];
	return pick(w, junk, N(junk));
}

static uint64_t value_cmd(struct fz_worker *w, const int64_t *cmds)
{
	int n = 0;

	while (cmds && cmds[n] != FZ_END)
		n++;
	if (n && !fz_one_in(&w->rng, 8))
		return (uint64_t)cmds[fz_below(&w->rng, n)];
	return fz_one_in(&w->rng, 2) ? fz_below(&w->rng, 64) : value_int(w);
}

uint64_t fz_value(struct fz_worker *w, const struct fz_call *c, int i)
{
	switch (c->kind[i]) {
	case K_NONE:	return 0;
	case K_INT:	return value_int(w);
	case K_SMALL:
		if (i > 0 && c->kind[i - 1] == K_IOVEC && !fz_one_in(&w->rng, 8))
			return (uint64_t)w->iov_count;
		return value_small(w);
	case K_FD:	return value_fd(w);
	case K_DIRFD:
		return fz_one_in(&w->rng, 2) ? (uint64_t)AT_FDCWD : value_fd(w);
	case K_LEN:	return value_len(w);
	case K_OFF:	return value_off(w);
	case K_FLAGS:	return value_flags(w, c->mask);
	case K_MODE:	return value_mode(w);
	case K_BUF_IN:	return fz_ptr_in(w, 1 + fz_below(&w->rng, 512));
	case K_BUF_OUT:	return fz_ptr_out(w);
	case K_PATH:	return fz_path(w, 0);
	case K_PATH_RO:	return fz_path(w, 1);
	case K_PID:	return value_pid(w);
	case K_SIG:	return (uint64_t)(int64_t)fz_pick_sig(w);
	case K_UID:	return value_uid(w);
	case K_ADDR:	return value_addr(w);
	case K_MMLEN:	return value_mmlen(w);
	case K_PROT:
		return fz_one_in(&w->rng, 16) ? fz_rand(&w->rng) :
		       fz_below(&w->rng, 8);
	case K_IOVEC:	return value_iovec(w);
	case K_TIMESPEC: return value_timespec(w);
	case K_SIGSET:	return value_sigset(w);
	case K_SIGSETSZ:
		return fz_one_in(&w->rng, 8) ? value_small(w) : 8;
	case K_IPCKEY:
		return fz_one_in(&w->rng, 2) ? 0 :
		       0x46555a00 + fz_below(&w->rng, 4);
	case K_IPCID:	return value_ipcid(w, c->nr);
	case K_CMD:	return value_cmd(w, c->cmds);
	case K_CLOCK:
		return fz_one_in(&w->rng, 8) ? value_int(w) : fz_below(&w->rng, 12);
	case K_RES:
		return fz_one_in(&w->rng, 8) ? value_int(w) : fz_below(&w->rng, 16);
	}
	return 0;
}

uint64_t fz_value_of(struct fz_worker *w, enum fz_kind kind)
{
	const struct fz_call c = { .kind = { kind } };

	return fz_value(w, &c, 0);
}

int fz_overlaps_protected(const struct fz_worker *w, uint64_t start,
			  uint64_t len)
{
	/* The kernel works in whole pages: round the range out. */
	uint64_t end = start + len < start ? UINT64_MAX : start + len;

	if (len == 0)
		end = start + 1;
	start &= ~(FZ_PAGE - 1);
	end = end > UINT64_MAX - FZ_PAGE ? UINT64_MAX :
	      (end + FZ_PAGE - 1) & ~(FZ_PAGE - 1);
	for (int i = 0; i < w->nprotected; i++)
		if (start < w->protected[i].end && end > w->protected[i].start)
			return 1;
	return 0;
}

void fz_note_fd(struct fz_worker *w, int64_t fd)
{
	if (fd > w->fd_hi && fd < 1024)
		w->fd_hi = (int)fd;
}
