/*
 * jobctl_tty.c - the terminal's job-control checks: a background process
 * group of the terminal's session that reads it gets SIGTTIN (EIO when
 * SIGTTIN is ignored or blocked), that writes with TOSTOP or changes the
 * settings gets SIGTTOU (allowed when SIGTTOU is ignored).
 *
 * Reads and writes are checked through /dev/tty only: Linux exempts
 * files opened as /dev/console from those two checks (not from the
 * ioctl ones), so a background write there goes through even with
 * TOSTOP. TIOCSPGRP wants a group of the caller's session (ESRCH,
 * EPERM).
 *
 * The console has to be somebody's controlling terminal for this. A
 * session leader takes it (setsid, TIOCSCTTY), runs each probe in a
 * child of its own, background, process group, and gives the terminal
 * up again (TIOCNOTTY) whatever happened: on Linux a session leader that
 * exits with its terminal hangs the console up, which would cut the
 * test run's own output. That leader uses no CHECK; it reports through
 * its exit status. Nothing is ever read from the terminal: every read
 * here is refused before it could wait.
 */
#define _GNU_SOURCE
#include "t.h"

#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

enum want { STOPS_TTIN, STOPS_TTOU, EXITS_0 };

static int con, tty;	/* /dev/console, /dev/tty */

/* The probes, run in a background group; exit 0 means "as expected". */
static void probe_read(void)
{
	char c;

	read(tty, &c, 1);
	_exit(1);		/* must have stopped before this */
}

static void probe_read_ignored(void)
{
	char c;

	signal(SIGTTIN, SIG_IGN);
	_exit(read(tty, &c, 1) == -1 && errno == EIO ? 0 : 1);
}

static void probe_read_blocked(void)
{
	sigset_t s;
	char c;

	sigemptyset(&s);
	sigaddset(&s, SIGTTIN);
	sigprocmask(SIG_BLOCK, &s, NULL);
	_exit(read(tty, &c, 1) == -1 && errno == EIO ? 0 : 1);
}

static void write_to(int fd)
{
	static const char msg[] = "  (jobctl_tty: a background write)\n";

	_exit(write(fd, msg, sizeof(msg) - 1) == sizeof(msg) - 1 ? 0 : 1);
}

static void probe_write(void)
{
	write_to(tty);
}

static void probe_write_console(void)
{
	write_to(con);
}

static void probe_tcsetattr(void)
{
	struct termios t;

	if (tcgetattr(con, &t))		/* reading settings is allowed */
		_exit(2);
	tcsetattr(con, TCSANOW, &t);
	_exit(1);
}

static void probe_tcsetattr_ignored(void)
{
	struct termios t;

	signal(SIGTTOU, SIG_IGN);
	if (tcgetattr(con, &t))
		_exit(2);
	_exit(tcsetattr(con, TCSANOW, &t) == 0 ? 0 : 1);
}

/* Run probe in a background group; 0 if it did what want says. */
static int run_probe(void (*probe)(void), enum want want)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return 1;
	if (pid == 0) {
		setpgid(0, 0);
		probe();
	}
	setpgid(pid, pid);
	if (waitpid(pid, &status, WUNTRACED) != pid)
		return 1;
	if (WIFSTOPPED(status)) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		return want == (WSTOPSIG(status) == SIGTTIN ? STOPS_TTIN :
				WSTOPSIG(status) == SIGTTOU ? STOPS_TTOU : -1)
			       ? 0 : 1;
	}
	return want == EXITS_0 && WIFEXITED(status) &&
	       WEXITSTATUS(status) == 0 ? 0 : 1;
}

/* With TOSTOP set by the (foreground) leader, a background write stops. */
static int probe_tostop(void)
{
	struct termios t, saved;
	int bad;

	if (tcgetattr(con, &saved))
		return 1;
	t = saved;
	t.c_lflag |= TOSTOP;
	if (tcsetattr(con, TCSANOW, &t))
		return 1;
	bad = run_probe(probe_write, STOPS_TTOU);
	bad |= run_probe(probe_write_console, EXITS_0);	/* exempt */
	tcsetattr(con, TCSANOW, &saved);
	return bad;
}

/* The session leader: each failed probe sets its bit in the status. */
static int leader(void)
{
	static const struct { void (*fn)(void); enum want want; } probes[] = {
		{ probe_read, STOPS_TTIN },
		{ probe_read_ignored, EXITS_0 },
		{ probe_read_blocked, EXITS_0 },
		{ probe_write, EXITS_0 },	/* no TOSTOP: allowed */
		{ probe_tcsetattr, STOPS_TTOU },
		{ probe_tcsetattr_ignored, EXITS_0 },
	};
	int bad = 0;

	for (unsigned int i = 0; i < sizeof(probes) / sizeof(probes[0]); i++)
		if (run_probe(probes[i].fn, probes[i].want))
			bad |= 1 << i;
	if (probe_tostop())
		bad |= 1 << 6;
	/* The new foreground group must exist, in our session. */
	pid_t none = 0x3ffffff0;
	if (ioctl(con, TIOCSPGRP, &none) != -1 || errno != ESRCH)
		bad |= 1 << 7;
	pid_t init_group = 1;
	if (ioctl(con, TIOCSPGRP, &init_group) != -1 || errno != EPERM)
		bad |= 1 << 8;
	pid_t own = getpgrp();
	if (ioctl(con, TIOCSPGRP, &own))
		bad |= 1 << 9;
	return bad;
}

/* /dev/tty, or a node of our own for it (5,0) where the test system's
 * /dev has none (Linux's test initramfs holds only a few nodes). */
static int open_dev_tty(void)
{
	static const char node[] = "/tmp/jobctl_tty.dev";
	int fd = open("/dev/tty", O_RDWR);

	if (fd >= 0 || errno != ENOENT)
		return fd;
	unlink(node);
	if (mknod(node, S_IFCHR | 0600, makedev(5, 0)))
		return -1;
	fd = open(node, O_RDWR);
	unlink(node);
	return fd;
}

static void case_background_terminal_access(void)
{
	pid_t pid = t_fork();

	if (pid == 0) {
		int bad;

		signal(SIGHUP, SIG_IGN);	/* TIOCNOTTY sends it to us */
		if (setsid() < 0)
			_exit(120);
		con = open("/dev/console", O_RDWR | O_NOCTTY);
		if (con < 0)
			_exit(121);
		if (ioctl(con, TIOCSCTTY, 0) < 0)
			_exit(122);
		tty = open_dev_tty();
		if (tty < 0) {
			ioctl(con, TIOCNOTTY);
			_exit(123);
		}
		bad = leader();
		ioctl(con, TIOCNOTTY);
		_exit(bad);
	}
	int status = t_wait(pid);
	if (WIFEXITED(status) && WEXITSTATUS(status) >= 120)
		t_skip("the console cannot be a controlling terminal here (%d)",
		       WEXITSTATUS(status));
	CHECK_EXITED(status, 0);
}

static const struct t_case cases[] = {
	{ case_background_terminal_access, "background_terminal_access" },
};

int main(int argc, char **argv)
{
	return T_RUN(argc, argv, cases);
}
