/*
 * maptest.h - helpers shared by the memory-mapping tests (filemap, shmopen,
 * procmaps, mremap, mfile, memfd): fault probes and files with a known
 * pattern.
 *
 * The tests need more than "the child died of SIGSEGV": SIGBUS past the
 * end of a file must carry si_code BUS_ADRERR and the exact faulting
 * address. A probe installs SA_SIGINFO handlers for SIGSEGV and SIGBUS,
 * makes the access under sigsetjmp, and the handler records the siginfo
 * and siglongjmps back (restoring the signal mask), so one case can probe
 * many addresses.
 *
 * Test files hold pat(offset) at every offset: never zero (so a page that
 * reads as zeros is told apart from file data), different in every page.
 * They are made in /tmp and unlinked at once unless the caller asks for the
 * path, so a case that fails leaves nothing behind.
 *
 * Not in lib/: the harness there is also built against libbasalt, which
 * has no sigsetjmp. Everything is static; include it once per test, after
 * t.h.
 */
#ifndef BASALT_TESTS_MAPTEST_H
#define BASALT_TESTS_MAPTEST_H

#include "t.h"

#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define RW (PROT_READ | PROT_WRITE)

/* What the last probe that faulted caught. */
struct probe_fault {
	int sig;	/* SIGSEGV or SIGBUS */
	int code;	/* si_code: SEGV_MAPERR, BUS_ADRERR, ... */
	void *addr;	/* si_addr */
};

static struct probe_fault probe_last;
static sigjmp_buf probe_env;

static void probe_handler(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	probe_last.sig = sig;
	probe_last.code = si->si_code;
	probe_last.addr = si->si_addr;
	siglongjmp(probe_env, 1);
}

/*
 * Reads (value < 0) or writes (value = 0..255) the byte at addr. Returns 0
 * if the access worked, else the signal it raised (details in probe_last).
 */
static inline int probe_access(volatile char *addr, int value)
{
	struct sigaction sa, old_segv, old_bus;
	volatile int sig = 0;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = probe_handler;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGSEGV, &sa, &old_segv);
	sigaction(SIGBUS, &sa, &old_bus);
	memset(&probe_last, 0, sizeof(probe_last));
	if (sigsetjmp(probe_env, 1) == 0) {
		if (value < 0)
			(void)*addr;
		else
			*addr = (char)value;
	} else {
		sig = probe_last.sig;
	}
	sigaction(SIGSEGV, &old_segv, NULL);
	sigaction(SIGBUS, &old_bus, NULL);
	return sig;
}

static inline int probe_read(const void *addr)
{
	return probe_access((volatile char *)addr, -1);
}

static inline int probe_write(void *addr, char value)
{
	return probe_access((volatile char *)addr, (unsigned char)value);
}

/* The byte every test file holds at offset off: 1..250, never 0. */
static inline char pat(size_t off)
{
	return (char)(1 + (off / T_PAGE * 31 + off % 251) % 250);
}

/*
 * The checks below report the caller's file and line (they are macros
 * around the _at functions), so a failure points into the case.
 */

/* Fails the case unless p[0..len) holds the file pattern from offset off. */
#define check_pat(p, off, len) check_pat_at(__FILE__, __LINE__, (p), (off), (len))
static inline void check_pat_at(const char *file, int line, const void *p,
				size_t off, size_t len)
{
	const volatile char *c = p;

	for (size_t i = 0; i < len; i++)
		if (c[i] != pat(off + i))
			t_fail_at(file, line, "byte %zu at %p is %#x, want file byte %#x",
				  i, (void *)(c + i), (unsigned char)c[i],
				  (unsigned char)pat(off + i));
}

/* Fails the case unless p[0..len) all hold byte v. */
#define check_bytes(p, len, v) check_bytes_at(__FILE__, __LINE__, (p), (len), (v))
static inline void check_bytes_at(const char *file, int line, const void *p,
				  size_t len, char v)
{
	const volatile char *c = p;

	for (size_t i = 0; i < len; i++)
		if (c[i] != v)
			t_fail_at(file, line, "byte %zu at %p is %#x, want %#x", i,
				  (void *)(c + i), (unsigned char)c[i],
				  (unsigned char)v);
}

/* A probe of addr must raise sig with si_code code and si_addr addr. */
#define check_fault(addr, value, sig, code) \
	check_fault_at(__FILE__, __LINE__, (addr), (value), (sig), (code))
static inline void check_fault_at(const char *file, int line, void *addr,
				  int value, int sig, int code)
{
	int got = probe_access(addr, value);
	const char *what = value < 0 ? "read" : "write";

	if (got != sig || probe_last.code != code || probe_last.addr != addr)
		t_fail_at(file, line, "%s at %p: got signal %d code %d addr %p, "
			  "want signal %d code %d addr %p", what, addr, got,
			  probe_last.code, probe_last.addr, sig, code, addr);
}

static inline void fill_bytes(void *p, size_t len, char v)
{
	for (size_t i = 0; i < len; i++)
		((volatile char *)p)[i] = v;
}

/*
 * Creates /tmp/map-TAG-PID holding size bytes of the pattern and returns
 * an O_RDWR descriptor. With path non-NULL (64 bytes) the file is kept and
 * its name stored there; otherwise it is unlinked at once.
 */
static inline int make_file(const char *tag, size_t size, char *path)
{
	static char chunk[T_PAGE];
	char name[64];

	snprintf(name, sizeof(name), "/tmp/map-%s-%d", tag, (int)getpid());
	int fd = CHECK_OK(open(name, O_RDWR | O_CREAT | O_TRUNC, 0644));
	if (path)
		strcpy(path, name);
	else
		CHECK_OK(unlink(name));
	for (size_t off = 0; off < size; off += T_PAGE) {
		size_t n = size - off < T_PAGE ? size - off : T_PAGE;
		for (size_t i = 0; i < n; i++)
			chunk[i] = pat(off + i);
		CHECK_EQ(pwrite(fd, chunk, n, (off_t)off), (long)n);
	}
	return fd;
}

/* mmap that must succeed. */
#define map_fd(len, prot, flags, fd, off) \
	map_fd_at(__FILE__, __LINE__, (len), (prot), (flags), (fd), (off))
static inline char *map_fd_at(const char *file, int line, size_t len, int prot,
			      int flags, int fd, off_t off)
{
	char *p = mmap(NULL, len, prot, flags, fd, off);

	if (p == MAP_FAILED)
		t_fail_at(file, line,
			  "mmap(len %zu, prot %#x, flags %#x, fd %d, off %#lx): errno %s",
			  len, prot, flags, fd, (long)off, t_errname(errno));
	return p;
}

/* The byte at off as read(2) sees it; -1 past the end of the file. */
static inline int file_byte(int fd, off_t off)
{
	char c;
	long n = CHECK_OK(pread(fd, &c, 1, off));

	return n == 1 ? (unsigned char)c : -1;
}

static inline off_t file_size(int fd)
{
	struct stat st;

	CHECK_OK(fstat(fd, &st));
	return st.st_size;
}

/*
 * Parent and child each add 1000 to an int in the first page of fd,
 * mapped MAP_SHARED by the parent before fork (the child inherits it),
 * one after the other; the total must be 2000 through the mapping and
 * through read(2). fd must be at least a page long.
 */
static inline void check_counter_shared_by_fork(int fd)
{
	volatile int *flag = t_shared_ints();
	volatile int *counter = (volatile int *)map_fd(T_PAGE,
			PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	int got = 0;
	pid_t pid;

	CHECK_EQ(*counter, 0);
	pid = t_fork();
	if (pid == 0) {
		for (int i = 0; i < 1000; i++)
			(*counter)++;
		t_post(flag, 1);
		_exit(0);
	}
	t_await(flag, 1);
	for (int i = 0; i < 1000; i++)
		(*counter)++;
	CHECK_EXITED(t_wait(pid), 0);
	CHECK_EQ(*counter, 2000);
	CHECK_EQ(pread(fd, &got, sizeof(got), 0), (long)sizeof(got));
	CHECK_EQ(got, 2000);
	CHECK_OK(munmap((void *)counter, T_PAGE));
}

#endif
