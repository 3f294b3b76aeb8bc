/*
 * filemap.c - file-backed mmap: private and shared mappings of tmpfs files
 * in /tmp. (/dev/zero and shm_open: shmopen.c; /proc/self/maps: procmaps.c.)
 *
 * What is checked: mappings show the file's data at any page offset;
 * MAP_SHARED writes, read(2)/write(2) and other mappings (in this process
 * or another) all see one copy of each page; a MAP_PRIVATE page follows the
 * file until it is written, then is a private copy; past the end of the
 * file a whole page raises SIGBUS (BUS_ADRERR, exact si_addr) while the
 * tail of the last page reads zeros; ftruncate takes mapped pages away
 * (even private copies) and gives zeros back; MAP_FIXED, mprotect and fork
 * keep each piece's meaning; the exact errno of each refusal; and no page
 * is leaked.
 *
 * BASALT-ONLY ASSERTION: the leak cases require MemFree to be exactly
 * equal before and after on Basalt and only print the difference on Linux
 * (see leak.c for why).
 */
#define _GNU_SOURCE
#include "t.h"
#include "maptest.h"

#include <sys/stat.h>

#define SHARED MAP_SHARED
#define PRIVATE MAP_PRIVATE

static void case_private_offsets(void)
{
	int fd = make_file("priv", 8 * T_PAGE, NULL);
	char *all = map_fd(8 * T_PAGE, PROT_READ, PRIVATE, fd, 0);
	char *mid = map_fd(3 * T_PAGE, PROT_READ, PRIVATE, fd, 3 * T_PAGE);
	char *last = map_fd(T_PAGE, RW, PRIVATE, fd, 7 * T_PAGE);

	check_pat(all, 0, 8 * T_PAGE);
	check_pat(mid, 3 * T_PAGE, 3 * T_PAGE);
	check_pat(last, 7 * T_PAGE, T_PAGE);
	CHECK_OK(close(fd));		/* the mappings keep the file */
	check_pat(mid, 3 * T_PAGE, 3 * T_PAGE);
	CHECK_OK(munmap(all, 8 * T_PAGE));
	CHECK_OK(munmap(mid, 3 * T_PAGE));
	CHECK_OK(munmap(last, T_PAGE));
}

static void case_shared_offsets(void)
{
	int fd = make_file("shared", 8 * T_PAGE, NULL);
	char *all = map_fd(8 * T_PAGE, RW, SHARED, fd, 0);
	char *mid = map_fd(2 * T_PAGE, PROT_READ, SHARED, fd, 5 * T_PAGE);

	check_pat(all, 0, 8 * T_PAGE);
	check_pat(mid, 5 * T_PAGE, 2 * T_PAGE);
	CHECK_OK(close(fd));
	check_pat(all + 5 * T_PAGE, 5 * T_PAGE, T_PAGE);
	CHECK_OK(munmap(all, 8 * T_PAGE));
	CHECK_OK(munmap(mid, 2 * T_PAGE));
}

static void case_offset_unaligned(void)
{
	int fd = make_file("unaligned", 4 * T_PAGE, NULL);

	CHECK_ERR(mmap(NULL, T_PAGE, PROT_READ, PRIVATE, fd, 100), EINVAL);
	CHECK_ERR(mmap(NULL, T_PAGE, PROT_READ, SHARED, fd, T_PAGE + 1), EINVAL);
	CHECK_ERR(mmap(NULL, T_PAGE, PROT_READ, SHARED, fd, T_PAGE / 2), EINVAL);
	CHECK_OK(close(fd));
}

static void case_shared_write_seen_by_read(void)
{
	int fd = make_file("wr", 4 * T_PAGE, NULL);
	char *p = map_fd(4 * T_PAGE, RW, SHARED, fd, 0);

	p[0] = 'A';
	p[2 * T_PAGE + 17] = 'B';
	CHECK_EQ(file_byte(fd, 0), 'A');
	CHECK_EQ(file_byte(fd, 2 * T_PAGE + 17), 'B');
	CHECK_EQ(file_byte(fd, 1), (unsigned char)pat(1));
	CHECK_EQ(file_size(fd), 4 * T_PAGE);
	CHECK_OK(munmap(p, 4 * T_PAGE));
	CHECK_EQ(file_byte(fd, 2 * T_PAGE + 17), 'B');	/* kept after munmap */
	CHECK_OK(close(fd));
}

static void case_shared_two_mappings(void)
{
	int fd = make_file("two", 4 * T_PAGE, NULL);
	char *a = map_fd(4 * T_PAGE, RW, SHARED, fd, 0);
	char *b = map_fd(2 * T_PAGE, RW, SHARED, fd, 2 * T_PAGE);

	a[2 * T_PAGE + 5] = 'a';
	CHECK_EQ(b[5], 'a');
	b[T_PAGE + 9] = 'b';
	CHECK_EQ(a[3 * T_PAGE + 9], 'b');
	CHECK_OK(munmap(a, 4 * T_PAGE));
	CHECK_OK(munmap(b, 2 * T_PAGE));
	CHECK_OK(close(fd));
}

static void case_shared_other_process(void)
{
	int fd = make_file("proc", 4 * T_PAGE, NULL);
	volatile int *flag = t_shared_ints();
	char *p = map_fd(4 * T_PAGE, RW, SHARED, fd, 0);
	pid_t pid = t_fork();

	if (pid == 0) {
		/* The child's own mapping, at another offset. */
		char *q = map_fd(2 * T_PAGE, RW, SHARED, fd, T_PAGE);
		t_await(flag, 1);
		CHECK_EQ(q[100], 'P');
		q[T_PAGE + 200] = 'C';
		t_post(flag, 2);
		_exit(0);
	}
	p[T_PAGE + 100] = 'P';
	t_post(flag, 1);
	t_await(flag, 2);
	CHECK_EQ(p[2 * T_PAGE + 200], 'C');
	CHECK_EXITED(t_wait(pid), 0);
	CHECK_EQ(file_byte(fd, 2 * T_PAGE + 200), 'C');
	CHECK_OK(munmap(p, 4 * T_PAGE));
	CHECK_OK(close(fd));
}

static void case_pwrite_seen_by_shared(void)
{
	int fd = make_file("pwrite", 4 * T_PAGE, NULL);
	char *a = map_fd(4 * T_PAGE, PROT_READ, SHARED, fd, 0);
	char *b = map_fd(T_PAGE, RW, SHARED, fd, 3 * T_PAGE);

	check_pat(a, 0, 4 * T_PAGE);	/* every page is mapped before the write */
	CHECK_EQ(pwrite(fd, "xyz", 3, 3 * T_PAGE + 10), 3);
	CHECK(memcmp(a + 3 * T_PAGE + 10, "xyz", 3) == 0);
	CHECK(memcmp(b + 10, "xyz", 3) == 0);
	CHECK_EQ(pwrite(fd, "q", 1, 0), 1);
	CHECK_EQ(a[0], 'q');
	CHECK_OK(munmap(a, 4 * T_PAGE));
	CHECK_OK(munmap(b, T_PAGE));
	CHECK_OK(close(fd));
}

static void case_private_follows_file_until_written(void)
{
	int fd = make_file("cow", 2 * T_PAGE, NULL);
	char *p = map_fd(2 * T_PAGE, RW, PRIVATE, fd, 0);

	check_pat(p, 0, 2 * T_PAGE);	/* both pages read, neither written */
	CHECK_EQ(pwrite(fd, "r", 1, 7), 1);
	CHECK_EQ(p[7], 'r');		/* a page only read follows the file */

	p[T_PAGE] = 'w';		/* now page 1 is a private copy */
	CHECK_EQ(pwrite(fd, "ff", 2, T_PAGE), 2);
	CHECK_EQ(p[T_PAGE], 'w');
	CHECK_EQ(p[T_PAGE + 1], pat(T_PAGE + 1));
	CHECK_EQ(pwrite(fd, "g", 1, T_PAGE + 100), 1);
	CHECK_EQ(p[T_PAGE + 100], pat(T_PAGE + 100));

	/* Writes through a private mapping never reach the file. */
	CHECK_EQ(file_byte(fd, T_PAGE), 'f');
	p[8] = 'p';
	CHECK_EQ(file_byte(fd, 8), (unsigned char)pat(8));
	CHECK_OK(munmap(p, 2 * T_PAGE));
	CHECK_EQ(file_byte(fd, 8), (unsigned char)pat(8));
	CHECK_OK(close(fd));
}

/* A whole page past EOF: reads and writes raise SIGBUS/BUS_ADRERR at addr. */
#define check_sigbus(addr)                                                 \
	do {                                                               \
		check_fault((addr), -1, SIGBUS, BUS_ADRERR);               \
		check_fault((addr), 1, SIGBUS, BUS_ADRERR);                \
	} while (0)

static void sigbus_beyond_eof(int flags)
{
	size_t size = T_PAGE + 100;
	int fd = make_file("eof", size, NULL);
	char *p = map_fd(3 * T_PAGE, RW, flags, fd, 0);

	check_pat(p, 0, size);
	/* The rest of the last page reads zeros and takes writes... */
	check_bytes(p + size, T_PAGE - 100, 0);
	CHECK_EQ(probe_write(p + T_PAGE + 200, 'z'), 0);
	CHECK_EQ(p[T_PAGE + 200], 'z');
	/* ...which do not make the file any longer. */
	CHECK_EQ(file_size(fd), (off_t)size);
	CHECK_EQ(file_byte(fd, size), -1);
	check_sigbus(p + 2 * T_PAGE + 123);
	check_sigbus(p + 2 * T_PAGE);
	CHECK_OK(munmap(p, 3 * T_PAGE));

	/* A mapping that starts past EOF is made; touching it is SIGBUS. */
	p = map_fd(T_PAGE, RW, flags, fd, 4 * T_PAGE);
	check_sigbus(p + 7);
	CHECK_OK(munmap(p, T_PAGE));
	CHECK_OK(close(fd));
}

static void case_sigbus_beyond_eof_shared(void)
{
	sigbus_beyond_eof(SHARED);
}

static void case_sigbus_beyond_eof_private(void)
{
	sigbus_beyond_eof(PRIVATE);
}

static void case_truncate_shared(void)
{
	int fd = make_file("trunc", 4 * T_PAGE, NULL);
	char *p = map_fd(4 * T_PAGE, RW, SHARED, fd, 0);

	check_pat(p, 0, 4 * T_PAGE);
	CHECK_OK(ftruncate(fd, T_PAGE + 100));
	check_pat(p, 0, T_PAGE + 100);
	/* The cut part of the last page is zeroed in the mapping. */
	check_bytes(p + T_PAGE + 100, T_PAGE - 100, 0);
	check_sigbus(p + 2 * T_PAGE + 1);
	check_sigbus(p + 3 * T_PAGE);

	/* Growing again brings back zero pages, not the old data. */
	CHECK_OK(ftruncate(fd, 4 * T_PAGE));
	check_bytes(p + T_PAGE + 100, 3 * T_PAGE - 100, 0);
	p[3 * T_PAGE] = 'n';
	CHECK_EQ(file_byte(fd, 3 * T_PAGE), 'n');
	CHECK_OK(munmap(p, 4 * T_PAGE));
	CHECK_OK(close(fd));
}

static void case_truncate_private(void)
{
	int fd = make_file("truncp", 4 * T_PAGE, NULL);
	char *p = map_fd(4 * T_PAGE, RW, PRIVATE, fd, 0);

	check_pat(p, 0, 4 * T_PAGE);
	p[3 * T_PAGE] = 'c';		/* page 3 becomes a private copy */
	p[0] = 'k';			/* and so does page 0, which stays */
	CHECK_OK(ftruncate(fd, 2 * T_PAGE));
	check_sigbus(p + 2 * T_PAGE);
	/* Linux removes even the private copy of a truncated page. */
	check_sigbus(p + 3 * T_PAGE);
	CHECK_EQ(p[0], 'k');
	check_pat(p + 1, 1, 2 * T_PAGE - 1);

	CHECK_OK(ftruncate(fd, 4 * T_PAGE));
	check_bytes(p + 2 * T_PAGE, 2 * T_PAGE, 0);
	CHECK_OK(munmap(p, 4 * T_PAGE));
	CHECK_OK(close(fd));
}

static void case_map_fixed_anon_in_file_map(void)
{
	int fd = make_file("fixed", 3 * T_PAGE, NULL);
	char *p = map_fd(3 * T_PAGE, RW, SHARED, fd, 0);
	char *q = mmap(p + T_PAGE, T_PAGE, RW, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
		       -1, 0);

	CHECK(q == p + T_PAGE);
	check_bytes(q, T_PAGE, 0);
	q[0] = 'm';
	CHECK_EQ(file_byte(fd, T_PAGE), (unsigned char)pat(T_PAGE));
	/* Both remaining pieces are still the shared file mapping. */
	p[0] = 'A';
	p[2 * T_PAGE] = 'C';
	CHECK_EQ(file_byte(fd, 0), 'A');
	CHECK_EQ(file_byte(fd, 2 * T_PAGE), 'C');
	CHECK_EQ(pwrite(fd, "w", 1, 2 * T_PAGE + 1), 1);
	CHECK_EQ(p[2 * T_PAGE + 1], 'w');
	check_pat(p + 2 * T_PAGE + 2, 2 * T_PAGE + 2, T_PAGE - 2);
	CHECK_OK(munmap(p, 3 * T_PAGE));
	CHECK_OK(close(fd));
}

static void case_mprotect_split_file_map(void)
{
	int fd = make_file("mprot", 3 * T_PAGE, NULL);
	char *p = map_fd(3 * T_PAGE, RW, SHARED, fd, 0);

	CHECK_OK(mprotect(p + T_PAGE, T_PAGE, PROT_READ));
	check_pat(p, 0, 3 * T_PAGE);
	check_fault(p + T_PAGE + 5, 'x', SIGSEGV, SEGV_ACCERR);
	CHECK_EQ(file_byte(fd, T_PAGE + 5), (unsigned char)pat(T_PAGE + 5));
	p[0] = 'A';
	p[2 * T_PAGE] = 'C';
	CHECK_EQ(file_byte(fd, 0), 'A');
	CHECK_EQ(file_byte(fd, 2 * T_PAGE), 'C');
	CHECK_OK(mprotect(p + T_PAGE, T_PAGE, RW));
	p[T_PAGE + 5] = 'B';
	CHECK_EQ(file_byte(fd, T_PAGE + 5), 'B');
	CHECK_OK(munmap(p, 3 * T_PAGE));

	/* A private copy survives the split too. */
	p = map_fd(3 * T_PAGE, RW, PRIVATE, fd, 0);
	p[T_PAGE] = 'v';
	CHECK_OK(mprotect(p, 2 * T_PAGE, PROT_READ));
	CHECK_EQ(p[T_PAGE], 'v');
	CHECK_EQ(p[1], pat(1));
	check_fault(p + T_PAGE, 'x', SIGSEGV, SEGV_ACCERR);
	CHECK_EQ(probe_write(p + 2 * T_PAGE, 'x'), 0);
	CHECK_EQ(file_byte(fd, 2 * T_PAGE), 'C');
	CHECK_OK(munmap(p, 3 * T_PAGE));
	CHECK_OK(close(fd));
}

static void case_fork_shared_and_private(void)
{
	int fd = make_file("fork", 2 * T_PAGE, NULL);
	char *s = map_fd(2 * T_PAGE, RW, SHARED, fd, 0);
	char *v = map_fd(2 * T_PAGE, RW, PRIVATE, fd, 0);

	v[0] = 'p';			/* a private copy before the fork */
	pid_t pid = t_fork();
	if (pid == 0) {
		CHECK_EQ(v[0], 'p');
		s[10] = 's';
		v[0] = 'c';
		v[T_PAGE + 10] = 'c';
		_exit(0);
	}
	CHECK_EXITED(t_wait(pid), 0);
	CHECK_EQ(s[10], 's');
	CHECK_EQ(file_byte(fd, 10), 's');
	CHECK_EQ(v[0], 'p');
	CHECK_EQ(v[T_PAGE + 10], pat(T_PAGE + 10));
	CHECK_EQ(file_byte(fd, T_PAGE + 10), (unsigned char)pat(T_PAGE + 10));
	CHECK_OK(munmap(s, 2 * T_PAGE));
	CHECK_OK(munmap(v, 2 * T_PAGE));
	CHECK_OK(close(fd));
}

static void case_errno_not_mappable(void)
{
	int dir = CHECK_OK(open("/tmp", O_RDONLY | O_DIRECTORY));
	int null = CHECK_OK(open("/dev/null", O_RDWR));
	int pipefd[2];

	CHECK_OK(pipe(pipefd));
	CHECK_ERR(mmap(NULL, T_PAGE, PROT_READ, PRIVATE, dir, 0), ENODEV);
	CHECK_ERR(mmap(NULL, T_PAGE, PROT_READ, SHARED, dir, 0), ENODEV);
	CHECK_ERR(mmap(NULL, T_PAGE, PROT_READ, PRIVATE, pipefd[0], 0), ENODEV);
	CHECK_ERR(mmap(NULL, T_PAGE, PROT_READ, SHARED, pipefd[0], 0), ENODEV);
	/* The write end is not readable: Linux checks that first (EACCES). */
	CHECK_ERR(mmap(NULL, T_PAGE, PROT_WRITE, SHARED, pipefd[1], 0), EACCES);
	CHECK_ERR(mmap(NULL, T_PAGE, PROT_READ, SHARED, null, 0), ENODEV);
	CHECK_OK(close(dir));
	CHECK_OK(close(null));
	CHECK_OK(close(pipefd[0]));
	CHECK_OK(close(pipefd[1]));
}

static void case_errno_access(void)
{
	char path[64];
	int fd = make_file("acc", T_PAGE, path);
	int wr = CHECK_OK(open(path, O_WRONLY));
	int rd = CHECK_OK(open(path, O_RDONLY));

	CHECK_OK(unlink(path));
	/* Every mapping reads, so a write-only descriptor is refused. */
	CHECK_ERR(mmap(NULL, T_PAGE, PROT_WRITE, SHARED, wr, 0), EACCES);
	CHECK_ERR(mmap(NULL, T_PAGE, PROT_READ, PRIVATE, wr, 0), EACCES);
	CHECK_ERR(mmap(NULL, T_PAGE, RW, SHARED, rd, 0), EACCES);

	/* Shared read-only is fine, but may never become writable. */
	char *s = map_fd(T_PAGE, PROT_READ, SHARED, rd, 0);
	CHECK_ERR(mprotect(s, T_PAGE, RW), EACCES);
	check_pat(s, 0, T_PAGE);
	CHECK_OK(munmap(s, T_PAGE));
	CHECK_OK(close(wr));
	CHECK_OK(close(rd));
	CHECK_OK(close(fd));
}

static void case_private_write_on_rdonly_fd(void)
{
	char path[64];
	int fd = make_file("rdonly", T_PAGE, path);
	int rd = CHECK_OK(open(path, O_RDONLY));

	CHECK_OK(unlink(path));
	/* A private copy is never written back, so reading is enough. */
	char *p = map_fd(T_PAGE, RW, PRIVATE, rd, 0);
	p[3] = 'w';
	CHECK_EQ(p[3], 'w');
	CHECK_EQ(file_byte(fd, 3), (unsigned char)pat(3));
	CHECK_OK(munmap(p, T_PAGE));
	CHECK_OK(close(rd));
	CHECK_OK(close(fd));
}

static void case_errno_bad_fd(void)
{
	int fd = make_file("badfd", T_PAGE, NULL);

	CHECK_OK(close(fd));
	CHECK_ERR(mmap(NULL, T_PAGE, PROT_READ, PRIVATE, fd, 0), EBADF);
	CHECK_ERR(mmap(NULL, T_PAGE, PROT_READ, SHARED, -1, 0), EBADF);
	CHECK_ERR(mmap(NULL, T_PAGE, PROT_READ, SHARED, 12345, 0), EBADF);
}

static void case_exec_file_map(void)
{
	int fd = make_file("exec", 2 * T_PAGE, NULL);

	CHECK_EQ(pwrite(fd, "\xc3", 1, T_PAGE + 64), 1);	/* ret */
	char *p = map_fd(T_PAGE, PROT_READ | PROT_EXEC, PRIVATE, fd, T_PAGE);
	((void (*)(void))(p + 64))();
	CHECK_OK(munmap(p, T_PAGE));
	p = map_fd(T_PAGE, PROT_READ | PROT_EXEC, SHARED, fd, T_PAGE);
	((void (*)(void))(p + 64))();
	CHECK_OK(munmap(p, T_PAGE));
	CHECK_OK(close(fd));
}

static void case_populate(void)
{
	int fd = make_file("populate", 8 * T_PAGE, NULL);
	char *s = map_fd(8 * T_PAGE, RW, SHARED | MAP_POPULATE, fd, 0);
	char *v = map_fd(8 * T_PAGE, RW, PRIVATE | MAP_POPULATE, fd, 0);

	check_pat(s, 0, 8 * T_PAGE);
	check_pat(v, 0, 8 * T_PAGE);
	s[5] = 's';
	CHECK_EQ(file_byte(fd, 5), 's');
	CHECK_OK(munmap(s, 8 * T_PAGE));
	CHECK_OK(munmap(v, 8 * T_PAGE));

	/* Pages past EOF cannot be populated, but the mmap still works. */
	CHECK_OK(ftruncate(fd, T_PAGE));
	s = map_fd(4 * T_PAGE, RW, SHARED | MAP_POPULATE, fd, 0);
	CHECK_EQ(s[5], 's');
	check_sigbus(s + 2 * T_PAGE);
	CHECK_OK(munmap(s, 4 * T_PAGE));
	CHECK_OK(close(fd));
}

/* ---- Leaks: the harness's protocol (t_check_no_leak) on a file. */

#define LEAK_PAGES 16

static int leak_fd = -1;	/* a LEAK_PAGES file made before measuring */

static void measure(const char *what, void (*work)(int), int rounds)
{
	leak_fd = make_file("leak", LEAK_PAGES * T_PAGE, NULL);
	t_check_no_leak(what, work, rounds);
	CHECK_OK(close(leak_fd));
}

static void touch_pages(char *p, size_t len, char v)
{
	for (size_t off = 0; off < len; off += T_PAGE)
		((volatile char *)p)[off] = v;
}

static void map_touch_unmap(int rounds, int flags)
{
	size_t len = LEAK_PAGES * T_PAGE;

	for (int i = 0; i < rounds; i++) {
		char *p = map_fd(len, RW, flags, leak_fd, 0);
		touch_pages(p, len, (char)i);
		CHECK_OK(munmap(p, len));
	}
}

static void private_rounds(int rounds)
{
	map_touch_unmap(rounds, PRIVATE);
}

static void shared_rounds(int rounds)
{
	map_touch_unmap(rounds, SHARED);
}

static void case_leak_private_map(void)
{
	measure("1000 x private map+write 16 pages+unmap", private_rounds, 1000);
}

static void case_leak_shared_map(void)
{
	measure("1000 x shared map+write 16 pages+unmap", shared_rounds, 1000);
}

static void truncate_rounds(int rounds)
{
	size_t len = LEAK_PAGES * T_PAGE;

	for (int i = 0; i < rounds; i++) {
		int fd = make_file("leaktr", len, NULL);
		char *s = map_fd(len, RW, SHARED, fd, 0);
		char *v = map_fd(len, RW, PRIVATE, fd, 0);
		touch_pages(s, len, 's');
		touch_pages(v, len / 2, 'v');	/* half are private copies */
		CHECK_OK(ftruncate(fd, T_PAGE));
		CHECK_OK(munmap(s, len));
		CHECK_OK(munmap(v, len));
		CHECK_OK(close(fd));
	}
}

static void case_leak_truncate_mapped(void)
{
	measure("200 x map 16 pages+truncate to 1+unmap", truncate_rounds, 200);
}

static void fork_rounds(int rounds)
{
	size_t len = LEAK_PAGES * T_PAGE;
	char *s = map_fd(len, RW, SHARED, leak_fd, 0);
	char *v = map_fd(len, RW, PRIVATE, leak_fd, 0);

	touch_pages(v, len, 'p');
	for (int i = 0; i < rounds; i++) {
		pid_t pid = t_fork();
		if (pid == 0) {
			touch_pages(s, len, (char)i);
			touch_pages(v, len, 'c');
			_exit(0);	/* exits holding both mappings */
		}
		CHECK_EXITED(t_wait(pid), 0);
	}
	CHECK_OK(munmap(s, len));
	CHECK_OK(munmap(v, len));
}

static void case_leak_fork_with_maps(void)
{
	measure("200 x fork+write file maps+exit", fork_rounds, 200);
}

static const struct t_case cases[] = {
	{ case_private_offsets, "private_offsets" },
	{ case_shared_offsets, "shared_offsets" },
	{ case_offset_unaligned, "offset_unaligned" },
	{ case_shared_write_seen_by_read, "shared_write_seen_by_read" },
	{ case_shared_two_mappings, "shared_two_mappings" },
	{ case_shared_other_process, "shared_other_process" },
	{ case_pwrite_seen_by_shared, "pwrite_seen_by_shared" },
	{ case_private_follows_file_until_written, "private_follows_file_until_written" },
	{ case_sigbus_beyond_eof_shared, "sigbus_beyond_eof_shared" },
	{ case_sigbus_beyond_eof_private, "sigbus_beyond_eof_private" },
	{ case_truncate_shared, "truncate_shared" },
	{ case_truncate_private, "truncate_private" },
	{ case_map_fixed_anon_in_file_map, "map_fixed_anon_in_file_map" },
	{ case_mprotect_split_file_map, "mprotect_split_file_map" },
	{ case_fork_shared_and_private, "fork_shared_and_private" },
	{ case_errno_not_mappable, "errno_not_mappable" },
	{ case_errno_access, "errno_access" },
	{ case_private_write_on_rdonly_fd, "private_write_on_rdonly_fd" },
	{ case_errno_bad_fd, "errno_bad_fd" },
	{ case_exec_file_map, "exec_file_map" },
	{ case_populate, "populate" },
	{ case_leak_private_map, "leak_private_map" },
	{ case_leak_shared_map, "leak_shared_map" },
	{ case_leak_truncate_mapped, "leak_truncate_mapped" },
	{ case_leak_fork_with_maps, "leak_fork_with_maps" },
};

int main(int argc, char **argv)
{
	return T_RUN(argc, argv, cases);
}
