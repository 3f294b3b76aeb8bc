/*
 * The character-device table: opening a device inode looks its rdev up
 * here and hands the file to the driver's operations. Drivers register at
 * boot (vfs_init); the table only grows, so lookups need no lock beyond
 * the one that orders them against registration.
 */
#include "vfs.h"
#include <fs/chrdev.h>

#define MAX_CHRDEVS 32

struct chrdev {
	unsigned int major, minor;
	const struct file_ops *fops;
};

static struct spinlock chrdev_lock = SPINLOCK_INIT("chrdev");
static struct chrdev chrdevs[MAX_CHRDEVS];	/* guarded by chrdev_lock */
static int nr_chrdevs;				/* guarded by chrdev_lock */

int chrdev_register(unsigned int major, unsigned int minor,
		    const struct file_ops *fops)
{
	int err = 0;

	spin_lock(&chrdev_lock);
	for (int i = 0; i < nr_chrdevs; i++)
		if (chrdevs[i].major == major && chrdevs[i].minor == minor)
			err = -EBUSY;
	if (!err && nr_chrdevs == MAX_CHRDEVS)
		err = -ENOMEM;
	if (!err)
		chrdevs[nr_chrdevs++] = (struct chrdev){ major, minor, fops };
	spin_unlock(&chrdev_lock);
	return err;
}

static const struct file_ops *chrdev_find(dev_t dev)
{
	const struct file_ops *fops = NULL;

	spin_lock(&chrdev_lock);
	for (int i = 0; i < nr_chrdevs; i++)
		if (chrdevs[i].major == MAJOR(dev) &&
		    chrdevs[i].minor == MINOR(dev))
			fops = chrdevs[i].fops;
	spin_unlock(&chrdev_lock);
	return fops;
}

/* Device nodes: no block drivers exist, unknown devices are -ENXIO. */
static int chrdev_open(struct inode *inode, struct file *f)
{
	const struct file_ops *fops;

	if (f->mnt && (f->mnt->flags & MNT_NODEV))
		return -EACCES;
	if (!S_ISCHR(inode->mode))
		return -ENXIO;
	fops = chrdev_find(inode->rdev);
	if (!fops)
		return -ENXIO;
	f->ops = fops;
	return fops->open ? fops->open(inode, f) : 0;
}

const struct file_ops chrdev_open_ops = {
	.open = chrdev_open,
};
