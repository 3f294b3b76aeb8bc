/*
 * /init for `make run`: the first user program the kernel starts.
 *
 * It greets, says which kernel it runs on, mounts /proc and /dev/shm, and
 * hands the console to a busybox shell (/bin/sh). When the shell exits, or cannot be started, it
 * powers the machine off, so QEMU exits cleanly either way. It is built
 * static against glibc and is the same binary on Basalt and on Linux.
 *
 * Options, given on the kernel command line (the kernel passes a word
 * without '=' to /init as an argument and NAME=VALUE as its environment):
 *   noshell or INIT_SHELL=0   only greet, then power off (`make run` adds
 *                             this when its input is not a terminal)
 *
 * It asks little of a young kernel: if fork is missing it execs the shell
 * in its own place, and every call that fails is reported, not fatal.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/reboot.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <sys/ioctl.h>
#include <unistd.h>

static char *const shell_argv[] = { "sh", NULL };
static char *const shell_envp[] = {
	"PATH=/bin:/sbin:/usr/bin:/usr/sbin", "HOME=/root", "TERM=linux",
	"PS1=basalt:\\w\\$ ", NULL
};

static void power_off(void)
{
	printf("init: powering off\n");
	fflush(stdout);
	sync();
	/* The raw call: glibc's reboot() wrapper adds nothing we need. */
	syscall(SYS_reboot, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2,
		LINUX_REBOOT_CMD_POWER_OFF, NULL);
	printf("init: power off failed: %s\n", strerror(errno));
	fflush(stdout);
	for (;;)
		pause();
}

static int want_shell(int argc, char **argv)
{
	const char *env = getenv("INIT_SHELL");

	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "noshell"))
			return 0;
	return !(env && !strcmp(env, "0"));
}

static void greet(void)
{
	struct utsname u;

	printf("Basalt: hello from /init (pid %d)\n", (int)getpid());
	if (uname(&u) == 0)
		printf("init: %s %s %s %s %s\n", u.sysname, u.nodename,
		       u.release, u.version, u.machine);
	else
		printf("init: uname failed: %s\n", strerror(errno));
	fflush(stdout);
}

/*
 * The file systems user space expects: /proc (for ps and friends; EBUSY
 * just means the kernel mounted it) and a tmpfs on /dev/shm, where
 * glibc's and musl's shm_open and sem_open keep their objects (mode 1777,
 * nosuid, nodev, as a distribution mounts it).
 */
static void mount_basics(void)
{
	if (mount("proc", "/proc", "proc", 0, NULL) < 0 && errno != EBUSY)
		printf("init: mount /proc: %s\n", strerror(errno));
	if (mkdir("/dev/shm", 01777) < 0 && errno != EEXIST)
		printf("init: mkdir /dev/shm: %s\n", strerror(errno));
	if (mount("tmpfs", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV,
		  "mode=1777") < 0)
		printf("init: mount /dev/shm: %s\n", strerror(errno));
}

/* Runs the shell as a child and reaps every orphan (init's duty) until the
 * shell itself is gone. Returns when the shell has exited or failed. */
static void run_shell(void)
{
	pid_t pid = fork();
	int status;

	if (pid < 0) {
		printf("init: fork failed (%s); exec'ing the shell instead\n",
		       strerror(errno));
		fflush(stdout);
		execve("/bin/sh", shell_argv, shell_envp);
		printf("init: cannot exec /bin/sh: %s\n", strerror(errno));
		return;
	}
	if (pid == 0) {
		/*
		 * A session of its own with the console as its controlling
		 * terminal, so the shell gets job control and ^C reaches the
		 * foreground job (without it, as on Linux, ^C reaches nobody).
		 */
		setsid();
		ioctl(0, TIOCSCTTY, 0);
		execve("/bin/sh", shell_argv, shell_envp);
		printf("init: cannot exec /bin/sh: %s\n", strerror(errno));
		fflush(stdout);
		_exit(127);
	}
	for (;;) {
		pid_t got = wait(&status);

		if (got == pid || (got < 0 && errno != EINTR))
			return;
	}
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	greet();
	mount_basics();
	if (want_shell(argc, argv))
		run_shell();
	power_off();
}
