/*
 * /proc/config.gz: the kernel's configuration as Linux publishes it
 * (CONFIG_IKCONFIG_PROC), a gzip file of "CONFIG_NAME=y" lines. Test
 * suites (LTP's tst_kconfig, for one) read it to decide what to test, so
 * it names, in Linux's option names, what Basalt really implements, and
 * says "is not set" of the big features it does not have. Whoever adds
 * one of those changes its line here.
 *
 * The gzip stream is made at open: a header, the text in deflate's
 * "stored" blocks (no compression: the text is small, and any gunzip
 * reads them), and the trailer with the text's CRC-32 and length.
 */
#include "procfs.h"
#include <lib/string.h>

static const char config_text[] =
	"#\n"
	"# Automatically generated file; DO NOT EDIT.\n"
	"# Linux/x86 6.1.0 Kernel Configuration (Basalt)\n"
	"#\n"
	"CONFIG_64BIT=y\n"
	"CONFIG_X86_64=y\n"
	"CONFIG_X86=y\n"
	"CONFIG_MMU=y\n"
	"CONFIG_SYSVIPC=y\n"
	"CONFIG_SYSVIPC_SYSCTL=y\n"
	"CONFIG_MULTIUSER=y\n"
	"CONFIG_PRINTK=y\n"
	"CONFIG_PRINTK_TIME=y\n"
	"CONFIG_LOG_BUF_SHIFT=16\n"
	"CONFIG_IKCONFIG=y\n"
	"CONFIG_IKCONFIG_PROC=y\n"
	"CONFIG_FUTEX=y\n"
	"CONFIG_FUTEX_PI=y\n"
	"CONFIG_SHMEM=y\n"
	"CONFIG_TMPFS=y\n"
	"CONFIG_MEMFD_CREATE=y\n"
	"CONFIG_ADVISE_SYSCALLS=y\n"
	"CONFIG_FILE_LOCKING=y\n"
	"CONFIG_EPOLL=y\n"
	"CONFIG_EVENTFD=y\n"
	"CONFIG_NET=y\n"
	"CONFIG_UNIX=y\n"
	"CONFIG_PROC_FS=y\n"
	"CONFIG_PROC_SYSCTL=y\n"
	"CONFIG_BINFMT_ELF=y\n"
	"CONFIG_BINFMT_SCRIPT=y\n"
	"CONFIG_COREDUMP=y\n"
	"CONFIG_ELF_CORE=y\n"
	"CONFIG_BLK_DEV_INITRD=y\n"
	"CONFIG_TTY=y\n"
	"CONFIG_UNIX98_PTYS=y\n"
	"CONFIG_SERIAL_8250=y\n"
	"CONFIG_SERIAL_8250_CONSOLE=y\n"
	"CONFIG_HPET_TIMER=y\n"
	"CONFIG_X86_TSC=y\n"
	"CONFIG_X86_SMAP=y\n"
	"CONFIG_HZ_250=y\n"
	"CONFIG_HZ=250\n"
	"CONFIG_NR_CPUS=1\n"
	"# CONFIG_SMP is not set\n"
	"# CONFIG_MODULES is not set\n"
	"# CONFIG_BLOCK is not set\n"
	"CONFIG_SYSFS=y\n"
	"# CONFIG_SWAP is not set\n"
	"# CONFIG_POSIX_TIMERS is not set\n"
	"# CONFIG_POSIX_MQUEUE is not set\n"
	"# CONFIG_SIGNALFD is not set\n"
	"# CONFIG_TIMERFD is not set\n"
	"# CONFIG_AIO is not set\n"
	"# CONFIG_IO_URING is not set\n"
	"# CONFIG_INOTIFY_USER is not set\n"
	"# CONFIG_FANOTIFY is not set\n"
	"# CONFIG_SECCOMP is not set\n"
	"# CONFIG_RSEQ is not set\n"
	"# CONFIG_CROSS_MEMORY_ATTACH is not set\n"
	"# CONFIG_NAMESPACES is not set\n"
	"# CONFIG_CGROUPS is not set\n"
	"# CONFIG_KEYS is not set\n";

#define STORED_MAX	65535		/* bytes in one stored block */

/* CRC-32 (IEEE 802.3, reflected), as gzip's trailer wants it. */
static uint32_t crc32(const uint8_t *p, size_t n)
{
	uint32_t crc = 0xffffffffU;

	while (n--) {
		crc ^= *p++;
		for (int k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xedb88320U & -(crc & 1));
	}
	return ~crc;
}

static void put_le32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

int config_gz_generate(struct proc_text *t, pid_t pid)
{
	/* ID1 ID2, deflate, no flags, no time, no extra flags, Unix. */
	static const uint8_t header[10] = { 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3 };
	const uint8_t *text = (const uint8_t *)config_text;
	size_t len = sizeof(config_text) - 1, done = 0;
	uint8_t block[5], trailer[8];
	int err = proc_text_add(t, (const char *)header, sizeof(header));

	while (!err && done < len) {
		size_t n = MIN(len - done, (size_t)STORED_MAX);

		block[0] = done + n == len;	/* BFINAL; BTYPE 00: stored */
		block[1] = (uint8_t)n;
		block[2] = (uint8_t)(n >> 8);
		block[3] = (uint8_t)~n;		/* NLEN: LEN's complement */
		block[4] = (uint8_t)(~n >> 8);
		err = proc_text_add(t, (const char *)block, sizeof(block));
		if (!err)
			err = proc_text_add(t, (const char *)text + done, n);
		done += n;
	}
	put_le32(trailer, crc32(text, len));
	put_le32(trailer + 4, (uint32_t)len);
	return err ? err : proc_text_add(t, (const char *)trailer,
					  sizeof(trailer));
}
