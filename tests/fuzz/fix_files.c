/*
 * fix_files.c - files and descriptors: open flags with the access mode
 * as a field, device numbers for mknod, mount points in the sandbox,
 * fcntl and ioctl arguments, structures for poll and select, and the
 * descriptors calls return.
 */
#define _GNU_SOURCE
#include "fixups.h"
#include "sys.h"

#include <fcntl.h>
#include <string.h>

/*
 * Shape: the access mode is a field (each of its four values as likely,
 * 3 included: a FIFO opened so once freed its pipe early,
 * fifo-open-accmode-3-use-after-free), the other bits are flags, a few
 * at a time.
 */
static uint64_t open_flags(struct fz_worker *w, uint64_t flags)
{
	if (!fz_one_in(&w->rng, 4))
		flags = fz_below(&w->rng, 4) | (flags & ~(uint64_t)O_ACCMODE &
						fz_rand(&w->rng));
	return flags;
}

int fix_open(struct fz_worker *w, uint64_t *a)
{
	a[1] = open_flags(w, a[1]);
	return 0;
}

int fix_openat(struct fz_worker *w, uint64_t *a)
{
	a[2] = open_flags(w, a[2]);
	return 0;
}

/* mknod: only device numbers that are harmless to open and write. */
static uint64_t safe_dev(struct fz_worker *w)
{
	static const uint64_t devs[] = {
		0, 0x103 /* null */, 0x105 /* zero */, 0x107 /* full */,
		0x108 /* random */, 0x109 /* urandom */, 0xfa00, 0xfff00,
	};

	return devs[fz_below(&w->rng, sizeof(devs) / sizeof(devs[0]))];
}

int fix_mknod(struct fz_worker *w, uint64_t *a)
{
	a[2] = safe_dev(w);
	return 0;
}

int fix_mknodat(struct fz_worker *w, uint64_t *a)
{
	a[3] = safe_dev(w);
	return 0;
}

/* Mount points: absolute names inside the sandbox only (harness). */
static uint64_t sandbox_target(struct fz_worker *w)
{
	static const char *const names[] = {
		"", "d0", "d1", "d0/d1", "m0", "f0", "l0", "p0", "x0", "m0/f0",
	};
	const char *n = names[fz_below(&w->rng, sizeof(names) / sizeof(names[0]))];
	size_t base = strlen(FZ_SANDBOX "/"), len = strlen(n);
	char *p;

	if (fz_one_in(&w->rng, 10))
		return fz_one_in(&w->rng, 2) ? 0 : USER_END - 1;
	p = fz_scratch(w, base + len + 1);
	memcpy(p, FZ_SANDBOX "/", base);
	memcpy(p + base, n, len + 1);
	return (uint64_t)(uintptr_t)p;
}

static uint64_t some_string(struct fz_worker *w, const char *const *v,
			    size_t n)
{
	const char *s = v[fz_below(&w->rng, n)];
	size_t len = strlen(s);
	char *p = fz_scratch(w, len + 1);

	memcpy(p, s, len + 1);
	return (uint64_t)(uintptr_t)p;
}

/*
 * Every tmpfs the workers mount has a size limit (harness): its files
 * outlive the worker that wrote them, and a tmpfs without one may take
 * all memory (half of it on Linux, all on Basalt), which no OOM killer
 * can give back. So the options are always one of these strings, each
 * naming a small size; some are wrong on purpose (EINVAL). ramfs, which
 * has no limit at all, is not among the types.
 */
int fix_mount(struct fz_worker *w, uint64_t *a)
{
	static const char *const types[] = {
		"tmpfs", "tmpfs", "tmpfs", "proc", "", "nofs",
	};
	static const char *const opts[] = {
		"size=64k", "size=1", "size=256k,nr_inodes=4",
		"size=256k,mode=0", "size=256k,mode=7777",
		"size=256k,uid=65534,gid=65534", "size=1m,huge=always",
		"size=256k,nosuch=1", "size=", "size=256k,,,", "size=4096",
	};

	a[1] = sandbox_target(w);
	if (fz_one_in(&w->rng, 8))
		a[2] = fz_one_in(&w->rng, 2) ? 0 : fz_bad_ptr(w);
	else
		a[2] = some_string(w, types, sizeof(types) / sizeof(types[0]));
	a[4] = some_string(w, opts, sizeof(opts) / sizeof(opts[0]));
	return 0;
}

int fix_umount2(struct fz_worker *w, uint64_t *a)
{
	a[0] = sandbox_target(w);
	return 0;
}

int fix_fcntl(struct fz_worker *w, uint64_t *a)
{
	int64_t cmd = (int64_t)a[1];

	if (cmd == 10)		/* F_SETSIG: later SIGIO comes as this */
		fz_note_sig(w, (int64_t)a[2]);
	if (cmd == 1031 && a[2] > POPULATE_CAP && a[2] <= 1ULL << 31)
		a[2] = POPULATE_CAP;	/* F_SETPIPE_SZ: root may ask 2 GiB */
	if ((cmd >= 5 && cmd <= 7) || (cmd >= 36 && cmd <= 38) || cmd == 15 ||
	    cmd == 16 || fz_one_in(&w->rng, 4))
		a[2] = fz_one_in(&w->rng, 2) ? fz_ptr_in(w, 32) : fz_ptr_out(w);
	return 0;
}

int fix_ioctl(struct fz_worker *w, uint64_t *a)
{
	if (fz_one_in(&w->rng, 2))
		a[2] = fz_one_in(&w->rng, 2) ? fz_ptr_in(w, 64) : fz_ptr_out(w);
	return 0;
}

int fix_sendfile(struct fz_worker *w, uint64_t *a)
{
	(void)w;
	if (a[3] > POPULATE_CAP)
		a[3] = POPULATE_CAP;
	return 0;
}

int fix_fallocate(struct fz_worker *w, uint64_t *a)
{
	(void)w;
	/* Allocating 1 TiB of tmpfs is an OOM test, not this one; a range
	 * past the largest file size still tests the bound. */
	if (a[3] > POPULATE_CAP && a[2] + a[3] >= a[2] &&
	    a[2] + a[3] < (1ULL << 63))
		a[3] = POPULATE_CAP;
	return 0;
}

/* ---- waiting on many descriptors (shape) ---- */

static uint64_t pollfds(struct fz_worker *w, uint64_t *count)
{
	uint64_t n = fz_below(&w->rng, 9);
	uint32_t *p = fz_scratch(w, (size_t)(n ? n : 1) * 8);

	for (uint64_t i = 0; i < n; i++) {
		uint64_t fd = fz_one_in(&w->rng, 8) ? -1ULL :
			      fz_below(&w->rng, (uint64_t)w->fd_hi + 2);
		p[2 * i] = (uint32_t)fd;
		p[2 * i + 1] = (uint32_t)fz_rand(&w->rng);
	}
	if (!fz_one_in(&w->rng, 8))
		*count = n;
	return fz_one_in(&w->rng, 10) ? fz_bad_ptr(w) : (uint64_t)(uintptr_t)p;
}

int fix_poll(struct fz_worker *w, uint64_t *a)
{
	static const uint64_t timeouts[] = { 0, 1, 10, -1ULL, 0x7fffffff };

	a[0] = pollfds(w, &a[1]);
	a[2] = fz_one_in(&w->rng, 2) ? fz_below(&w->rng, 3) :
	       timeouts[fz_below(&w->rng, 5)];
	return 0;
}

int fix_ppoll(struct fz_worker *w, uint64_t *a)
{
	a[0] = pollfds(w, &a[1]);
	return 0;
}

static uint64_t fdset(struct fz_worker *w)
{
	uint64_t *set;

	if (fz_one_in(&w->rng, 3))
		return 0;
	if (fz_one_in(&w->rng, 10))
		return fz_bad_ptr(w);
	set = fz_scratch(w, 128);
	memset(set, 0, 128);
	/* Mostly descriptors that may be open: bits below fd_hi + 2. */
	set[0] = fz_rand(&w->rng);
	if (w->fd_hi < 62)
		set[0] &= (1ULL << (w->fd_hi + 2)) - 1;
	if (fz_one_in(&w->rng, 8))
		fz_fill(w, set, 128);
	return (uint64_t)(uintptr_t)set;
}

int fix_select(struct fz_worker *w, uint64_t *a)
{
	if (!fz_one_in(&w->rng, 4))
		a[0] = fz_below(&w->rng, (uint64_t)w->fd_hi + 3);
	for (int i = 1; i <= 3; i++)
		a[i] = fdset(w);
	return 0;
}

int fix_pselect6(struct fz_worker *w, uint64_t *a)
{
	uint64_t *pack;

	fix_select(w, a);
	if (fz_one_in(&w->rng, 3)) {
		a[5] = fz_one_in(&w->rng, 2) ? 0 : fz_bad_ptr(w);
		return 0;
	}
	pack = fz_scratch(w, 16);
	pack[0] = fz_value_of(w, K_SIGSET);
	pack[1] = fz_one_in(&w->rng, 8) ? fz_rand(&w->rng) : 8;
	a[5] = (uint64_t)(uintptr_t)pack;
	return 0;
}

/* ---- after the call ---- */

void after_fd(struct fz_worker *w, const uint64_t *a, int64_t ret)
{
	(void)a;
	if (ret >= 0)
		fz_note_fd(w, ret);
}

void after_pipe(struct fz_worker *w, const uint64_t *a, int64_t ret)
{
	uint64_t p = a[0], s = (uint64_t)(uintptr_t)w->scratch;

	if (ret == 0 && p >= s && p + 8 <= s + FZ_SCRATCH_RW * FZ_PAGE) {
		int32_t fds[2];

		memcpy(fds, (void *)(uintptr_t)p, 8);
		fz_note_fd(w, fds[0]);
		fz_note_fd(w, fds[1]);
	}
}
