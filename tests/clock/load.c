/*
 * load.c - /init of the clock check's initramfs (scripts/clock-check.sh).
 *
 * It keeps the CPU busy with a fixed amount of work - arithmetic, system
 * calls and page faults, in ROUNDS rounds - and prints "CLOCK ns", its
 * CLOCK_MONOTONIC in nanoseconds, before the first round and after each;
 * the host times the arrival of those lines to see whether the guest's
 * clock kept up with its own. Then it powers the machine off. It never
 * reads the clock to decide anything, so a wrong clock cannot change
 * what it does. "load ROUNDS" on the kernel command line (an argument of
 * init) changes the number of rounds.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/reboot.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define ROUNDS 20
#define SPINS (200L * 1000 * 1000)	/* arithmetic per round */
#define CALLS 100000			/* system calls per round */
#define PAGES 512			/* pages faulted in per round */

static void say_clock(void)
{
	struct timespec ts;
	char buf[64];

	clock_gettime(CLOCK_MONOTONIC, &ts);
	int n = snprintf(buf, sizeof(buf), "CLOCK %lld\n",
			 (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec);
	(void)!write(1, buf, (size_t)n);
}

static void round_of_work(void)
{
	volatile unsigned long x = 1;

	for (long i = 0; i < SPINS; i++)
		x = x * 6364136223846793005UL + 1442695040888963407UL;
	for (int i = 0; i < CALLS; i++)
		syscall(SYS_getppid);
	char *p = mmap(NULL, PAGES * 4096UL, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p != MAP_FAILED) {
		for (int i = 0; i < PAGES; i++)
			p[i * 4096UL] = (char)i;
		munmap(p, PAGES * 4096UL);
	}
}

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : ROUNDS;

	if (write(1, "", 0) != 0)
		for (int fd = 0; fd < 3; fd++)
			open("/dev/console", O_RDWR);
	say_clock();
	for (int r = 0; r < rounds; r++) {
		round_of_work();
		say_clock();
	}
	syscall(SYS_reboot, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2,
		LINUX_REBOOT_CMD_POWER_OFF, 0);
	for (;;)
		pause();
}
