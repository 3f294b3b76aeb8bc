/*
 * badptr_proc.c - bad pointers in the process calls: creating, running
 * and reaping processes, futexes, identities, limits and the system's
 * own description (see badptr.h).
 *
 * Linux facts the rows record:
 * - clone's tid pointers and tls are stored or written without a check
 *   that can fail the call (a write to a bad address is dropped), except
 *   that a TLS base in the kernel half is EPERM; a bad child stack only
 *   hurts the child. The probes' children exit at once, in assembly,
 *   before they could touch either.
 * - execve copies the path, then argv and envp, before it looks at the
 *   program: with a valid call that ends in ENOEXEC (x is not a program),
 *   every bad pointer is EFAULT; a NULL argv or envp is an empty list.
 * - wait4 and waitid reap the child and then fail to write the status.
 * - A private FUTEX_WAKE never reads the word: only the kernel half
 *   fails. FUTEX_WAIT reads the timeout before the word.
 * - set_robust_list and set_tid_address only store their pointer.
 * - A sigreturn from a frame that cannot be read kills with SIGSEGV.
 * - prctl(PR_SET_NAME) reads at most 15 bytes, so a name straddling the
 *   end of a mapping faults once it reaches the gap.
 */
#include "badptr.h"

#include <sys/utsname.h>


#define ARCH_SET_GS 0x1001
#define ARCH_SET_FS 0x1002
#define ARCH_GET_FS 0x1003
#define ARCH_GET_GS 0x1004

static uint32_t futex_word = 1;
static long ts_short[2] = { 0, 1 };	/* 1 ns */
static char *argv_env[2];
static uint64_t cargs[11];		/* struct clone_args, version 2 */
static struct {
	uint64_t val, uaddr;
	uint32_t flags, reserved;
} waitv;

/* A raw clone (or clone3) whose child exits at once, touching no memory. */
static long clone_invoke(struct bp_call *c)
{
	register long r10 __asm__("r10") = c->a[3];
	register long r8 __asm__("r8") = c->a[4];
	long nr = c->a[5], ret;

	__asm__ volatile("syscall\n\t"
			 "test %%rax, %%rax\n\t"
			 "jnz 1f\n\t"
			 "mov $60, %%eax\n\t"
			 "xor %%edi, %%edi\n\t"
			 "syscall\n"
			 "1:"
			 : "=a"(ret)
			 : "a"(nr), "D"(c->a[0]), "S"(c->a[1]), "d"(c->a[2]),
			   "r"(r10), "r"(r8)
			 : "rcx", "r11", "memory");
	if (ret > 0)
		waitpid((pid_t)ret, NULL, __WALL);
	return ret;
}

static void s_clone(struct bp_call *c, long flags)
{
	static int tid;
	long fs = 0;

	t_raw(SYS_arch_prctl, ARCH_GET_FS, &fs);
	c->a[0] = flags | SIGCHLD;
	c->a[2] = (long)&tid;
	c->a[3] = (long)&tid;
	c->a[4] = fs;
	c->a[5] = SYS_clone;
	c->invoke = clone_invoke;
}
static void s_clone_stack(struct bp_call *c) { s_clone(c, 0); }
static void s_clone_ptid(struct bp_call *c) { s_clone(c, CLONE_PARENT_SETTID); }
static void s_clone_ctid(struct bp_call *c) { s_clone(c, CLONE_CHILD_SETTID); }
static void s_clone_clear(struct bp_call *c) { s_clone(c, CLONE_CHILD_CLEARTID); }
static void s_clone_tls(struct bp_call *c) { s_clone(c, CLONE_SETTLS); }

static void s_clone3(struct bp_call *c, long flags)
{
	static int tid;

	cargs[0] = flags;
	cargs[2] = cargs[3] = (uint64_t)&tid;
	cargs[4] = SIGCHLD;
	c->a[0] = (long)cargs;
	c->a[1] = 88;
	c->a[5] = SYS_clone3;
	c->invoke = clone_invoke;
}
static void s_clone3_args(struct bp_call *c) { s_clone3(c, 0); }
static void s_clone3_ptid(struct bp_call *c)
{
	s_clone3(c, CLONE_PARENT_SETTID);
	c->slot = (void **)&cargs[3];
}
static void s_clone3_ctid(struct bp_call *c)
{
	s_clone3(c, CLONE_CHILD_SETTID);
	c->slot = (void **)&cargs[2];
}

static void s_execve(struct bp_call *c)
{
	argv_env[0] = "x";
	c->a[0] = (long)"x";
	c->a[1] = (long)argv_env;
	c->a[2] = (long)argv_env;
}
static void s_execve_argv0(struct bp_call *c)
{
	s_execve(c);
	c->slot = (void **)&argv_env[0];
}

/* A child that has exited, to be reaped by the call. */
static void s_wait4(struct bp_call *c)
{
	pid_t pid = t_fork();

	if (pid == 0)
		_exit(0);
	c->a[0] = pid;
	c->a[1] = (long)bp_buf;
	c->a[3] = (long)bp_buf2;
}
static void s_waitid(struct bp_call *c)
{
	pid_t pid = t_fork();

	if (pid == 0)
		_exit(0);
	c->a[0] = P_PID;
	c->a[1] = pid;
	c->a[2] = (long)bp_buf;
	c->a[3] = WEXITED;
	c->a[4] = (long)bp_buf2;
}

static void s_futex_wait(struct bp_call *c)
{
	c->a[0] = (long)&futex_word;
	c->a[1] = FUTEX_WAIT_PRIVATE;
	c->a[2] = 0;			/* the word is 1: EAGAIN */
	c->a[3] = (long)ts_short;
}
static void s_futex_wake(struct bp_call *c)
{
	c->a[0] = (long)&futex_word;
	c->a[1] = FUTEX_WAKE_PRIVATE;
	c->a[2] = 1;
}
static void s_futex_wake_op(struct bp_call *c)
{
	s_futex_wake(c);
	c->a[1] = FUTEX_WAKE_OP_PRIVATE;
	c->a[3] = 1;
	c->a[4] = (long)bp_buf;
	c->a[5] = FUTEX_OP(FUTEX_OP_SET, 0, FUTEX_OP_CMP_EQ, 0);
}
static void s_futex_waitv(struct bp_call *c)
{
	waitv.val = 0;			/* the word is 1: EAGAIN */
	waitv.uaddr = (uint64_t)&futex_word;
	waitv.flags = 2 | 128;		/* FUTEX2_SIZE_U32 | FUTEX2_PRIVATE */
	c->a[0] = (long)&waitv;
	c->a[1] = 1;
	c->a[3] = (long)ts_short;
	c->a[4] = CLOCK_MONOTONIC;
	clock_gettime(CLOCK_MONOTONIC, (struct timespec *)ts_short);
}
static void s_futex_waitv_uaddr(struct bp_call *c)
{
	s_futex_waitv(c);
	c->slot = (void **)&waitv.uaddr;
}

static void s_robust(struct bp_call *c)
{
	c->a[1] = (long)bp_buf;
	c->a[2] = (long)bp_buf2;
}
static void s_set_robust(struct bp_call *c) { c->a[1] = 24; }
static void s_one(struct bp_call *c) { c->a[0] = (long)bp_buf; }
static void s_three(struct bp_call *c)
{
	c->a[0] = (long)bp_buf;
	c->a[1] = (long)bp_buf + 8;
	c->a[2] = (long)bp_buf + 16;
}
static void s_groups(struct bp_call *c)
{
	gid_t g[2] = { 1, 2 };

	CHECK_OK(setgroups(2, g));
	c->a[0] = 64;
	c->a[1] = (long)bp_buf;
	memcpy(bp_buf, g, sizeof(g));
}
static void s_setgroups(struct bp_call *c)
{
	s_groups(c);
	c->a[0] = 2;
}
static void s_rlimit(struct bp_call *c)
{
	CHECK_OK(getrlimit(RLIMIT_NOFILE, (struct rlimit *)bp_buf));
	c->a[0] = RLIMIT_NOFILE;
	c->a[1] = (long)bp_buf;
}
/* The caller's own CPU mask, 8 bytes: CPU 0. */
static void s_affinity(struct bp_call *c)
{
	*(unsigned long *)bp_buf = 1;
	c->a[0] = 0;
	c->a[1] = 8;
	c->a[2] = (long)bp_buf;
}
static void s_prlimit(struct bp_call *c)
{
	CHECK_OK(getrlimit(RLIMIT_NOFILE, (struct rlimit *)bp_buf));
	c->a[1] = RLIMIT_NOFILE;
	c->a[2] = (long)bp_buf;
	c->a[3] = (long)bp_buf2;
}
/* The name the machine has now, so a call that went through would change
 * nothing. It is longer than the 2 bytes a straddle leaves before the
 * end ("(none)" on both kernels, unless set). */
static void s_uts(struct bp_call *c, int field)
{
	static char uts[6][65];

	CHECK_OK(uname((struct utsname *)uts));
	if (strlen(uts[field]) < 3)
		T_FAIL("uts field %d \"%s\" is too short to straddle", field,
		       uts[field]);
	c->a[0] = (long)uts[field];
	c->a[1] = (long)strlen(uts[field]);
}
static void s_sethostname(struct bp_call *c) { s_uts(c, 1); }
static void s_setdomainname(struct bp_call *c) { s_uts(c, 5); }

static void s_getrandom(struct bp_call *c)
{
	c->a[0] = (long)bp_buf;
	c->a[1] = 16;
}

/* SYSLOG_ACTION_READ_ALL of a page: the log is longer than that on both
 * kernels by the time the tests run, so every byte is written. */
static void s_syslog(struct bp_call *c)
{
	c->a[0] = 3;
	c->a[1] = (long)bp_buf;
	c->a[2] = 4096;
}

/* ARCH_SET_FS moves the C library's thread pointer: set, then put back. */
static long set_fs_invoke(struct bp_call *c)
{
	long old = 0, r;

	t_raw(SYS_arch_prctl, ARCH_GET_FS, &old);
	r = t_raw(SYS_arch_prctl, c->a[0], c->a[1]);
	t_raw(SYS_arch_prctl, ARCH_SET_FS, old);
	return r;
}
static void s_arch(struct bp_call *c, long option)
{
	c->a[0] = option;
	c->a[1] = (long)bp_buf;
	c->invoke = option == ARCH_SET_FS ? set_fs_invoke : NULL;
}
static void s_set_fs(struct bp_call *c) { s_arch(c, ARCH_SET_FS); }

static void s_prctl(struct bp_call *c, long option)
{
	c->a[0] = option;
	c->a[1] = (long)bp_buf;
}
static void s_pr_set_name(struct bp_call *c)
{
	strcpy(bp_buf, "badptr");
	s_prctl(c, 15 /* PR_SET_NAME */);
}
static void s_pr_get_name(struct bp_call *c) { s_prctl(c, 16); }
static void s_pr_get_pdeathsig(struct bp_call *c) { s_prctl(c, 2); }
static void s_pr_get_subreaper(struct bp_call *c) { s_prctl(c, 37); }
static void s_get_fs(struct bp_call *c) { s_arch(c, ARCH_GET_FS); }
static void s_set_gs(struct bp_call *c) { s_arch(c, ARCH_SET_GS); }
static void s_get_gs(struct bp_call *c) { s_arch(c, ARCH_GET_GS); }

/* rt_sigreturn reads its frame at the stack pointer: a bad one. */
static long sigreturn_invoke(struct bp_call *c)
{
	__asm__ volatile("mov %0, %%rsp\n\t"
			 "syscall"
			 :
			 : "r"(c->a[0]), "a"((long)SYS_rt_sigreturn)
			 : "memory");
	return -1;	/* not reached: the frame is bad */
}
static void s_sigreturn(struct bp_call *c) { c->invoke = sigreturn_invoke; }

#define OUT(name, arg, what, size, setup)                                  \
	BP_ROW(name, arg, what, size, setup, EF, EF, EF, EF)
#define STORED(name, arg, what, setup)                                     \
	BP_ROW(name, arg, what, 8, setup, OK, OK, OK, OK)

static const struct bp_row rows[] = {
	STORED(clone, 1, "stack", s_clone_stack),
	STORED(clone, 2, "parent_tid", s_clone_ptid),
	STORED(clone, 3, "child_tid (SETTID)", s_clone_ctid),
	STORED(clone, 3, "child_tid (CLEARTID)", s_clone_clear),
	BP_ROW(clone, 4, "tls", 8, s_clone_tls, OK, OK, EPERM, NA),
	OUT(clone3, 0, "args", 88, s_clone3_args),
	STORED(clone3, 0, "args->parent_tid", s_clone3_ptid),
	STORED(clone3, 0, "args->child_tid", s_clone3_ctid),
	BP_ROW(execve, 0, "path", BP_STRING, s_execve, EF, EF, EF, EF),
	BP_ROW(execve, 1, "argv", 16, s_execve, ENOEXEC, EF, EF, EF),
	BP_ROW(execve, 2, "envp", 16, s_execve, ENOEXEC, EF, EF, EF),
	BP_ROW(execve, 1, "argv[0]", BP_STRING, s_execve_argv0,
	       ENOEXEC, EF, EF, EF),
	BP_ROW(wait4, 1, "wstatus", 4, s_wait4, OK, EF, EF, EF),
	BP_ROW(wait4, 3, "rusage", 144, s_wait4, OK, EF, EF, EF),
	/* waitid writes the first 28 bytes of the siginfo, field by field. */
	BP_ROW(waitid, 2, "infop", 32, s_waitid, OK, EF, EF, EF),
	BP_ROW(waitid, 4, "rusage", 144, s_waitid, OK, EF, EF, EF),
	BP_ROW(futex, 0, "uaddr, FUTEX_WAIT", 4, s_futex_wait, EF, EF, EF, NA),
	BP_ROW(futex, 3, "timeout", 16, s_futex_wait, EAGAIN, EF, EF, EF),
	BP_ROW(futex, 0, "uaddr, FUTEX_WAKE", 4, s_futex_wake,
	       RET(0), RET(0), EF, NA),
	BP_ROW(futex, 4, "uaddr2, FUTEX_WAKE_OP", 4, s_futex_wake_op,
	       EF, EF, EF, NA),
	BP_ROW(futex_waitv, 0, "waiters", 24, s_futex_waitv,
	       EINVAL, EF, EF, EF),
	BP_ROW(futex_waitv, 0, "waiters[0].uaddr", 4, s_futex_waitv_uaddr,
	       EF, EF, EF, NA),
	BP_ROW(futex_waitv, 3, "timeout", 16, s_futex_waitv,
	       EAGAIN, EF, EF, EF),
	OUT(get_robust_list, 1, "head_ptr", 8, s_robust),
	OUT(get_robust_list, 2, "len_ptr", 8, s_robust),
	STORED(set_robust_list, 0, "head", s_set_robust),
	STORED(set_tid_address, 0, "tidptr", s_one),
	OUT(getgroups, 1, "list", 8, s_groups),
	OUT(setgroups, 1, "list", 8, s_setgroups),
	OUT(getresuid, 0, "ruid", 4, s_three),
	OUT(getresuid, 1, "euid", 4, s_three),
	OUT(getresuid, 2, "suid", 4, s_three),
	OUT(getresgid, 0, "rgid", 4, s_three),
	OUT(getresgid, 1, "egid", 4, s_three),
	OUT(getresgid, 2, "sgid", 4, s_three),
	OUT(getrlimit, 1, "rlim", 16, s_rlimit),
	OUT(setrlimit, 1, "rlim", 16, s_rlimit),
	OUT(sched_getaffinity, 2, "mask", 8, s_affinity),
	OUT(sched_setaffinity, 2, "mask", 8, s_affinity),
	/* getcpu: either pointer may be NULL (nothing stored there). */
	BP_ROW(getcpu, 0, "cpu", 4, s_three, OK, EF, EF, EF),
	BP_ROW(getcpu, 1, "node", 4, s_three, OK, EF, EF, EF),
	BP_ROW(prlimit64, 2, "new_limit", 16, s_prlimit, OK, EF, EF, EF),
	BP_ROW(prlimit64, 3, "old_limit", 16, s_prlimit, OK, EF, EF, EF),
	OUT(uname, 0, "buf", 390, s_one),
	OUT(sethostname, 0, "name", 4, s_sethostname),
	OUT(setdomainname, 0, "name", 4, s_setdomainname),
	OUT(sysinfo, 0, "info", 112, s_one),
	BP_ROW(getrandom, 0, "buf", 16, s_getrandom, EF, EF, EF, RET(8)),
	BP_ROW(syslog, 1, "buf (READ_ALL)", 4096, s_syslog, EINVAL, EF, EF,
	       NA),
	BP_ROW(arch_prctl, 1, "ARCH_SET_FS base", 8, s_set_fs,
	       OK, OK, EPERM, NA),
	BP_ROW(arch_prctl, 1, "ARCH_SET_GS base", 8, s_set_gs,
	       OK, OK, EPERM, NA),
	OUT(arch_prctl, 1, "ARCH_GET_FS", 8, s_get_fs),
	OUT(arch_prctl, 1, "ARCH_GET_GS", 8, s_get_gs),
	OUT(prctl, 1, "PR_SET_NAME name", 16, s_pr_set_name),
	OUT(prctl, 1, "PR_GET_NAME name", 16, s_pr_get_name),
	OUT(prctl, 1, "PR_GET_PDEATHSIG sig", 4, s_pr_get_pdeathsig),
	OUT(prctl, 1, "PR_GET_CHILD_SUBREAPER flag", 4, s_pr_get_subreaper),
	BP_ROW(rt_sigreturn, 0, "frame (the stack pointer)", 64, s_sigreturn,
	       SIG(SIGSEGV), SIG(SIGSEGV), SIG(SIGSEGV), SIG(SIGSEGV)),
};

BP_NONE_LIST = {
	BP_NONE(fork, "no arguments"),
	BP_NONE(vfork, "no arguments"),
	BP_NONE(exit, "a status only; and it does not return"),
	BP_NONE(exit_group, "a status only; and it does not return"),
	BP_NONE(reboot, "excluded: as root a valid call powers the "
			"machine off, so its pointer cannot be probed alone"),
	BP_NONE(getpid, "no arguments"),
	BP_NONE(getppid, "no arguments"),
	BP_NONE(gettid, "no arguments"),
	BP_NONE(getuid, "no arguments"),
	BP_NONE(geteuid, "no arguments"),
	BP_NONE(getgid, "no arguments"),
	BP_NONE(getegid, "no arguments"),
	BP_NONE(getpgrp, "no arguments"),
	BP_NONE(getpgid, "a pid only"),
	BP_NONE(getsid, "a pid only"),
	BP_NONE(setpgid, "pids only"),
	BP_NONE(setsid, "no arguments"),
	BP_NONE(setuid, "an id only"),
	BP_NONE(setgid, "an id only"),
	BP_NONE(setreuid, "ids only"),
	BP_NONE(setregid, "ids only"),
	BP_NONE(setresuid, "ids only (getresuid has the pointers)"),
	BP_NONE(setresgid, "ids only (getresgid has the pointers)"),
	BP_NONE(sched_yield, "no arguments"),
	BP_NONE(fadvise64, "no pointer arguments"),
};

BP_TABLE_MAIN(rows)
