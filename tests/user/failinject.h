/*
 * failinject.h - the machinery of the fault-injection tests
 * (failinject*.c; docs/security.md, "Failure paths (fault injection)").
 *
 * Basalt booted with "fault_inject" (the test boots are) has
 * /proc/self/fail-nth: writing N makes the calling thread's Nth
 * allocation inside a system call fail, once; the file then reads the
 * allocations still to go, 0 once the failure has happened. An operation
 * (one or a few system calls, in `act`) is walked by arming N = 1, 2, 3,
 * ... until it gets through with the countdown unspent: every allocation
 * it makes has then failed once. Each attempt must either succeed or
 * fail with an errno the operation allows (ENOMEM, EAGAIN, ...), and
 * after its `undo` both MemFree and the bytes of live kmalloc objects
 * (/proc/fault_inject, there with the switch too) must be exactly where
 * they were: a failure path that forgets a page or a 16-byte object is
 * caught at the attempt that leaks it.
 *
 * These tests are Basalt-only by nature: Linux (Debian's kernel has no
 * CONFIG_FAULT_INJECTION) and a Basalt booted without the switch have no
 * fail-nth, and the cases skip. Linux keeps the file as
 * /proc/thread-self/fail-nth, with the same meaning.
 *
 * What an attempt's act writes into memory it must have written once
 * before arming (user memory first touched by the kernel inside the
 * armed call would count a page fault against the countdown, and the
 * call could fail with EFAULT); the states below are static and touched
 * by the warm-up run. Everything is static; include it once, after t.h.
 */
#ifndef BASALT_TESTS_FAILINJECT_H
#define BASALT_TESTS_FAILINJECT_H

#define _GNU_SOURCE
#include "t.h"

#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define FI_MAX 4000		/* more allocations than any walk makes */

static int fi_fd = -1;		/* this process's /proc/self/fail-nth */

/* Opens this process's fail-nth, or skips the case if there is none. */
static void fi_open(void)
{
	if (fi_fd >= 0)
		close(fi_fd);
	fi_fd = open("/proc/self/fail-nth", O_RDWR);
	if (fi_fd >= 0)
		return;
	if (is_basalt())
		t_skip("no /proc/self/fail-nth: Basalt was booted without "
		       "fault_inject");
	t_skip("no /proc/self/fail-nth: fault injection is Basalt's here "
	       "(Debian's Linux has no CONFIG_FAULT_INJECTION)");
}

/* Sets the countdown (0 disarms); raw calls only, nothing allocated. */
static void fi_arm(unsigned int n)
{
	char buf[16];
	int len = snprintf(buf, sizeof(buf), "%u", n);

	if (t_raw(SYS_write, fi_fd, buf, len) != len)
		T_FAIL("writing %u to fail-nth failed: %s", n,
		       t_errname((int)-t_raw(SYS_write, fi_fd, buf, len)));
}

/* The allocations still to go before the injected failure; 0 once done. */
static unsigned int fi_left(void)
{
	char buf[16] = { 0 };

	if (t_raw(SYS_pread64, fi_fd, buf, sizeof(buf) - 1, 0) <= 0)
		T_FAIL("reading fail-nth failed");
	return (unsigned int)strtoul(buf, NULL, 10);
}

/* What /proc/fault_inject says for key (kmalloc_bytes, ...). */
static long fi_counter(const char *key)
{
	static char buf[512];	/* static: the reading must not allocate */
	ssize_t n;
	int fd = open("/proc/fault_inject", O_RDONLY | O_CLOEXEC);
	char *line;

	if (fd < 0)
		T_FAIL("open /proc/fault_inject: errno %s", t_errname(errno));
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	line = strstr(buf, key);
	if (!line)
		T_FAIL("no %s in /proc/fault_inject", key);
	return strtol(line + strlen(key), NULL, 10);
}

/* The kernel's memory as a leak test compares it. */
struct fi_mem {
	long free_kb;		/* MemFree */
	long kmalloc_bytes;	/* live kmalloc objects, by size class */
};

static struct fi_mem fi_mem_now(void)
{
	struct fi_mem m;

	m.kmalloc_bytes = fi_counter("kmalloc_bytes ");
	m.free_kb = t_memfree_kb();
	return m;
}

/* Fails the case if memory is not back where it was before what. */
static void fi_mem_check(const struct fi_mem *start, const char *what,
			 unsigned int n)
{
	struct fi_mem now = fi_mem_now();

	if (now.free_kb != start->free_kb ||
	    now.kmalloc_bytes != start->kmalloc_bytes)
		T_FAIL("%s: after allocation %u failed, MemFree %+ld kB and "
		       "kmalloc %+ld bytes against the start", what, n,
		       now.free_kb - start->free_kb,
		       now.kmalloc_bytes - start->kmalloc_bytes);
}

/*
 * An operation under test. setup (if any) prepares what act needs,
 * disarmed; act makes the calls and returns 0 or the first failing
 * call's -errno; undo releases whatever setup and act made (disarmed,
 * after every attempt). allowed lists the errnos a failed allocation may
 * surface as (0-terminated; ENOMEM if empty).
 */
struct fi_op {
	const char *name;
	long (*act)(void);
	void (*undo)(void);
	int allowed[4];
	void (*setup)(void);
};

static bool fi_allowed(const struct fi_op *op, int err)
{
	if (!op->allowed[0])
		return err == ENOMEM;
	for (int i = 0; i < 4 && op->allowed[i]; i++)
		if (op->allowed[i] == err)
			return true;
	return false;
}

/* One attempt with the countdown at n: true once the countdown was left
 * unspent (op made fewer than n allocations and must have succeeded). */
static bool fi_attempt(const struct fi_op *op, unsigned int n)
{
	long r;
	unsigned int left;

	if (op->setup)
		op->setup();
	fi_arm(n);
	r = op->act();
	left = fi_left();
	fi_arm(0);
	op->undo();
	if (left > 0 && r != 0)
		T_FAIL("%s failed with %s with no failure injected", op->name,
		       t_errname((int)-r));
	if (r != 0 && !fi_allowed(op, (int)-r))
		T_FAIL("%s: allocation %u failed, and the call said %s",
		       op->name, n, t_errname((int)-r));
	return left > 0;
}

/*
 * Walks op: every allocation it makes fails once, and after each attempt
 * MemFree is back where it started. Notes how many were injected.
 */
static void fi_walk(const struct fi_op *op)
{
	struct fi_mem start;
	unsigned int n;

	fi_open();
	/* Warm up: what a first run leaves for good (slabs, dentries). */
	if (op->setup)
		op->setup();
	CHECK_EQ(op->act(), 0);
	op->undo();
	start = fi_mem_now();
	for (n = 1; n <= FI_MAX; n++) {
		bool done = fi_attempt(op, n);

		fi_mem_check(&start, op->name, n);
		if (done)
			break;
	}
	if (n > FI_MAX)
		T_FAIL("%s: more than %d allocations", op->name, FI_MAX);
	if (n == 1)
		T_FAIL("%s allocated nothing: the walk tested nothing",
		       op->name);
	t_note("%s: %u allocation%s failed in turn, each cleanly", op->name,
	       n - 1, n == 2 ? "" : "s");
}

/* An operation and the case that walks it: FI_OP(id, .name = ..., ...). */
#define FI_OP(id, ...)                                                     \
	static const struct fi_op op_##id = { __VA_ARGS__ };               \
	static void case_##id(void) { fi_walk(&op_##id); }

#endif
