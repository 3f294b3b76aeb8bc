/*
 * Open files as drivers see them (kernel/fs/file.c). A struct file is one
 * open-file description: shared by dup() and fork(), it holds the offset,
 * the status flags and the operations of whatever was opened (a tmpfs
 * file, a device, a pipe). Device drivers implement struct file_ops and
 * register it with chrdev_register() (fs/chrdev.h).
 */
#ifndef BASALT_FS_FILE_H
#define BASALT_FS_FILE_H

#include <types.h>
#include <sync/mutex.h>

struct inode;
struct dentry;
struct mount;
struct file;
struct vm_object;

/*
 * A buffer that is either in the kernel or in user space; file operations
 * move data only through iobuf_copy_*, so one read() implementation serves
 * read(2) and the kernel's own kernel_read_at(). Which one it is, is the
 * type of the pointer that is set: kbuf for kernel memory, otherwise
 * ubuf (which may be NULL: a user's bad pointer faults as any other), so
 * `make check` (sparse) sees every use of the user pointer. Made only by
 * IOBUF_USER and IOBUF_KERNEL.
 */
struct iobuf {
	char __user *ubuf;	/* user memory, when kbuf is NULL */
	char *kbuf;		/* kernel memory, never NULL when used */
	size_t len;
};

#define IOBUF_USER(p, n)   ((struct iobuf){ .ubuf = (p), .len = (n) })
#define IOBUF_KERNEL(p, n) ((struct iobuf){ .kbuf = (p), .len = (n) })

static inline bool iobuf_is_user(const struct iobuf *io)
{
	return io->kbuf == NULL;
}

/*
 * Each returns how many bytes it moved: n, or fewer when a user buffer
 * faults part-way (the bytes before the fault are moved; fs/iobuf.c).
 * A file operation then returns the bytes it transferred, or -EFAULT if
 * there were none, as Linux does.
 */
/* Copy n bytes from src to io at offset off. */
size_t iobuf_copy_out(struct iobuf *io, size_t off, const void *src, size_t n);
/* Copy n bytes of io at offset off to dst. */
size_t iobuf_copy_in(void *dst, struct iobuf *io, size_t off, size_t n);
/* Zero n bytes of io at offset off. */
size_t iobuf_clear(struct iobuf *io, size_t off, size_t n);

/*
 * Directory listing: readdir calls emit() for each entry from ctx->pos on,
 * with next, the position just after the entry; emit returns false when
 * the caller's buffer is full (the entry was not taken). readdir sets
 * ctx->pos to next for every entry that was taken.
 */
struct dir_context {
	bool (*emit)(struct dir_context *ctx, const char *name, size_t len,
		     uint64_t ino, unsigned int type, off_t next);
	off_t pos;
};

/* f->mode bits: what this open file may do. */
#define FMODE_READ	0x1
#define FMODE_WRITE	0x2
#define FMODE_LSEEK	0x4	/* lseek works (else -ESPIPE) */
#define FMODE_PREAD	0x8	/* pread/pwrite work (else -ESPIPE) */
#define FMODE_PATH	0x10	/* O_PATH: no I/O at all */
#define FMODE_ATOMIC_POS 0x20	/* read/write/lseek serialize on pos_lock */

struct file_ops {
	/* Called once at open; may replace f->ops or set f->private. */
	int (*open)(struct inode *inode, struct file *f);
	/* Called once when the last reference goes. */
	void (*release)(struct file *f);
	/* Transfer io->len bytes at *pos; return bytes moved or -errno. */
	ssize_t (*read)(struct file *f, struct iobuf *io, off_t *pos);
	ssize_t (*write)(struct file *f, struct iobuf *io, off_t *pos);
	/* NULL means the generic one (SEEK_SET/CUR/END against the size). */
	off_t (*llseek)(struct file *f, off_t off, int whence);
	/* arg is a user pointer or value; -ENOTTY for unknown commands. */
	long (*ioctl)(struct file *f, unsigned int cmd, unsigned long arg);
	int (*readdir)(struct file *f, struct dir_context *ctx);
	/* POLL* events ready now; NULL means always readable and writable
	 * (Linux's DEFAULT_POLLMASK). Must not sleep. */
	unsigned int (*poll)(struct file *f);
	/*
	 * mmap: the memory object a mapping of len bytes maps (shared:
	 * MAP_SHARED), with a reference for the caller; *obj = NULL maps
	 * private anonymous memory instead (/dev/zero). NULL op: -ENODEV.
	 */
	int (*mmap)(struct file *f, bool shared, uint64_t len,
		    struct vm_object **obj);
	/*
	 * fallocate(2) on a regular file open for writing, once the VFS
	 * has checked mode, offset and len (len > 0, off + len fits);
	 * NULL op: -EOPNOTSUPP. Unknown modes are the op's to refuse.
	 */
	int (*fallocate)(struct file *f, int mode, off_t off, off_t len);
};

/*
 * Readiness changed somewhere (data arrived, room appeared, an end was
 * closed): wake every task sleeping in poll/select so it looks again.
 * May be called from interrupt context.
 */
void poll_wake(void);

struct file {
	uint32_t refcount;		/* atomic */
	unsigned int mode;		/* FMODE_*, fixed after open */
	unsigned int flags;		/* O_* status flags, atomic updates */
	off_t pos;			/* guarded by pos_lock (ATOMIC_POS) */
	struct mutex pos_lock;
	const struct file_ops *ops;
	struct inode *inode;		/* what was opened */
	struct mount *mnt;		/* where it was found: holds a ref */
	struct dentry *dentry;		/* holds a ref */
	void *private;			/* the driver's */
};

void file_get(struct file *f);
/* Drop a reference; the last one calls ops->release and frees f. */
void file_put(struct file *f);

/* For drivers whose files cannot seek (ttys, pipes): clear LSEEK/PREAD. */
void file_nonseekable(struct file *f);

/* Linux's MAX_RW_COUNT: the most one read/write call transfers. */
#define MAX_RW_COUNT	(0x7fffffffUL & ~(4096UL - 1))
/* Linux's MAX_LFS_FILESIZE on 64-bit: tmpfs's largest file (s_maxbytes).
 * Every size up to it is cheap: a file's pages hang off a sparse tree. */
#define MAX_LFS_FILESIZE	INT64_MAX

#endif
