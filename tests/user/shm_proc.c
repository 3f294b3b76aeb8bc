/*
 * shm_proc.c - System V shared memory between processes: fork copies
 * attachments, exit and execve detach them, and two processes see one
 * memory whether they inherit the attachment or find the segment by key.
 *
 * Linux facts the cases pin down, found by running them on Linux 6.1:
 * - fork takes the child's copy of an attachment in the parent's name:
 *   shm_lpid becomes the parent's pid (and shm_atime is renewed); the
 *   child's exit detaches in the child's name.
 * - shm_nattch counts mappings: fork adds one per piece it copies.
 */
#define _GNU_SOURCE
#include "t.h"
#include "maptest.h"
#include "shmtest.h"

static void case_fork_copies_attachments(void)
{
	volatile int *flag = t_shared_ints();
	int id = shm_new(2 * T_PAGE, 0);
	char *p = shm_attach(id, NULL, 0);
	pid_t me = getpid();

	CHECK_EQ(shm_nattch(id), 1);
	pid_t pid = t_fork();
	if (pid == 0) {
		struct shmid_ds ds = shm_stat(id);
		CHECK_EQ(ds.shm_nattch, 2);
		CHECK_EQ(ds.shm_lpid, me);	/* the copy is the parent's doing */
		p[0] = 'c';
		t_post(flag, 1);
		t_await(flag, 2);
		_exit(0);			/* exit detaches */
	}
	t_await(flag, 1);
	CHECK_EQ(p[0], 'c');
	CHECK_EQ(shm_nattch(id), 2);
	t_post(flag, 2);
	CHECK_EXITED(t_wait(pid), 0);
	struct shmid_ds ds = shm_stat(id);
	CHECK_EQ(ds.shm_nattch, 1);
	CHECK_EQ(ds.shm_lpid, pid);		/* the exit detached */
	CHECK(ds.shm_dtime != 0);
	CHECK_OK(shm_dt(p));
	shm_rmid(id);
}

static void case_fork_copies_pieces(void)
{
	int id = shm_new(4 * T_PAGE, 0);
	char *p = shm_attach(id, NULL, 0);

	CHECK_OK(mprotect(p + T_PAGE, T_PAGE, PROT_READ));	/* 3 pieces */
	CHECK_EQ(shm_nattch(id), 3);
	pid_t pid = t_fork();
	if (pid == 0) {
		CHECK_EQ(shm_nattch(id), 6);
		CHECK_OK(shm_dt(p));		/* every piece of its copy */
		CHECK_EQ(shm_nattch(id), 3);
		_exit(0);
	}
	CHECK_EXITED(t_wait(pid), 0);
	CHECK_EQ(shm_nattch(id), 3);
	CHECK_OK(shm_dt(p));
	CHECK_EQ(shm_nattch(id), 0);
	shm_rmid(id);
}

static void case_exit_detaches(void)
{
	int id = shm_new(T_PAGE, 0);
	pid_t pid = t_fork();

	if (pid == 0) {
		shm_attach(id, NULL, 0)[0] = 'e';
		shm_attach(id, NULL, SHM_RDONLY);
		CHECK_EQ(shm_nattch(id), 2);
		_exit(0);
	}
	CHECK_EXITED(t_wait(pid), 0);
	struct shmid_ds ds = shm_stat(id);
	CHECK_EQ(ds.shm_nattch, 0);
	CHECK_EQ(ds.shm_lpid, pid);
	shm_rmid(id);
}

static void case_execve_detaches(void)
{
	int id = shm_new(T_PAGE, 0);
	char *p = shm_attach(id, NULL, 0);
	pid_t pid = t_fork();

	if (pid == 0) {
		shm_attach(id, NULL, 0);
		CHECK_EQ(shm_nattch(id), 3);
		/* The new image sees only the parent's attachment left. */
		shm_exec_self("--shm-nattch", id);
	}
	CHECK_EXITED(t_wait(pid), 1);
	CHECK_EQ(shm_nattch(id), 1);
	CHECK_OK(shm_dt(p));
	shm_rmid(id);
}

static void case_two_processes_exchange(void)
{
	long key = shm_key(1);
	int id = (int)CHECK_OK(shm_get(key, 4 * T_PAGE, IPC_CREAT | 0600));
	pid_t pid = t_fork();

	if (pid == 0) {
		/* Not inherited: found by key and attached anew. */
		int cid = (int)CHECK_OK(shm_get(key, 0, 0));
		volatile int *turn = (volatile int *)shm_attach(cid, NULL, 0);
		for (int i = 1; i <= 200; i += 2) {
			t_await(turn, i);
			t_post(turn, i + 1);
		}
		t_await(turn, 201);
		fill_bytes((char *)turn + T_PAGE, 3 * T_PAGE, 'C');
		t_post(turn, 1000);
		_exit(0);
	}
	volatile int *turn = (volatile int *)shm_attach(id, NULL, 0);
	for (int i = 0; i < 200; i += 2) {
		t_post(turn, i + 1);
		t_await(turn, i + 2);
	}
	t_post(turn, 201);
	t_await(turn, 1000);
	check_bytes((char *)turn + T_PAGE, 3 * T_PAGE, 'C');
	CHECK_EXITED(t_wait(pid), 0);
	CHECK_OK(shm_dt((void *)turn));
	shm_rmid(id);
}

static void case_inherited_over_fork(void)
{
	int id = shm_new(3 * T_PAGE, 0);
	char *p = shm_attach(id, NULL, 0);

	p[0] = 'P';
	pid_t pid = t_fork();
	if (pid == 0) {
		CHECK_EQ(p[0], 'P');
		fill_bytes(p + T_PAGE, 2 * T_PAGE, 'K');	/* not copy-on-write */
		CHECK_OK(shm_dt(p));
		CHECK_EQ(shm_nattch(id), 1);
		_exit(0);
	}
	CHECK_EXITED(t_wait(pid), 0);
	check_bytes(p + T_PAGE, 2 * T_PAGE, 'K');
	CHECK_EQ(shm_nattch(id), 1);
	CHECK_OK(shm_dt(p));
	shm_rmid(id);
}

static const struct t_case cases[] = {
	{ case_fork_copies_attachments, "fork-copies-attachments" },
	{ case_fork_copies_pieces, "fork-copies-pieces" },
	{ case_exit_detaches, "exit-detaches" },
	{ case_execve_detaches, "execve-detaches" },
	{ case_two_processes_exchange, "two-processes-exchange" },
	{ case_inherited_over_fork, "inherited-over-fork" },
};

int main(int argc, char **argv)
{
	return SHM_RUN(argc, argv, cases);
}
