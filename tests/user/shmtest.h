/*
 * shmtest.h - helpers shared by the System V shared memory tests (shm,
 * shm_proc, shm_ctl, shm_leak, shm_stress): raw system calls, the ABI
 * structures, unprivileged children, /proc readers, the exec helper and
 * the sweep that removes segments a failed case left behind.
 *
 * The tests make the system calls themselves (syscall(2)), not through
 * the C library's shmat/shmctl: glibc and musl wrap shmctl differently
 * (time conversions, IPC_64), and a wrapper that copies the buffer would
 * turn the kernel's EFAULT into a crash. The structures are the C
 * library's <sys/shm.h> ones, which on x86-64 are the kernel's
 * shmid64_ds, shminfo64 and shm_info; the static assertions below hold
 * them to that ABI. (glibc calls the key field __key and musl
 * __ipc_perm_key; under _GNU_SOURCE musl's macros turn both spellings into
 * "key", so shm_perm.__key works with either.)
 *
 * Keys: shm_key(n) is unique to the calling process, so cases (each in its
 * own process) never meet each other's segments.
 *
 * Not in lib/: the harness there is also built against libbasalt. Include
 * it once per test, after t.h (and maptest.h when used).
 */
#ifndef BASALT_TESTS_SHMTEST_H
#define BASALT_TESTS_SHMTEST_H

#include "t.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/syscall.h>
#include <unistd.h>

extern char **environ;

/* What glibc's <sys/shm.h> leaves out (musl has them): x86-64 values. */
#ifndef SHM_HUGE_SHIFT
#define SHM_HUGE_SHIFT 26
#endif
#ifndef SHM_HUGE_64KB
#define SHM_HUGE_64KB (16 << SHM_HUGE_SHIFT)
#endif

#define SHM_SHMMAX 0xfffffffffeffffffUL	/* ULONG_MAX - 2^24: SHMMAX, SHMALL */
#define SHM_SHMMNI 4096			/* SHMMNI, and SHMSEG */
#define SHM_IPC_64 0x100		/* a 32-bit ABI flag x86-64 refuses */
#define SHM_NOBODY 65534		/* the unprivileged uid and gid */

_Static_assert(sizeof(struct shmid_ds) == 112, "struct shmid64_ds");
_Static_assert(offsetof(struct shmid_ds, shm_segsz) == 48, "shm_segsz");
_Static_assert(offsetof(struct shmid_ds, shm_cpid) == 80, "shm_cpid");
_Static_assert(offsetof(struct shmid_ds, shm_nattch) == 88, "shm_nattch");
_Static_assert(offsetof(struct ipc_perm, mode) == 20, "ipc64_perm mode");
_Static_assert(sizeof(struct shminfo) == 72, "struct shminfo64");
_Static_assert(sizeof(struct shm_info) == 48, "struct shm_info");
_Static_assert(offsetof(struct shm_info, shm_tot) == 8, "shm_tot");

/* The system calls: -1 and errno on error, as the C library's would. */
static inline int shm_get(long key, unsigned long size, long flags)
{
	return (int)syscall(SYS_shmget, key, size, flags);
}

static inline void *shm_at(long id, const void *addr, long flags)
{
	return (void *)syscall(SYS_shmat, id, addr, flags);
}

static inline int shm_dt(const void *addr)
{
	return (int)syscall(SYS_shmdt, addr);
}

static inline int shm_ctl(long id, long cmd, void *buf)
{
	return (int)syscall(SYS_shmctl, id, cmd, buf);
}

/* A key no other process uses: the pid in the high bits, n below. */
static inline long shm_key(int n)
{
	return 0x40000000L | ((long)getpid() << 8) | (n & 0xff);
}

/* An IPC_PRIVATE segment of size bytes, mode 0600 | flags; must succeed. */
#define shm_new(size, flags) \
	((int)CHECK_OK(shm_get(IPC_PRIVATE, (size), 0600 | (flags))))

/* shmat that must succeed; returns the address. */
#define shm_attach(id, addr, flags) shm_attach_at(__FILE__, __LINE__, (id), (addr), (flags))
static inline char *shm_attach_at(const char *file, int line, int id,
				  const void *addr, int flags)
{
	void *p = shm_at(id, addr, flags);

	if (p == (void *)-1)
		t_fail_at(file, line, "shmat(%d, %p, %#x): errno %s", id, addr,
			  flags, t_errname(errno));
	return p;
}

/* IPC_STAT that must succeed. */
#define shm_stat(id) shm_stat_at(__FILE__, __LINE__, (id))
static inline struct shmid_ds shm_stat_at(const char *file, int line, int id)
{
	struct shmid_ds ds;

	memset(&ds, 0xa5, sizeof(ds));
	if (shm_ctl(id, IPC_STAT, &ds) != 0)
		t_fail_at(file, line, "shmctl(%d, IPC_STAT): errno %s", id,
			  t_errname(errno));
	return ds;
}

#define shm_nattch(id) ((long)shm_stat(id).shm_nattch)
#define shm_rmid(id) CHECK_OK(shm_ctl((id), IPC_RMID, NULL))

/* Writes one byte in each of the first pages of p (value v). */
static inline void shm_touch(char *p, size_t pages, char v)
{
	for (size_t i = 0; i < pages; i++)
		((volatile char *)p)[i * T_PAGE] = v;
}

/* Drops to uid and gid SHM_NOBODY (and with them every capability). */
static inline void shm_become_nobody(void)
{
	CHECK_OK(setgid(SHM_NOBODY));
	CHECK_OK(setuid(SHM_NOBODY));
	CHECK_EQ(geteuid(), SHM_NOBODY);
}

/* fork; the child (return 0) runs unprivileged, as SHM_NOBODY. */
static inline pid_t shm_fork_nobody(void)
{
	pid_t pid = t_fork();

	if (pid == 0)
		shm_become_nobody();
	return pid;
}

/* Reads a whole (small) file into buf, NUL-terminated; returns its length. */
static inline size_t shm_read_file(const char *path, char *buf, size_t size)
{
	size_t used = 0;
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		T_FAIL("open %s: errno %s", path, t_errname(errno));
	while (used < size - 1 && (n = read(fd, buf + used, size - 1 - used)) > 0)
		used += (size_t)n;
	CHECK_OK(close(fd));
	buf[used] = '\0';
	return used;
}

/*
 * The /proc/self/maps line whose range starts at addr: its end and perms
 * ("rw-s"). Returns 0 if no mapping starts there.
 */
static inline int shm_maps_at(const void *addr, unsigned long *end,
			      char perms[5], char *name, size_t name_len)
{
	static char buf[64 * 1024];

	shm_read_file("/proc/self/maps", buf, sizeof(buf));
	for (char *l = buf; *l;) {
		char *nl = strchr(l, '\n'), *p;
		unsigned long lo = strtoul(l, &p, 16);
		unsigned long hi = strtoul(p + 1, &p, 16);

		if (nl)
			*nl = '\0';
		if (lo == (unsigned long)addr) {
			*end = hi;
			memcpy(perms, p + 1, 4);
			perms[4] = '\0';
			if (name) {
				const char *n = strlen(l) > 73 ? l + 73 : "";
				snprintf(name, name_len, "%s", n);
			}
			return 1;
		}
		if (!nl)
			break;
		l = nl + 1;
	}
	return 0;
}

/* Calls fn for each segment the kernel lists (SHM_STAT_ANY over indices). */
static inline void shm_each(void (*fn)(int id, const struct shmid_ds *ds))
{
	struct shminfo si;
	struct shmid_ds ds;
	int max = shm_ctl(0, IPC_INFO, &si);

	for (int idx = 0; idx <= max; idx++) {
		int id = shm_ctl(idx, SHM_STAT_ANY, &ds);
		if (id >= 0)
			fn(id, &ds);
	}
}

/*
 * The exec helper: a case execs this binary with "--shm-nattch ID" to see
 * the segment from a new program image. It exits with the shm_nattch it
 * sees (below 90), 95 if shm_lpid is not its own pid (the exec that made
 * it detached the old image), 96 if IPC_STAT failed. "--shm-exit" exits 0
 * at once. Returns only if argv asks for neither.
 */
static inline void shm_exec_helper(int argc, char **argv)
{
	struct shmid_ds ds;

	if (argc > 1 && strcmp(argv[1], "--shm-exit") == 0)
		_exit(0);
	if (argc < 3 || strcmp(argv[1], "--shm-nattch") != 0)
		return;
	if (shm_ctl(atoi(argv[2]), IPC_STAT, &ds) != 0)
		_exit(96);
	if (ds.shm_lpid != getpid())
		_exit(95);
	_exit(ds.shm_nattch < 90 ? (int)ds.shm_nattch : 90);
}

/* execve this binary with arg (and id, if >= 0); returns only on failure. */
static inline void shm_exec_self(const char *arg, int id)
{
	char num[16];
	char *argv[] = { (char *)t_self(), (char *)arg, num, NULL };

	snprintf(num, sizeof(num), "%d", id);
	if (id < 0)
		argv[2] = NULL;
	execve(t_self(), argv, environ);
	T_FAIL("execve(%s): errno %s", t_self(), t_errname(errno));
}

/*
 * The sweep. Every case removes the segments it made; one that fails
 * half-way cannot, so shm_main removes whatever is left after all cases,
 * and fails the program if passing cases left anything (a test bug, or a
 * kernel that did not remove what it was told to).
 */
static int shm_sweep_before[256], shm_sweep_nbefore, shm_sweep_left;

static inline void shm_sweep_note(int id, const struct shmid_ds *ds)
{
	(void)ds;
	if (shm_sweep_nbefore < 256)
		shm_sweep_before[shm_sweep_nbefore++] = id;
}

static inline void shm_sweep_remove(int id, const struct shmid_ds *ds)
{
	for (int i = 0; i < shm_sweep_nbefore; i++)
		if (shm_sweep_before[i] == id)
			return;
	if (ds->shm_perm.mode & SHM_DEST)
		return;		/* removed; goes when its last user exits */
	shm_sweep_left++;
	shm_ctl(id, IPC_RMID, NULL);
}

/* t_main, plus the exec helper before and the sweep after. */
static inline int shm_main(int argc, char **argv, const struct t_case *cases,
			   int ncases)
{
	int rc;

	shm_exec_helper(argc, argv);
	shm_each(shm_sweep_note);
	rc = t_main(argc, argv, cases, ncases);
	shm_each(shm_sweep_remove);
	if (shm_sweep_left && rc != 1) {
		char line[128];
		int n = snprintf(line, sizeof(line),
			"  FAIL (sweep): %d segments left behind by passing cases\n",
			shm_sweep_left);
		(void)!write(1, line, (size_t)n);
		return 1;
	}
	return rc;
}
#define SHM_RUN(argc, argv, cases) \
	shm_main((argc), (argv), (cases), (int)(sizeof(cases) / sizeof((cases)[0])))

#endif
