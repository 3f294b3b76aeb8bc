/*
 * sysfs, mounted by user space on /sys (`mount -t sysfs sysfs /sys`):
 * the few files of Linux's device tree that programs read to learn the
 * machine, read-only, in Linux 6.1's formats:
 *
 *   /sys/devices/system/cpu/online      the CPUs running, "0-1"
 *   /sys/devices/system/cpu/possible    the same (no CPU hot-plug)
 *   /sys/devices/system/cpu/present     the same
 *   /sys/devices/system/cpu/offline     none: an empty line
 *   /sys/devices/system/cpu/kernel_max  the highest CPU number the
 *                                       kernel could use (MAX_CPUS - 1)
 *   /sys/devices/system/cpu/cpuN/       one directory per CPU, what
 *                                       glibc counts for _SC_NPROCESSORS_CONF
 *   /sys/devices/system/cpu/cpuN/online "1", for N > 0 (CPU 0 has none,
 *                                       as on x86 Linux)
 *   /sys/devices/system/cpu/cpuN/topology/  where CPU N sits: the
 *                                       topology /proc/cpuinfo shows (one
 *                                       package and die of single-thread
 *                                       cores), as ids, CPU masks ("3")
 *                                       and lists ("0-1"), what lscpu reads
 *
 * glibc's sysconf(_SC_NPROCESSORS_ONLN) parses "online"; `nproc`,
 * `lscpu` and thread pools read the same. Like procfs, nothing is cached:
 * a lookup makes a fresh inode, and a file's text is made when it is
 * opened. A node is named by its inode number (SYSFS_INO_*), which says
 * both where it is and what it shows.
 */
#include "vfs.h"
#include <arch/smp.h>
#include <lib/cpumask.h>
#include <lib/printk.h>
#include <lib/string.h>
#include <mm/kmalloc.h>
#include <uapi/errno.h>
#include <uapi/dirent.h>
#include <uapi/stat.h>

enum {
	SYSFS_INO_ROOT = 1,
	SYSFS_INO_DEVICES,
	SYSFS_INO_SYSTEM,
	SYSFS_INO_CPU,
	SYSFS_INO_ONLINE,
	SYSFS_INO_POSSIBLE,
	SYSFS_INO_PRESENT,
	SYSFS_INO_OFFLINE,
	SYSFS_INO_KERNEL_MAX,
	SYSFS_INO_PERCPU = 64,	/* CPU n's nodes: + n * SYSFS_PERCPU_SPAN */
};

/* The nodes of each CPU, by their offset from its first inode number. */
#define SYSFS_PERCPU_SPAN	32
enum {
	SYSFS_CPU_DIR,			/* cpuN/ */
	SYSFS_CPU_ONLINE,
	SYSFS_CPU_TOPOLOGY,		/* cpuN/topology/ */
	SYSFS_CPU_CORE_ID,
	SYSFS_CPU_PACKAGE_ID,
	SYSFS_CPU_DIE_ID,
	SYSFS_CPU_THREAD_MASK,		/* the CPUs of its core: itself */
	SYSFS_CPU_THREAD_LIST,
	SYSFS_CPU_CORE_MASK,
	SYSFS_CPU_CORE_LIST,
	SYSFS_CPU_PACKAGE_MASK,		/* the CPUs of its package: all */
	SYSFS_CPU_PACKAGE_LIST,
	SYSFS_CPU_SIBLINGS_MASK,
	SYSFS_CPU_SIBLINGS_LIST,
	SYSFS_CPU_DIE_MASK,
	SYSFS_CPU_DIE_LIST,
};

static uint64_t sysfs_percpu_ino(unsigned int n, unsigned int off)
{
	return SYSFS_INO_PERCPU + (uint64_t)n * SYSFS_PERCPU_SPAN + off;
}

/* Whether ino is one of CPU n's nodes, and which (*off). */
static bool sysfs_percpu(uint64_t ino, unsigned int *n, unsigned int *off)
{
	if (ino < SYSFS_INO_PERCPU ||
	    ino >= SYSFS_INO_PERCPU + MAX_CPUS * SYSFS_PERCPU_SPAN)
		return false;
	*n = (unsigned int)((ino - SYSFS_INO_PERCPU) / SYSFS_PERCPU_SPAN);
	*off = (unsigned int)((ino - SYSFS_INO_PERCPU) % SYSFS_PERCPU_SPAN);
	return true;
}

/* One name in a directory. */
struct sysfs_node {
	uint64_t parent, ino;
	const char *name;
	mode_t mode;
};

/* Linux's /sys root is r-x for all; its directories rwxr-xr-x and its
 * read-only attributes r--r--r--. */
static const struct sysfs_node sysfs_nodes[] = {
	{ SYSFS_INO_ROOT, SYSFS_INO_DEVICES, "devices", S_IFDIR | 0755 },
	{ SYSFS_INO_DEVICES, SYSFS_INO_SYSTEM, "system", S_IFDIR | 0755 },
	{ SYSFS_INO_SYSTEM, SYSFS_INO_CPU, "cpu", S_IFDIR | 0755 },
	{ SYSFS_INO_CPU, SYSFS_INO_POSSIBLE, "possible", S_IFREG | 0444 },
	{ SYSFS_INO_CPU, SYSFS_INO_OFFLINE, "offline", S_IFREG | 0444 },
	{ SYSFS_INO_CPU, SYSFS_INO_PRESENT, "present", S_IFREG | 0444 },
	{ SYSFS_INO_CPU, SYSFS_INO_ONLINE, "online", S_IFREG | 0444 },
	{ SYSFS_INO_CPU, SYSFS_INO_KERNEL_MAX, "kernel_max", S_IFREG | 0444 },
};

/* Every CPU's, as offsets (parent and ino) from its first inode number;
 * Linux's names of cpuN/topology/ (core_cpus is the newer name of
 * thread_siblings, package_cpus of core_siblings). */
static const struct sysfs_node sysfs_cpu_nodes[] = {
	{ SYSFS_CPU_DIR, SYSFS_CPU_ONLINE, "online", S_IFREG | 0444 },
	{ SYSFS_CPU_DIR, SYSFS_CPU_TOPOLOGY, "topology", S_IFDIR | 0755 },
	{ SYSFS_CPU_TOPOLOGY, SYSFS_CPU_PACKAGE_ID, "physical_package_id",
	  S_IFREG | 0444 },
	{ SYSFS_CPU_TOPOLOGY, SYSFS_CPU_DIE_ID, "die_id", S_IFREG | 0444 },
	{ SYSFS_CPU_TOPOLOGY, SYSFS_CPU_CORE_ID, "core_id", S_IFREG | 0444 },
	{ SYSFS_CPU_TOPOLOGY, SYSFS_CPU_THREAD_MASK, "thread_siblings",
	  S_IFREG | 0444 },
	{ SYSFS_CPU_TOPOLOGY, SYSFS_CPU_THREAD_LIST, "thread_siblings_list",
	  S_IFREG | 0444 },
	{ SYSFS_CPU_TOPOLOGY, SYSFS_CPU_CORE_MASK, "core_cpus",
	  S_IFREG | 0444 },
	{ SYSFS_CPU_TOPOLOGY, SYSFS_CPU_CORE_LIST, "core_cpus_list",
	  S_IFREG | 0444 },
	{ SYSFS_CPU_TOPOLOGY, SYSFS_CPU_SIBLINGS_MASK, "core_siblings",
	  S_IFREG | 0444 },
	{ SYSFS_CPU_TOPOLOGY, SYSFS_CPU_SIBLINGS_LIST, "core_siblings_list",
	  S_IFREG | 0444 },
	{ SYSFS_CPU_TOPOLOGY, SYSFS_CPU_DIE_MASK, "die_cpus",
	  S_IFREG | 0444 },
	{ SYSFS_CPU_TOPOLOGY, SYSFS_CPU_DIE_LIST, "die_cpus_list",
	  S_IFREG | 0444 },
	{ SYSFS_CPU_TOPOLOGY, SYSFS_CPU_PACKAGE_MASK, "package_cpus",
	  S_IFREG | 0444 },
	{ SYSFS_CPU_TOPOLOGY, SYSFS_CPU_PACKAGE_LIST, "package_cpus_list",
	  S_IFREG | 0444 },
};

static const struct inode_ops sysfs_dir_iops, sysfs_file_iops;
static const struct file_ops sysfs_dir_ops, sysfs_file_ops;

/* The i-th of CPU n's nodes under its node dir (an offset); false past
 * the last. CPU 0 has no "online", as on x86 Linux. */
static bool sysfs_cpu_child(unsigned int n, unsigned int dir, size_t i,
			    struct sysfs_node *out)
{
	for (size_t k = 0; k < ARRAY_SIZE(sysfs_cpu_nodes); k++) {
		const struct sysfs_node *c = &sysfs_cpu_nodes[k];

		if (c->parent != dir || (n == 0 && c->ino == SYSFS_CPU_ONLINE))
			continue;
		if (i-- == 0) {
			*out = (struct sysfs_node){
				sysfs_percpu_ino(n, dir),
				sysfs_percpu_ino(n, (unsigned int)c->ino),
				c->name, c->mode };
			return true;
		}
	}
	return false;
}

/*
 * The i-th entry of directory dir (after "." and ".."): the fixed ones,
 * then cpu0..cpuN-1 in cpu/, or those of a CPU's directories. False past
 * the last. name has room for "cpu" and a number.
 */
static bool sysfs_child(uint64_t dir, size_t i, struct sysfs_node *out,
			char name[16])
{
	unsigned int n, off;

	for (size_t k = 0; k < ARRAY_SIZE(sysfs_nodes); k++) {
		if (sysfs_nodes[k].parent != dir)
			continue;
		if (i-- == 0) {
			*out = sysfs_nodes[k];
			return true;
		}
	}
	if (dir == SYSFS_INO_CPU && i < nr_cpus) {
		snprintf(name, 16, "cpu%zu", i);
		*out = (struct sysfs_node){ dir,
			sysfs_percpu_ino((unsigned int)i, SYSFS_CPU_DIR), name,
			S_IFDIR | 0755 };
		return true;
	}
	if (sysfs_percpu(dir, &n, &off) && n < nr_cpus)
		return sysfs_cpu_child(n, off, i, out);
	return false;
}

/* The directories in dir: each has a ".." link to it. */
static uint32_t sysfs_subdirs(uint64_t dir)
{
	struct sysfs_node c;
	uint32_t n = 0;
	char buf[16];

	for (size_t i = 0; sysfs_child(dir, i, &c, buf); i++)
		n += S_ISDIR(c.mode);
	return n;
}

static struct inode *sysfs_inode_new(struct super *sb, uint64_t ino,
				     mode_t mode)
{
	bool dir = S_ISDIR(mode);
	struct inode *inode = inode_alloc(sb, mode,
					  dir ? &sysfs_dir_iops : &sysfs_file_iops,
					  dir ? &sysfs_dir_ops : &sysfs_file_ops);

	if (!inode)
		return NULL;
	inode->ino = ino;
	inode->uid = 0;
	inode->gid = 0;
	/* Linux gives every attribute the size of a page, whatever it
	 * holds; a directory has the links of its subdirectories. */
	inode->size = dir ? 0 : 4096;
	inode->nlink = dir ? 2 + sysfs_subdirs(ino) : 1;
	return inode;
}

static struct dentry *sysfs_lookup(struct dentry *dir, const char *name,
				   size_t len)
{
	struct sysfs_node c;
	struct inode *inode;
	struct dentry *d;
	char buf[16];

	for (size_t i = 0; sysfs_child(dir->inode->ino, i, &c, buf); i++) {
		if (strlen(c.name) != len || memcmp(c.name, name, len))
			continue;
		inode = sysfs_inode_new(dir->sb, c.ino, c.mode);
		if (!inode)
			return ERR_PTR(-ENOMEM);
		d = dentry_alloc(dir, name, len, inode);
		if (!d) {
			inode_put(inode);
			return ERR_PTR(-ENOMEM);
		}
		return d;
	}
	return NULL;
}

/* ".", "..", then entry i at position i + 2. */
static int sysfs_readdir(struct file *f, struct dir_context *ctx)
{
	struct dentry *dir = f->dentry;
	struct sysfs_node c;
	char buf[16];

	if (ctx->pos == 0 && ctx->emit(ctx, ".", 1, dir->inode->ino, DT_DIR, 1))
		ctx->pos = 1;
	if (ctx->pos == 1 && ctx->emit(ctx, "..", 2,
				       dir->parent->inode->ino, DT_DIR, 2))
		ctx->pos = 2;
	while (ctx->pos >= 2 &&
	       sysfs_child(dir->inode->ino, (size_t)ctx->pos - 2, &c, buf)) {
		if (!ctx->emit(ctx, c.name, strlen(c.name), c.ino,
			       S_ISDIR(c.mode) ? DT_DIR : DT_REG, ctx->pos + 1))
			return 0;
		ctx->pos++;
	}
	return 0;
}

/* The text of CPU n's file off (one package and die of single-thread
 * cores, as /proc/cpuinfo says). Masks have nr_cpu_ids bits, which is
 * nr_cpus here (no CPU hot-plug). */
static size_t sysfs_cpu_show(unsigned int n, unsigned int off, char *buf,
			     size_t size)
{
	switch (off) {
	case SYSFS_CPU_CORE_ID:
		return (size_t)snprintf(buf, size, "%u\n", n);
	case SYSFS_CPU_PACKAGE_ID:
	case SYSFS_CPU_DIE_ID:
		return (size_t)snprintf(buf, size, "0\n");
	case SYSFS_CPU_THREAD_MASK:
	case SYSFS_CPU_CORE_MASK:
		return cpumask_print_hex(buf, size, cpumask_of(n), nr_cpus);
	case SYSFS_CPU_THREAD_LIST:
	case SYSFS_CPU_CORE_LIST:
		return cpumask_print_list(buf, size, cpumask_of(n));
	case SYSFS_CPU_PACKAGE_MASK:
	case SYSFS_CPU_SIBLINGS_MASK:
	case SYSFS_CPU_DIE_MASK:
		return cpumask_print_hex(buf, size, cpu_online_mask(),
					 nr_cpus);
	case SYSFS_CPU_PACKAGE_LIST:
	case SYSFS_CPU_SIBLINGS_LIST:
	case SYSFS_CPU_DIE_LIST:
		return cpumask_print_list(buf, size, cpu_online_mask());
	default:			/* online */
		return (size_t)snprintf(buf, size, "1\n");
	}
}

/* The text of the file ino. */
static size_t sysfs_show(uint64_t ino, char *buf, size_t size)
{
	unsigned int n, off;

	if (sysfs_percpu(ino, &n, &off))
		return sysfs_cpu_show(n, off, buf, size);
	switch (ino) {
	case SYSFS_INO_ONLINE:
	case SYSFS_INO_POSSIBLE:
	case SYSFS_INO_PRESENT:
		return cpumask_print_list(buf, size, cpu_online_mask());
	case SYSFS_INO_OFFLINE:
		return cpumask_print_list(buf, size, 0);
	default:			/* kernel_max */
		return (size_t)snprintf(buf, size, "%d\n", MAX_CPUS - 1);
	}
}

/* The text made at open, so that one open file reads one snapshot. */
struct sysfs_text {
	size_t len;
	char buf[8 * MAX_CPUS];
};

static int sysfs_file_open(struct inode *inode, struct file *f)
{
	struct sysfs_text *t;

	if (f->mode & FMODE_WRITE)
		return -EACCES;		/* read-only, root included */
	t = kmalloc(sizeof(*t));
	if (!t)
		return -ENOMEM;
	t->len = MIN(sysfs_show(inode->ino, t->buf, sizeof(t->buf)),
		     sizeof(t->buf) - 1);
	f->private = t;
	return 0;
}

static void sysfs_file_release(struct file *f)
{
	kfree(f->private);
}

static ssize_t sysfs_file_read(struct file *f, struct iobuf *io, off_t *pos)
{
	struct sysfs_text *t = f->private;
	size_t n, moved;

	if (*pos < 0 || (size_t)*pos >= t->len)
		return 0;
	n = MIN(io->len, t->len - (size_t)*pos);
	moved = iobuf_copy_out(io, 0, t->buf + *pos, n);
	if (moved == 0 && n)
		return -EFAULT;
	*pos += (off_t)moved;
	return (ssize_t)moved;
}

static ssize_t sysfs_dir_read(struct file *f, struct iobuf *io, off_t *pos)
{
	return -EISDIR;
}

static const struct file_ops sysfs_file_ops = {
	.open = sysfs_file_open,
	.release = sysfs_file_release,
	.read = sysfs_file_read,
};

static const struct file_ops sysfs_dir_ops = {
	.read = sysfs_dir_read,
	.readdir = sysfs_readdir,
};

static const struct inode_ops sysfs_dir_iops = {
	.lookup = sysfs_lookup,
};

static const struct inode_ops sysfs_file_iops = { 0 };

static int sysfs_fill_super(struct super *sb, const char *options)
{
	if (options[0] != '\0')
		return -EINVAL;		/* sysfs takes no options */
	return super_set_root(sb, sysfs_inode_new(sb, SYSFS_INO_ROOT,
						  S_IFDIR | 0555));
}

const struct fs_type sysfs_type = {
	.name = "sysfs",
	.fill_super = sysfs_fill_super,
	.kill_super = super_drop_root,
	.nodev = true,
};
