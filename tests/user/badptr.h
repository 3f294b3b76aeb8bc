/*
 * badptr.h - the machinery of the bad-pointer tables (badptr_*.c).
 *
 * Every system call that Basalt implements has its rows in one of the
 * badptr_*.c programs: one row per pointer argument (and per pointer the
 * kernel reads out of a structure, such as iov[0].iov_base), or a
 * BP_NONE line saying why the call has no pointer to probe.
 * scripts/check-badptr.sh runs when the tests are built and fails the
 * build if an implemented call (a SYSCALL_DEFINEn in kernel/) has neither,
 * so no call can be added without its row.
 *
 * A row names the call, the argument, how many bytes the kernel touches
 * there, a setup function that fills in valid, harmless arguments, and
 * what Linux answers when the pointer is, in turn:
 *
 *   NULL       0
 *   unmapped   a page in a gap of 64 unmapped pages
 *   kernel     0xffff800000000000, the start of the kernel half (Basalt's
 *              direct map, so a missing check would read real memory)
 *   straddle   a range that starts inside a mapping and runs off its end:
 *              `size` bytes placed half before the end (a string: 16 bytes
 *              of 'x' without a NUL up to the end)
 *
 * The answers are Linux's (Debian's 6.1, run by `make test-linux`), so a
 * row is a fact about Linux and Basalt must give the same: the same errno,
 * the same success (a NULL that means "none", a partial read), or the
 * same fatal signal. NA marks a probe that has no meaning for the row (an
 * aligned 4-byte word cannot straddle a page end).
 *
 * Each probe runs in its own forked child: the setup, the call through
 * the raw `syscall` instruction (the C library never sees the pointer),
 * then a check that a failed call left no new file descriptor behind. The
 * case process compares and reports every probe that differs; on Basalt
 * it then runs the table again and requires MemFree to come back exactly
 * (bad pointers must not leak on any error path).
 *
 * The scratch world the setups use is made once per program: a directory
 * in /tmp that is the working directory (files f, g, x; directories d,
 * d2; symlinks l, l2), one System V message queue, semaphore set and
 * shared memory segment, and the mapping whose end the straddling probes
 * cross. Everything is static; include this once per program, after t.h.
 */
#ifndef BASALT_TESTS_BADPTR_H
#define BASALT_TESTS_BADPTR_H

#define _GNU_SOURCE
#include "t.h"

#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <dirent.h>
#include <grp.h>
#include <linux/futex.h>
#include <poll.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/uio.h>
#include <termios.h>
#include <time.h>

/* musl's <fcntl.h>, <sys/resource.h> and others make these names
 * macros for the calls without 64 (LFS64); the tables need the names. */
#undef pread64
#undef pwrite64
#undef prlimit64
#undef getdents64

#ifndef SYS_futex_waitv
#define SYS_futex_waitv 449	/* musl 1.2.3's list ends before it */
#endif

enum { BP_NULL, BP_UNMAPPED, BP_KERNEL, BP_STRADDLE, BP_KINDS };
static const char *const bp_kind_name[BP_KINDS] = {
	"NULL", "unmapped", "kernel", "straddle",
};

/* Outcomes; a plain positive number is an errno. */
#define OK	0x1000000		/* success, whatever the value */
#define RET(n)	(0x2000000 | (n))	/* success with exactly n */
#define SIG(s)	(0x3000000 | (s))	/* the process dies of signal s */
#define NA	0x4000000		/* not probed */
#define BP_CLASS(w) ((w) & 0x7000000)
#define BP_VALUE(w) ((w) & 0x0ffffff)

#define EF EFAULT
#define BP_STRING (-1L)		/* size: a NUL-terminated string */
#define BP_PAGE 4096L

/* The arguments of one call, built by a row's setup in the probe child. */
struct bp_call {
	long a[6];
	/* If set, the probed pointer goes here (a pointer inside a
	 * structure the call reads) instead of into a[arg]. */
	void **slot;
	/* If set, makes the call instead of the plain raw syscall. */
	long (*invoke)(struct bp_call *c);
};

struct bp_row {
	const char *call;	/* its name in kernel/syscall/syscalls.list */
	long nr;
	int arg;		/* the probed argument, 0..5 */
	const char *what;	/* what the pointer is, for messages */
	long size;		/* bytes the kernel touches there, or BP_STRING */
	void (*setup)(struct bp_call *c);
	int want[BP_KINDS];	/* NULL, unmapped, kernel, straddle */
	/* Where Basalt does not yet do what Linux does, and who is on it:
	 * see bp_run_row. */
	const char *gap;
};

#define BP_ROW(name, arg, what, size, setup, n, u, k, s)                   \
	{ #name, SYS_##name, arg, what, size, setup, { n, u, k, s }, NULL }
/* The same row where Basalt has a known gap. */
#define BP_ROW_GAP(name, arg, what, size, setup, n, u, k, s, gap)          \
	{ #name, SYS_##name, arg, what, size, setup, { n, u, k, s }, gap }

/* A call with nothing to probe, and why (the list is checked too). */
struct bp_none {
	const char *call;
	const char *why;
};
#define BP_NONE(name, why) { #name, why }
#define BP_NONE_LIST static const struct bp_none bp_none_list[] __attribute__((unused))

/* The scratch world (see the top of the file). */
static struct {
	char dir[64];		/* absolute path; the working directory */
	char *edge_end;		/* end of a read-write mapping... */
	char *hole;		/* ...and a page in the gap after it */
	int msqid, semid, shmid;
} bp_env;

/* Valid memory for the setups: each probe is a fresh fork, so a setup
 * may use these freely. */
static char bp_buf[4 * BP_PAGE] __attribute__((aligned(4096)));
static char bp_buf2[BP_PAGE] __attribute__((aligned(4096), unused));

#define BP_EDGE_HINT ((char *)0x300000000000UL)
#define BP_EDGE_PAGES 4
#define BP_GAP_PAGES 64

static void bp_write_file(const char *name, char fill, size_t len, int mode)
{
	int fd = CHECK_OK(open(name, O_WRONLY | O_CREAT | O_TRUNC, mode));

	memset(bp_buf, fill, sizeof(bp_buf));
	for (size_t done = 0; done < len; done += BP_PAGE)
		CHECK_EQ(write(fd, bp_buf, BP_PAGE), BP_PAGE);
	CHECK_OK(close(fd));
}

/* The mapping whose end the straddling probes cross: the gap after it is
 * made by unmapping, so nothing else lives there. */
static void bp_make_edge(void)
{
	size_t len = (BP_EDGE_PAGES + BP_GAP_PAGES) * BP_PAGE;
	char *p = mmap(BP_EDGE_HINT, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p != BP_EDGE_HINT)
		T_FAIL("mmap at the hint %p gave %p", (void *)BP_EDGE_HINT,
		       (void *)p);
	bp_env.edge_end = p + BP_EDGE_PAGES * BP_PAGE;
	CHECK_OK(munmap(bp_env.edge_end, BP_GAP_PAGES * BP_PAGE));
	memset(p, 'x', BP_EDGE_PAGES * BP_PAGE);
	bp_env.hole = bp_env.edge_end + (BP_GAP_PAGES / 2) * BP_PAGE;
}

static void bp_env_create(void)
{
	snprintf(bp_env.dir, sizeof(bp_env.dir), "/tmp/badptr-%d",
		 (int)getpid());
	CHECK_OK(mkdir(bp_env.dir, 0755));
	CHECK_OK(chdir(bp_env.dir));
	bp_write_file("f", 'f', 2 * BP_PAGE, 0644);
	bp_write_file("g", 'g', BP_PAGE, 0644);
	bp_write_file("x", 'x', BP_PAGE, 0755);	/* not a program: ENOEXEC */
	CHECK_OK(mkdir("d", 0755));
	CHECK_OK(mkdir("d2", 0755));
	CHECK_OK(symlink("f", "l"));
	CHECK_OK(symlink("ffffffffffffffffffffffffffffffff", "l2"));
	bp_env.msqid = CHECK_OK(msgget(IPC_PRIVATE, IPC_CREAT | 0600));
	bp_env.semid = CHECK_OK(semget(IPC_PRIVATE, 1, IPC_CREAT | 0600));
	bp_env.shmid = CHECK_OK(shmget(IPC_PRIVATE, BP_PAGE, IPC_CREAT | 0600));
	bp_make_edge();
}

/* Removes what a call may have made under a name the setups use. */
static void bp_remove_new(void)
{
	static const char *const names[] = { "new", "new2" };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (unlink(names[i]) != 0)
			rmdir(names[i]);
}

static void bp_env_destroy(void)
{
	static const char *const files[] = { "f", "g", "x", "l", "l2" };

	bp_remove_new();
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		unlink(files[i]);
	rmdir("d");
	rmdir("d2");
	CHECK_OK(chdir("/"));
	CHECK_OK(rmdir(bp_env.dir));
	CHECK_OK(msgctl(bp_env.msqid, IPC_RMID, NULL));
	CHECK_OK(semctl(bp_env.semid, 0, IPC_RMID));
	CHECK_OK(shmctl(bp_env.shmid, IPC_RMID, NULL));
	CHECK_OK(munmap(bp_env.edge_end - BP_EDGE_PAGES * BP_PAGE,
			BP_EDGE_PAGES * BP_PAGE));
}

/* After each probe: the queue empty and the semaphore 0 again, whatever
 * the probe did to them. */
static void bp_env_reset(void)
{
	struct { long mtype; char mtext[64]; } m;

	while (msgrcv(bp_env.msqid, &m, sizeof(m.mtext), 0,
		      IPC_NOWAIT | MSG_NOERROR) >= 0)
		;
	CHECK_OK(semctl(bp_env.semid, 0, SETVAL, 0));
	bp_remove_new();
}

/* The bad pointer of this kind for a row. */
static void *bp_pointer(const struct bp_row *row, int kind)
{
	switch (kind) {
	case BP_NULL:
		return NULL;
	case BP_UNMAPPED:
		return bp_env.hole;
	case BP_KERNEL:
		return T_KERNEL_DIRECT;
	default:
		if (row->size == BP_STRING)
			return bp_env.edge_end - 16;
		return bp_env.edge_end - row->size / 2;
	}
}

/* The lowest descriptor number that is free (raw calls only). */
static long bp_lowest_free_fd(void)
{
	long fd = t_raw(SYS_dup, 0);

	if (fd >= 0)
		t_raw(SYS_close, fd);
	return fd;
}

/*
 * The probe child: build the call, put the bad pointer in, make the call
 * and post what it returned (and whether it leaked a descriptor) to the
 * shared page. A call that creates a process (clone) has a child to reap
 * here; its invoke function makes that child exit at once.
 */
static void bp_probe_child(const struct bp_row *row, int kind,
			   volatile long *out)
{
	struct bp_call c = { .a = { 0 } };
	void *p;
	long r, lowfd;

	alarm(20);		/* a hang becomes SIGALRM, not a lost boot */
	row->setup(&c);
	p = bp_pointer(row, kind);
	if (c.slot)
		*c.slot = p;
	else
		c.a[row->arg] = (long)p;
	lowfd = bp_lowest_free_fd();
	if (c.invoke)
		r = c.invoke(&c);
	else
		r = t_raw6(row->nr, c.a[0], c.a[1], c.a[2], c.a[3], c.a[4],
			   c.a[5]);
	out[0] = r;
	out[1] = r < 0 && bp_lowest_free_fd() != lowfd;
	out[2] = 1;
	_exit(0);
}

static void bp_describe(int w, char *buf, size_t len)
{
	switch (BP_CLASS(w)) {
	case OK:
		snprintf(buf, len, "success");
		break;
	case RET(0):
		snprintf(buf, len, "success (%d)", BP_VALUE(w));
		break;
	case SIG(0):
		snprintf(buf, len, "signal %d", BP_VALUE(w));
		break;
	default:
		snprintf(buf, len, "%s", t_errname(w));
		break;
	}
}

static bool bp_matches(int want, int got)
{
	if (want == OK)
		return BP_CLASS(got) == RET(0);
	return want == got;
}

/* Runs one probe; returns its outcome (BP_CLASS of an errno is 0). */
static int bp_probe(const struct bp_row *row, int kind, volatile long *out)
{
	int status;
	pid_t pid;

	out[0] = out[1] = out[2] = 0;
	pid = t_fork();
	if (pid == 0)
		bp_probe_child(row, kind, out);
	status = t_wait(pid);
	bp_env_reset();
	if (WIFSIGNALED(status))
		return SIG(WTERMSIG(status));
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || !out[2])
		T_FAIL("%s %s probe: the probe process ended with status %#x",
		       row->call, bp_kind_name[kind], status);
	if (out[1]) {
		t_note("%s(%s = %s): failed but left a new descriptor open",
		       row->call, row->what, bp_kind_name[kind]);
		return -1;	/* matches nothing */
	}
	if (out[0] < 0)
		return (int)-out[0];
	return RET((int)(out[0] & 0xffffff));
}

struct bp_stats {
	int probes;	/* run */
	int differ;	/* gave another answer than Linux */
	int gaps;	/* ...in a row with a known gap (Basalt only) */
	int closed;	/* rows with a gap that now answer as Linux */
};

/* Every probe of one row. A row with a known gap is held to Linux on
 * Linux; on Basalt its differences are counted apart, and a gap row that
 * differs nowhere any more must lose its note. */
static void bp_run_row(const struct bp_row *row, volatile long *out,
		       struct bp_stats *st)
{
	bool gap = row->gap && is_basalt();
	int differ = 0;
	char want[32], got_s[32];

	for (int kind = 0; kind < BP_KINDS; kind++) {
		int got;

		if (row->want[kind] == NA)
			continue;
		st->probes++;
		got = bp_probe(row, kind, out);
		if (bp_matches(row->want[kind], got))
			continue;
		differ++;
		bp_describe(row->want[kind], want, sizeof(want));
		bp_describe(got, got_s, sizeof(got_s));
		t_note("%s(%s = %s): got %s, Linux gives %s%s%s", row->call,
		       row->what, bp_kind_name[kind], got_s, want,
		       gap ? "; known gap: " : "", gap ? row->gap : "");
	}
	if (!gap) {
		st->differ += differ;
	} else if (differ) {
		st->gaps += differ;
	} else {
		t_note("%s(%s): answers as Linux now; remove the gap note "
		       "\"%s\"", row->call, row->what, row->gap);
		st->closed++;
	}
}

static void bp_run_rows(const struct bp_row *rows, size_t nrows,
			struct bp_stats *st)
{
	volatile long *out = (volatile long *)t_shared_ints();

	*st = (struct bp_stats){ 0 };
	for (size_t i = 0; i < nrows; i++)
		bp_run_row(&rows[i], out, st);
	munmap((void *)out, T_PAGE);
}

/* The distinct gap notes of the table, for the skip line. */
static const char *bp_gap_list(const struct bp_row *rows, size_t nrows)
{
	static char buf[512];
	size_t len = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < nrows; i++) {
		const char *gap = rows[i].gap;

		if (!gap || strstr(buf, gap) || len >= sizeof(buf) - 1)
			continue;
		len += snprintf(buf + len, sizeof(buf) - len, "%s%s",
				len ? "; " : "", gap);
	}
	return buf;
}

/*
 * The whole table: every probe must give Linux's answer. On Basalt the
 * table then runs a second time between two MemFree readings, which
 * must be equal (the first run warmed whatever the kernel keeps). Known
 * gaps make the case skip, with their notes, once nothing else failed.
 */
static void bp_check_table(const struct bp_row *rows, size_t nrows)
{
	struct bp_stats st;
	long before, after;

	bp_env_create();
	bp_run_rows(rows, nrows, &st);
	if (st.differ || st.closed) {
		bp_env_destroy();
		T_FAIL("%d of %d probes differ from Linux; %d gap notes to "
		       "remove", st.differ, st.probes, st.closed);
	}
	if (is_basalt()) {
		before = t_memfree_kb();
		bp_run_rows(rows, nrows, &st);
		after = t_memfree_kb();
		if (st.differ || st.closed || after != before) {
			bp_env_destroy();
			T_FAIL("second run: %d probes differ; MemFree %ld kB "
			       "before, %ld kB after", st.differ, before, after);
		}
	}
	bp_env_destroy();
	if (st.gaps)
		t_skip("%d of %d probes meet known gaps: %s", st.gaps,
		       st.probes, bp_gap_list(rows, nrows));
}

#define BP_TABLE_MAIN(rows)                                                \
	static void case_table(void)                                        \
	{                                                                   \
		bp_check_table(rows, sizeof(rows) / sizeof(rows[0]));       \
	}                                                                   \
	static const struct t_case cases[] = {                              \
		{ case_table, "table" },                                    \
	};                                                                  \
	int main(int argc, char **argv)                                     \
	{                                                                   \
		return T_RUN(argc, argv, cases);                            \
	}

#endif
