/*
 * lockdep_stats.c - the lock-order checker is on in Basalt's test boots
 * (the "lockdep" word, docs/locking.md) and still checking: it has
 * recorded classes and order pairs, has room left, and taking a lock
 * order it may not have seen yet (an epoll instance watching another
 * that watches a pipe, polled and woken) leaves it on. An inversion
 * would have panicked the kernel, ending the whole run.
 *
 * Linux (Debian's kernel has no CONFIG_LOCKDEP) has no /proc/lockdep_stats:
 * the case skips there, and on a Basalt boot without the word.
 */
#include "t.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

struct stats {
	unsigned int classes, max_classes, pairs, max_pairs;
	int on;
};

/* 0, or -1 when the file does not exist. */
static int read_stats(struct stats *st)
{
	char buf[512];
	int fd = open("/proc/lockdep_stats", O_RDONLY);

	if (fd < 0 && errno == ENOENT)
		return -1;
	CHECK(fd >= 0);
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	CHECK(n > 0);
	buf[n] = '\0';
	close(fd);
	CHECK_EQ(sscanf(buf, " lock-classes: %u [max: %u]"
			     " direct dependencies: %u [max: %u]"
			     " debug_locks: %d",
			&st->classes, &st->max_classes, &st->pairs,
			&st->max_pairs, &st->on), 5);
	return 0;
}

static void case_checking(void)
{
	struct stats st;

	if (read_stats(&st) < 0)
		t_skip("no /proc/lockdep_stats (no lock-order checker on)");
	t_note("%u of %u classes, %u of %u pairs", st.classes,
	       st.max_classes, st.pairs, st.max_pairs);
	CHECK_EQ(st.on, 1);
	CHECK(st.classes > 10 && st.classes < st.max_classes);
	CHECK(st.pairs > 10 && st.pairs < st.max_pairs);
}

static void case_nested_epoll(void)
{
	struct stats before, after;
	struct epoll_event ev = { .events = EPOLLIN }, out;
	int p[2], inner, outer;

	if (read_stats(&before) < 0)
		t_skip("no /proc/lockdep_stats (no lock-order checker on)");
	CHECK_OK(pipe(p));
	inner = epoll_create1(0);
	outer = epoll_create1(0);
	CHECK(inner >= 0 && outer >= 0);
	CHECK_OK(epoll_ctl(inner, EPOLL_CTL_ADD, p[0], &ev));
	CHECK_OK(epoll_ctl(outer, EPOLL_CTL_ADD, inner, &ev));
	CHECK_EQ(write(p[1], "x", 1), 1);
	CHECK_EQ(epoll_wait(outer, &out, 1, 0), 1);
	CHECK_EQ(epoll_wait(inner, &out, 1, 0), 1);
	CHECK_OK(read_stats(&after));
	CHECK_EQ(after.on, 1);
	CHECK(after.pairs >= before.pairs);
	close(outer);
	close(inner);
	close(p[0]);
	close(p[1]);
}

static const struct t_case cases[] = {
	{ case_checking, "checking" },
	{ case_nested_epoll, "nested_epoll" },
};

int main(int argc, char **argv) { return T_RUN(argc, argv, cases); }
