/*
 * tty_ldisc.c - the terminal line discipline (N_TTY), driven by TIOCSTI.
 *
 * The test boots have no one typing at the console, so the cases type
 * themselves: TIOCSTI pushes a byte into the console's input exactly as
 * if it had arrived on the line (root may do it on any terminal), and it
 * goes through the same editing, translation and signal code. Then read,
 * FIONREAD and the signals received show what the line discipline made
 * of it. What the terminal echoes goes to the serial line, not to us, so
 * echo is switched off here and checked by the console session test
 * (scripts/console-session.c, docs/tty.md).
 *
 * Every case starts from the same cooked mode (base_mode) with its input
 * flushed, so a failed case cannot spoil the next. Cases that need the
 * console as their controlling terminal (signals, foreground group,
 * window size) become a session leader, take it with TIOCSCTTY (root may
 * take it from another session) and give it back with TIOCNOTTY.
 *
 * Regressions: vmin0_vtime_waits (MIN=0,TIME>0 returned at once instead
 * of waiting for a byte), werase_stops_at_punctuation (WERASE went back
 * to the last blank, Linux stops after the alphanumerics),
 * tiocspgrp_checks_group (TIOCSPGRP took any number),
 * reprint_needs_echo (^R was swallowed with echo off; Linux keeps it).
 */
#define _GNU_SOURCE
#include "t.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

static int con = -1;

/* Cooked mode as a fresh Linux terminal has it, less echo. */
static void base_mode(struct termios *t)
{
	CHECK_OK(tcgetattr(con, t));
	t->c_iflag = ICRNL;
	t->c_oflag = OPOST | ONLCR;
	t->c_lflag = ISIG | ICANON | IEXTEN | ECHOE | ECHOK | ECHOCTL | ECHOKE;
	t->c_cc[VINTR] = 003;
	t->c_cc[VQUIT] = 034;
	t->c_cc[VERASE] = 0177;
	t->c_cc[VKILL] = 025;
	t->c_cc[VEOF] = 004;
	t->c_cc[VTIME] = 0;
	t->c_cc[VMIN] = 1;
	t->c_cc[VSUSP] = 032;
	t->c_cc[VEOL] = 0;
	t->c_cc[VEOL2] = 0;
	t->c_cc[VWERASE] = 027;
	t->c_cc[VLNEXT] = 026;
	t->c_cc[VREPRINT] = 022;
}

static void set_mode(const struct termios *t)
{
	CHECK_OK(tcsetattr(con, TCSANOW, t));
}

/* Open the console in the base mode with nothing typed yet. */
static struct termios setup(void)
{
	struct termios t;

	con = CHECK_OK(open("/dev/console", O_RDWR | O_NOCTTY));
	base_mode(&t);
	set_mode(&t);
	CHECK_OK(tcflush(con, TCIFLUSH));
	return t;
}

/* Non-canonical mode with the given MIN and TIME. */
static void raw_mode(struct termios *t, int vmin, int vtime)
{
	t->c_lflag &= ~(tcflag_t)ICANON;
	t->c_cc[VMIN] = (cc_t)vmin;
	t->c_cc[VTIME] = (cc_t)vtime;
	set_mode(t);
}

static void type(const char *s)
{
	for (; *s; s++)
		CHECK_OK(ioctl(con, TIOCSTI, s));
}

static int inq(void)
{
	int n = -1;

	CHECK_OK(ioctl(con, FIONREAD, &n));
	return n;
}

/* One read of up to 63 bytes must return exactly want. */
static void expect_read(const char *want)
{
	char buf[64];
	ssize_t n = CHECK_OK(read(con, buf, sizeof(buf) - 1));

	buf[n] = 0;
	if ((size_t)n != strlen(want) || memcmp(buf, want, (size_t)n))
		T_FAIL("read %zd bytes \"%s\", want \"%s\"", n, buf, want);
}

static void expect_nothing(void)
{
	char c;
	int fl = CHECK_OK(fcntl(con, F_GETFL));

	CHECK_OK(fcntl(con, F_SETFL, fl | O_NONBLOCK));
	CHECK_ERR(read(con, &c, 1), EAGAIN);
	CHECK_OK(fcntl(con, F_SETFL, fl));
}

/* ---- canonical mode ---------------------------------------------------- */

static void case_canon_line(void)
{
	setup();
	type("abc");
	expect_nothing();		/* no line yet */
	CHECK_EQ(inq(), 0);
	type("\n");
	CHECK_EQ(inq(), 4);
	expect_read("abc\n");
}

static void case_canon_one_line_per_read(void)
{
	setup();
	type("a\nbc\n");
	expect_read("a\n");
	expect_read("bc\n");
}

static void case_erase_del(void)
{
	setup();
	type("\177abx\177c\n");		/* nothing to erase, then x */
	expect_read("abc\n");
}

static void case_erase_ctrl_h(void)
{
	struct termios t = setup();

	type("ab\b\n");			/* ^H is no ERASE by default */
	expect_read("ab\b\n");
	t.c_cc[VERASE] = '\b';
	set_mode(&t);
	type("abx\bc\n");
	expect_read("abc\n");
}

static void case_kill(void)
{
	setup();
	type("garbage\025ok\n");
	expect_read("ok\n");
}

static void case_werase(void)
{
	setup();
	type("one two\027three\n");
	expect_read("one three\n");
	type("a b   \027c\n");		/* the blanks, then the word */
	expect_read("a c\n");
}

static void case_werase_stops_at_punctuation(void)
{
	setup();
	type("foo/bar\027x\n");
	expect_read("foo/x\n");
	type("x.\027y\n");		/* no word yet: '.' goes, then x */
	expect_read("y\n");
}

static void case_werase_needs_iexten(void)
{
	struct termios t = setup();

	t.c_lflag &= ~(tcflag_t)IEXTEN;
	set_mode(&t);
	type("a b\027\n");
	expect_read("a b\027\n");
}

static void case_eof_at_line_start(void)
{
	setup();
	type("\004");
	CHECK_EQ(inq(), 0);
	expect_read("");		/* read returns 0: end of file */
	type("x\n");
	expect_read("x\n");
}

static void case_eof_ends_partial_line(void)
{
	setup();
	type("ab\004");
	CHECK_EQ(inq(), 2);		/* the EOF byte is not counted */
	expect_read("ab");
	expect_nothing();
}

static void case_lnext(void)
{
	setup();
	type("a\026\177\026\025b\n");	/* a literal DEL and ^U */
	expect_read("a\177\025b\n");
}

/* REPRINT is special only while echoing; otherwise it is data. */
static void case_reprint_needs_echo(void)
{
	setup();			/* echo is off */
	type("a\022b\n");
	expect_read("a\022b\n");
}

static void case_veol(void)
{
	struct termios t = setup();

	t.c_cc[VEOL] = ';';
	set_mode(&t);
	type("ab;cd\n");
	expect_read("ab;");
	expect_read("cd\n");
}

/* ---- input translation -------------------------------------------------- */

static void case_icrnl(void)
{
	struct termios t = setup();

	type("x\r");
	expect_read("x\n");
	t.c_iflag = 0;
	set_mode(&t);
	type("x\ry\n");			/* CR is an ordinary byte now */
	expect_read("x\ry\n");
}

static void case_igncr(void)
{
	struct termios t = setup();

	t.c_iflag = IGNCR | ICRNL;	/* IGNCR wins */
	set_mode(&t);
	type("x\ry\n");
	expect_read("xy\n");
}

static void case_inlcr(void)
{
	struct termios t = setup();

	t.c_iflag = INLCR | ICRNL;	/* NL becomes CR, which stays CR */
	raw_mode(&t, 1, 0);
	type("x\n");
	expect_read("x\r");
}

/* ---- non-canonical mode: VMIN and VTIME ---------------------------------- */

static void case_raw_no_editing(void)
{
	struct termios t = setup();

	raw_mode(&t, 1, 0);
	type("ab\177\025\004");
	CHECK_EQ(inq(), 5);
	expect_read("ab\177\025\004");
}

static void case_vmin0_vtime0(void)
{
	struct termios t = setup();

	raw_mode(&t, 0, 0);
	expect_read("");		/* polls: nothing there, 0 */
	type("xyz");
	expect_read("xyz");
}

static void case_vmin0_vtime_waits(void)
{
	struct termios t = setup();
	pid_t pid;

	raw_mode(&t, 0, 1);
	expect_read("");		/* 0.1 s, then 0 */
	/* The read must wait for the byte a child types a little later. */
	pid = t_fork();
	if (pid == 0) {
		usleep(20000);
		type("q");
		_exit(0);
	}
	t.c_cc[VTIME] = 100;		/* 10 s: far more than needed */
	set_mode(&t);
	expect_read("q");
	CHECK_EXITED(t_wait(pid), 0);
}

static void case_vmin_waits_for_min(void)
{
	struct termios t = setup();
	pid_t pid;

	raw_mode(&t, 3, 0);
	type("abcde");
	expect_read("abcde");		/* more than MIN: all of it */
	pid = t_fork();
	if (pid == 0) {
		type("1");
		usleep(20000);
		type("2");
		usleep(20000);
		type("3");
		_exit(0);
	}
	expect_read("123");
	CHECK_EXITED(t_wait(pid), 0);
}

static void case_vmin_capped_by_count(void)
{
	struct termios t = setup();
	char buf[2];

	raw_mode(&t, 5, 0);
	type("ab");
	CHECK_EQ(read(con, buf, 2), 2);	/* MIN is more than asked for */
}

static void case_vmin_vtime_interbyte(void)
{
	struct termios t = setup();

	raw_mode(&t, 5, 1);
	type("ab");			/* fewer than MIN, then silence */
	expect_read("ab");
}

static void case_raw_nonblock(void)
{
	struct termios t = setup();

	raw_mode(&t, 1, 0);
	expect_nothing();
}

static void case_canon_to_raw_keeps_partial_line(void)
{
	struct termios t = setup();

	type("ab");
	raw_mode(&t, 1, 0);
	CHECK_EQ(inq(), 2);
	expect_read("ab");
}

/* ---- flushing and queues ------------------------------------------------ */

static void case_tcflush(void)
{
	struct termios t = setup();
	int n = -1;

	raw_mode(&t, 1, 0);
	type("abc");
	CHECK_EQ(inq(), 3);
	CHECK_OK(ioctl(con, TCFLSH, TCIFLUSH));
	CHECK_EQ(inq(), 0);
	CHECK_OK(ioctl(con, TCFLSH, TCOFLUSH));
	CHECK_OK(ioctl(con, TCFLSH, TCIOFLUSH));
	CHECK_ERR(ioctl(con, TCFLSH, 3), EINVAL);
	CHECK_OK(ioctl(con, TIOCOUTQ, &n));
	CHECK(n >= 0);
}

static void case_tiocsti_needs_privilege(void)
{
	setup();
	CHECK_OK(setuid(65534));
	CHECK_ERR(ioctl(con, TIOCSTI, "x"), EPERM);
}

/* ---- the controlling terminal: signals, groups, window size ------------- */

static volatile sig_atomic_t got[NSIG];

static void count(int sig)
{
	got[sig]++;
}

static void catch(int sig)
{
	struct sigaction sa = { .sa_handler = count };

	CHECK_OK(sigaction(sig, &sa, NULL));
}

/* Become a session leader whose controlling terminal is the console. */
static struct termios take_console(void)
{
	struct termios t = setup();

	CHECK_OK(setsid());
	CHECK_OK(ioctl(con, TIOCSCTTY, 1));
	return t;
}

/* Give it back. Linux sends SIGHUP to the foreground group (us). */
static void release_console(void)
{
	signal(SIGHUP, SIG_IGN);
	CHECK_OK(ioctl(con, TIOCNOTTY));
}

static void case_isig_signals(void)
{
	take_console();
	catch(SIGINT);
	catch(SIGQUIT);
	catch(SIGTSTP);
	type("\003");
	CHECK_EQ(got[SIGINT], 1);
	type("\034");
	CHECK_EQ(got[SIGQUIT], 1);
	type("\032");			/* caught: no stop */
	CHECK_EQ(got[SIGTSTP], 1);
	release_console();
}

static void case_isig_flushes(void)
{
	struct termios t = take_console();

	catch(SIGINT);
	type("lost\003kept\n");
	CHECK_EQ(got[SIGINT], 1);
	expect_read("kept\n");
	t.c_lflag |= NOFLSH;
	set_mode(&t);
	type("ab\003cd\n");
	CHECK_EQ(got[SIGINT], 2);
	expect_read("abcd\n");
	release_console();
}

static void case_isig_off(void)
{
	struct termios t = take_console();

	catch(SIGINT);
	t.c_lflag &= ~(tcflag_t)ISIG;
	set_mode(&t);
	type("\003\n");
	CHECK_EQ(got[SIGINT], 0);
	expect_read("\003\n");
	release_console();
}

static void case_foreground_group(void)
{
	pid_t pg = -1, sid = -1;

	take_console();
	CHECK_OK(ioctl(con, TIOCGPGRP, &pg));
	CHECK_EQ(pg, getpgrp());
	CHECK_OK(ioctl(con, TIOCGSID, &sid));
	CHECK_EQ(sid, getsid(0));
	CHECK_OK(ioctl(con, TIOCSPGRP, &pg));
	release_console();
}

static void case_tiocspgrp_checks_group(void)
{
	pid_t none = 0x3ffffff0, other;

	/* A group of our old session: the child leads it. */
	other = t_fork();
	if (other == 0) {
		pause();
		_exit(0);
	}
	CHECK_OK(setpgid(other, other));
	take_console();
	CHECK_ERR(ioctl(con, TIOCSPGRP, &none), ESRCH);
	CHECK_ERR(ioctl(con, TIOCSPGRP, &other), EPERM);
	release_console();
	CHECK_OK(kill(other, SIGKILL));
	CHECK_SIGNALED(t_wait(other), SIGKILL);
}

static void case_ctty_rules(void)
{
	pid_t pg;

	setup();
	/* Not our terminal: no group to report. */
	CHECK_ERR(ioctl(con, TIOCGPGRP, &pg), ENOTTY);
	/* A process group leader cannot start a session; a child that is
	 * not a session leader cannot take a terminal. */
	CHECK_OK(setpgid(0, 0));
	CHECK_ERR(ioctl(con, TIOCSCTTY, 0), EPERM);
}

static void case_winsize_sigwinch(void)
{
	struct winsize old, ws, back;

	take_console();
	catch(SIGWINCH);
	CHECK_OK(ioctl(con, TIOCGWINSZ, &old));
	ws = old;
	ws.ws_row = (unsigned short)(old.ws_row + 7);
	ws.ws_col = (unsigned short)(old.ws_col + 11);
	CHECK_OK(ioctl(con, TIOCSWINSZ, &ws));
	CHECK_EQ(got[SIGWINCH], 1);
	CHECK_OK(ioctl(con, TIOCGWINSZ, &back));
	CHECK_EQ(back.ws_row, ws.ws_row);
	CHECK_EQ(back.ws_col, ws.ws_col);
	CHECK_OK(ioctl(con, TIOCSWINSZ, &ws));	/* no change: no signal */
	CHECK_EQ(got[SIGWINCH], 1);
	CHECK_OK(ioctl(con, TIOCSWINSZ, &old));
	CHECK_EQ(got[SIGWINCH], 2);
	release_console();
}

static const struct t_case cases[] = {
	{ case_canon_line, "canon_line" },
	{ case_canon_one_line_per_read, "canon_one_line_per_read" },
	{ case_erase_del, "erase_del" },
	{ case_erase_ctrl_h, "erase_ctrl_h" },
	{ case_kill, "kill" },
	{ case_werase, "werase" },
	{ case_werase_stops_at_punctuation, "werase_stops_at_punctuation" },
	{ case_werase_needs_iexten, "werase_needs_iexten" },
	{ case_eof_at_line_start, "eof_at_line_start" },
	{ case_eof_ends_partial_line, "eof_ends_partial_line" },
	{ case_lnext, "lnext" },
	{ case_reprint_needs_echo, "reprint_needs_echo" },
	{ case_veol, "veol" },
	{ case_icrnl, "icrnl" },
	{ case_igncr, "igncr" },
	{ case_inlcr, "inlcr" },
	{ case_raw_no_editing, "raw_no_editing" },
	{ case_vmin0_vtime0, "vmin0_vtime0" },
	{ case_vmin0_vtime_waits, "vmin0_vtime_waits" },
	{ case_vmin_waits_for_min, "vmin_waits_for_min" },
	{ case_vmin_capped_by_count, "vmin_capped_by_count" },
	{ case_vmin_vtime_interbyte, "vmin_vtime_interbyte" },
	{ case_raw_nonblock, "raw_nonblock" },
	{ case_canon_to_raw_keeps_partial_line,
	  "canon_to_raw_keeps_partial_line" },
	{ case_tcflush, "tcflush" },
	{ case_tiocsti_needs_privilege, "tiocsti_needs_privilege" },
	{ case_isig_signals, "isig_signals" },
	{ case_isig_flushes, "isig_flushes" },
	{ case_isig_off, "isig_off" },
	{ case_foreground_group, "foreground_group" },
	{ case_tiocspgrp_checks_group, "tiocspgrp_checks_group" },
	{ case_ctty_rules, "ctty_rules" },
	{ case_winsize_sigwinch, "winsize_sigwinch" },
};

int main(int argc, char **argv)
{
	int fd = open("/dev/console", O_RDWR | O_NOCTTY), status;
	struct termios saved;
	bool ok = fd >= 0 && tcgetattr(fd, &saved) == 0;

	status = T_RUN(argc, argv, cases);
	/* Leave the console as it was for the tests that follow. */
	if (ok) {
		tcsetattr(fd, TCSANOW, &saved);
		tcflush(fd, TCIFLUSH);
	}
	return status;
}
