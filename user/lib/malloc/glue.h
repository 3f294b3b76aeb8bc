/*
 * glue.h - the one file of the allocator that knows where it runs.
 *
 * Everything else in user/lib/malloc/ is plain C over the few services
 * declared here: the program break, anonymous mappings, whether to lock,
 * a way to complain and die, and a secret. The lock itself is libbasalt's
 * futex lock (thread/lock.c, <basalt/lock.h>), which needs nothing but
 * raw system calls. Two environments use the same core unchanged (as
 * musl's mallocng does with its glue.h):
 *
 *   Linux ABI (the default)  raw system calls and the C library's abort()
 *                            and getauxval(): libbasalt itself (built with
 *                            -DLIBBASALT: it knows its threads, so the
 *                            lock is skipped while there is only one),
 *                            and the standalone library that `make
 *                            bench-malloc` links into glibc programs on
 *                            the host.
 *   UNIT_TEST                tests/unit/test_malloc.c: the memory services
 *                            are the test's own (a simulated break that can
 *                            be made to fail, mmap and munmap that count
 *                            bytes), so the core runs under ASan/UBSan and
 *                            the test can see every byte go back.
 *
 * The futex and the error output are real system calls everywhere, so the
 * lock is exercised by real threads in the host test and the benchmark.
 */
#ifndef BASALT_MALLOC_GLUE_H
#define BASALT_MALLOC_GLUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "../include/basalt/lock.h"

#define GLUE_PAGE	4096UL

static inline long glue_syscall(long nr, long a1, long a2, long a3, long a4,
				long a5, long a6)
{
	register long r10 __asm__("r10") = a4;
	register long r8 __asm__("r8") = a5;
	register long r9 __asm__("r9") = a6;
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(nr), "D"(a1), "S"(a2), "d"(a3), "r"(r10),
			   "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}

enum {
	GLUE_SYS_WRITE = 1, GLUE_SYS_MMAP = 9, GLUE_SYS_MUNMAP = 11,
	GLUE_SYS_BRK = 12, GLUE_SYS_MREMAP = 25, GLUE_SYS_MADVISE = 28,
};

/*
 * Whether the allocator's lock must be taken: in libbasalt, only while
 * the process has more than one thread (musl's rule: one lock, skipped
 * while single-threaded); in the benchmark's glibc programs, the same,
 * by glibc's own flag (it turns false before the first thread starts
 * and never back), so the benchmark measures what libbasalt does; in
 * the unit test, always, so that the lock is exercised.
 */
#ifdef LIBBASALT
#include "../internal/thread.h"

static inline bool glue_threaded(void)
{
	return __basalt_threaded();
}
#elif defined(UNIT_TEST)
static inline bool glue_threaded(void)
{
	return true;
}
#else
#include <sys/single_threaded.h>

static inline bool glue_threaded(void)
{
	return !__libc_single_threaded;
}
#endif

/*
 * Arranges for fn to run when the calling thread ends, to give back or
 * abandon its pages (small.c). libbasalt's thread_exit calls it itself
 * (__malloc_thread_end); glibc's threads, on the host, run it as the
 * destructor of a thread-specific key.
 */
#ifdef LIBBASALT
static inline void glue_watch_thread(void (*fn)(void))
{
	(void)fn;
}
#else
#include <pthread.h>

static pthread_key_t glue_thread_key;

static __attribute__((unused)) void glue_thread_ends(void *fn)
{
	((void (*)(void))fn)();
}

static __attribute__((unused)) void glue_make_key(void)
{
	pthread_key_create(&glue_thread_key, glue_thread_ends);
}

static inline void glue_watch_thread(void (*fn)(void))
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	pthread_once(&once, glue_make_key);
	pthread_setspecific(glue_thread_key, (void *)fn);
}
#endif

/* Writes an error message to standard error, without stdio or malloc. */
static inline void glue_write_error(const char *s, size_t len)
{
	glue_syscall(GLUE_SYS_WRITE, 2, (long)s, (long)len, 0, 0, 0);
}

/* Ends the process after a detected heap error. */
static inline _Noreturn void glue_abort(void)
{
	abort();
}

#ifdef UNIT_TEST
/* Provided by tests/unit/test_malloc.c. */
void *glue_brk(void *want);
void *glue_mmap(size_t len);
void glue_munmap(void *addr, size_t len);
void *glue_mremap(void *addr, size_t old_len, size_t new_len);
void *glue_reserve(size_t len);
void glue_discard(void *addr, size_t len);
size_t glue_secret(void);
#else
#include <sys/auxv.h>

/*
 * Moves the break to want (0: just asks) and returns the break after the
 * call: the old one when the kernel refused, as the raw brk call does.
 */
static inline void *glue_brk(void *want)
{
	return (void *)glue_syscall(GLUE_SYS_BRK, (long)want, 0, 0, 0, 0, 0);
}

static inline bool glue_failed(long r)
{
	return (unsigned long)r > -4096UL;
}

/* len bytes of fresh zeroed memory, or NULL. */
static inline void *glue_mmap(size_t len)
{
	long r = glue_syscall(GLUE_SYS_MMAP, 0, (long)len,
			      3 /* PROT_READ|PROT_WRITE */,
			      0x22 /* MAP_PRIVATE|MAP_ANONYMOUS */, -1, 0);
	return glue_failed(r) ? NULL : (void *)r;
}

static inline void glue_munmap(void *addr, size_t len)
{
	glue_syscall(GLUE_SYS_MUNMAP, (long)addr, (long)len, 0, 0, 0, 0);
}

/* Grows or shrinks a mapping, moving it if needed; NULL when impossible. */
static inline void *glue_mremap(void *addr, size_t old_len, size_t new_len)
{
	long r = glue_syscall(GLUE_SYS_MREMAP, (long)addr, (long)old_len,
			      (long)new_len, 1 /* MREMAP_MAYMOVE */, 0, 0);
	return glue_failed(r) ? NULL : (void *)r;
}

/*
 * len bytes of address space for the size-class pages: readable and
 * writable, but nothing is taken until touched, and, being
 * MAP_NORESERVE, nothing is counted against overcommit. NULL if refused.
 */
static inline void *glue_reserve(size_t len)
{
	long r = glue_syscall(GLUE_SYS_MMAP, 0, (long)len,
			      3 /* PROT_READ|PROT_WRITE */,
			      0x4022 /* MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE */,
			      -1, 0);
	return glue_failed(r) ? NULL : (void *)r;
}

/* Gives the memory of [addr, addr + len) back; it reads as zeros after. */
static inline void glue_discard(void *addr, size_t len)
{
	glue_syscall(GLUE_SYS_MADVISE, (long)addr, (long)len,
		     4 /* MADV_DONTNEED */, 0, 0, 0);
}

/* Per-process random bits from the kernel (AT_RANDOM), for header checks. */
static inline size_t glue_secret(void)
{
	const unsigned char *r = (const unsigned char *)getauxval(AT_RANDOM);
	size_t s = 0;

	if (r)
		memcpy(&s, r + 8, sizeof(s));	/* glibc uses the first 8 */
	return s;
}
#endif

#endif
