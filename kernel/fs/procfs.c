/*
 * procfs, mounted by user space on /proc: a tree described by static
 * tables of struct proc_entry (procfs_files.c), made into dentries and
 * inodes on demand by lookup and freed when unused; nothing is cached, so
 * every lookup sees the current state. Directories are the root (fixed
 * entries, then one directory per process), /proc/<pid> and
 * /proc/<pid>/fd. A file's contents are generated whole at open (like
 * Linux's single_open) into page-sized chunks, so one read sequence sees
 * one snapshot and a long file needs no large contiguous buffer; an entry
 * with operations of its own (fail-nth, procfs_fault.c) is the exception.
 */
#include "procfs.h"
#include "path.h"
#include <lib/string.h>
#include <lib/printk.h>
#include <mm/kmalloc.h>
#include <mm/layout.h>
#include <proc/prctl.h>
#include <proc/task.h>

/* inode->private of a procfs inode. */
struct proc_inode {
	const struct proc_entry *entry;
	pid_t pid;			/* of the pid directory it is under */
	int fd;				/* /proc/<pid>/fd/<fd> */
};

/* An open procfs file: its generated contents (procfs.h). */
struct proc_text {
	char **chunks;			/* PAGE_SIZE bytes each */
	size_t nchunks, cap;		/* chunks in use, room in the array */
	size_t len;			/* bytes of text */
};

static const struct inode_ops proc_dir_iops, proc_link_iops, proc_file_iops;
static const struct file_ops proc_dir_ops, proc_file_ops;

static struct proc_inode *proc_i(struct inode *inode)
{
	return inode->private;
}

pid_t proc_file_pid(const struct file *f)
{
	return proc_i(f->inode)->pid;
}

/* Whether entry c of a directory is out of sight: another process's
 * private entry, or one that does not exist now. */
static bool proc_entry_hidden(const struct proc_entry *c,
			      const struct proc_inode *dir)
{
	return (c->self_only && dir->pid != proc_self_tgid()) ||
	       (c->present && !c->present());
}

static void proc_evict(struct inode *inode)
{
	kfree(inode->private);
}

/* Stable inode numbers: 1 for the root, 2.. for its entries,
 * (pid << 32) | index below a pid directory, and for the entries of
 * deeper fixed directories (/proc/sys/...) a number made from the
 * entry's place in the kernel image, above 2^31. */
static ino_t proc_ino(const struct proc_entry *e, pid_t pid, int fd)
{
	const struct proc_entry *root = proc_root_dir.children;
	const struct proc_entry *pidents = proc_pid_dir.children;
	uint64_t idx = 0;

	if (e == &proc_root_dir)
		return 1;
	if (e >= root && e < root + proc_root_dir.nchildren)
		return 2 + (ino_t)(e - root);
	if (e >= pidents && e < pidents + proc_pid_dir.nchildren)
		idx = 1 + (uint64_t)(e - pidents);
	else if (e == &proc_fd_link)
		idx = 64 + (uint64_t)fd;
	else if (e == &proc_fdinfo_file)
		idx = 0x80000000ULL + (uint64_t)fd;
	else if (!pid)
		return 0x80000000UL | (((uintptr_t)e >> 3) & 0x7fffffffUL);
	return ((uint64_t)pid << 32) | idx;
}

/* Linux shows an fd link's open mode in its permissions, size 64. */
static void proc_fd_link_attrs(struct inode *inode, pid_t pid, int fd)
{
	struct file *f = proc_fd_get(pid, fd, NULL);

	inode->mode = S_IFLNK | S_IXUSR;
	inode->size = 64;
	if (!f)
		return;
	if (f->mode & FMODE_READ)
		inode->mode |= S_IRUSR;
	if (f->mode & FMODE_WRITE)
		inode->mode |= S_IWUSR;
	file_put(f);
}

/* Files of a pid directory belong to the process's effective user and
 * group, as in Linux (task_dump_owner): it may write its own comm and
 * read its own environ. */
static struct inode *proc_inode_new(struct super *sb,
				    const struct proc_entry *e, pid_t pid,
				    int fd)
{
	const struct inode_ops *iops = &proc_file_iops;
	const struct file_ops *fops = &proc_file_ops;
	struct proc_inode *pi = kmalloc(sizeof(*pi));
	struct inode *inode;

	if (!pi)
		return NULL;
	if (S_ISDIR(e->mode)) {
		iops = &proc_dir_iops;
		fops = &proc_dir_ops;
	} else if (S_ISLNK(e->mode)) {
		iops = &proc_link_iops;
		fops = NULL;
	} else if (e->fops) {
		fops = e->fops;
	}
	inode = inode_alloc(sb, e->mode, iops, fops);
	if (!inode) {
		kfree(pi);
		return NULL;
	}
	*pi = (struct proc_inode){ e, pid, fd };
	inode->private = pi;
	inode->ino = proc_ino(e, pid, fd);
	inode->uid = 0;
	inode->gid = 0;
	if (pid)	/* a process's files are its own, if dumpable */
		task_proc_owner(pid, &inode->uid, &inode->gid);
	if (S_ISDIR(e->mode))
		inode->nlink = 2;
	if (e == &proc_fd_link)
		proc_fd_link_attrs(inode, pid, fd);
	return inode;
}

/* A dentry for entry e under dir, or ERR_PTR. */
static struct dentry *proc_make(struct dentry *dir, const char *name,
				size_t len, const struct proc_entry *e,
				pid_t pid, int fd)
{
	struct inode *inode = proc_inode_new(dir->sb, e, pid, fd);
	struct dentry *d;

	if (!inode)
		return ERR_PTR(-ENOMEM);
	d = dentry_alloc(dir, name, len, inode);
	if (!d) {
		inode_put(inode);
		return ERR_PTR(-ENOMEM);
	}
	return d;
}

/* A decimal number without sign or leading zeros; -1 otherwise. */
static long proc_number(const char *name, size_t len)
{
	long v = 0;

	if (len == 0 || len > 9 || (name[0] == '0' && len > 1))
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (name[i] < '0' || name[i] > '9')
			return -1;
		v = v * 10 + (name[i] - '0');
	}
	return v;
}

static bool pid_alive(pid_t pid)
{
	bool alive;

	if (pid == proc_self_tgid())
		return true;
	spin_lock(&proc_tree_lock);
	alive = task_find(pid) != NULL;
	spin_unlock(&proc_tree_lock);
	return alive;
}

/* tid is a live thread of the process tgid. */
static bool thread_alive(pid_t tgid, pid_t tid)
{
	return task_next_thread(tgid, tid) == tid;
}


static struct dentry *proc_lookup(struct dentry *dir, const char *name,
				  size_t len)
{
	struct proc_inode *pi = proc_i(dir->inode);
	const struct proc_entry *e = pi->entry;
	long n;

	for (size_t i = 0; i < e->nchildren; i++) {
		const struct proc_entry *c = &e->children[i];

		if (strlen(c->name) != len || memcmp(c->name, name, len))
			continue;
		if (proc_entry_hidden(c, pi))
			return NULL;
		return proc_make(dir, name, len, c, pi->pid, 0);
	}
	n = proc_number(name, len);
	if (n < 0)
		return NULL;
	if (e->numbered == PROC_NUM_PIDS && pid_alive((pid_t)n))
		return proc_make(dir, name, len, &proc_pid_dir, (pid_t)n, 0);
	if (e->numbered == PROC_NUM_FDS &&
	    proc_fd_open(pi->pid, (int)n, false))
		return proc_make(dir, name, len, &proc_fd_link, pi->pid,
				 (int)n);
	if (e->numbered == PROC_NUM_FDINFO &&
	    proc_fd_open(pi->pid, (int)n, true))
		return proc_make(dir, name, len, &proc_fdinfo_file, pi->pid,
				 (int)n);
	if (e->numbered == PROC_NUM_TASKS && thread_alive(pi->pid, (pid_t)n))
		return proc_make(dir, name, len, &proc_pid_dir, (pid_t)n, 0);
	return NULL;
}

/* The next numbered entry at or after n: processes in /proc, threads in
 * task/, open descriptors in fd/; -1 when there is none. */
static long proc_next_number(const struct proc_entry *e, pid_t pid, long n)
{
	if (e->numbered == PROC_NUM_PIDS)
		return task_next_pid((pid_t)MIN(n, (long)INT32_MAX));
	if (e->numbered == PROC_NUM_TASKS)
		return task_next_thread(pid, (pid_t)MIN(n, (long)INT32_MAX));
	if (e->numbered == PROC_NUM_FDS || e->numbered == PROC_NUM_FDINFO)
		return proc_next_fd(pid, (int)MIN(n, (long)INT32_MAX),
				    e->numbered == PROC_NUM_FDINFO);
	return -1;
}

/* ".", "..", the table, then numbered entries at 2 + nchildren + n. */
static int proc_readdir(struct file *f, struct dir_context *ctx)
{
	struct dentry *dir = f->dentry;
	struct proc_inode *pi = proc_i(dir->inode);
	const struct proc_entry *e = pi->entry, *c;
	off_t base = 2 + (off_t)e->nchildren;
	char num[16];
	long n;

	if (ctx->pos == 0 && ctx->emit(ctx, ".", 1, dir->inode->ino, 4, 1))
		ctx->pos = 1;
	if (ctx->pos == 1 && ctx->emit(ctx, "..", 2, dir->parent->inode->ino,
				       4, 2))
		ctx->pos = 2;
	for (off_t i = ctx->pos - 2; ctx->pos >= 2 && i < base - 2; i++) {
		c = &e->children[i];
		if (!proc_entry_hidden(c, pi) &&
		    !ctx->emit(ctx, c->name, strlen(c->name),
			       proc_ino(c, pi->pid, 0), (c->mode >> 12) & 15,
			       i + 3))
			return 0;
		ctx->pos = i + 3;
	}
	if (ctx->pos < base)
		return 0;
	c = e->numbered == PROC_NUM_FDS ? &proc_fd_link :
	    e->numbered == PROC_NUM_FDINFO ? &proc_fdinfo_file : &proc_pid_dir;
	while ((n = proc_next_number(e, pi->pid, ctx->pos - base)) >= 0) {
		pid_t pid = c == &proc_pid_dir ? (pid_t)n : pi->pid;
		int len = snprintf(num, sizeof(num), "%ld", n);

		if (!ctx->emit(ctx, num, (size_t)len, proc_ino(c, pid, (int)n),
			       (c->mode >> 12) & 15, base + n + 1))
			return 0;
		ctx->pos = base + n + 1;
	}
	return 0;
}

static int proc_get_link(struct dentry *d, char *buf, size_t size)
{
	struct proc_inode *pi = proc_i(d->inode);

	return pi->entry->link(buf, size, pi->pid, pi->fd);
}

bool procfs_magic_link(const struct dentry *d)
{
	return d->inode->sb->type == &procfs_type &&
	       proc_i(d->inode)->entry->magic;
}

/* Room for one more chunk at the end of t; 0 or -ENOMEM. */
static int proc_text_grow(struct proc_text *t)
{
	char *chunk;

	if ((t->nchunks + 1) * PAGE_SIZE > PROC_TEXT_MAX)
		return -ENOMEM;
	if (t->nchunks == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 8;
		char **chunks = kmalloc(cap * sizeof(*chunks));

		if (!chunks)
			return -ENOMEM;
		if (t->nchunks)
			memcpy(chunks, t->chunks, t->nchunks * sizeof(*chunks));
		kfree(t->chunks);
		t->chunks = chunks;
		t->cap = cap;
	}
	chunk = kmalloc(PAGE_SIZE);
	if (!chunk)
		return -ENOMEM;
	t->chunks[t->nchunks++] = chunk;
	return 0;
}

int proc_text_add(struct proc_text *t, const char *s, size_t len)
{
	while (len) {
		size_t off = t->len % PAGE_SIZE, n = MIN(len, PAGE_SIZE - off);

		if (t->len == t->nchunks * PAGE_SIZE && proc_text_grow(t))
			return -ENOMEM;
		memcpy(t->chunks[t->len / PAGE_SIZE] + off, s, n);
		t->len += n;
		s += n;
		len -= n;
	}
	return 0;
}

/* Lines are short: formatted on the stack, or in a buffer if longer. */
int proc_text_printf(struct proc_text *t, const char *fmt, ...)
{
	char small[160], *buf = small;
	va_list ap;
	int len, err;

	va_start(ap, fmt);
	len = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (len < 0)
		return -EINVAL;
	if ((size_t)len >= sizeof(small)) {
		buf = kmalloc((size_t)len + 1);
		if (!buf)
			return -ENOMEM;
		va_start(ap, fmt);
		vsnprintf(buf, (size_t)len + 1, fmt, ap);
		va_end(ap);
	}
	err = proc_text_add(t, buf, (size_t)len);
	if (buf != small)
		kfree(buf);
	return err;
}

static void proc_text_free(struct proc_text *t)
{
	for (size_t i = 0; i < t->nchunks; i++)
		kfree(t->chunks[i]);
	kfree(t->chunks);
	kfree(t);
}

/* A show function's contents, growing the buffer until they fit. */
static int proc_text_show(struct proc_text *t, const struct proc_entry *e,
			  pid_t pid)
{
	for (size_t size = PAGE_SIZE; size <= 64 * PAGE_SIZE; size *= 4) {
		char *buf = kmalloc(size);
		long len;
		int err = 0;

		if (!buf)
			return -ENOMEM;
		len = e->show ? e->show(buf, size, pid)
			      : e->show_arg(e->arg, buf, size);
		if (len >= 0)
			err = proc_text_add(t, buf, (size_t)len);
		kfree(buf);
		if (len != -ENOMEM)
			return len < 0 ? (int)len : err;
	}
	return -ENOMEM;
}

/* Generate the whole contents at open: one read sequence, at whatever
 * offsets, sees one snapshot. */
static int proc_file_open(struct inode *inode, struct file *f)
{
	const struct proc_entry *e = proc_i(inode)->entry;
	struct proc_text *t;
	int err;

	/* A /proc/sys value that cannot change refuses writers, root too
	 * (Linux's proc_sys_permission goes by the mode alone). */
	if (e->arg && !e->write_arg && (f->mode & FMODE_WRITE))
		return -EACCES;
	t = kzalloc(sizeof(*t));
	if (!t)
		return -ENOMEM;
	if (e->generate_fd)
		err = e->generate_fd(t, proc_i(inode)->pid, proc_i(inode)->fd);
	else if (e->generate)
		err = e->generate(t, proc_i(inode)->pid);
	else
		err = proc_text_show(t, e, proc_i(inode)->pid);
	if (err) {
		proc_text_free(t);
		return err;
	}
	f->private = t;
	return 0;
}

static void proc_file_release(struct file *f)
{
	proc_text_free(f->private);
}

static ssize_t proc_file_read(struct file *f, struct iobuf *io, off_t *pos)
{
	struct proc_text *t = f->private;
	size_t done = 0;

	while (done < io->len && *pos >= 0 && (size_t)*pos < t->len) {
		size_t off = (size_t)*pos % PAGE_SIZE;
		size_t n = MIN(io->len - done, MIN(PAGE_SIZE - off,
						   t->len - (size_t)*pos));
		size_t moved = iobuf_copy_out(io, done,
					      t->chunks[*pos / PAGE_SIZE] + off,
					      n);

		done += moved;
		*pos += (off_t)moved;
		if (moved < n)
			return done ? (ssize_t)done : -EFAULT;
	}
	return (ssize_t)done;
}

/* A write to a tunable: the whole value in one call, as Linux's sysctl
 * files take it (at most a page). */
static ssize_t proc_file_write(struct file *f, struct iobuf *io, off_t *pos)
{
	const struct proc_entry *e = proc_i(f->inode)->entry;
	size_t len = MIN(io->len, (size_t)PAGE_SIZE - 1);
	char *buf;
	int err;

	if (!e->write_arg && !e->write_pid)
		return -EINVAL;
	buf = kmalloc(PAGE_SIZE);
	if (!buf)
		return -ENOMEM;
	err = iobuf_copy_in(buf, io, 0, len) == len ? 0 : -EFAULT;
	if (!err && e->write_pid)
		err = e->write_pid(proc_file_pid(f), buf, len);
	else if (!err)
		err = e->write_arg(e->arg, buf, len);
	kfree(buf);
	if (err)
		return err;
	*pos += (off_t)len;
	return (ssize_t)len;
}

/* seq_lseek: SEEK_SET and SEEK_CUR only. */
static off_t proc_file_llseek(struct file *f, off_t off, int whence)
{
	if (whence == SEEK_CUR)
		off += f->pos;
	else if (whence != SEEK_SET)
		return -EINVAL;
	if (off < 0)
		return -EINVAL;
	return f->pos = off;
}

static const struct file_ops proc_file_ops = {
	.open = proc_file_open,
	.release = proc_file_release,
	.read = proc_file_read,
	.write = proc_file_write,
	.llseek = proc_file_llseek,
};

static ssize_t proc_dir_read(struct file *f, struct iobuf *io, off_t *pos)
{
	return -EISDIR;
}

static const struct file_ops proc_dir_ops = {
	.read = proc_dir_read,
	.readdir = proc_readdir,
};

static const struct inode_ops proc_dir_iops = {
	.lookup = proc_lookup,
	.evict = proc_evict,
};

static const struct inode_ops proc_link_iops = {
	.get_link = proc_get_link,
	.evict = proc_evict,
};

/*
 * O_TRUNC on a /proc file, as a shell's "echo 1 > /proc/sys/..." opens
 * it: the text is made at open, there is nothing to cut, and Linux
 * (proc_notify_change) says yes. Other lengths stay EINVAL.
 */
static int proc_truncate(struct inode *inode, off_t size)
{
	return size == 0 ? 0 : -EINVAL;
}

static const struct inode_ops proc_file_iops = {
	.truncate = proc_truncate,
	.evict = proc_evict,
};

static int proc_fill_super(struct super *sb, const char *options)
{
	if (options[0] != '\0')
		return -EINVAL;		/* hidepid= etc. are not supported */
	return super_set_root(sb, proc_inode_new(sb, &proc_root_dir, 0, 0));
}

const struct fs_type procfs_type = {
	.name = "proc",
	.fill_super = proc_fill_super,
	.kill_super = super_drop_root,
	.nodev = true,
};
