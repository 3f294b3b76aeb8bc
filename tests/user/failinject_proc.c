/*
 * failinject_proc.c - fork, vfork, clone (a process sharing memory, and a
 * thread) and execve with each of their allocations failing in turn
 * (failinject.h). Basalt-only: the cases skip without fail-nth.
 *
 * The children made here exit at once, from assembly that touches no
 * memory, so a child sharing the caller's stack cannot disturb it. A
 * failed fork or clone must say ENOMEM or EAGAIN (Linux uses both).
 *
 * execve is walked in a child: it arms its own countdown and execs this
 * program with "--exec-check FD", which reads the countdown through the
 * inherited descriptor and exits 2 if it is unspent, 0 if not. A failure
 * before the point of no return must come back as ENOMEM; one after it
 * kills the process (SIGSEGV, as on Linux, or SIGKILL); and a failure the
 * new program's own start-up meets (its first calls are still counted)
 * may end it in whatever way that C library chooses.
 */
#include "failinject.h"

#include <grp.h>
#include <linux/futex.h>
#include <stdint.h>
#include <sched.h>
#include <signal.h>

/* clone(flags, NULL stack, ptid, ctid) whose child exits at once with
 * exit_nr (SYS_exit for a thread, SYS_exit_group otherwise). */
static long clone_exit_now(long flags, int *ptid, int *ctid, long exit_nr)
{
	register long r10 __asm__("r10") = (long)ctid;
	register long r8 __asm__("r8") = 0;		/* tls */
	register long r12 __asm__("r12") = exit_nr;
	long ret;

	__asm__ volatile("syscall\n\t"
			 "test %%rax, %%rax\n\t"
			 "jnz 1f\n\t"
			 "mov %%r12, %%rax\n\t"
			 "xor %%edi, %%edi\n\t"
			 "syscall\n"
			 "1:"
			 : "=a"(ret)
			 : "a"((long)SYS_clone), "D"(flags), "S"(0L),
			   "d"(ptid), "r"(r10), "r"(r8), "r"(r12)
			 : "rcx", "r11", "memory");
	return ret;
}

static long child_pid;
static int thread_tid;

static long act_fork(void)
{
	child_pid = clone_exit_now(SIGCHLD, NULL, NULL, SYS_exit_group);
	return child_pid < 0 ? child_pid : 0;
}

static long act_vfork(void)
{
	child_pid = clone_exit_now(CLONE_VM | CLONE_VFORK | SIGCHLD, NULL,
				   NULL, SYS_exit_group);
	return child_pid < 0 ? child_pid : 0;
}

static long act_clone_vm(void)
{
	child_pid = clone_exit_now(CLONE_VM | CLONE_FS | CLONE_FILES |
				   CLONE_SIGHAND | SIGCHLD, NULL, NULL,
				   SYS_exit_group);
	return child_pid < 0 ? child_pid : 0;
}

static void undo_child(void)
{
	int status;

	if (child_pid > 0) {
		CHECK_EQ(waitpid((pid_t)child_pid, &status, 0), child_pid);
		CHECK_EXITED(status, 0);
	}
	child_pid = 0;
}

/* A thread: its tid is written to thread_tid, which its exit clears and
 * wakes (CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID). */
static long act_thread(void)
{
	long r = clone_exit_now(CLONE_VM | CLONE_FS | CLONE_FILES |
				CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM |
				CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID,
				&thread_tid, &thread_tid, SYS_exit);

	if (r < 0)
		thread_tid = 0;
	return r < 0 ? r : 0;
}

static void undo_thread(void)
{
	int tid;

	while ((tid = __atomic_load_n(&thread_tid, __ATOMIC_ACQUIRE)) != 0)
		syscall(SYS_futex, &thread_tid, FUTEX_WAIT, tid, NULL);
}

static uint32_t futex_word;
static gid_t groups[32];

static long act_setgroups(void)
{
	for (int i = 0; i < 32; i++)
		groups[i] = (gid_t)(100 + i);
	return setgroups(32, groups) ? -errno : 0;
}

static void undo_setgroups(void) { CHECK_OK(setgroups(0, NULL)); }

/* futex_waitv on two words that do not hold the awaited values. */
static long act_futex_waitv(void)
{
	static struct { uint64_t val, uaddr; uint32_t flags, reserved; } w[2];

	for (int i = 0; i < 2; i++)
		w[i] = (typeof(w[i])){ 1, (uint64_t)&futex_word, 2 | 128, 0 };
	long r = syscall(449, w, 2, 0, NULL, 0);	/* futex_waitv */

	return r < 0 && errno != EAGAIN ? -errno : 0;
}

/* A PI lock taken and given back (the kernel's state for it). */
static long act_futex_pi(void)
{
	futex_word = 0;
	if (syscall(SYS_futex, &futex_word, FUTEX_LOCK_PI_PRIVATE, 0, NULL))
		return -errno;
	return syscall(SYS_futex, &futex_word, FUTEX_UNLOCK_PI_PRIVATE) ?
		-errno : 0;
}

static void undo_nothing(void) { }

FI_OP(setgroups, .name = "setgroups", .act = act_setgroups,
      .undo = undo_setgroups)
FI_OP(futex_waitv, .name = "futex_waitv", .act = act_futex_waitv,
      .undo = undo_nothing)
FI_OP(futex_pi, .name = "FUTEX_LOCK_PI and FUTEX_UNLOCK_PI",
      .act = act_futex_pi, .undo = undo_nothing)
FI_OP(fork, .name = "fork", .act = act_fork, .undo = undo_child,
      .allowed = { ENOMEM, EAGAIN })
FI_OP(vfork, .name = "vfork", .act = act_vfork, .undo = undo_child,
      .allowed = { ENOMEM, EAGAIN })
FI_OP(clone_vm, .name = "clone(CLONE_VM)", .act = act_clone_vm,
      .undo = undo_child, .allowed = { ENOMEM, EAGAIN })
FI_OP(clone_thread, .name = "clone(CLONE_THREAD)", .act = act_thread,
      .undo = undo_thread, .allowed = { ENOMEM, EAGAIN })

/* Exit statuses of an execve attempt's child before the exec. */
#define EXEC_FAILED_CLEANLY	100
#define EXEC_FAILED_UNINJECTED	101
#define EXEC_FAILED_BADLY	102

/* The child of one attempt: arm n, exec this program to check. */
static void exec_child(unsigned int n)
{
	char fdarg[16];
	char *argv[] = { "failinject_proc", "--exec-check", fdarg, NULL };
	char *envp[] = { NULL };
	long r;

	fi_open();		/* this process's own fail-nth */
	snprintf(fdarg, sizeof(fdarg), "%d", fi_fd);
	/* A C library that cannot start says so: not in the test's log. */
	dup2(CHECK_OK(open("/dev/null", O_WRONLY)), 2);
	fi_arm(n);
	r = t_raw(SYS_execve, t_self(), argv, envp);
	if (fi_left() > 0)
		_exit(EXEC_FAILED_UNINJECTED);
	fi_arm(0);
	_exit(r == -ENOMEM ? EXEC_FAILED_CLEANLY : EXEC_FAILED_BADLY);
}

/* One attempt; true once the countdown came through exec unspent. */
static bool exec_attempt(unsigned int n, int *late)
{
	pid_t pid = t_fork();
	int status;

	if (pid == 0)
		exec_child(n);
	status = t_wait(pid);
	if (WIFSIGNALED(status)) {
		int sig = WTERMSIG(status);

		if (sig != SIGSEGV && sig != SIGKILL)
			T_FAIL("execve, allocation %u: killed by signal %d", n,
			       sig);
		++*late;
		return false;
	}
	switch (WEXITSTATUS(status)) {
	case 2:
		return true;
	case EXEC_FAILED_UNINJECTED:
		T_FAIL("execve failed with no failure injected");
	case EXEC_FAILED_BADLY:
		T_FAIL("execve: allocation %u failed, and the call did not "
		       "say ENOMEM", n);
	default:		/* ENOMEM, or the new program ran or gave up */
		return false;
	}
}

static void case_execve(void)
{
	unsigned int n;
	int late = 0;
	struct fi_mem start;

	fi_open();
	CHECK(exec_attempt(FI_MAX + 1, &late));	/* warm up: no failure */
	start = fi_mem_now();
	for (n = 1; n <= FI_MAX; n++) {
		bool done = exec_attempt(n, &late);

		fi_mem_check(&start, "execve", n);
		if (done)
			break;
	}
	if (n > FI_MAX)
		T_FAIL("execve: more than %d allocations", FI_MAX);
	t_note("execve: %u allocations failed in turn, each cleanly (%d "
	       "after the point of no return)", n - 1, late);
}

/* "--exec-check FD": exit 2 if the countdown behind FD is unspent. */
static int exec_check(const char *fdarg)
{
	fi_fd = atoi(fdarg);
	return fi_left() > 0 ? 2 : 0;
}

static const struct t_case cases[] = {
	{ case_fork, "fork" },
	{ case_vfork, "vfork" },
	{ case_clone_vm, "clone-vm" },
	{ case_clone_thread, "clone-thread" },
	{ case_execve, "execve" },
	{ case_setgroups, "setgroups" },
	{ case_futex_waitv, "futex_waitv" },
	{ case_futex_pi, "futex-pi" },
};

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "--exec-check"))
		return exec_check(argv[2]);
	return T_RUN(argc, argv, cases);
}
