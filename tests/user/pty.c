/*
 * pty.c - Unix 98 pseudo-terminals: /dev/ptmx, devpts, and the C
 * library's posix_openpt/grantpt/unlockpt/ptsname on top of them.
 *
 * main() mounts devpts on /dev/pts and makes /dev/ptmx (5:2) and
 * /dev/tty (5:0) if the initramfs has none, as an init would, and undoes
 * what it did at the end. Each case then opens a pair. On Linux, bytes cross a pair through
 * a work queue, so reads here block (or poll) for what must arrive, and
 * never assume it already has.
 */
#define _GNU_SOURCE
#include "t.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sched.h>
#include <termios.h>
#include <unistd.h>

struct pair {
	int master, slave;
	char name[64];
};

static struct pair open_pair(void)
{
	struct pair p;
	char *name;

	p.master = CHECK_OK(posix_openpt(O_RDWR | O_NOCTTY));
	CHECK_OK(grantpt(p.master));
	CHECK_OK(unlockpt(p.master));
	name = ptsname(p.master);
	CHECK(name != NULL);
	snprintf(p.name, sizeof(p.name), "%s", name);
	p.slave = CHECK_OK(open(p.name, O_RDWR | O_NOCTTY));
	return p;
}

/* Read exactly len bytes from fd into buf (in as many reads as it takes). */
static void read_exactly(int fd, char *buf, size_t len)
{
	size_t got = 0;

	while (got < len) {
		ssize_t n = CHECK_OK(read(fd, buf + got, len - got));

		CHECK(n > 0);
		got += (size_t)n;
	}
}

/* Read exactly want from fd. */
static void expect_bytes(int fd, const char *want)
{
	size_t len = strlen(want);
	char buf[256];

	read_exactly(fd, buf, len);
	if (memcmp(buf, want, len))
		T_FAIL("read \"%.*s\", want \"%s\"", (int)len, buf, want);
}

/* Read exactly as many bytes as want (or alt, as long) and accept
 * either: for output of two processes whose order another CPU decides. */
static void expect_either(int fd, const char *want, const char *alt)
{
	size_t len = strlen(want);
	char buf[256];

	read_exactly(fd, buf, len);
	if (memcmp(buf, want, len) && memcmp(buf, alt, len))
		T_FAIL("read \"%.*s\", want \"%s\" or \"%s\"", (int)len,
		       buf, want, alt);
}

static void put(int fd, const char *s)
{
	CHECK_EQ(write(fd, s, strlen(s)), (ssize_t)strlen(s));
}

static void case_open_and_names(void)
{
	int m = CHECK_OK(posix_openpt(O_RDWR | O_NOCTTY));
	unsigned int n = ~0U;
	char want[32];
	struct stat st;
	int fd;

	CHECK_OK(grantpt(m));
	CHECK_OK(ioctl(m, TIOCGPTN, &n));
	snprintf(want, sizeof(want), "/dev/pts/%u", n);
	CHECK(ptsname(m) && !strcmp(ptsname(m), want));
	/* Locked until unlockpt. */
	CHECK_ERR(open(want, O_RDWR | O_NOCTTY), EIO);
	CHECK_OK(unlockpt(m));
	fd = CHECK_OK(open(want, O_RDWR | O_NOCTTY));
	CHECK(isatty(fd));
	CHECK(isatty(m));
	CHECK_OK(fstat(fd, &st));
	CHECK(S_ISCHR(st.st_mode));
	CHECK_EQ(major(st.st_rdev), 136u);
	CHECK_EQ(minor(st.st_rdev), n);
	CHECK_OK(close(fd));
	CHECK_OK(close(m));
}

static void case_master_types_at_slave(void)
{
	struct pair p = open_pair();

	put(p.master, "hello\n");
	expect_bytes(p.slave, "hello\n");
	expect_bytes(p.master, "hello\r\n");	/* the echo, through ONLCR */
}

static void case_slave_output(void)
{
	struct pair p = open_pair();

	put(p.slave, "out\nmore\n");
	expect_bytes(p.master, "out\r\nmore\r\n");
}

static void case_line_editing(void)
{
	struct pair p = open_pair();

	put(p.master, "abx\177c\025ok\n");
	expect_bytes(p.slave, "ok\n");
	expect_bytes(p.master, "abx\b \bc\b \b\b \b\b \bok\r\n");
}

/*
 * Regression (erase-tab-one-column): erasing a TAB rubbed out one
 * column. As Linux's n_tty, ERASE moves back over the whole tab: to the
 * column the rest of the line reached, counted from the previous TAB or
 * from where the line began (here after a 2-column prompt).
 */
static void case_erase_tab(void)
{
	struct pair p = open_pair();

	put(p.master, "ab\t\177x\n");		/* tab from column 2 */
	expect_bytes(p.slave, "abx\n");
	expect_bytes(p.master, "ab\t\b\b\b\b\b\bx\r\n");
	put(p.slave, "$ ");			/* a prompt: the line starts at 2 */
	expect_bytes(p.master, "$ ");
	put(p.master, "a\t\177\n");
	expect_bytes(p.slave, "a\n");
	expect_bytes(p.master, "a\t\b\b\b\b\b\r\n");
	put(p.master, "\tab\t\177\n");		/* counted from the first tab */
	expect_bytes(p.slave, "\tab\n");
	expect_bytes(p.master, "\tab\t\b\b\b\b\b\b\r\n");
}

/* A write on the slave without blocking: what it returns, or -errno. */
static long try_write(int fd, const char *s)
{
	int fl = fcntl(fd, F_GETFL);
	long n;

	fcntl(fd, F_SETFL, fl | O_NONBLOCK);
	n = write(fd, s, strlen(s));
	if (n < 0)
		n = -errno;
	fcntl(fd, F_SETFL, fl);
	return n;
}

/*
 * Regression (ixon-swallows-but-never-stops): START and STOP were
 * consumed but output never stopped, and TCXONC was ENOTTY. Now, as
 * Linux's, STOP holds the slave's output (a writer waits, or gets
 * EAGAIN; echo waits too), START lets it go, TCOOFF stops until TCOON,
 * and TCIOFF/TCION send STOP/START to the master. A line read on the
 * slave shows the bytes before it were taken (Linux takes them later).
 */
static void case_ixon_stops_output(void)
{
	struct pair p = open_pair();
	struct termios tio;
	pid_t writer;

	put(p.master, "\023x\n");		/* ^S, then a line */
	expect_bytes(p.slave, "x\n");
	CHECK_EQ(try_write(p.slave, "out"), -EAGAIN);
	writer = t_fork();
	if (writer == 0)
		_exit(write(p.slave, "blocked", 7) == 7 ? 0 : 1);
	put(p.master, "\021");			/* ^Q: echo and writer go */
	/* In either order: with more than one CPU, the writer Linux wakes
	 * may write before the held echo is flushed. */
	expect_either(p.master, "x\r\nblocked", "blockedx\r\n");
	CHECK_EXITED(t_wait(writer), 0);

	CHECK_OK(ioctl(p.slave, TCXONC, TCOOFF));
	put(p.master, "\021y\n");		/* ^Q does not undo TCOOFF */
	expect_bytes(p.slave, "y\n");
	CHECK_EQ(try_write(p.slave, "out"), -EAGAIN);
	CHECK_OK(ioctl(p.slave, TCXONC, TCOON));
	CHECK_EQ(try_write(p.slave, "on"), 2);
	expect_bytes(p.master, "y\r\non");
	CHECK_OK(ioctl(p.slave, TCXONC, TCIOFF));
	CHECK_OK(ioctl(p.slave, TCXONC, TCION));
	expect_bytes(p.master, "\023\021");
	CHECK_ERR(ioctl(p.slave, TCXONC, 4), EINVAL);

	CHECK_OK(tcgetattr(p.slave, &tio));	/* IXANY: any byte restarts */
	tio.c_iflag |= IXANY;
	CHECK_OK(tcsetattr(p.slave, TCSANOW, &tio));
	put(p.master, "\023z\n");
	expect_bytes(p.slave, "z\n");
	CHECK_EQ(try_write(p.slave, "any"), 3);
	expect_bytes(p.master, "z\r\nany");
}

static void case_raw_mode(void)
{
	struct pair p = open_pair();
	struct termios t;
	char buf[8];

	CHECK_OK(tcgetattr(p.slave, &t));
	cfmakeraw(&t);
	CHECK_OK(tcsetattr(p.slave, TCSANOW, &t));
	put(p.master, "\003x");
	CHECK_EQ(read(p.slave, buf, 1), 1);
	CHECK_EQ(buf[0], '\003');
	CHECK_EQ(read(p.slave, buf, 1), 1);
	CHECK_EQ(buf[0], 'x');
	put(p.slave, "a\nb");		/* no OPOST: NL stays NL */
	expect_bytes(p.master, "a\nb");
}

static void case_eof(void)
{
	struct pair p = open_pair();
	char buf[8];

	put(p.master, "\004");
	CHECK_EQ(read(p.slave, buf, sizeof(buf)), 0);
}

static volatile sig_atomic_t got_int;

static void on_int(int sig)
{
	got_int = sig;
}

static void case_isig_reaches_foreground(void)
{
	struct pair p = open_pair();
	int ready[2];
	pid_t pid;
	char c;

	CHECK_OK(pipe(ready));
	pid = t_fork();
	if (pid == 0) {
		struct sigaction sa = { .sa_handler = on_int };
		int fd;

		CHECK_OK(sigaction(SIGINT, &sa, NULL));
		CHECK_OK(setsid());
		fd = CHECK_OK(open(p.name, O_RDWR));
		CHECK_OK(ioctl(fd, TIOCSCTTY, 0));
		CHECK_OK(write(ready[1], "r", 1));
		while (!got_int)
			pause();
		_exit(got_int == SIGINT ? 0 : 1);
	}
	CHECK_EQ(read(ready[0], &c, 1), 1);
	put(p.master, "\003");
	CHECK_EXITED(t_wait(pid), 0);
}

static volatile sig_atomic_t got_hup;

static void on_hup(int sig)
{
	got_hup = sig;
}

/* The member of session_leader_exit_keeps_ctty: waits for SIGHUP, then
 * reports it and what its old terminal says now through report. */
static void hup_member(int slave, int ready, int report)
{
	pid_t leader = getppid();
	struct sigaction sa = { .sa_handler = on_hup };
	sigset_t block, old;
	int r[3];

	sigemptyset(&block);
	sigaddset(&block, SIGHUP);
	sigprocmask(SIG_BLOCK, &block, &old);
	sigaction(SIGHUP, &sa, NULL);
	if (write(ready, "r", 1) != 1)
		_exit(1);
	while (!got_hup)
		sigsuspend(&old);
	/*
	 * SIGHUP comes before the leader's exit has taken the terminal
	 * from the session (Linux's disassociate_ctty signals first); with
	 * more than one CPU we may run in between. Its exit has done both
	 * once we are reparented (the bound only turns a hang into a
	 * failure).
	 */
	for (long spins = 0; getppid() == leader && spins < (1L << 24); spins++)
		sched_yield();
	r[0] = got_hup;
	r[1] = open("/dev/tty", O_RDWR) < 0 ? errno : 0;
	r[2] = ioctl(slave, TIOCGPGRP, &(pid_t){ 0 }) < 0 ? errno : 0;
	_exit(write(report, r, sizeof(r)) == sizeof(r) ? 0 : 1);
}

/*
 * Regression (session-leader-exit-keeps-ctty): the session kept its
 * terminal after its leader exited. Now, as Linux's disassociate_ctty,
 * the foreground group gets SIGHUP, the session's processes have no
 * controlling terminal (/dev/tty ENXIO, TIOCGPGRP ENOTTY), another
 * session can take the terminal, and a pty is not hung up by it.
 */
static void case_session_leader_exit_keeps_ctty(void)
{
	struct pair p = open_pair();
	int ready[2], report[2], r[3];
	pid_t leader, taker, sid = 0;
	char c;

	CHECK_OK(pipe(ready));
	CHECK_OK(pipe(report));
	leader = t_fork();
	if (leader == 0) {
		int fd;

		if (setsid() < 0 || (fd = open(p.name, O_RDWR)) < 0 ||
		    ioctl(fd, TIOCSCTTY, 0) < 0)
			_exit(1);
		if (fork() == 0)
			hup_member(fd, ready[1], report[1]);
		_exit(read(ready[0], &c, 1) == 1 ? 0 : 1);
	}
	CHECK_EXITED(t_wait(leader), 0);
	CHECK_OK(close(report[1]));
	CHECK_EQ(read(report[0], r, sizeof(r)), (ssize_t)sizeof(r));
	CHECK_EQ(r[0], SIGHUP);
	CHECK_EQ(r[1], ENXIO);
	CHECK_EQ(r[2], ENOTTY);
	taker = t_fork();
	if (taker == 0) {
		if (setsid() < 0 || ioctl(p.slave, TIOCSCTTY, 0) < 0 ||
		    ioctl(p.slave, TIOCGSID, &sid) < 0)
			_exit(1);
		_exit(sid == getpid() ? 0 : 2);
	}
	CHECK_EXITED(t_wait(taker), 0);
	put(p.slave, "still");		/* the pty was not hung up */
	expect_bytes(p.master, "still");
}

static void case_winsize(void)
{
	struct pair p = open_pair();
	struct winsize ws = { .ws_row = 33, .ws_col = 101 }, back;

	CHECK_OK(ioctl(p.master, TIOCSWINSZ, &ws));
	CHECK_OK(ioctl(p.slave, TIOCGWINSZ, &back));
	CHECK_EQ(back.ws_row, 33);
	CHECK_EQ(back.ws_col, 101);
}

static void case_master_close_hangs_up(void)
{
	struct pair p = open_pair();
	char buf[8];

	CHECK_OK(close(p.master));
	CHECK_EQ(read(p.slave, buf, sizeof(buf)), 0);
	CHECK_ERR(write(p.slave, "x", 1), EIO);
}

static void case_slave_close_eio(void)
{
	struct pair p = open_pair();
	char buf[8];

	put(p.slave, "last");
	CHECK_OK(close(p.slave));
	expect_bytes(p.master, "last");	/* what was written still comes */
	CHECK_ERR(read(p.master, buf, sizeof(buf)), EIO);
}

static void case_poll(void)
{
	struct pair p = open_pair();
	struct pollfd pf = { .fd = p.master, .events = POLLIN };

	char c;

	CHECK_EQ(poll(&pf, 1, 0), 0);
	CHECK_EQ(read(p.master, &c, 0), 0);	/* nothing asked: no wait */
	put(p.slave, "x");
	CHECK_EQ(poll(&pf, 1, 10000), 1);
	CHECK(pf.revents & POLLIN);
}

/* Is name an entry of /dev/pts? */
static bool listed(const char *name)
{
	DIR *d = opendir("/dev/pts");
	struct dirent *e;
	bool found = false;

	CHECK(d != NULL);
	while ((e = readdir(d)))
		found |= !strcmp(e->d_name, name);
	closedir(d);
	return found;
}

static void case_devpts_lists_pairs(void)
{
	struct pair p = open_pair();
	const char *n = p.name + strlen("/dev/pts/");
	struct stat st;

	CHECK(listed("ptmx"));
	CHECK(listed(n));
	CHECK_OK(close(p.slave));
	CHECK(listed(n));		/* the master still holds it */
	CHECK_OK(close(p.master));
	CHECK(!listed(n));
	CHECK_ERR(stat(p.name, &st), ENOENT);
}

static void case_devpts_bad_option(void)
{
	CHECK_OK(mkdir("/tmp/ptsbad", 0755));
	CHECK_ERR(mount("devpts", "/tmp/ptsbad", "devpts", 0, "nonsense"),
		  EINVAL);
	CHECK_OK(rmdir("/tmp/ptsbad"));
}

static void pair_work(int rounds)
{
	for (int i = 0; i < rounds; i++) {
		struct pair p = open_pair();

		put(p.master, "x\n");
		expect_bytes(p.slave, "x\n");
		expect_bytes(p.master, "x\r\n");
		CHECK_OK(close(p.slave));
		CHECK_OK(close(p.master));
	}
}

static void case_no_leak(void)
{
	t_check_no_leak("pty pairs", pair_work, 10);
}

static const struct t_case cases[] = {
	{ case_open_and_names, "open_and_names" },
	{ case_master_types_at_slave, "master_types_at_slave" },
	{ case_slave_output, "slave_output" },
	{ case_line_editing, "line_editing" },
	{ case_erase_tab, "erase_tab_one_column" },
	{ case_ixon_stops_output, "ixon_swallows_but_never_stops" },
	{ case_raw_mode, "raw_mode" },
	{ case_eof, "eof" },
	{ case_isig_reaches_foreground, "isig_reaches_foreground" },
	{ case_session_leader_exit_keeps_ctty,
	  "session_leader_exit_keeps_ctty" },
	{ case_winsize, "winsize" },
	{ case_master_close_hangs_up, "master_close_hangs_up" },
	{ case_slave_close_eio, "slave_close_eio" },
	{ case_poll, "poll" },
	{ case_devpts_lists_pairs, "devpts_lists_pairs" },
	{ case_devpts_bad_option, "devpts_bad_option" },
	{ case_no_leak, "no_leak" },
};

int main(int argc, char **argv)
{
	bool made_dir = mkdir("/dev/pts", 0755) == 0;
	bool mounted = mount("devpts", "/dev/pts", "devpts", 0, NULL) == 0;
	bool made_ptmx = mknod("/dev/ptmx", S_IFCHR | 0666,
			       makedev(5, 2)) == 0;
	bool made_tty = mknod("/dev/tty", S_IFCHR | 0666,
			      makedev(5, 0)) == 0;
	int status = T_RUN(argc, argv, cases);

	if (made_tty)
		unlink("/dev/tty");
	if (made_ptmx)
		unlink("/dev/ptmx");
	if (mounted)
		umount("/dev/pts");
	if (made_dir)
		rmdir("/dev/pts");
	return status;
}
