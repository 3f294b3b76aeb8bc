/*
 * sem.c - System V semaphores: semget, semop, semtimedop, semctl, with
 * Linux's results and errno order, the wait queues (who gets a unit, who
 * is counted by GETNCNT/GETZCNT, EIDRM and EINTR for sleepers), and the
 * /proc files. SEM_UNDO is in sem_undo.c, the stress test in
 * sem_stress.c.
 *
 * A child that must be asleep in semop before the parent goes on is
 * awaited by polling (bounded) its /proc/PID/stat state and the set's
 * GETNCNT/GETZCNT; a child reports semop's result as its exit status
 * (0 or the errno). Timeouts are short, and only their result is
 * checked, never how long they took.
 */
#define _GNU_SOURCE
#include "t.h"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/sem.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/* POSIX leaves union semun to the program. */
union semun {
	int val;
	struct semid_ds *buf;
	unsigned short *array;
	struct seminfo *__buf;
};

#define NOBODY 65534

/* A fresh private set of n semaphores, mode 0600. */
static int new_set(int n)
{
	return (int)CHECK_OK(semget(IPC_PRIVATE, n, IPC_CREAT | 0600));
}

static void rm_set(int id)
{
	CHECK_OK(semctl(id, 0, IPC_RMID));
}

/* A key no other case or run uses. */
static key_t own_key(int n)
{
	return (key_t)(0x5e000000 | (getpid() << 4) | n);
}

static int getval(int id, int n)
{
	return (int)CHECK_OK(semctl(id, n, GETVAL));
}

static void setval(int id, int n, int v)
{
	union semun a = { .val = v };

	CHECK_OK(semctl(id, n, SETVAL, a));
}

static int op1(int id, int num, int op, int flg)
{
	struct sembuf b = { (unsigned short)num, (short)op, (short)flg };

	return semop(id, &b, 1);
}

/* A child that runs semop and exits with 0 or the errno. */
static pid_t spawn_semop(int id, struct sembuf *sops, int n)
{
	pid_t pid = t_fork();

	if (pid == 0)
		_exit(semop(id, sops, n) == 0 ? 0 : errno);
	return pid;
}

static pid_t spawn_op1(int id, int num, int op)
{
	struct sembuf b = { (unsigned short)num, (short)op, 0 };

	return spawn_semop(id, &b, 1);
}

/* Wait until pid sleeps and semctl(id, num, cmd) (GETNCNT, GETZCNT)
 * says want; the bound only turns a hang into a failure. */
static void await_waiters(int id, int num, int cmd, int want, pid_t pid)
{
	int got = -1;

	for (int i = 0; i < 5000; i++) {
		got = semctl(id, num, cmd);
		if (got == want && (!pid || t_proc_state(pid) == 'S'))
			return;
		usleep(1000);
	}
	T_FAIL("semctl(%d, %s) = %d, want %d (pid %d state '%c')", num,
	       cmd == GETNCNT ? "GETNCNT" : "GETZCNT", got, want, (int)pid,
	       pid ? t_proc_state(pid) : '-');
}

/* Run fn in a child with uid and gid NOBODY; it must exit 0. */
static void as_nobody(void (*fn)(int), int id)
{
	pid_t pid = t_fork();

	if (pid == 0) {
		CHECK_OK(setgid(NOBODY));
		CHECK_OK(setuid(NOBODY));
		fn(id);
		_exit(0);
	}
	CHECK_EXITED(t_wait(pid), 0);
}

/* ---- semget ------------------------------------------------------------ */

static void case_semget_create(void)
{
	int id = new_set(3);
	struct semid_ds ds;
	union semun a = { .buf = &ds };
	unsigned short vals[3] = { 9, 9, 9 };
	time_t now = time(NULL);

	CHECK_OK(semctl(id, 0, GETALL, (union semun){ .array = vals }));
	CHECK(vals[0] == 0 && vals[1] == 0 && vals[2] == 0);
	CHECK_EQ(semctl(id, 0, IPC_STAT, a), 0);
	CHECK_EQ(ds.sem_nsems, 3);
	CHECK_EQ(ds.sem_perm.mode & 0777, 0600);
	CHECK_EQ(ds.sem_perm.uid, geteuid());
	CHECK_EQ(ds.sem_perm.cuid, geteuid());
	CHECK_EQ(ds.sem_perm.gid, getegid());
	CHECK_EQ(ds.sem_otime, 0);
	CHECK(ds.sem_ctime >= now - 5 && ds.sem_ctime <= now + 5);
	CHECK_EQ(semctl(id, 1, GETPID), 0);
	/* IPC_PRIVATE always makes a new set. */
	int id2 = new_set(1);
	CHECK(id2 != id);
	rm_set(id2);
	rm_set(id);
}

static void case_semget_keys(void)
{
	key_t key = own_key(1);
	int id = (int)CHECK_OK(semget(key, 4, IPC_CREAT | IPC_EXCL | 0640));

	CHECK_ERR(semget(key, 4, IPC_CREAT | IPC_EXCL | 0640), EEXIST);
	CHECK_EQ(semget(key, 4, IPC_CREAT | 0640), id);
	CHECK_EQ(semget(key, 0, 0), id);	/* 0: any size */
	CHECK_EQ(semget(key, 2, 0), id);	/* fewer is fine */
	CHECK_ERR(semget(key, 5, 0), EINVAL);	/* more is not */
	CHECK_ERR(semget(key, 5, IPC_CREAT), EINVAL);
	CHECK_ERR(semget(own_key(2), 1, 0600), ENOENT);
	CHECK_ERR(semget(own_key(2), 0, IPC_CREAT | 0600), EINVAL);
	CHECK_ERR(semget(IPC_PRIVATE, 0, IPC_CREAT | 0600), EINVAL);
	CHECK_ERR(semget(IPC_PRIVATE, -1, IPC_CREAT | 0600), EINVAL);
	CHECK_ERR(semget(IPC_PRIVATE, 32001, IPC_CREAT | 0600), EINVAL);
	/* EEXIST comes before the size check. */
	CHECK_ERR(semget(key, 5, IPC_CREAT | IPC_EXCL), EEXIST);
	/* A removed set's key is free at once. */
	rm_set(id);
	CHECK_ERR(semget(key, 1, 0), ENOENT);
	int big = (int)CHECK_OK(semget(IPC_PRIVATE, 32000, IPC_CREAT | 0600));
	CHECK_EQ(getval(big, 31999), 0);
	rm_set(big);
}

static void nobody_semget(int key)
{
	CHECK_ERR(semget(key, 1, 0400), EACCES);
	CHECK_ERR(semget(key, 1, 0200), EACCES);
	/* Asking for no access at all is not checked. */
	CHECK(semget(key, 1, 0) >= 0);
	/* The size check comes before the permission check. */
	CHECK_ERR(semget(key, 9, 0400), EINVAL);
}

static void case_semget_perms(void)
{
	key_t key = own_key(3);
	int id = (int)CHECK_OK(semget(key, 2, IPC_CREAT | 0600));

	as_nobody(nobody_semget, key);
	rm_set(id);
}

/* ---- semop: argument checks -------------------------------------------- */

static void case_semop_errors(void)
{
	int id = new_set(2);
	struct sembuf b = { 0, 1, 0 };
	static struct sembuf many[501];

	CHECK_ERR(semop(id, &b, 0), EINVAL);
	CHECK_ERR(semop(id, many, 501), E2BIG);
	/* E2BIG and EINVAL (nsops) come before the copy (EFAULT). */
	CHECK_ERR(semop(id, t_unmapped_page(), 501), E2BIG);
	CHECK_ERR(semop(id, t_unmapped_page(), 1), EFAULT);
	CHECK_ERR(semop(id, NULL, 1), EFAULT);
	CHECK_ERR(semop(-1, &b, 1), EINVAL);
	/* The copy comes before the id check. */
	CHECK_ERR(semop(-1, NULL, 1), EFAULT);
	struct sembuf far = { 2, 1, 0 };
	CHECK_ERR(semop(id, &far, 1), EFBIG);
	struct sembuf farthest = { 65535, 1, 0 };
	CHECK_ERR(semop(id, &farthest, 1), EFBIG);
	/* 500 operations are allowed, all applied. */
	for (int i = 0; i < 500; i++)
		many[i] = (struct sembuf){ (unsigned short)(i & 1), 1, 0 };
	CHECK_OK(semop(id, many, 500));
	CHECK_EQ(getval(id, 0), 250);
	CHECK_EQ(getval(id, 1), 250);
	rm_set(id);
	/* A removed id: EINVAL, even with a sem_num out of range. */
	CHECK_ERR(semop(id, &b, 1), EINVAL);
	CHECK_ERR(semop(id, &far, 1), EINVAL);
}

static void case_semop_basic(void)
{
	int id = new_set(2);
	struct semid_ds ds;

	CHECK_OK(op1(id, 0, 3, 0));
	CHECK_OK(op1(id, 0, -1, 0));
	CHECK_EQ(getval(id, 0), 2);
	CHECK_EQ(semctl(id, 0, GETPID), getpid());
	CHECK_EQ(semctl(id, 1, GETPID), 0);
	CHECK_OK(semctl(id, 0, IPC_STAT, (union semun){ .buf = &ds }));
	CHECK(ds.sem_otime != 0);
	/* Wait for zero on a zero: at once. */
	CHECK_OK(op1(id, 1, 0, 0));
	CHECK_ERR(op1(id, 0, 0, IPC_NOWAIT), EAGAIN);
	CHECK_ERR(op1(id, 0, -3, IPC_NOWAIT), EAGAIN);
	CHECK_EQ(getval(id, 0), 2);
	CHECK_OK(op1(id, 0, -2, IPC_NOWAIT));
	CHECK_EQ(getval(id, 0), 0);
	rm_set(id);
}

/* A read-only operation (all sem_op 0) sets sem_otime and no sempid. */
static void case_semop_wait_zero_times(void)
{
	int id = new_set(1);
	struct semid_ds ds;

	CHECK_OK(op1(id, 0, 0, 0));
	CHECK_OK(semctl(id, 0, IPC_STAT, (union semun){ .buf = &ds }));
	CHECK(ds.sem_otime != 0);
	rm_set(id);
}

/* All or nothing: the first operation is not applied when the second
 * would block, or fails. */
static void case_semop_atomic(void)
{
	int id = new_set(3);
	struct sembuf two[2] = { { 0, 1, 0 }, { 1, -1, IPC_NOWAIT } };

	CHECK_ERR(semop(id, two, 2), EAGAIN);
	CHECK_EQ(getval(id, 0), 0);
	setval(id, 2, 32767);
	struct sembuf range[2] = { { 0, 5, 0 }, { 2, 1, 0 } };
	CHECK_ERR(semop(id, range, 2), ERANGE);
	CHECK_EQ(getval(id, 0), 0);
	CHECK_EQ(semctl(id, 0, GETPID), 0);
	/* IPC_NOWAIT counts only on the operation that must wait. */
	struct sembuf flag_elsewhere[2] = { { 0, 0, IPC_NOWAIT },
					    { 2, 1, 0 } };
	CHECK_ERR(semop(id, flag_elsewhere, 2), ERANGE);
	/* Operations on the same semaphore apply in order. */
	setval(id, 0, 1);
	struct sembuf same[3] = { { 0, 1, 0 }, { 0, -2, 0 }, { 0, 0, 0 } };
	CHECK_OK(semop(id, same, 3));
	CHECK_EQ(getval(id, 0), 0);
	struct sembuf order[2] = { { 0, -1, IPC_NOWAIT }, { 0, 1, 0 } };
	CHECK_ERR(semop(id, order, 2), EAGAIN);
	rm_set(id);
}

static void case_semop_erange(void)
{
	int id = new_set(1);

	setval(id, 0, 32767);
	CHECK_ERR(op1(id, 0, 1, 0), ERANGE);
	CHECK_ERR(op1(id, 0, 1, IPC_NOWAIT), ERANGE);
	CHECK_EQ(getval(id, 0), 32767);
	CHECK_OK(op1(id, 0, -32767, 0));
	CHECK_OK(op1(id, 0, 32767, 0));
	CHECK_ERR(op1(id, 0, 32767, 0), ERANGE);
	CHECK_EQ(getval(id, 0), 32767);
	rm_set(id);
}

/* The adjustment is a short: -32768..32767 (SEMAEM), else ERANGE. */
static void case_semop_undo_range(void)
{
	int id = new_set(1);

	setval(id, 0, 32767);
	CHECK_OK(op1(id, 0, -32767, SEM_UNDO));		/* adj +32767 */
	CHECK_OK(op1(id, 0, 5, 0));
	CHECK_ERR(op1(id, 0, -1, SEM_UNDO), ERANGE);	/* adj +32768 */
	CHECK_EQ(getval(id, 0), 5);
	CHECK_OK(op1(id, 0, 1, SEM_UNDO));		/* adj +32766 */
	rm_set(id);

	id = new_set(1);
	CHECK_OK(op1(id, 0, 32767, SEM_UNDO));		/* adj -32767 */
	CHECK_OK(op1(id, 0, -32767, 0));
	CHECK_OK(op1(id, 0, 1, SEM_UNDO));		/* adj -32768 */
	CHECK_ERR(op1(id, 0, 1, SEM_UNDO), ERANGE);	/* adj -32769 */
	CHECK_EQ(getval(id, 0), 1);
	rm_set(id);
}

/*
 * The raw calls: semop is 65, semtimedop 220; nsops is an unsigned int
 * (the register's high half is ignored); SETVAL's value is the low half
 * of the argument; x86-64 has no IPC_64 flag in cmd (EINVAL).
 */
static void case_raw_syscalls(void)
{
	int id = new_set(1);
	struct sembuf give = { 0, 1, 0 };
	struct semid_ds ds;

	CHECK_EQ(t_raw(SYS_semop, id, &give, (1L << 32) | 1), 0);
	CHECK_EQ(t_raw(SYS_semop, id, &give, 1L << 32), -EINVAL);
	CHECK_EQ(t_raw(SYS_semtimedop, id, &give, 1, NULL), 0);
	CHECK_EQ(t_raw(SYS_semtimedop, id, &give, (1L << 32) | 501, NULL),
		 -E2BIG);
	CHECK_EQ(getval(id, 0), 2);
	CHECK_EQ(t_raw(SYS_semctl, id, 0, SETVAL, (7L << 32) | 5), 0);
	CHECK_EQ(getval(id, 0), 5);
	CHECK_EQ(t_raw(SYS_semctl, id, (1L << 32), GETVAL, 0), 5);
	CHECK_EQ(t_raw(SYS_semctl, id, 0, IPC_STAT | 0x100, &ds), -EINVAL);
	CHECK_EQ(t_raw(SYS_semget, IPC_PRIVATE, (1L << 32) | 0, IPC_CREAT),
		 -EINVAL);
	rm_set(id);
}

/* ---- semctl ------------------------------------------------------------ */

static void case_semctl_values(void)
{
	int id = new_set(4);
	unsigned short in[4] = { 1, 2, 3, 32767 }, out[4];
	struct semid_ds ds;

	CHECK_OK(semctl(id, 0, SETALL, (union semun){ .array = in }));
	CHECK_OK(semctl(id, 0, GETALL, (union semun){ .array = out }));
	CHECK(memcmp(in, out, sizeof(in)) == 0);
	for (int i = 0; i < 4; i++)
		CHECK_EQ(semctl(id, i, GETPID), getpid());
	setval(id, 2, 7);
	CHECK_EQ(getval(id, 2), 7);
	setval(id, 2, 0);
	CHECK_EQ(getval(id, 2), 0);
	CHECK_ERR(semctl(id, 4, GETVAL), EINVAL);
	CHECK_ERR(semctl(id, -1, GETVAL), EINVAL);
	CHECK_ERR(semctl(id, 4, SETVAL, (union semun){ .val = 1 }), EINVAL);
	CHECK_ERR(semctl(id, 4, GETPID), EINVAL);
	CHECK_ERR(semctl(id, 4, GETNCNT), EINVAL);
	CHECK_ERR(semctl(id, 4, GETZCNT), EINVAL);
	CHECK_ERR(semctl(id, 0, SETVAL, (union semun){ .val = 32768 }), ERANGE);
	CHECK_ERR(semctl(id, 0, SETVAL, (union semun){ .val = -1 }), ERANGE);
	in[1] = 32768;
	CHECK_ERR(semctl(id, 0, SETALL, (union semun){ .array = in }), ERANGE);
	CHECK_EQ(getval(id, 1), 2);
	CHECK_ERR(semctl(id, 0, GETALL, (union semun){
		.array = t_unmapped_page() }), EFAULT);
	CHECK_ERR(semctl(id, 0, SETALL, (union semun){
		.array = t_unmapped_page() }), EFAULT);
	CHECK_ERR(semctl(id, 0, IPC_STAT, (union semun){
		.buf = t_unmapped_page() }), EFAULT);
	CHECK_ERR(semctl(id, 0, 12345), EINVAL);
	CHECK_ERR(semctl(id, 0, -1), EINVAL);
	CHECK_OK(semctl(id, 0, IPC_STAT, (union semun){ .buf = &ds }));
	rm_set(id);
	/* A removed id. */
	CHECK_ERR(semctl(id, 0, GETVAL), EINVAL);
	CHECK_ERR(semctl(id, 0, IPC_RMID), EINVAL);
	CHECK_ERR(semctl(id, 0, IPC_STAT, (union semun){ .buf = &ds }), EINVAL);
	CHECK_ERR(semctl(-1, 0, GETVAL), EINVAL);
	CHECK_ERR(semctl(-1, 0, IPC_INFO, (union semun){ .buf = &ds }), EINVAL);
}

/* Which error wins when several apply (Linux's order). */
static void case_semctl_error_order(void)
{
	int id = new_set(1);
	struct semid_ds ds;

	rm_set(id);
	/* SETVAL checks the value before the id; GETVAL has no value. */
	CHECK_ERR(semctl(id, 0, SETVAL, (union semun){ .val = 40000 }), ERANGE);
	CHECK_ERR(semctl(id, 5, SETVAL, (union semun){ .val = 1 }), EINVAL);
	/* IPC_SET copies in before it looks the id up. */
	CHECK_ERR(semctl(id, 0, IPC_SET, (union semun){
		.buf = t_unmapped_page() }), EFAULT);
	CHECK_ERR(semctl(id, 0, IPC_SET, (union semun){ .buf = &ds }), EINVAL);
	/* SETALL looks the id up before it copies in. */
	CHECK_ERR(semctl(id, 0, SETALL, (union semun){
		.array = t_unmapped_page() }), EINVAL);
}

static void case_semctl_ipc_set(void)
{
	int id = new_set(1);
	struct semid_ds ds;
	union semun a = { .buf = &ds };

	CHECK_OK(semctl(id, 0, IPC_STAT, a));
	ds.sem_perm.mode = 0640 | 01000;	/* only 0777 is taken */
	ds.sem_perm.uid = 1234;
	ds.sem_perm.gid = 5678;
	ds.sem_nsems = 99;			/* ignored */
	CHECK_OK(semctl(id, 0, IPC_SET, a));
	memset(&ds, 0, sizeof(ds));
	CHECK_OK(semctl(id, 0, IPC_STAT, a));
	CHECK_EQ(ds.sem_perm.mode & 07777, 0640);
	CHECK_EQ(ds.sem_perm.uid, 1234);
	CHECK_EQ(ds.sem_perm.gid, 5678);
	CHECK_EQ(ds.sem_perm.cuid, geteuid());
	CHECK_EQ(ds.sem_nsems, 1);
	ds.sem_perm.uid = (uid_t)-1;
	CHECK_ERR(semctl(id, 0, IPC_SET, a), EINVAL);
	ds.sem_perm.uid = 0;
	ds.sem_perm.gid = (gid_t)-1;
	CHECK_ERR(semctl(id, 0, IPC_SET, a), EINVAL);
	rm_set(id);
}

static void case_semctl_info(void)
{
	struct seminfo si;
	union semun a = { .__buf = &si };

	memset(&si, 0xff, sizeof(si));
	CHECK(semctl(0, 0, IPC_INFO, a) >= 0);
	CHECK_EQ(si.semmni, 32000);
	CHECK_EQ(si.semmns, 1024000000);
	CHECK_EQ(si.semmsl, 32000);
	CHECK_EQ(si.semopm, 500);
	CHECK_EQ(si.semvmx, 32767);
	CHECK_EQ(si.semmnu, 1024000000);
	CHECK_EQ(si.semmap, 1024000000);
	CHECK_EQ(si.semume, 500);
	CHECK_EQ(si.semusz, 20);
	CHECK_EQ(si.semaem, 32767);

	CHECK_OK(semctl(0, 0, SEM_INFO, a));
	int sets = si.semusz, sems = si.semaem;
	int id = new_set(5);
	int max = (int)CHECK_OK(semctl(0, 0, SEM_INFO, a));
	CHECK_EQ(si.semusz, sets + 1);		/* sets in use */
	CHECK_EQ(si.semaem, sems + 5);		/* semaphores in them */
	CHECK_EQ(si.semmni, 32000);
	CHECK(max >= (id & 0x7fff));
	CHECK_ERR(semctl(0, 0, SEM_INFO, (union semun){
		.__buf = t_unmapped_page() }), EFAULT);
	rm_set(id);
	CHECK_OK(semctl(0, 0, SEM_INFO, a));
	CHECK_EQ(si.semusz, sets);
	CHECK_EQ(si.semaem, sems);
}

static void nobody_stat(int id)
{
	struct semid_ds ds;
	union semun a = { .buf = &ds };

	CHECK_ERR(semctl(id, 0, IPC_STAT, a), EACCES);
	CHECK_ERR(semctl(id & 0x7fff, 0, SEM_STAT, a), EACCES);
	CHECK_EQ(semctl(id & 0x7fff, 0, SEM_STAT_ANY, a), id);
	CHECK_EQ(ds.sem_nsems, 2);
}

static void case_semctl_sem_stat(void)
{
	struct semid_ds ds;
	union semun a = { .buf = &ds };
	int id = new_set(2);

	/* SEM_STAT takes an index and returns the whole id. */
	CHECK_EQ(semctl(id & 0x7fff, 0, SEM_STAT, a), id);
	CHECK_EQ(ds.sem_nsems, 2);
	CHECK_EQ(semctl(id & 0x7fff, 0, SEM_STAT_ANY, a), id);
	/* Linux keeps only the index bits of the argument. */
	CHECK_EQ(semctl(id | 0x8000, 0, SEM_STAT, a), id);
	as_nobody(nobody_stat, id);
	rm_set(id);
	CHECK_ERR(semctl(id & 0x7fff, 0, SEM_STAT, a), EINVAL);
}

/* ---- permissions ------------------------------------------------------- */

static void nobody_none(int id)
{
	struct semid_ds ds;
	unsigned short v[1];

	CHECK_ERR(op1(id, 0, 1, 0), EACCES);
	CHECK_ERR(op1(id, 0, 0, 0), EACCES);
	CHECK_ERR(semctl(id, 0, GETVAL), EACCES);
	CHECK_ERR(semctl(id, 0, GETPID), EACCES);
	CHECK_ERR(semctl(id, 0, GETNCNT), EACCES);
	CHECK_ERR(semctl(id, 0, GETALL, (union semun){ .array = v }), EACCES);
	CHECK_ERR(semctl(id, 0, SETVAL, (union semun){ .val = 1 }), EACCES);
	CHECK_ERR(semctl(id, 0, SETALL, (union semun){ .array = v }), EACCES);
	CHECK_ERR(semctl(id, 0, IPC_STAT, (union semun){ .buf = &ds }), EACCES);
	/* EACCES before the semnum check for GETVAL, after it for SETVAL. */
	CHECK_ERR(semctl(id, 7, GETVAL), EACCES);
	CHECK_ERR(semctl(id, 7, SETVAL, (union semun){ .val = 1 }), EINVAL);
	/* EFBIG before EACCES. */
	CHECK_ERR(op1(id, 3, 1, 0), EFBIG);
	CHECK_ERR(semctl(id, 0, IPC_RMID), EPERM);
	memset(&ds, 0, sizeof(ds));
	CHECK_ERR(semctl(id, 0, IPC_SET, (union semun){ .buf = &ds }), EPERM);
}

static void nobody_read(int id)
{
	CHECK_EQ(semctl(id, 0, GETVAL), 0);
	CHECK_OK(op1(id, 0, 0, 0));		/* waiting for zero reads */
	CHECK_ERR(op1(id, 0, 1, 0), EACCES);
	struct sembuf mixed[2] = { { 0, 0, 0 }, { 0, 1, 0 } };
	CHECK_ERR(semop(id, mixed, 2), EACCES);
	CHECK_ERR(semctl(id, 0, SETVAL, (union semun){ .val = 1 }), EACCES);
}

static void nobody_write(int id)
{
	CHECK_OK(op1(id, 0, 1, 0));
	CHECK_OK(op1(id, 0, -1, 0));
	CHECK_OK(semctl(id, 0, SETVAL, (union semun){ .val = 3 }));
	CHECK_ERR(semctl(id, 0, GETVAL), EACCES);
	CHECK_ERR(op1(id, 0, 0, IPC_NOWAIT), EACCES);
}

/* The owner needs no rwx bits to change or remove the set. */
static void nobody_owner(int id)
{
	struct semid_ds ds;

	CHECK_ERR(semctl(id, 0, IPC_STAT, (union semun){ .buf = &ds }),
		  EACCES);
	memset(&ds, 0, sizeof(ds));
	ds.sem_perm.uid = NOBODY;
	ds.sem_perm.gid = NOBODY;
	CHECK_OK(semctl(id, 0, IPC_SET, (union semun){ .buf = &ds }));
	CHECK_OK(semctl(id, 0, IPC_RMID));
}

static void case_permissions(void)
{
	int id = new_set(3);
	struct semid_ds ds;
	union semun a = { .buf = &ds };

	as_nobody(nobody_none, id);
	CHECK_OK(semctl(id, 0, IPC_STAT, a));
	ds.sem_perm.mode = 0604;
	CHECK_OK(semctl(id, 0, IPC_SET, a));
	as_nobody(nobody_read, id);
	ds.sem_perm.mode = 0602;
	CHECK_OK(semctl(id, 0, IPC_SET, a));
	as_nobody(nobody_write, id);
	CHECK_EQ(getval(id, 0), 3);
	/* The owner (not the creator) may change and remove it. */
	ds.sem_perm.uid = NOBODY;
	ds.sem_perm.mode = 0;
	CHECK_OK(semctl(id, 0, IPC_SET, a));
	as_nobody(nobody_owner, id);
	CHECK_ERR(semctl(id, 0, GETVAL), EINVAL);
}

/* ---- sleeping operations ----------------------------------------------- */

static void case_wait_for_zero(void)
{
	int id = new_set(1);

	setval(id, 0, 2);
	pid_t a = spawn_op1(id, 0, 0);
	pid_t b = spawn_op1(id, 0, 0);
	await_waiters(id, 0, GETZCNT, 2, a);
	await_waiters(id, 0, GETZCNT, 2, b);
	CHECK_EQ(semctl(id, 0, GETNCNT), 0);
	CHECK_OK(op1(id, 0, -1, 0));
	CHECK_EQ(semctl(id, 0, GETZCNT), 2);
	CHECK_OK(op1(id, 0, -1, 0));
	CHECK_EXITED(t_wait(a), 0);
	CHECK_EXITED(t_wait(b), 0);
	CHECK_EQ(semctl(id, 0, GETZCNT), 0);
	rm_set(id);
}

/* Units go to the waiters in the order they came. */
static void case_fifo_handoff(void)
{
	int id = new_set(1);
	pid_t a = spawn_op1(id, 0, -1);

	await_waiters(id, 0, GETNCNT, 1, a);
	pid_t b = spawn_op1(id, 0, -1);
	await_waiters(id, 0, GETNCNT, 2, b);
	CHECK_OK(op1(id, 0, 1, 0));
	CHECK_EXITED(t_wait(a), 0);	/* the first gets it */
	CHECK_EQ(semctl(id, 0, GETPID), a);	/* done in a's name */
	CHECK_EQ(getval(id, 0), 0);
	CHECK_EQ(semctl(id, 0, GETNCNT), 1);
	CHECK_EQ(t_proc_state(b), 'S');
	CHECK_OK(op1(id, 0, 1, 0));
	CHECK_EXITED(t_wait(b), 0);
	CHECK_EQ(semctl(id, 0, GETPID), b);
	rm_set(id);
}

/*
 * Linux is FIFO among the waiters that can proceed, not a strict FIFO:
 * with a -2 waiter ahead of a -1 waiter, +2 goes to the -2 waiter, but
 * +1 goes to the -1 waiter behind it.
 */
static void case_queue_order_linux(void)
{
	int id = new_set(1);
	pid_t two = spawn_op1(id, 0, -2);

	await_waiters(id, 0, GETNCNT, 1, two);
	pid_t one = spawn_op1(id, 0, -1);
	await_waiters(id, 0, GETNCNT, 2, one);
	CHECK_OK(op1(id, 0, 2, 0));
	CHECK_EXITED(t_wait(two), 0);
	CHECK_EQ(getval(id, 0), 0);
	CHECK_EQ(semctl(id, 0, GETNCNT), 1);

	two = spawn_op1(id, 0, -2);
	await_waiters(id, 0, GETNCNT, 2, two);
	CHECK_OK(op1(id, 0, 1, 0));
	CHECK_EXITED(t_wait(one), 0);	/* not held back by the -2 */
	CHECK_EQ(getval(id, 0), 0);
	CHECK_EQ(semctl(id, 0, GETNCNT), 1);
	CHECK_OK(op1(id, 0, 1, 0));
	CHECK_EQ(getval(id, 0), 1);	/* one unit is not enough */
	CHECK_OK(op1(id, 0, 1, 0));
	CHECK_EXITED(t_wait(two), 0);
	CHECK_EQ(getval(id, 0), 0);
	rm_set(id);
}

/*
 * A complex operation waits without applying anything, is counted only
 * on the semaphore it waits for, and completes as a whole.
 */
static void case_complex_wait(void)
{
	int id = new_set(3);
	struct sembuf both[2] = { { 0, -1, 0 }, { 1, -1, 0 } };

	setval(id, 1, 1);
	pid_t c = spawn_semop(id, both, 2);
	await_waiters(id, 0, GETNCNT, 1, c);
	CHECK_EQ(semctl(id, 1, GETNCNT), 0);
	CHECK_EQ(getval(id, 1), 1);	/* nothing applied */
	/* A single waiter on sem 0 queues behind it: one FIFO now. */
	pid_t s = spawn_op1(id, 0, -1);
	await_waiters(id, 0, GETNCNT, 2, s);
	CHECK_OK(op1(id, 0, 1, 0));
	CHECK_EXITED(t_wait(c), 0);	/* the older one gets it */
	CHECK_EQ(getval(id, 0), 0);
	CHECK_EQ(getval(id, 1), 0);
	CHECK_EQ(semctl(id, 0, GETNCNT), 1);
	/* Now c's twin waits on sem 0, blocked; s ahead may proceed. */
	c = spawn_semop(id, both, 2);
	await_waiters(id, 0, GETNCNT, 2, c);
	CHECK_OK(op1(id, 0, 1, 0));
	CHECK_EXITED(t_wait(s), 0);	/* s was first */
	CHECK_OK(op1(id, 1, 1, 0));
	CHECK_EQ(semctl(id, 0, GETNCNT), 1);	/* c now waits on sem 0 */
	CHECK_EQ(semctl(id, 1, GETNCNT), 0);
	CHECK_OK(op1(id, 0, 1, 0));
	CHECK_EXITED(t_wait(c), 0);

	/* A complex wait for zero, counted on its first nonzero one. */
	setval(id, 2, 1);
	struct sembuf zeros[3] = { { 0, 0, 0 }, { 2, 0, 0 }, { 1, 0, 0 } };
	pid_t z = spawn_semop(id, zeros, 3);
	await_waiters(id, 2, GETZCNT, 1, z);
	CHECK_EQ(semctl(id, 0, GETZCNT), 0);
	CHECK_EQ(semctl(id, 1, GETZCNT), 0);
	setval(id, 1, 1);
	setval(id, 2, 0);		/* now it waits on sem 1 */
	await_waiters(id, 1, GETZCNT, 1, z);
	CHECK_EQ(semctl(id, 2, GETZCNT), 0);
	setval(id, 1, 0);
	CHECK_EXITED(t_wait(z), 0);
	rm_set(id);
}

/* SETVAL and SETALL wake the waiters they satisfy. */
static void case_setval_wakes(void)
{
	int id = new_set(2);
	pid_t a = spawn_op1(id, 0, -3);

	await_waiters(id, 0, GETNCNT, 1, a);
	setval(id, 0, 5);
	CHECK_EXITED(t_wait(a), 0);
	CHECK_EQ(getval(id, 0), 2);
	CHECK_EQ(semctl(id, 0, GETPID), a);
	setval(id, 1, 1);
	pid_t z = spawn_op1(id, 1, 0);
	pid_t b = spawn_op1(id, 1, -2);
	await_waiters(id, 1, GETZCNT, 1, z);
	await_waiters(id, 1, GETNCNT, 1, b);
	unsigned short v[2] = { 2, 0 };
	CHECK_OK(semctl(id, 0, SETALL, (union semun){ .array = v }));
	CHECK_EXITED(t_wait(z), 0);
	CHECK_EQ(semctl(id, 1, GETNCNT), 1);
	v[1] = 2;
	CHECK_OK(semctl(id, 0, SETALL, (union semun){ .array = v }));
	CHECK_EXITED(t_wait(b), 0);
	CHECK_EQ(getval(id, 1), 0);
	rm_set(id);
}

static void case_nowait_and_timeout(void)
{
	int id = new_set(1);
	struct sembuf take = { 0, -1, 0 };
	struct timespec ts = { 0, 20 * 1000 * 1000 };

	CHECK_ERR(semtimedop(id, &take, 1, &ts), EAGAIN);
	ts = (struct timespec){ 0, 0 };
	CHECK_ERR(semtimedop(id, &take, 1, &ts), EAGAIN);
	CHECK_EQ(semctl(id, 0, GETNCNT), 0);
	setval(id, 0, 1);
	CHECK_OK(semtimedop(id, &take, 1, &ts));
	struct sembuf nowait = { 0, -1, IPC_NOWAIT };
	CHECK_ERR(semtimedop(id, &nowait, 1, NULL), EAGAIN);
	setval(id, 0, 1);
	struct sembuf zero = { 0, 0, 0 };
	ts = (struct timespec){ 0, 1000 * 1000 };
	CHECK_ERR(semtimedop(id, &zero, 1, &ts), EAGAIN);
	/* Invalid timeouts, even when the operation could proceed. */
	struct sembuf give = { 0, 1, 0 };
	ts = (struct timespec){ 0, 1000000000 };
	CHECK_ERR(semtimedop(id, &give, 1, &ts), EINVAL);
	ts = (struct timespec){ -1, 0 };
	CHECK_ERR(semtimedop(id, &give, 1, &ts), EINVAL);
	ts = (struct timespec){ 0, -1 };
	CHECK_ERR(semtimedop(id, &give, 1, &ts), EINVAL);
	CHECK_ERR(semtimedop(id, &give, 1, t_unmapped_page()), EFAULT);
	/* The timeout is read first of all. */
	CHECK_ERR(semtimedop(id, &give, 0, t_unmapped_page()), EFAULT);
	CHECK_EQ(getval(id, 0), 1);
	/* A timed-out waiter is no longer counted. */
	pid_t c = t_fork();
	if (c == 0) {
		struct timespec t = { 0, 50 * 1000 * 1000 };
		struct sembuf b = { 0, -2, 0 };
		_exit(semtimedop(id, &b, 1, &t) == 0 ? 0 : errno);
	}
	CHECK_EXITED(t_wait(c), EAGAIN);
	CHECK_EQ(semctl(id, 0, GETNCNT), 0);
	rm_set(id);
}

static void on_signal(int sig)
{
	(void)sig;
}

/* A signal ends the sleep with EINTR, even with SA_RESTART. */
static void case_eintr(void)
{
	int id = new_set(1);
	pid_t c = t_fork();

	if (c == 0) {
		struct sigaction sa = { .sa_handler = on_signal,
					.sa_flags = SA_RESTART };
		sigaction(SIGUSR1, &sa, NULL);
		_exit(op1(id, 0, -1, 0) == 0 ? 0 : errno);
	}
	await_waiters(id, 0, GETNCNT, 1, c);
	CHECK_OK(kill(c, SIGUSR1));
	CHECK_EXITED(t_wait(c), EINTR);
	CHECK_EQ(semctl(id, 0, GETNCNT), 0);
	/* A complex waiter too; it leaves the queues as they were. */
	struct sembuf two[2] = { { 0, 0, 0 }, { 0, -1, 0 } };
	c = t_fork();
	if (c == 0) {
		struct sigaction sa = { .sa_handler = on_signal };
		sigaction(SIGUSR1, &sa, NULL);
		_exit(semop(id, two, 2) == 0 ? 0 : errno);
	}
	await_waiters(id, 0, GETNCNT, 1, c);
	CHECK_OK(kill(c, SIGUSR1));
	CHECK_EXITED(t_wait(c), EINTR);
	CHECK_EQ(semctl(id, 0, GETNCNT), 0);
	pid_t w = spawn_op1(id, 0, -1);
	await_waiters(id, 0, GETNCNT, 1, w);
	CHECK_OK(op1(id, 0, 1, 0));
	CHECK_EXITED(t_wait(w), 0);
	rm_set(id);
}

/* IPC_RMID wakes every sleeper with EIDRM. */
static void case_rmid_wakes_all(void)
{
	int id = new_set(2);
	struct sembuf complex[2] = { { 0, -1, 0 }, { 1, 0, 0 } };
	struct sembuf complex_zero[2] = { { 1, 0, 0 }, { 0, 0, 0 } };
	pid_t p[5];

	setval(id, 1, 1);
	p[0] = spawn_op1(id, 0, -1);
	p[1] = spawn_op1(id, 0, -5);
	p[2] = spawn_op1(id, 1, 0);
	p[3] = spawn_semop(id, complex, 2);
	p[4] = spawn_semop(id, complex_zero, 2);
	await_waiters(id, 0, GETNCNT, 3, 0);
	await_waiters(id, 1, GETZCNT, 2, 0);
	for (int i = 0; i < 5; i++)
		await_waiters(id, 0, GETNCNT, 3, p[i]);
	rm_set(id);
	for (int i = 0; i < 5; i++)
		CHECK_EXITED(t_wait(p[i]), EIDRM);
}

/* A sleeper killed with SIGKILL leaves the queue. */
static void case_killed_sleeper(void)
{
	int id = new_set(1);
	pid_t a = spawn_op1(id, 0, -1);
	pid_t b = spawn_op1(id, 0, -1);

	await_waiters(id, 0, GETNCNT, 2, a);
	await_waiters(id, 0, GETNCNT, 2, b);
	CHECK_OK(kill(a, SIGKILL));
	CHECK_SIGNALED(t_wait(a), SIGKILL);
	CHECK_EQ(semctl(id, 0, GETNCNT), 1);
	CHECK_OK(op1(id, 0, 1, 0));
	CHECK_EXITED(t_wait(b), 0);
	CHECK_EQ(getval(id, 0), 0);
	rm_set(id);
}

/* ---- /proc ------------------------------------------------------------- */

/* The whole of a small /proc file. */
static void read_file(const char *path, char *buf, size_t len)
{
	int fd = (int)CHECK_OK(open(path, O_RDONLY));
	size_t used = 0;
	ssize_t n;

	while (used < len - 1 && (n = read(fd, buf + used, len - 1 - used)) > 0)
		used += (size_t)n;
	buf[used] = '\0';
	close(fd);
}

static void case_proc_sysvipc_sem(void)
{
	static const char head[] =
		"       key      semid perms      nsems   uid   gid  cuid  cgid"
		"      otime      ctime\n";
	static char buf[1 << 16];
	key_t key = own_key(4);
	int id = (int)CHECK_OK(semget(key, 3, IPC_CREAT | IPC_EXCL | 0640));
	struct semid_ds ds;
	char want[256];

	CHECK_OK(op1(id, 1, 1, 0));
	CHECK_OK(semctl(id, 0, IPC_STAT, (union semun){ .buf = &ds }));
	snprintf(want, sizeof(want),
		 "%10d %10d  %4o %10u %5u %5u %5u %5u %10llu %10llu\n",
		 (int)key, id, 0640, 3u, (unsigned)geteuid(),
		 (unsigned)getegid(), (unsigned)geteuid(), (unsigned)getegid(),
		 (unsigned long long)ds.sem_otime,
		 (unsigned long long)ds.sem_ctime);
	read_file("/proc/sysvipc/sem", buf, sizeof(buf));
	CHECK(strncmp(buf, head, strlen(head)) == 0);
	if (!strstr(buf, want))
		T_FAIL("no line \"%.*s\" in:\n%s", (int)strlen(want) - 1, want,
		       buf);
	rm_set(id);
	read_file("/proc/sysvipc/sem", buf, sizeof(buf));
	CHECK(!strstr(buf, want));
}

static void write_file(const char *path, const char *s)
{
	int fd = (int)CHECK_OK(open(path, O_WRONLY));
	ssize_t n = write(fd, s, strlen(s));
	int err = errno;

	close(fd);
	errno = err;
	if (n != (ssize_t)strlen(s))
		T_FAIL("write \"%s\" to %s: %zd (errno %s)", s, path, n,
		       t_errname(errno));
}

static void nobody_sysctl(int unused)
{
	(void)unused;
	CHECK_ERR(open("/proc/sys/kernel/sem", O_WRONLY), EACCES);
}

static const char sem_default[] = "32000\t1024000000\t500\t32000\n";

/* The limits, changed in a child; the parent puts them back. */
static void sysctl_child(void)
{
	char buf[128];
	static struct sembuf ops[33];

	write_file("/proc/sys/kernel/sem", "250 32000 32 128\n");
	read_file("/proc/sys/kernel/sem", buf, sizeof(buf));
	CHECK(strcmp(buf, "250\t32000\t32\t128\n") == 0);
	CHECK_ERR(semget(IPC_PRIVATE, 251, IPC_CREAT | 0600), EINVAL);
	int id = new_set(250);
	CHECK_ERR(semop(id, ops, 33), E2BIG);
	CHECK_OK(semop(id, ops, 32));
	struct seminfo si;
	CHECK(semctl(0, 0, IPC_INFO, (union semun){ .__buf = &si }) >= 0);
	CHECK_EQ(si.semmsl, 250);
	CHECK_EQ(si.semopm, 32);
	CHECK_EQ(si.semmni, 128);
	rm_set(id);
	/* SEMMNS: the semaphores in all sets. */
	write_file("/proc/sys/kernel/sem", "250 2 32 128");
	CHECK_ERR(semget(IPC_PRIVATE, 3, IPC_CREAT | 0600), ENOSPC);
	/* Fewer than four numbers change only those. */
	write_file("/proc/sys/kernel/sem", "100");
	read_file("/proc/sys/kernel/sem", buf, sizeof(buf));
	CHECK(strcmp(buf, "100\t2\t32\t128\n") == 0);
	/* SEMMNI above 32768 is ERANGE; the others are kept. */
	int fd = (int)CHECK_OK(open("/proc/sys/kernel/sem", O_WRONLY));
	CHECK_ERR(write(fd, "200 3 33 40000", 14), ERANGE);
	close(fd);
	read_file("/proc/sys/kernel/sem", buf, sizeof(buf));
	CHECK(strcmp(buf, "200\t3\t33\t128\n") == 0);
	fd = (int)CHECK_OK(open("/proc/sys/kernel/sem", O_WRONLY));
	CHECK_ERR(write(fd, "x", 1), EINVAL);
	close(fd);
	/* SEMMNI 0: no new set at all. */
	write_file("/proc/sys/kernel/sem", "250 32000 32 0");
	CHECK_ERR(semget(IPC_PRIVATE, 1, IPC_CREAT | 0600), ENOSPC);
	as_nobody(nobody_sysctl, 0);
}

static void case_proc_sys_kernel_sem(void)
{
	char buf[128];

	read_file("/proc/sys/kernel/sem", buf, sizeof(buf));
	CHECK(strcmp(buf, sem_default) == 0);
	pid_t c = t_fork();
	if (c == 0) {
		sysctl_child();
		_exit(0);
	}
	int status = t_wait(c);
	write_file("/proc/sys/kernel/sem", sem_default);
	CHECK_EXITED(status, 0);
	read_file("/proc/sys/kernel/sem", buf, sizeof(buf));
	CHECK(strcmp(buf, sem_default) == 0);
}

/* ---- leaks ------------------------------------------------------------- */

static void sem_cycles(int rounds)
{
	unsigned short v[3] = { 1, 2, 3 };

	for (int i = 0; i < rounds; i++) {
		int id = new_set(3);
		struct sembuf ops[3] = { { 0, 2, SEM_UNDO }, { 1, -1, 0 },
					 { 2, 1, SEM_UNDO } };

		CHECK_OK(semctl(id, 0, SETALL, (union semun){ .array = v }));
		CHECK_OK(semop(id, ops, 3));
		CHECK_ERR(op1(id, 1, -5, IPC_NOWAIT | SEM_UNDO), EAGAIN);
		rm_set(id);
	}
}

static void case_no_leak(void)
{
	t_check_no_leak("1000 semget/semop/IPC_RMID", sem_cycles, 1000);
}

static const struct t_case cases[] = {
	{ case_semget_create, "semget_create" },
	{ case_semget_keys, "semget_keys" },
	{ case_semget_perms, "semget_perms" },
	{ case_semop_errors, "semop_errors" },
	{ case_semop_basic, "semop_basic" },
	{ case_semop_wait_zero_times, "semop_wait_zero_times" },
	{ case_semop_atomic, "semop_atomic" },
	{ case_semop_erange, "semop_erange" },
	{ case_semop_undo_range, "semop_undo_range" },
	{ case_raw_syscalls, "raw_syscalls" },
	{ case_semctl_values, "semctl_values" },
	{ case_semctl_error_order, "semctl_error_order" },
	{ case_semctl_ipc_set, "semctl_ipc_set" },
	{ case_semctl_info, "semctl_info" },
	{ case_semctl_sem_stat, "semctl_sem_stat" },
	{ case_permissions, "permissions" },
	{ case_wait_for_zero, "wait_for_zero" },
	{ case_fifo_handoff, "fifo_handoff" },
	{ case_queue_order_linux, "queue_order_linux" },
	{ case_complex_wait, "complex_wait" },
	{ case_setval_wakes, "setval_wakes" },
	{ case_nowait_and_timeout, "nowait_and_timeout" },
	{ case_eintr, "eintr" },
	{ case_rmid_wakes_all, "rmid_wakes_all" },
	{ case_killed_sleeper, "killed_sleeper" },
	{ case_proc_sysvipc_sem, "proc_sysvipc_sem" },
	{ case_proc_sys_kernel_sem, "proc_sys_kernel_sem" },
	{ case_no_leak, "no_leak" },
};

int main(int argc, char **argv)
{
	return T_RUN(argc, argv, cases);
}
