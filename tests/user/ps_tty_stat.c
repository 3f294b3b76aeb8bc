/*
 * ps_tty_stat.c - what `ps` reads of sessions and terminals from
 * /proc/<pid>/stat (fields 6-8: session, tty_nr, tpgid), found comparing
 * Debian's `ps aux` on both kernels: Basalt's init was a session leader
 * (Linux's first process is in session 0 and group 0 until it calls
 * setsid), and tty_nr/tpgid were always 0/-1, so ps never showed "+" for
 * the terminal's foreground group.
 */
#define _GNU_SOURCE
#include "t.h"

#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

struct stat_ids {
	int pgrp, session, tty_nr, tpgid;
};

/* Fields 5-8 of /proc/<pid>/stat (after the ")" that ends comm). */
static int read_ids(const char *path, struct stat_ids *ids)
{
	char buf[1024];
	int fd = open(path, O_RDONLY);
	ssize_t n;
	char *p;

	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	p = strrchr(buf, ')');
	if (!p || sscanf(p + 2, "%*c %*d %d %d %d %d", &ids->pgrp,
			 &ids->session, &ids->tty_nr, &ids->tpgid) != 4)
		return -1;
	return 0;
}

/* Linux's new_encode_dev, what tty_nr holds. */
static int encode_dev(dev_t d)
{
	unsigned int ma = major(d), mi = minor(d);

	return (int)((mi & 0xff) | (ma << 8) | ((mi & ~0xffu) << 12));
}

static void case_ps_init_session_leader(void)
{
	struct stat_ids ids;

	CHECK_EQ(getsid(1), 0);
	CHECK_EQ(getpgid(1), 0);
	CHECK_OK(read_ids("/proc/1/stat", &ids));
	CHECK_EQ(ids.session, 0);
	CHECK_EQ(ids.pgrp, 0);
	CHECK_EQ(ids.tty_nr, 0);	/* session 0 has no terminal */
	CHECK_EQ(ids.tpgid, -1);
}

/* In a new session without a terminal: no tty, tpgid -1. */
static void case_no_terminal(void)
{
	pid_t pid = t_fork();
	int status;

	if (pid == 0) {
		struct stat_ids ids;

		if (setsid() < 0 || read_ids("/proc/self/stat", &ids))
			_exit(2);
		_exit(ids.tty_nr == 0 && ids.tpgid == -1 &&
		      ids.session == getpid() ? 0 : 3);
	}
	CHECK_EQ(waitpid(pid, &status, 0), pid);
	CHECK_EXITED(status, 0);
}

/* A session that takes a pseudo-terminal: tty_nr is the slave's device,
 * tpgid the foreground group, in every member's stat and as it moves. */
static int pty_session_child(const char *slave_name)
{
	struct stat_ids ids;
	struct stat st;
	int slave, fd;
	pid_t bg;

	if (setsid() < 0)
		return 2;
	slave = open(slave_name, O_RDWR);
	if (slave < 0 || fstat(slave, &st) || ioctl(slave, TIOCSCTTY, 0))
		return 3;
	if (read_ids("/proc/self/stat", &ids) ||
	    ids.tty_nr != encode_dev(st.st_rdev) || ids.tpgid != getpid())
		return 4;
	/* A second group of the session becomes the foreground. */
	bg = fork();
	if (bg == 0) {
		setpgid(0, 0);
		pause();
		_exit(0);
	}
	setpgid(bg, bg);
	signal(SIGTTOU, SIG_IGN);
	if (tcsetpgrp(slave, bg))
		return 5;
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/stat", bg);
	fd = read_ids(path, &ids);
	kill(bg, SIGKILL);
	waitpid(bg, NULL, 0);
	if (fd || ids.tpgid != bg || ids.tty_nr != encode_dev(st.st_rdev) ||
	    ids.session != getpid())
		return 6;
	if (read_ids("/proc/self/stat", &ids) || ids.tpgid != bg)
		return 7;
	return 0;
}

static void case_ps_no_foreground_flag(void)
{
	int master = posix_openpt(O_RDWR | O_NOCTTY);
	char name[64];
	pid_t pid;
	int status;

	CHECK(master >= 0);
	CHECK_OK(grantpt(master));
	CHECK_OK(unlockpt(master));
	CHECK_OK(ptsname_r(master, name, sizeof(name)));
	pid = t_fork();
	if (pid == 0)
		_exit(pty_session_child(name));
	CHECK_EQ(waitpid(pid, &status, 0), pid);
	CHECK_EXITED(status, 0);
	close(master);
}

static const struct t_case cases[] = {
	{ case_ps_init_session_leader, "ps-init-session-leader" },
	{ case_no_terminal, "no_terminal" },
	{ case_ps_no_foreground_flag, "ps-no-foreground-flag" },
};

/* devpts and /dev/ptmx, as pty.c sets them up when the image lacks them. */
int main(int argc, char **argv)
{
	bool made_dir = mkdir("/dev/pts", 0755) == 0;
	bool mounted = mount("devpts", "/dev/pts", "devpts", 0, NULL) == 0;
	bool made_ptmx = mknod("/dev/ptmx", S_IFCHR | 0666,
			       makedev(5, 2)) == 0;
	int status = T_RUN(argc, argv, cases);

	if (made_ptmx)
		unlink("/dev/ptmx");
	if (mounted)
		umount("/dev/pts");
	if (made_dir)
		rmdir("/dev/pts");
	return status;
}
