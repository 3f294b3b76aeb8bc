/*
 * unistd.c - libbasalt's start-up and system interface: argv, environ
 * and the auxiliary vector; exit running atexit handlers newest first
 * and then flushing stdio (and _exit doing neither); file, process, pipe,
 * mapping, break, time and uname wrappers with their errno values;
 * buffered files through fopen; and the System V semaphore and shared
 * memory wrappers with the report's getsem/p/v/freesem and mutex
 * interface. Each System V case first probes its own facility and reports
 * SKIP (t_skip) where the kernel lacks it (the call says ENOSYS): Basalt
 * gains shared memory and semaphores separately.
 */
#include <basalt/sem.h>
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/time.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "t.h"
#include "capture.h"

static char **saved_argv;

static void case_start_state(void)
{
	CHECK(saved_argv[0] != NULL && strstr(saved_argv[0], "unistd") != NULL);
	CHECK(environ != NULL);
	CHECK_EQ(getauxval(AT_PAGESZ), 4096);
	CHECK_EQ(getpagesize(), 4096);
	CHECK_EQ(sysconf(_SC_PAGESIZE), 4096);
	CHECK(getauxval(AT_RANDOM) != 0);
	errno = 0;
	CHECK_EQ(getauxval(12345), 0);
	CHECK_EQ(errno, ENOENT);
}

static void first(void) { write(1, "1", 1); }
static void second(void) { write(1, "2", 1); }

static int exit_in_order(void *arg)
{
	(void)arg;
	atexit(first);
	atexit(second);
	printf("buffered");		/* flushed after the handlers */
	return 0;
}

static int underscore_exit(void *arg)
{
	(void)arg;
	printf("lost");
	_exit(3);
}

static void case_exit(void)
{
	static char out[64];

	CHECK_EXITED(capture_child(exit_in_order, NULL, out, sizeof(out)), 0);
	check_text(out, "21buffered");
	CHECK_EXITED(capture_child(underscore_exit, NULL, out, sizeof(out)), 3);
	check_text(out, "");
}

static void case_files(void)
{
	const char *path = "/tmp/libbasalt-unistd";
	char buf[32] = "";

	int fd = CHECK_OK(open(path, O_CREAT | O_TRUNC | O_RDWR, 0644));
	CHECK_EQ(write(fd, "hello world", 11), 11);
	CHECK_EQ(lseek(fd, 6, SEEK_SET), 6);
	CHECK_EQ(read(fd, buf, sizeof(buf)), 5);
	CHECK(memcmp(buf, "world", 5) == 0);
	CHECK_EQ(pread(fd, buf, 5, 0), 5);
	CHECK(memcmp(buf, "hello", 5) == 0);
	int fd2 = CHECK_OK(dup(fd));
	CHECK_OK(dup2(fd, 20));
	CHECK_EQ(dup2(20, 20), 20);
	CHECK_OK(close(20));
	CHECK_OK(close(fd2));
	CHECK_OK(close(fd));
	CHECK_OK(access(path, R_OK));
	CHECK_ERR(open("/no/such/file", O_RDONLY), ENOENT);
	CHECK_ERR(close(-1), EBADF);
	CHECK_ERR(read(-1, buf, 1), EBADF);

	FILE *f = fopen(path, "w");
	CHECK(f != NULL);
	CHECK(fputs("line one\n", f) >= 0);
	CHECK_EQ(fprintf(f, "line %d\n", 2), 7);
	CHECK_EQ(fclose(f), 0);
	f = fopen(path, "r");
	CHECK(f != NULL);
	CHECK(fgets(buf, sizeof(buf), f) && strcmp(buf, "line one\n") == 0);
	CHECK_EQ(fgetc(f), 'l');
	CHECK_EQ(ungetc('L', f), 'L');
	CHECK_EQ(fread(buf, 1, sizeof(buf), f), 7);
	CHECK(memcmp(buf, "Line 2\n", 7) == 0);
	CHECK_EQ(fgetc(f), EOF);
	CHECK(feof(f));
	CHECK_EQ(fclose(f), 0);
	CHECK(fopen("/no/such/dir/x", "r") == NULL);
	CHECK_EQ(errno, ENOENT);
	CHECK_OK(unlink(path));
	CHECK_ERR(unlink(path), ENOENT);
	CHECK(getcwd(buf, sizeof(buf)) != NULL);
}

static void case_processes(void)
{
	int fds[2];
	char c = 0;

	CHECK_OK(pipe(fds));
	pid_t parent = getpid();
	pid_t pid = t_fork();
	if (pid == 0) {
		c = getppid() == parent ? 'y' : 'n';
		write(fds[1], &c, 1);
		_exit(5);
	}
	CHECK_EQ(read(fds[0], &c, 1), 1);
	CHECK_EQ(c, 'y');
	int status;
	CHECK_EQ(waitpid(pid, &status, 0), pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 5);
	CHECK_ERR(waitpid(-1, &status, WNOHANG), ECHILD);

	/* vfork and exec this program, which exits 7 when told to. */
	char *argv[] = { saved_argv[0], "--exit7", NULL };
	pid = vfork();
	if (pid == 0) {
		execve(t_self(), argv, environ);
		_exit(99);
	}
	CHECK(pid > 0);
	CHECK_EXITED(t_wait(pid), 7);
	close(fds[0]);
	close(fds[1]);
}

static void case_mappings(void)
{
	char *p = mmap(NULL, 8192, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	CHECK(p != MAP_FAILED);
	p[8191] = 1;
	CHECK_OK(mprotect(p, 4096, PROT_READ));
	CHECK_OK(munmap(p, 8192));
	errno = 0;
	CHECK(mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) ==
	      MAP_FAILED);
	CHECK_EQ(errno, EINVAL);
	CHECK_ERR(munmap((void *)1, 4096), EINVAL);
}

static void case_break(void)
{
	char *old = sbrk(0);

	CHECK(sbrk(8192) == old);
	CHECK(sbrk(0) == old + 8192);
	old[8191] = 1;
	CHECK_OK(brk(old));
	/* malloc still works with a break someone else moved. */
	void *p = malloc(100);
	CHECK(p != NULL);
	free(p);
	CHECK_EQ(malloc_check(), 0);
}

static long ns_between(const struct timespec *a, const struct timespec *b)
{
	return (b->tv_sec - a->tv_sec) * 1000000000L + (b->tv_nsec - a->tv_nsec);
}

static void case_time(void)
{
	struct timespec a, b, res;
	struct timeval tv;

	CHECK_OK(clock_gettime(CLOCK_MONOTONIC, &a));
	struct timespec nap = { 0, 20 * 1000 * 1000 };
	CHECK_OK(nanosleep(&nap, NULL));
	CHECK_OK(clock_gettime(CLOCK_MONOTONIC, &b));
	CHECK(ns_between(&a, &b) >= 20 * 1000 * 1000);
	CHECK_OK(clock_getres(CLOCK_MONOTONIC, &res));
	CHECK_OK(gettimeofday(&tv, NULL));
	time_t t = 0;
	CHECK(time(&t) == t);
	CHECK_EQ(sleep(0), 0);
	CHECK_OK(usleep(1000));
	CHECK_ERR(clock_gettime(12345, &a), EINVAL);
}

static void case_uname(void)
{
	struct utsname u;

	CHECK_OK(uname(&u));
	CHECK(strcmp(u.sysname, "Linux") == 0);
	CHECK(strcmp(u.machine, "x86_64") == 0);
	CHECK_OK(sched_yield());
}

/*
 * The kernel has System V semaphores unless semget says ENOSYS, and shared
 * memory unless shmget does; each probe removes what it made.
 */
static void require_semaphores(void)
{
	int id = semget(IPC_PRIVATE, 1, 0600);

	if (id < 0 && errno == ENOSYS)
		t_skip("no System V semaphores in this kernel (semget: ENOSYS)");
	CHECK(id >= 0);
	CHECK_OK(semctl(id, 0, IPC_RMID));
}

static void require_shared_memory(void)
{
	int id = shmget(IPC_PRIVATE, 4096, 0600);

	if (id < 0 && errno == ENOSYS)
		t_skip("no System V shared memory in this kernel (shmget: ENOSYS)");
	CHECK(id >= 0);
	CHECK_OK(shmctl(id, IPC_RMID, NULL));
}

static void case_semaphores(void)
{
	require_semaphores();
	int s = CHECK_OK(getsem(2));
	CHECK_EQ(semctl(s, 0, GETVAL), 2);
	CHECK_OK(p(s));
	CHECK_OK(p(s));
	CHECK_EQ(semctl(s, 0, GETVAL), 0);
	CHECK_OK(v(s));
	CHECK_EQ(semctl(s, 0, GETVAL), 1);
	struct sembuf take = { 0, -2, IPC_NOWAIT };
	CHECK_ERR(semop(s, &take, 1), EAGAIN);
	CHECK_OK(freesem(s));
	CHECK_ERR(p(s), EINVAL);

	int m = CHECK_OK(mutex_get());
	CHECK_OK(mutex_lock(m));
	CHECK_EQ(semctl(m, 0, GETVAL), 0);
	CHECK_OK(mutex_unlock(m));
	CHECK_OK(freesem(m));
}

static void case_shared_memory(void)
{
	require_shared_memory();
	int id = CHECK_OK(shmget(IPC_PRIVATE, 8192, IPC_CREAT | 0600));
	char *a = shmat(id, NULL, 0);
	CHECK(a != (void *)-1);
	pid_t pid = t_fork();
	if (pid == 0) {
		strcpy(a, "from the child");
		_exit(0);
	}
	CHECK_EXITED(t_wait(pid), 0);
	CHECK(strcmp(a, "from the child") == 0);
	struct shmid_ds ds;
	CHECK_OK(shmctl(id, IPC_STAT, &ds));
	CHECK_EQ(ds.shm_segsz, 8192);
	CHECK_EQ(ds.shm_nattch, 1);
	CHECK_OK(shmdt(a));
	CHECK_OK(shmctl(id, IPC_RMID, NULL));
}

static const struct t_case cases[] = {
	{ case_start_state, "start_state" },
	{ case_exit, "exit" },
	{ case_files, "files" },
	{ case_processes, "processes" },
	{ case_mappings, "mappings" },
	{ case_break, "break" },
	{ case_time, "time" },
	{ case_uname, "uname" },
	{ case_semaphores, "semaphores" },
	{ case_shared_memory, "shared_memory" },
};

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "--exit7") == 0)
		_exit(7);
	saved_argv = argv;
	return T_RUN(argc, argv, cases);
}
