/*
 * Character devices: device numbers and the driver table that opening a
 * device inode consults (kernel/fs/chrdev.c). Numbers are Linux's
 * (Documentation/admin-guide/devices.txt): 1:3 null, 5:1 console, ...
 */
#ifndef BASALT_FS_CHRDEV_H
#define BASALT_FS_CHRDEV_H

#include <types.h>

struct file_ops;

/* Kernel-internal dev_t encoding, as Linux's: 12-bit major, 20-bit minor. */
#define MINORBITS	20
#define MKDEV(ma, mi)	(((dev_t)(ma) << MINORBITS) | (dev_t)(mi))
#define MAJOR(dev)	((unsigned int)((dev) >> MINORBITS))
#define MINOR(dev)	((unsigned int)((dev) & ((1U << MINORBITS) - 1)))

/* The dev_t user space sees in st_dev/st_rdev (Linux new_encode_dev). */
static inline uint64_t dev_encode(dev_t dev)
{
	uint64_t ma = MAJOR(dev), mi = MINOR(dev);

	return (mi & 0xff) | (ma << 8) | ((mi & ~0xffULL) << 12);
}

static inline dev_t dev_decode(uint64_t u)
{
	unsigned int ma = (u & 0xfff00) >> 8;
	unsigned int mi = (u & 0xff) | ((u >> 12) & 0xfff00);

	return MKDEV(ma, mi);
}

/*
 * Make opening char device major:minor use fops (whose open may refine
 * the file). Called at boot, before any open. -EBUSY if taken.
 */
int chrdev_register(unsigned int major, unsigned int minor,
		    const struct file_ops *fops);

/* The drivers, registered by vfs_init(). */
void memdev_init(void);		/* kernel/drivers/mem.c */
void kmsg_init(void);		/* /dev/kmsg: kernel/drivers/kmsg.c */
void tty_init(void);		/* kernel/drivers/tty.c */

#endif
