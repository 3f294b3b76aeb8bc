/*
 * /proc/sysrq-trigger: root writes a key and the kernel acts on it at
 * once (Linux's magic SysRq, reached through a file; only the first byte
 * of a write counts, as in Linux 6.1). The keys Basalt has:
 *
 *   c   crash: panic, which stops the other CPUs by NMI and reports
 *       where each was (the way to watch that path, and to test it)
 *   b   reboot now
 *   o   power off now
 *
 * Any other key is EINVAL, where Linux prints its help to the log and
 * returns as if it had worked: Basalt does not accept what it does not
 * do. Reading is EIO, as for Linux's write-only proc files.
 */
#include "procfs.h"
#include <arch/machine.h>
#include <lib/printk.h>

static ssize_t sysrq_read(struct file *f, struct iobuf *io, off_t *pos)
{
	return -EIO;
}

static ssize_t sysrq_write(struct file *f, struct iobuf *io, off_t *pos)
{
	char key;

	if (io->len == 0)
		return 0;
	if (iobuf_copy_in(&key, io, 0, 1) != 1)
		return -EFAULT;
	switch (key) {
	case 'c':
		pr_info("sysrq: Trigger a crash");
		panic("sysrq triggered crash");
	case 'b':
		pr_info("sysrq: Resetting");
		machine_restart();
	case 'o':
		pr_info("sysrq: Power Off");
		machine_power_off();
	default:
		return -EINVAL;
	}
}

const struct file_ops proc_sysrq_ops = {
	.read = sysrq_read,
	.write = sysrq_write,
};
