/*
 * console.c - the console is a terminal; other files are not.
 *
 * C libraries ask the kernel whether a descriptor is a terminal with
 * ioctl(TCGETS) (isatty, and stdio's choice of line buffering) and ask its
 * size with TIOCGWINSZ. The console must answer both; a regular file,
 * /dev/null and a directory must answer ENOTTY.
 *
 * The raw ioctl uses the kernel's struct termios, which is smaller than
 * glibc's. /dev/console is opened with O_NOCTTY so that no case makes it
 * the controlling terminal of anything.
 */
#define _GNU_SOURCE
#include "t.h"

#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <termios.h>
#include <unistd.h>

/* The kernel's struct termios as TCGETS/TCSETS copy it (36 bytes). */
struct k_termios {
	unsigned int c_iflag, c_oflag, c_cflag, c_lflag;
	unsigned char c_line;
	unsigned char c_cc[19];
};

static int open_console(void)
{
	return CHECK_OK(open("/dev/console", O_RDWR | O_NOCTTY));
}

static void case_tcgets(void)
{
	struct k_termios t;
	int fd = open_console();

	memset(&t, 0, sizeof(t));
	CHECK_OK(syscall(SYS_ioctl, fd, TCGETS, &t));
	/* Some mode is set: a terminal never reports all-zero flags. */
	CHECK(t.c_cflag != 0);
	CHECK_OK(close(fd));
}

static void case_tcsets_same(void)
{
	/* Writing back what was read changes nothing and succeeds. */
	struct k_termios before, after;
	int fd = open_console();

	CHECK_OK(syscall(SYS_ioctl, fd, TCGETS, &before));
	CHECK_OK(syscall(SYS_ioctl, fd, TCSETS, &before));
	memset(&after, 0, sizeof(after));
	CHECK_OK(syscall(SYS_ioctl, fd, TCGETS, &after));
	CHECK_EQ(after.c_iflag, before.c_iflag);
	CHECK_EQ(after.c_oflag, before.c_oflag);
	CHECK_EQ(after.c_cflag, before.c_cflag);
	CHECK_EQ(after.c_lflag, before.c_lflag);
	CHECK_EQ(memcmp(after.c_cc, before.c_cc, sizeof(before.c_cc)), 0);
	CHECK_OK(close(fd));
}

static void case_winsize(void)
{
	/* A serial console may not know its size (0 x 0); it still answers. */
	struct winsize ws;
	int fd = open_console();

	memset(&ws, 0xff, sizeof(ws));
	CHECK_OK(syscall(SYS_ioctl, fd, TIOCGWINSZ, &ws));
	CHECK(ws.ws_row != 0xffff && ws.ws_col != 0xffff);
	CHECK_OK(close(fd));
}

static void case_libc_isatty(void)
{
	struct termios t;
	int fd = open_console();
	int null = CHECK_OK(open("/dev/null", O_RDWR));

	CHECK_EQ(isatty(fd), 1);
	CHECK_OK(tcgetattr(fd, &t));
	CHECK_EQ(isatty(null), 0);
	CHECK_EQ(errno, ENOTTY);
	CHECK_OK(close(fd));
	CHECK_OK(close(null));
}

static void case_stdout(void)
{
	/* Under the runner, stdout is the console; run by hand, maybe not. */
	struct stat out, con;
	struct k_termios t;

	CHECK_OK(fstat(1, &out));
	CHECK_OK(stat("/dev/console", &con));
	if (!S_ISCHR(out.st_mode) || out.st_rdev != con.st_rdev) {
		t_note("stdout is not /dev/console here; not checked");
		return;
	}
	CHECK_OK(syscall(SYS_ioctl, 1, TCGETS, &t));
	CHECK_EQ(isatty(1), 1);
}

static void case_write(void)
{
	static const char msg[] = "  (console: a line written to /dev/console)\n";
	int fd = open_console();

	CHECK_EQ(write(fd, msg, sizeof(msg) - 1), (long)sizeof(msg) - 1);
	CHECK_OK(close(fd));
}

static void case_not_a_tty(void)
{
	struct k_termios t;
	struct winsize ws;
	int file = CHECK_OK(open(t_self(), O_RDONLY));
	int null = CHECK_OK(open("/dev/null", O_RDWR));
	int dir = CHECK_OK(open("/tmp", O_RDONLY | O_DIRECTORY));
	int fds[] = { file, null, dir };

	for (int i = 0; i < 3; i++) {
		CHECK_ERR(syscall(SYS_ioctl, fds[i], TCGETS, &t), ENOTTY);
		CHECK_ERR(syscall(SYS_ioctl, fds[i], TIOCGWINSZ, &ws), ENOTTY);
		CHECK_ERR(syscall(SYS_ioctl, fds[i], TCSETS, &t), ENOTTY);
	}
	CHECK_ERR(syscall(SYS_ioctl, 999, TCGETS, &t), EBADF);
	close(file);
	close(null);
	close(dir);
}

static void case_bad_pointer(void)
{
	int fd = open_console();

	CHECK_ERR(syscall(SYS_ioctl, fd, TCGETS, (void *)1), EFAULT);
	CHECK_ERR(syscall(SYS_ioctl, fd, TCGETS, T_KERNEL_TEXT), EFAULT);
	CHECK_ERR(syscall(SYS_ioctl, fd, TIOCGWINSZ, (void *)1), EFAULT);
	CHECK_ERR(syscall(SYS_ioctl, fd, TCSETS, (void *)1), EFAULT);
	CHECK_OK(close(fd));
}

static const struct t_case cases[] = {
	{ case_tcgets, "tcgets" },
	{ case_tcsets_same, "tcsets_same" },
	{ case_winsize, "winsize" },
	{ case_libc_isatty, "libc_isatty" },
	{ case_stdout, "stdout" },
	{ case_write, "write" },
	{ case_not_a_tty, "not_a_tty" },
	{ case_bad_pointer, "bad_pointer" },
};

int main(int argc, char **argv)
{
	return T_RUN(argc, argv, cases);
}
