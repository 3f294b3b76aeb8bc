/*
 * coredump.c - core files: a signal whose default action dumps core,
 * with RLIMIT_CORE set, leaves an ELF core file named by
 * kernel.core_pattern and sets WCOREDUMP in the wait status. The file is
 * read back here: ET_CORE header, PT_NOTE first with NT_PRSTATUS (one per
 * thread: signal, pid, registers), NT_PRPSINFO, NT_SIGINFO, NT_AUXV,
 * NT_FILE and NT_FPREGSET, then PT_LOAD segments holding what the
 * program had in memory. The cases that make no core are in
 * coredump_policy.c.
 */
#include "coredump.h"

#include <pthread.h>
#include <stdbool.h>
#include <sys/auxv.h>

/* Offsets in Linux's x86-64 elf_prstatus and elf_prpsinfo. */
#define PRSTATUS_SIZE	336
#define PR_CURSIG	12
#define PR_PID		32
#define PR_REG		112
#define CORE_RIP		16
#define CORE_RSP		19
#define PRPSINFO_SIZE	136
#define PSINFO_PID	24
#define PSINFO_FNAME	40
#define PSINFO_ARGS	56

#define MARK "basalt-core-marker"

static char data_mark[64] = "not yet";		/* .data, written below */
static char *volatile heap_mark;
static volatile uintptr_t stack_mark_at;

static void store_marks(char *on_stack)
{
	snprintf(data_mark, sizeof(data_mark), "%s-data-%d", MARK, getpid());
	heap_mark = malloc(100);
	snprintf(heap_mark, 100, "%s-heap-%d", MARK, getpid());
	snprintf(on_stack, 64, "%s-stack-%d", MARK, getpid());
	stack_mark_at = (uintptr_t)on_stack;
}

/* Dies of SIGSEGV writing to an address nothing maps. */
static void __attribute__((noinline)) segv_now(void)
{
	char on_stack[64];

	store_marks(on_stack);
	prctl(PR_SET_NAME, "crasher");
	*cd_bad_pointer = 1;
	__asm__ volatile("" ::: "memory");
	on_stack[0] = 0;
}

static void check_marks(struct core *c, pid_t pid, uintptr_t data,
			uintptr_t stack)
{
	char want[96];
	unsigned char *p;

	snprintf(want, sizeof(want), "%s-data-%d", MARK, pid);
	p = core_at(c, data);
	CHECK(p != NULL);
	CHECK(memcmp(p, want, strlen(want) + 1) == 0);
	snprintf(want, sizeof(want), "%s-stack-%d", MARK, pid);
	p = core_at(c, stack);
	CHECK(p != NULL);
	CHECK(memcmp(p, want, strlen(want) + 1) == 0);
}

/* A shared page the child reports its addresses through. */
struct report {
	uintptr_t stack, heap;
};

static volatile struct report *report;

static void segv_and_report(void)
{
	char on_stack[64];

	store_marks(on_stack);
	report->stack = (uintptr_t)on_stack;
	report->heap = (uintptr_t)heap_mark;
	prctl(PR_SET_NAME, "crasher");
	*cd_bad_pointer = 1;
	on_stack[0] = 0;
}

static void case_segv_core_file(void)
{
	struct core c;
	pid_t pid;
	int status;
	unsigned char *prs, *ps;
	size_t size;
	char want[96];

	report = (volatile struct report *)t_shared_ints();
	cd_defaults();
	cd_enter_scratch();
	status = cd_crash(segv_and_report, RLIM_INFINITY, &pid);
	cd_check_dumped(status, SIGSEGV);
	core_load(&c, "core");

	prs = core_note(&c, NT_PRSTATUS, 0, &size);
	CHECK(prs != NULL);
	CHECK_EQ(size, PRSTATUS_SIZE);
	CHECK_EQ(*(int16_t *)(prs + PR_CURSIG), SIGSEGV);
	CHECK_EQ(*(int32_t *)(prs + PR_PID), pid);
	/* The stack pointer is in the dumped stack, near the marks. */
	uint64_t rsp = ((uint64_t *)(prs + PR_REG))[CORE_RSP];
	CHECK(core_at(&c, rsp) != NULL);

	ps = core_note(&c, NT_PRPSINFO, 0, &size);
	CHECK(ps != NULL);
	CHECK_EQ(size, PRPSINFO_SIZE);
	CHECK_EQ(*(int32_t *)(ps + PSINFO_PID), pid);
	CHECK(strcmp((char *)ps + PSINFO_FNAME, "crasher") == 0);
	CHECK(strstr((char *)ps + PSINFO_ARGS, "coredump-") != NULL);

	siginfo_t *si = core_note(&c, NT_SIGINFO, 0, &size);
	CHECK(si != NULL);
	CHECK_EQ(size, sizeof(siginfo_t));
	CHECK_EQ(si->si_signo, SIGSEGV);
	CHECK_EQ(si->si_code, SEGV_MAPERR);
	CHECK_EQ((uintptr_t)si->si_addr, 0x10);

	uint64_t *auxv = core_note(&c, NT_AUXV, 0, &size);
	bool pagesz = false;
	CHECK(auxv != NULL);
	for (size_t i = 0; i + 1 < size / 8; i += 2)
		pagesz |= auxv[i] == AT_PAGESZ && auxv[i + 1] == 4096;
	CHECK(pagesz);

	char *files = core_note(&c, NT_FILE, 0, &size);
	CHECK(files != NULL);
	CHECK(memmem(files, size, t_self(), strlen(t_self())) != NULL);

	CHECK(core_note(&c, NT_FPREGSET, 0, &size) != NULL);
	CHECK_EQ(size, 512);

	check_marks(&c, pid, (uintptr_t)data_mark, report->stack);
	snprintf(want, sizeof(want), "%s-heap-%d", MARK, pid);
	CHECK(core_at(&c, report->heap) != NULL);
	CHECK(memcmp(core_at(&c, report->heap), want, strlen(want) + 1) == 0);
	core_free(&c);
}

/* The core file is the dumper's, mode 0600, and holds every PT_LOAD's
 * bytes (file size covers the last segment even if it ends in a hole). */
static void case_core_file_owner_mode_size(void)
{
	struct core c;
	struct stat st;
	int status;

	cd_defaults();
	cd_enter_scratch();
	status = cd_crash(segv_now, RLIM_INFINITY, NULL);
	cd_check_dumped(status, SIGSEGV);
	CHECK_OK(stat("core", &st));
	CHECK_EQ(st.st_mode & 07777, 0600);
	CHECK_EQ(st.st_uid, getuid());
	CHECK_EQ(st.st_nlink, 1);
	core_load(&c, "core");
	for (int i = 1; i < c.eh->e_phnum; i++) {
		CHECK_EQ(c.ph[i].p_type, PT_LOAD);
		CHECK(c.ph[i].p_filesz <= c.ph[i].p_memsz);
		CHECK(c.ph[i].p_offset + c.ph[i].p_filesz <= c.size);
		CHECK(i == 1 || c.ph[i].p_vaddr >= c.ph[i - 1].p_vaddr +
		      c.ph[i - 1].p_memsz);
	}
	core_free(&c);
}

static void do_abort(void) { abort(); }

static void do_quit_self(void) { raise(SIGQUIT); }

static void do_sigfpe(void) { raise(SIGFPE); }

/* Every core signal dumps; SIGTERM does not. */
static void case_core_signals(void)
{
	static const struct { void (*fn)(void); int sig; } kinds[] = {
		{ do_abort, SIGABRT }, { do_quit_self, SIGQUIT },
		{ do_sigfpe, SIGFPE },
	};

	cd_defaults();
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		struct core c;

		cd_enter_scratch();
		cd_check_dumped(cd_crash(kinds[i].fn, RLIM_INFINITY, NULL),
				kinds[i].sig);
		core_load(&c, "core");
		CHECK_EQ(*(int16_t *)((char *)core_note(&c, NT_PRSTATUS, 0,
					NULL) + PR_CURSIG), kinds[i].sig);
		core_free(&c);
	}
}

static void do_term_self(void) { raise(SIGTERM); }

static void case_sigterm_no_core(void)
{
	cd_defaults();
	cd_enter_scratch();
	cd_check_not_dumped(cd_crash(do_term_self, RLIM_INFINITY, NULL),
			    SIGTERM);
	CHECK(!cd_exists("core"));
}

/* Killed from outside with SIGQUIT while asleep. */
static void case_sigquit_from_parent(void)
{
	volatile int *flag = t_shared_ints();
	pid_t pid;
	struct core c;

	cd_defaults();
	cd_enter_scratch();
	pid = t_fork();
	if (pid == 0) {
		cd_set_limit(RLIM_INFINITY);
		t_post(flag, 1);
		for (;;)
			pause();
	}
	t_await(flag, 1);
	CHECK_OK(kill(pid, SIGQUIT));
	cd_check_dumped(t_wait(pid), SIGQUIT);
	core_load(&c, "core");
	CHECK_EQ(*(int32_t *)((char *)core_note(&c, NT_PRSTATUS, 0, NULL) +
			      PR_PID), pid);
	core_free(&c);
}

/* ---- threads ------------------------------------------------------------ */

static volatile int threads_ready;

static void *sleeper(void *arg)
{
	__atomic_add_fetch(&threads_ready, 1, __ATOMIC_SEQ_CST);
	for (;;)
		pause();
	return arg;
}

static void threads_then_segv(void)
{
	pthread_t th[3];

	for (int i = 0; i < 3; i++)
		if (pthread_create(&th[i], NULL, sleeper, NULL))
			_exit(T_FAILED);
	while (__atomic_load_n(&threads_ready, __ATOMIC_SEQ_CST) < 3)
		sched_yield();
	segv_now();
}

/* Four threads: four NT_PRSTATUS, the faulting one first, distinct tids
 * (the first is the process's pid: the main thread faulted). */
static void case_threads_all_in_core(void)
{
	struct core c;
	pid_t pid, tids[4];
	int status;

	cd_defaults();
	cd_enter_scratch();
	status = cd_crash(threads_then_segv, RLIM_INFINITY, &pid);
	cd_check_dumped(status, SIGSEGV);
	core_load(&c, "core");
	CHECK_EQ(core_count_notes(&c, NT_PRSTATUS), 4);
	CHECK_EQ(core_count_notes(&c, NT_FPREGSET), 4);
	CHECK_EQ(core_count_notes(&c, NT_PRPSINFO), 1);
	for (int i = 0; i < 4; i++) {
		char *p = core_note(&c, NT_PRSTATUS, i, NULL);

		tids[i] = *(int32_t *)(p + PR_PID);
		CHECK_EQ(*(int16_t *)(p + PR_CURSIG), SIGSEGV);
		for (int j = 0; j < i; j++)
			CHECK(tids[j] != tids[i]);
	}
	CHECK_EQ(tids[0], pid);
	core_free(&c);
}

/* Threads that fault at once: only the first becomes the dumper (the
 * others park), and one core holds every thread. On one CPU the others
 * are usually killed before they fault; the case checks the outcome. */
static volatile int go;

static void *fault_on_go(void *arg)
{
	__atomic_add_fetch(&threads_ready, 1, __ATOMIC_SEQ_CST);
	while (!__atomic_load_n(&go, __ATOMIC_SEQ_CST))
		;
	*cd_bad_pointer = 1;
	return arg;
}

static void threads_fault_together(void)
{
	pthread_t th[3];

	for (int i = 0; i < 3; i++)
		if (pthread_create(&th[i], NULL, fault_on_go, NULL))
			_exit(T_FAILED);
	while (__atomic_load_n(&threads_ready, __ATOMIC_SEQ_CST) < 3)
		sched_yield();
	__atomic_store_n(&go, 1, __ATOMIC_SEQ_CST);
	for (;;)
		pause();
}

static void case_threads_fault_together(void)
{
	for (int round = 0; round < 5; round++) {
		struct core c;

		cd_defaults();
		cd_enter_scratch();
		cd_check_dumped(cd_crash(threads_fault_together,
					 RLIM_INFINITY, NULL), SIGSEGV);
		core_load(&c, "core");
		CHECK_EQ(core_count_notes(&c, NT_PRSTATUS), 4);
		core_free(&c);
	}
}

/* ---- leaks ------------------------------------------------------------- */

static void dump_rounds(int rounds)
{
	for (int i = 0; i < rounds; i++) {
		int status = cd_crash(segv_now, RLIM_INFINITY, NULL);

		if (!WCOREDUMP(status))
			T_FAIL("round %d: no core (status %#x)", i, status);
		CHECK_OK(unlink("core"));
	}
}

static void case_dump_leaks_nothing(void)
{
	cd_defaults();
	cd_enter_scratch();
	t_check_no_leak("core dumps", dump_rounds, 10);
}

static const struct t_case cases[] = {
	{ case_segv_core_file, "segv_core_file" },
	{ case_core_file_owner_mode_size, "core_file_owner_mode_size" },
	{ case_core_signals, "core_signals" },
	{ case_sigterm_no_core, "sigterm_no_core" },
	{ case_sigquit_from_parent, "sigquit_from_parent" },
	{ case_threads_all_in_core, "threads_all_in_core" },
	{ case_threads_fault_together,
	  "threads_fault_together" },
	{ case_dump_leaks_nothing, "dump_leaks_nothing" },
};

int main(int argc, char **argv)
{
	return T_RUN(argc, argv, cases);
}
