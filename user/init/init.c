/*
 * /init for `make run`: the first user program the kernel starts.
 *
 * It greets, says which kernel it runs on, mounts /proc, /sys, /dev/shm and
 * /dev/pts, and hands the console to a busybox shell (/bin/sh). When the
 * shell exits, or cannot be started, it powers the machine off, so QEMU
 * exits cleanly either way. It is built static against glibc and is the
 * same binary on Basalt and on Linux.
 *
 * It also follows the convention busybox's poweroff, reboot and halt
 * rely on (they signal process 1 instead of calling reboot(2) themselves,
 * unless given -f): SIGUSR2 means power off, SIGTERM reboot, SIGUSR1
 * halt. init then asks every other process to end (SIGTERM), gives them
 * a moment, kills what is left (SIGKILL), reaps, syncs and calls
 * reboot(2) with the matching command.
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
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

static char *const shell_argv[] = { "sh", NULL };
static char *const shell_envp[] = {
	"PATH=/bin:/sbin:/usr/bin:/usr/sbin", "HOME=/root", "TERM=linux",
	"PS1=basalt:\\w\\$ ", NULL
};

/* The reboot(2) command a shutdown signal asks for; 0 while none came. */
static volatile sig_atomic_t shutdown_cmd;

static void on_shutdown_signal(int sig)
{
	if (sig == SIGUSR2)
		shutdown_cmd = (int)LINUX_REBOOT_CMD_POWER_OFF;
	else if (sig == SIGTERM)
		shutdown_cmd = (int)LINUX_REBOOT_CMD_RESTART;
	else
		shutdown_cmd = (int)LINUX_REBOOT_CMD_HALT;
}

/* No SA_RESTART: the signal must interrupt init's wait() so that the
 * shutdown starts at once. */
static void catch_shutdown_signals(void)
{
	struct sigaction sa = { .sa_handler = on_shutdown_signal };
	const int sigs[] = { SIGUSR1, SIGUSR2, SIGTERM };

	sigemptyset(&sa.sa_mask);
	for (unsigned int i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		if (sigaction(sigs[i], &sa, NULL) < 0)
			printf("init: sigaction %d: %s\n", sigs[i],
			       strerror(errno));
}

/* Reap whatever has exited; whether any child is left. */
static int reap_children(void)
{
	for (;;) {
		pid_t got = waitpid(-1, NULL, WNOHANG);

		if (got == 0)
			return 1;
		if (got < 0)
			return errno != ECHILD;
	}
}

/* Send sig to every other process, then reap for up to tries * 50 ms;
 * whether children remain. */
static int end_all(int sig, int tries)
{
	const struct timespec step = { 0, 50 * 1000 * 1000 };

	if (kill(-1, sig) < 0 && errno != ESRCH)
		printf("init: kill(-1, %d): %s\n", sig, strerror(errno));
	while (reap_children() && tries-- > 0)
		nanosleep(&step, NULL);
	return reap_children();
}

static void shut_down(unsigned int cmd)
{
	const char *what = cmd == LINUX_REBOOT_CMD_RESTART ? "rebooting" :
			   cmd == LINUX_REBOOT_CMD_HALT ? "halting" :
			   "powering off";

	printf("init: %s\n", what);
	fflush(stdout);
	if (end_all(SIGTERM, 20))	/* a second for a clean exit */
		end_all(SIGKILL, 20);
	sync();
	/* The raw call: glibc's reboot() wrapper adds nothing we need. */
	syscall(SYS_reboot, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2, cmd,
		NULL);
	printf("init: reboot(2) failed: %s\n", strerror(errno));
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
 * just means the kernel mounted it), sysfs on /sys (where glibc and nproc
 * count the CPUs; nosuid, nodev, noexec as a distribution mounts it), a
 * tmpfs on /dev/shm, where glibc's
 * and musl's shm_open and sem_open keep their objects (mode 1777, nosuid,
 * nodev, as a distribution mounts it), and devpts on /dev/pts, where the
 * pseudo-terminals /dev/ptmx makes appear.
 */
static void mount_basics(void)
{
	if (mount("proc", "/proc", "proc", 0, NULL) < 0 && errno != EBUSY)
		printf("init: mount /proc: %s\n", strerror(errno));
	if (mkdir("/sys", 0555) < 0 && errno != EEXIST)
		printf("init: mkdir /sys: %s\n", strerror(errno));
	if (mount("sysfs", "/sys", "sysfs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
		  NULL) < 0 && errno != EBUSY)
		printf("init: mount /sys: %s\n", strerror(errno));
	if (mkdir("/dev/shm", 01777) < 0 && errno != EEXIST)
		printf("init: mkdir /dev/shm: %s\n", strerror(errno));
	if (mount("tmpfs", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV,
		  "mode=1777") < 0)
		printf("init: mount /dev/shm: %s\n", strerror(errno));
	if (mkdir("/dev/pts", 0755) < 0 && errno != EEXIST)
		printf("init: mkdir /dev/pts: %s\n", strerror(errno));
	if (mount("devpts", "/dev/pts", "devpts", MS_NOSUID | MS_NOEXEC,
		  NULL) < 0)
		printf("init: mount /dev/pts: %s\n", strerror(errno));
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
	while (!shutdown_cmd) {
		pid_t got = wait(&status);

		if (got == pid || (got < 0 && errno != EINTR))
			return;
	}
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	catch_shutdown_signals();
	greet();
	mount_basics();
	if (want_shell(argc, argv))
		run_shell();
	shut_down(shutdown_cmd ? (unsigned int)shutdown_cmd :
				 LINUX_REBOOT_CMD_POWER_OFF);
}
