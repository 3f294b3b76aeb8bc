/*
 * shm.c - System V shared memory: shmget, shmat and shmdt, with Linux's
 * errno for every refusal, and what IPC_RMID does to a key and an id.
 * (Attachments across fork, exit and execve: shm_proc.c; shmctl and
 * /proc: shm_ctl.c; freeing pages: shm_leak.c; many processes at once:
 * shm_stress.c.)
 *
 * Linux facts the cases pin down, found by running them on Linux 6.1:
 * - shm_nattch counts mappings (VMAs), not shmat calls: munmap or
 *   mprotect that splits an attachment adds one per new piece, and fork
 *   adds one per piece it copies. The segment stays attached until its
 *   last piece goes.
 * - shmdt(addr) detaches every piece of the attachment made at addr, even
 *   after the page at addr itself was unmapped.
 * - SHM_HUGETLB without reserved huge pages (none here) is ENOMEM; a huge
 *   page size x86-64 lacks (64 KiB) is EINVAL. Without SHM_NORESERVE a
 *   segment larger than RAM + swap is ENOMEM (overcommit heuristic).
 *
 * BASALT-ONLY ASSERTION (MISSION.md §1, the documented difference): after
 * IPC_RMID the id names nothing on Basalt, so shmat and IPC_STAT on it
 * fail with EINVAL; Linux lets both work while the segment is still
 * attached somewhere (case attach-after-rmid).
 */
#define _GNU_SOURCE
#include "t.h"
#include "maptest.h"
#include "shmtest.h"

#include <limits.h>

/* An unmapped range of pages pages, for shmat at a chosen address. */
static char *free_range(size_t pages)
{
	char *p = t_map(pages * T_PAGE, PROT_NONE);

	CHECK_OK(munmap(p, pages * T_PAGE));
	return p;
}

/* The /proc/self/maps line starting at p must span len bytes with perms. */
#define check_maps(p, len, perms) check_maps_at(__FILE__, __LINE__, (p), (len), (perms))
static void check_maps_at(const char *file, int line, const void *p, size_t len,
			  const char *perms)
{
	unsigned long end;
	char got[5];

	if (!shm_maps_at(p, &end, got, NULL, 0))
		t_fail_at(file, line, "no mapping starts at %p", p);
	if (end - (unsigned long)p != len || strcmp(got, perms) != 0)
		t_fail_at(file, line, "mapping at %p: %#lx bytes %s, want %#zx %s",
			  p, end - (unsigned long)p, got, len, perms);
}

static void case_shmget_private(void)
{
	int a = shm_new(T_PAGE, 0), b = shm_new(T_PAGE, 0);

	CHECK(a >= 0 && b >= 0 && a != b);	/* IPC_PRIVATE: always new */
	struct shmid_ds ds = shm_stat(a);
	CHECK_EQ(ds.shm_perm.__key, IPC_PRIVATE);
	CHECK_EQ(ds.shm_perm.mode, 0600);
	CHECK_EQ(ds.shm_segsz, T_PAGE);
	/* IPC_CREAT and IPC_EXCL mean nothing with IPC_PRIVATE. */
	int c = (int)CHECK_OK(shm_get(IPC_PRIVATE, T_PAGE,
				      IPC_CREAT | IPC_EXCL | 0640));
	CHECK(c != a && c != b);
	CHECK_EQ(shm_stat(c).shm_perm.mode, 0640);
	shm_rmid(a);
	shm_rmid(b);
	shm_rmid(c);
}

static void case_shmget_key(void)
{
	long key = shm_key(1);
	int id = (int)CHECK_OK(shm_get(key, 3 * T_PAGE, IPC_CREAT | 0640));

	CHECK_EQ(shm_stat(id).shm_perm.__key, key);
	CHECK_EQ(shm_get(key, 3 * T_PAGE, 0), id);
	CHECK_EQ(shm_get(key, 3 * T_PAGE, IPC_CREAT | 0600), id);
	/* An existing segment answers any size up to its own, 0 included. */
	CHECK_EQ(shm_get(key, 1, 0), id);
	CHECK_EQ(shm_get(key, 0, 0), id);
	CHECK_EQ(shm_stat(id).shm_perm.mode, 0640);	/* the first mode stays */
	CHECK_EQ(shm_stat(id).shm_segsz, 3 * T_PAGE);
	int other = (int)CHECK_OK(shm_get(shm_key(2), T_PAGE, IPC_CREAT | 0600));
	CHECK(other != id);
	shm_rmid(id);
	shm_rmid(other);
}

static void case_shmget_excl_eexist(void)
{
	long key = shm_key(1);
	int id = (int)CHECK_OK(shm_get(key, T_PAGE, IPC_CREAT | IPC_EXCL | 0600));

	CHECK_ERR(shm_get(key, T_PAGE, IPC_CREAT | IPC_EXCL | 0600), EEXIST);
	CHECK_ERR(shm_get(key, 0, IPC_CREAT | IPC_EXCL), EEXIST);
	shm_rmid(id);
}

static void case_shmget_missing_enoent(void)
{
	long key = shm_key(1);

	CHECK_ERR(shm_get(key, T_PAGE, 0600), ENOENT);
	CHECK_ERR(shm_get(key, 0, 0), ENOENT);
	CHECK_ERR(shm_get(key, T_PAGE, IPC_EXCL | 0600), ENOENT);
}

static void case_shmget_size_einval(void)
{
	long key = shm_key(1);

	CHECK_ERR(shm_get(IPC_PRIVATE, 0, 0600), EINVAL);		/* < SHMMIN */
	CHECK_ERR(shm_get(IPC_PRIVATE, SHM_SHMMAX + 1, 0600), EINVAL);	/* > SHMMAX */
	CHECK_ERR(shm_get(IPC_PRIVATE, ULONG_MAX, 0600), EINVAL);
	CHECK_ERR(shm_get(key, 0, IPC_CREAT | 0600), EINVAL);	/* creating: size counts */
	CHECK_ERR(shm_get(key, 0, 0), ENOENT);		/* nothing was made */
	int id = shm_new(1, 0);				/* SHMMIN is 1 */
	CHECK_EQ(shm_stat(id).shm_segsz, 1);
	shm_rmid(id);
}

static void case_shmget_larger_than_existing(void)
{
	long key = shm_key(1);
	int id = (int)CHECK_OK(shm_get(key, 2 * T_PAGE, IPC_CREAT | 0600));

	CHECK_ERR(shm_get(key, 2 * T_PAGE + 1, 0), EINVAL);
	CHECK_ERR(shm_get(key, 3 * T_PAGE, IPC_CREAT | 0600), EINVAL);
	CHECK_EQ(shm_get(key, 2 * T_PAGE, 0), id);
	shm_rmid(id);
}

static void case_shmget_mode_eacces(void)
{
	long key = shm_key(1);
	int id = (int)CHECK_OK(shm_get(key, T_PAGE, IPC_CREAT | 0640));
	pid_t pid = shm_fork_nobody();

	if (pid == 0) {
		/* Asking for no access always works; any other bit is checked
		 * against the "other" bits of the segment's mode. */
		CHECK_EQ(shm_get(key, 0, 0), id);
		CHECK_ERR(shm_get(key, 0, 0400), EACCES);
		CHECK_ERR(shm_get(key, 0, 0004), EACCES);
		CHECK_ERR(shm_get(key, 0, IPC_CREAT | 0600), EACCES);
		_exit(0);
	}
	CHECK_EXITED(t_wait(pid), 0);
	/* Root may ask for anything (CAP_IPC_OWNER). */
	CHECK_EQ(shm_get(key, 0, 0666), id);
	struct shmid_ds ds = shm_stat(id);
	ds.shm_perm.mode = 0644;
	CHECK_OK(shm_ctl(id, IPC_SET, &ds));
	pid = shm_fork_nobody();
	if (pid == 0) {
		CHECK_EQ(shm_get(key, 0, 0444), id);
		CHECK_ERR(shm_get(key, 0, 0666), EACCES);
		_exit(0);
	}
	CHECK_EXITED(t_wait(pid), 0);
	shm_rmid(id);
}

static void case_shmget_hugetlb(void)
{
	/*
	 * Linux 6.1 here has hugetlbfs but no huge pages reserved
	 * (vm.nr_hugepages = 0): the reservation fails with ENOMEM, for a
	 * small size as for one 2 MiB page. A huge page size the CPU does
	 * not have (64 KiB on x86-64) is EINVAL.
	 */
	CHECK_ERR(shm_get(IPC_PRIVATE, T_PAGE, SHM_HUGETLB | 0600), ENOMEM);
	CHECK_ERR(shm_get(IPC_PRIVATE, 2 << 20, SHM_HUGETLB | 0600), ENOMEM);
	CHECK_ERR(shm_get(IPC_PRIVATE, T_PAGE, SHM_HUGETLB | SHM_HUGE_64KB | 0600),
		  EINVAL);
}

static void case_shmget_noreserve(void)
{
	/*
	 * 1 TiB is more than RAM and swap: Linux's overcommit heuristic
	 * refuses it (ENOMEM) unless SHM_NORESERVE says not to account the
	 * memory; nothing is allocated until pages are touched.
	 */
	unsigned long tib = 1UL << 40;

	CHECK_ERR(shm_get(IPC_PRIVATE, tib, 0600), ENOMEM);
	int big = shm_new(tib, SHM_NORESERVE);
	CHECK_EQ(shm_stat(big).shm_segsz, tib);
	int small = shm_new(2 * T_PAGE, SHM_NORESERVE);
	char *p = shm_attach(small, NULL, 0);
	shm_touch(p, 2, 'n');
	CHECK_EQ(p[T_PAGE], 'n');
	CHECK_OK(shm_dt(p));
	shm_rmid(big);
	shm_rmid(small);
}

static void case_shmget_size_rounding(void)
{
	int id = shm_new(5000, 0);
	char *want = free_range(3);
	char *p = shm_attach(id, want, 0);

	CHECK(p == want);
	CHECK_EQ(shm_stat(id).shm_segsz, 5000);	/* the exact size is kept */
	check_maps(p, 2 * T_PAGE, "rw-s");		/* the mapping: whole pages */
	check_bytes(p + 4999, 2 * T_PAGE - 4999, 0);
	fill_bytes(p + 5000, 2 * T_PAGE - 5000, 't');	/* the tail is usable */
	check_fault(p + 2 * T_PAGE, -1, SIGSEGV, SEGV_MAPERR);
	CHECK_OK(shm_dt(p));
	shm_rmid(id);
}

static void case_shmat_kernel_address(void)
{
	int id = shm_new(3 * T_PAGE, 0);
	char *a = shm_at(id, NULL, 0), *b = shm_at(id, NULL, 0);

	CHECK(a != (char *)-1 && b != (char *)-1 && a != b);
	CHECK_EQ((unsigned long)a % T_PAGE, 0);
	check_maps(a, 3 * T_PAGE, "rw-s");
	check_bytes(a, 3 * T_PAGE, 0);			/* new segments are zero */
	a[2 * T_PAGE + 7] = 'k';
	CHECK_EQ(b[2 * T_PAGE + 7], 'k');		/* one memory, two places */
	CHECK_EQ(shm_nattch(id), 2);
	CHECK_OK(shm_dt(a));
	CHECK_OK(shm_dt(b));
	shm_rmid(id);
}

static void case_maps_line(void)
{
	/* Linux names an attachment after its key: "/SYSV%08x (deleted)". */
	long key = shm_key(1);
	int id = (int)CHECK_OK(shm_get(key, T_PAGE, IPC_CREAT | 0600));
	char *p = shm_attach(id, NULL, 0);
	char perms[5], name[64], want[64];
	unsigned long end;

	CHECK(shm_maps_at(p, &end, perms, name, sizeof(name)));
	snprintf(want, sizeof(want), "/SYSV%08lx (deleted)", key);
	if (strcmp(name, want) != 0)
		T_FAIL("maps name '%s', want '%s'", name, want);
	CHECK_OK(shm_dt(p));
	shm_rmid(id);
}

static void case_shmat_given_address(void)
{
	int id = shm_new(2 * T_PAGE, 0);
	char *want = free_range(4) + T_PAGE;
	char *p = shm_attach(id, want, 0);

	CHECK(p == want);				/* exactly there */
	check_maps(p, 2 * T_PAGE, "rw-s");
	p[0] = 'g';
	CHECK_OK(shm_dt(p));
	shm_rmid(id);
}

static void case_shmat_unaligned_rnd(void)
{
	int id = shm_new(T_PAGE, 0);
	char *base = free_range(2);

	CHECK_ERR(shm_at(id, base + 5, 0), EINVAL);
	CHECK_ERR(shm_at(id, base + T_PAGE / 2, SHM_RDONLY), EINVAL);
	/* SHM_RND rounds down to SHMLBA, which is the page size on x86-64. */
	CHECK_EQ(SHMLBA, T_PAGE);
	char *p = shm_attach(id, base + T_PAGE - 1, SHM_RND);
	CHECK(p == base);
	CHECK_OK(shm_dt(p));
	p = shm_attach(id, base + T_PAGE + 123, SHM_RND);
	CHECK(p == base + T_PAGE);
	CHECK_OK(shm_dt(p));
	/* Rounded down to 0 with SHM_REMAP: EINVAL, Linux's explicit check. */
	CHECK_ERR(shm_at(id, (void *)100, SHM_RND | SHM_REMAP), EINVAL);
	shm_rmid(id);
}

static void case_shmat_remap(void)
{
	int id = shm_new(2 * T_PAGE, 0);
	char *seg = shm_attach(id, NULL, 0);
	char *p = t_map(3 * T_PAGE, RW);

	fill_bytes(p, 3 * T_PAGE, 'x');
	seg[0] = 's';
	/* Over a mapping, wholly or in part, only with SHM_REMAP. */
	CHECK_ERR(shm_at(id, p, 0), EINVAL);
	CHECK_ERR(shm_at(id, p + 2 * T_PAGE, 0), EINVAL);
	CHECK_ERR(shm_at(id, NULL, SHM_REMAP), EINVAL);	/* needs an address */
	char *q = shm_attach(id, p, SHM_REMAP);
	CHECK(q == p);
	CHECK_EQ(p[0], 's');				/* the segment, not 'x' */
	check_bytes(p + 1, 2 * T_PAGE - 1, 0);
	check_bytes(p + 2 * T_PAGE, T_PAGE, 'x');	/* the rest is untouched */
	CHECK_EQ(shm_nattch(id), 2);
	CHECK_OK(shm_dt(p));
	check_fault(p, -1, SIGSEGV, SEGV_MAPERR);	/* the old pages are gone */
	CHECK_OK(munmap(p + 2 * T_PAGE, T_PAGE));
	CHECK_OK(shm_dt(seg));
	shm_rmid(id);
}

static void case_shmat_rdonly(void)
{
	int id = shm_new(2 * T_PAGE, 0);
	char *rw = shm_attach(id, NULL, 0);
	char *ro = shm_attach(id, NULL, SHM_RDONLY);

	rw[T_PAGE] = 'r';
	CHECK_EQ(ro[T_PAGE], 'r');
	check_maps(ro, 2 * T_PAGE, "r--s");
	check_fault(ro + T_PAGE, 'w', SIGSEGV, SEGV_ACCERR);
	check_fault(ro, 'w', SIGSEGV, SEGV_ACCERR);	/* a page never touched */
	CHECK_EQ(rw[T_PAGE], 'r');
	CHECK_OK(shm_dt(ro));
	CHECK_OK(shm_dt(rw));
	shm_rmid(id);
}

typedef int (*ret_fn)(void);

static void case_shmat_exec(void)
{
	/* mov $42, %eax; ret */
	static const unsigned char code[] = { 0xb8, 42, 0, 0, 0, 0xc3 };
	int id = shm_new(T_PAGE, 0);
	char *rw = shm_attach(id, NULL, 0);
	char *x = shm_attach(id, NULL, SHM_EXEC);
	char *rx = shm_attach(id, NULL, SHM_EXEC | SHM_RDONLY);

	memcpy(rw, code, sizeof(code));
	check_maps(x, T_PAGE, "rwxs");
	check_maps(rx, T_PAGE, "r-xs");
	CHECK_EQ(((ret_fn)(void *)x)(), 42);
	CHECK_EQ(((ret_fn)(void *)rx)(), 42);
	pid_t pid = t_fork();
	if (pid == 0) {
		((ret_fn)(void *)rw)();		/* not executable: SIGSEGV */
		_exit(0);
	}
	CHECK_SIGNALED(t_wait(pid), SIGSEGV);
	CHECK_OK(shm_dt(rw));
	CHECK_OK(shm_dt(x));
	CHECK_OK(shm_dt(rx));
	shm_rmid(id);
}

static void case_shmat_bad_id(void)
{
	int id = shm_new(T_PAGE, 0);

	shm_rmid(id);				/* not attached: gone at once */
	CHECK_ERR(shm_at(id, NULL, 0), EINVAL);
	CHECK_ERR(shm_at(-1, NULL, 0), EINVAL);
	CHECK_ERR(shm_at(INT_MAX, NULL, SHM_RDONLY), EINVAL);
}

static void case_shmat_eacces(void)
{
	int id = shm_new(T_PAGE, 0);		/* 0600, root's */
	pid_t pid = shm_fork_nobody();

	if (pid == 0) {
		CHECK_ERR(shm_at(id, NULL, 0), EACCES);
		CHECK_ERR(shm_at(id, NULL, SHM_RDONLY), EACCES);
		_exit(0);
	}
	CHECK_EXITED(t_wait(pid), 0);
	struct shmid_ds ds = shm_stat(id);
	ds.shm_perm.mode = 0604;		/* others may read */
	CHECK_OK(shm_ctl(id, IPC_SET, &ds));
	pid = shm_fork_nobody();
	if (pid == 0) {
		CHECK_ERR(shm_at(id, NULL, 0), EACCES);
		CHECK_ERR(shm_at(id, NULL, SHM_RDONLY | SHM_EXEC), EACCES);
		char *p = shm_attach(id, NULL, SHM_RDONLY);
		CHECK_EQ(p[0], 0);
		CHECK_OK(shm_dt(p));
		_exit(0);
	}
	CHECK_EXITED(t_wait(pid), 0);
	shm_rmid(id);
}

static void case_shmdt_detaches(void)
{
	int id = shm_new(2 * T_PAGE, 0);
	char *p = shm_attach(id, NULL, 0);

	p[T_PAGE] = 'd';
	CHECK_EQ(shm_nattch(id), 1);
	CHECK_OK(shm_dt(p));
	CHECK_EQ(shm_nattch(id), 0);
	check_fault(p, -1, SIGSEGV, SEGV_MAPERR);
	check_fault(p + T_PAGE, -1, SIGSEGV, SEGV_MAPERR);
	CHECK_ERR(shm_dt(p), EINVAL);		/* once only */
	p = shm_attach(id, NULL, 0);		/* the data outlives attachments */
	CHECK_EQ(p[T_PAGE], 'd');
	CHECK_OK(shm_dt(p));
	shm_rmid(id);
}

static void case_shmdt_einval(void)
{
	int id = shm_new(3 * T_PAGE, 0);
	char *p = shm_attach(id, NULL, 0);
	char *anon = t_map(T_PAGE, RW);

	CHECK_ERR(shm_dt(p + T_PAGE), EINVAL);	/* inside, not at the start */
	CHECK_ERR(shm_dt(p + 1), EINVAL);	/* unaligned */
	CHECK_ERR(shm_dt(NULL), EINVAL);
	CHECK_ERR(shm_dt(anon), EINVAL);	/* not an attachment */
	CHECK_ERR(shm_dt(t_unmapped_page()), EINVAL);
	CHECK_EQ(shm_nattch(id), 1);
	CHECK_OK(shm_dt(p));
	shm_rmid(id);
}

static void case_shmdt_partial_munmap(void)
{
	int id = shm_new(8 * T_PAGE, 0);
	char *p = shm_attach(id, NULL, 0);

	shm_touch(p, 8, 'p');
	/* Linux counts pieces (VMAs): each split adds one. */
	CHECK_OK(munmap(p + 3 * T_PAGE, T_PAGE));
	CHECK_EQ(shm_nattch(id), 2);
	CHECK_OK(mprotect(p + 6 * T_PAGE, T_PAGE, PROT_READ));
	CHECK_EQ(shm_nattch(id), 4);
	CHECK_OK(munmap(p, T_PAGE));		/* the head: a piece shrinks */
	CHECK_EQ(shm_nattch(id), 4);
	CHECK_EQ(p[7 * T_PAGE], 'p');
	/* shmdt at the attach address still finds and detaches every piece. */
	CHECK_OK(shm_dt(p));
	CHECK_EQ(shm_nattch(id), 0);
	check_fault(p + 7 * T_PAGE, -1, SIGSEGV, SEGV_MAPERR);

	/* Unmapped piece by piece, it stays attached until the last goes. */
	p = shm_attach(id, NULL, 0);
	CHECK_EQ(p[5 * T_PAGE], 'p');
	CHECK_OK(munmap(p + 2 * T_PAGE, 2 * T_PAGE));
	CHECK_EQ(shm_nattch(id), 2);
	CHECK_OK(munmap(p, 2 * T_PAGE));
	CHECK_EQ(shm_nattch(id), 1);
	CHECK_EQ(p[7 * T_PAGE], 'p');
	CHECK_OK(munmap(p + 4 * T_PAGE, 4 * T_PAGE));
	CHECK_EQ(shm_nattch(id), 0);
	CHECK_ERR(shm_dt(p), EINVAL);
	shm_rmid(id);
}

static void case_rmid_releases_key(void)
{
	long key = shm_key(1);
	int old = (int)CHECK_OK(shm_get(key, 2 * T_PAGE, IPC_CREAT | 0600));
	char *p = shm_attach(old, NULL, 0);

	p[0] = 'o';
	shm_rmid(old);
	CHECK_ERR(shm_get(key, 0, 0), ENOENT);	/* the key is free at once */
	int new = (int)CHECK_OK(shm_get(key, 2 * T_PAGE, IPC_CREAT | IPC_EXCL | 0600));
	CHECK(new != old);
	char *q = shm_attach(new, NULL, 0);
	CHECK_EQ(q[0], 0);			/* a new segment */
	CHECK_EQ(p[0], 'o');			/* the removed one still works */
	p[1] = 'x';
	CHECK_EQ(q[1], 0);
	CHECK_OK(shm_dt(p));
	CHECK_OK(shm_dt(q));
	shm_rmid(new);
}

/*
 * BASALT-ONLY (MISSION.md §1, the documented difference from Linux): on
 * Basalt a removed segment cannot be attached again, and its id names
 * nothing. Linux keeps the id usable until the last detach: IPC_STAT shows
 * SHM_DEST in the mode and the key as IPC_PRIVATE, and shmat works.
 */
static void case_attach_after_rmid(void)
{
	int id = shm_new(2 * T_PAGE, 0);
	char *p = shm_attach(id, NULL, 0);
	struct shmid_ds ds;

	p[0] = 'r';
	shm_rmid(id);
	if (is_basalt()) {
		CHECK_ERR(shm_at(id, NULL, 0), EINVAL);
		CHECK_ERR(shm_at(id, NULL, SHM_RDONLY), EINVAL);
		CHECK_ERR(shm_ctl(id, IPC_STAT, &ds), EINVAL);
	} else {
		ds = shm_stat(id);
		CHECK_EQ(ds.shm_perm.mode, SHM_DEST | 0600);
		CHECK_EQ(ds.shm_perm.__key, IPC_PRIVATE);
		CHECK_EQ(ds.shm_nattch, 1);
		char *q = shm_attach(id, NULL, 0);
		CHECK_EQ(q[0], 'r');
		CHECK_EQ(shm_nattch(id), 2);
		CHECK_OK(shm_dt(q));
	}
	p[1] = 's';				/* still mapped and usable */
	CHECK_EQ(p[0], 'r');
	CHECK_OK(shm_dt(p));
	CHECK_ERR(shm_ctl(id, IPC_STAT, &ds), EINVAL);	/* gone on both */
	CHECK_ERR(shm_at(id, NULL, 0), EINVAL);
}

static const struct t_case cases[] = {
	{ case_shmget_private, "shmget-private" },
	{ case_shmget_key, "shmget-key" },
	{ case_shmget_excl_eexist, "shmget-excl-eexist" },
	{ case_shmget_missing_enoent, "shmget-missing-enoent" },
	{ case_shmget_size_einval, "shmget-size-einval" },
	{ case_shmget_larger_than_existing, "shmget-larger-than-existing" },
	{ case_shmget_mode_eacces, "shmget-mode-eacces" },
	{ case_shmget_hugetlb, "shmget-hugetlb" },
	{ case_shmget_noreserve, "shmget-noreserve" },
	{ case_shmget_size_rounding, "shmget-size-rounding" },
	{ case_shmat_kernel_address, "shmat-kernel-address" },
	{ case_maps_line, "maps-line" },
	{ case_shmat_given_address, "shmat-given-address" },
	{ case_shmat_unaligned_rnd, "shmat-unaligned-rnd" },
	{ case_shmat_remap, "shmat-remap" },
	{ case_shmat_rdonly, "shmat-rdonly" },
	{ case_shmat_exec, "shmat-exec" },
	{ case_shmat_bad_id, "shmat-bad-id" },
	{ case_shmat_eacces, "shmat-eacces" },
	{ case_shmdt_detaches, "shmdt-detaches" },
	{ case_shmdt_einval, "shmdt-einval" },
	{ case_shmdt_partial_munmap, "shmdt-partial-munmap" },
	{ case_rmid_releases_key, "rmid-releases-key" },
	{ case_attach_after_rmid, "attach-after-rmid" },
};

int main(int argc, char **argv)
{
	return SHM_RUN(argc, argv, cases);
}
