/*
 * File-descriptor tables: the per-process array from descriptor numbers
 * to open files, with the close-on-exec bits, shared by CLONE_FILES
 * threads and copied by fork. Also the descriptor system calls close,
 * dup, dup2, dup3 and close_range.
 *
 * The array grows on demand (doubling) up to RLIMIT_NOFILE; the table's
 * spinlock guards it and the bits. A file reference is never dropped
 * with the lock held: file_put may sleep.
 */
#include "vfs.h"
#include <lib/string.h>
#include <mm/kmalloc.h>
#include <proc/task.h>
#include <uapi/resource.h>
#include <syscall/syscall.h>

#define FILES_INITIAL	64
#define NR_OPEN_DEFAULT	(1 << 20)	/* Linux's fs.nr_open default */
#define NR_OPEN_MIN	64		/* Linux's: BITS_PER_LONG */
#define NR_OPEN_MAX	0x7fffffc0	/* Linux's: INT_MAX, word-aligned */

static int nr_open = NR_OPEN_DEFAULT;	/* atomic: fs.nr_open */

int files_nr_open(void)
{
	return __atomic_load_n(&nr_open, __ATOMIC_RELAXED);
}

int files_set_nr_open(long v)
{
	if (v < NR_OPEN_MIN || v > NR_OPEN_MAX)
		return -EINVAL;
	__atomic_store_n(&nr_open, (int)v, __ATOMIC_RELAXED);
	return 0;
}

struct files_table {
	uint32_t refcount;		/* atomic */
	struct spinlock lock;
	int cap;			/* guarded by lock, like the arrays */
	struct file **fds;
	uint64_t *cloexec;		/* one bit per descriptor */
};

static bool bit_get(const uint64_t *b, int i)
{
	return (b[i / 64] >> (i % 64)) & 1;
}

static void bit_set(uint64_t *b, int i, bool v)
{
	if (v)
		b[i / 64] |= 1ULL << (i % 64);
	else
		b[i / 64] &= ~(1ULL << (i % 64));
}

/* The descriptor limit of the current task (RLIMIT_NOFILE). */
static int files_limit(void)
{
	struct task *t = current;
	uint64_t lim;

	if (!t)
		return FILES_INITIAL;
	lim = t->rlimits[RLIMIT_NOFILE][0];
	return lim > (uint64_t)files_nr_open() ? files_nr_open() : (int)lim;
}

static int files_alloc_arrays(int cap, struct file ***fds, uint64_t **bits)
{
	*fds = kzalloc(sizeof(**fds) * (size_t)cap);
	*bits = kzalloc(sizeof(**bits) * (size_t)(cap / 64));
	if (!*fds || !*bits) {
		kfree(*fds);
		kfree(*bits);
		return -ENOMEM;
	}
	return 0;
}

static struct files_table *files_alloc(int cap)
{
	struct files_table *ft = kzalloc(sizeof(*ft));

	if (!ft)
		return NULL;
	if (files_alloc_arrays(cap, &ft->fds, &ft->cloexec)) {
		kfree(ft);
		return NULL;
	}
	ft->refcount = 1;
	ft->cap = cap;
	spin_init(&ft->lock, "files");
	return ft;
}

struct files_table *files_create(void)
{
	return files_alloc(FILES_INITIAL);
}

struct files_table *files_dup(struct files_table *old)
{
	struct files_table *ft;
	int cap;

	for (;;) {
		spin_lock(&old->lock);
		cap = old->cap;
		spin_unlock(&old->lock);
		ft = files_alloc(cap);
		if (!ft)
			return NULL;
		spin_lock(&old->lock);
		if (old->cap == cap)
			break;
		spin_unlock(&old->lock);	/* it grew meanwhile */
		files_put(ft);
	}
	for (int fd = 0; fd < cap; fd++) {
		ft->fds[fd] = old->fds[fd];
		if (ft->fds[fd])
			file_get(ft->fds[fd]);
	}
	memcpy(ft->cloexec, old->cloexec, sizeof(uint64_t) * (size_t)cap / 64);
	spin_unlock(&old->lock);
	return ft;
}

void files_get(struct files_table *ft)
{
	ref_inc(&ft->refcount);
}

void files_put(struct files_table *ft)
{
	if (!ft || !ref_dec(&ft->refcount))
		return;
	for (int fd = 0; fd < ft->cap; fd++) {
		locks_remove_posix(ft->fds[fd], ft);	/* at exit, too */
		file_put(ft->fds[fd]);
	}
	kfree(ft->fds);
	kfree(ft->cloexec);
	kfree(ft);
}

/* Close every descriptor in [lo, hi] for which pick() says so. */
static void files_close_range(struct files_table *ft, int lo, int hi,
			      bool only_cloexec)
{
	for (int fd = lo; fd <= hi; fd++) {
		struct file *f = NULL;

		spin_lock(&ft->lock);
		if (fd >= ft->cap) {
			spin_unlock(&ft->lock);
			return;
		}
		if (!only_cloexec || bit_get(ft->cloexec, fd)) {
			f = ft->fds[fd];
			ft->fds[fd] = NULL;
			bit_set(ft->cloexec, fd, false);
		}
		spin_unlock(&ft->lock);
		locks_remove_posix(f, ft);
		file_put(f);
	}
}

void files_close_on_exec(struct files_table *ft)
{
	files_close_range(ft, 0, INT32_MAX, true);
}

static struct files_table *files_current(void)
{
	struct task *t = current;

	return t ? t->files : NULL;
}

struct file *files_fd_get(struct files_table *ft, int fd, bool *cloexec)
{
	struct file *f = NULL;

	if (!ft || fd < 0)
		return NULL;
	spin_lock(&ft->lock);
	if (fd < ft->cap && ft->fds[fd]) {
		f = ft->fds[fd];
		file_get(f);
		if (cloexec)
			*cloexec = bit_get(ft->cloexec, fd);
	}
	spin_unlock(&ft->lock);
	return f;
}

int files_next_fd(struct files_table *ft, int from)
{
	int fd;

	spin_lock(&ft->lock);
	for (fd = MAX(from, 0); fd < ft->cap && !ft->fds[fd]; fd++)
		;
	if (fd >= ft->cap)
		fd = -1;
	spin_unlock(&ft->lock);
	return fd;
}

struct files_table *files_of_task(struct task *t)
{
	struct files_table *ft;

	spin_assert_held(&proc_tree_lock);
	ft = t->files;
	if (ft)
		files_get(ft);
	return ft;
}

int files_capacity(struct files_table *ft)
{
	int cap;

	spin_lock(&ft->lock);
	cap = ft->cap;
	spin_unlock(&ft->lock);
	return cap;
}

struct file *fd_get(int fd)
{
	return files_fd_get(files_current(), fd, NULL);
}

struct file *fd_get_light(int fd, bool *put)
{
	struct files_table *ft = files_current();

	/* Shared (threads, CLONE_FILES, a /proc reader holding it): another
	 * task might close fd under us, so take a reference. A table only
	 * we hold changes only by our own calls, so no lock either. */
	*put = !ft || __atomic_load_n(&ft->refcount, __ATOMIC_ACQUIRE) != 1;
	if (*put)
		return fd_get(fd);
	return fd >= 0 && fd < ft->cap ? ft->fds[fd] : NULL;
}

void fd_put_light(struct file *f, bool put)
{
	if (put)
		file_put(f);
}

struct file *fd_get_io_light(int fd, bool *put)
{
	struct file *f = fd_get_light(fd, put);

	if (f && (f->mode & FMODE_PATH)) {
		fd_put_light(f, *put);
		return NULL;
	}
	return f;
}

int fd_table_size(void)
{
	struct files_table *ft = files_current();
	int cap;

	spin_lock(&ft->lock);
	cap = ft->cap;
	spin_unlock(&ft->lock);
	return cap;
}

struct file *fd_get_io(int fd)
{
	struct file *f = fd_get(fd);

	if (f && (f->mode & FMODE_PATH)) {
		file_put(f);
		return NULL;
	}
	return f;
}

int fd_check_free(void)
{
	struct files_table *ft = files_current();
	int limit = files_limit();
	int err = -EMFILE;

	if (!ft)
		return -EMFILE;
	spin_lock(&ft->lock);
	for (int fd = 0; fd < limit; fd++) {
		if (fd >= ft->cap || !ft->fds[fd]) {
			err = 0;
			break;
		}
	}
	spin_unlock(&ft->lock);
	return err;
}

bool fd_cloexec(int fd)
{
	struct files_table *ft = files_current();
	bool v = false;

	spin_lock(&ft->lock);
	if (fd >= 0 && fd < ft->cap)
		v = bit_get(ft->cloexec, fd);
	spin_unlock(&ft->lock);
	return v;
}

int fd_set_cloexec(int fd, bool on)
{
	struct files_table *ft = files_current();
	int err = -EBADF;

	spin_lock(&ft->lock);
	if (fd >= 0 && fd < ft->cap && ft->fds[fd]) {
		bit_set(ft->cloexec, fd, on);
		err = 0;
	}
	spin_unlock(&ft->lock);
	return err;
}

/* Make room for descriptor want (want < limit). */
static int files_grow(struct files_table *ft, int want)
{
	struct file **fds, **old_fds;
	uint64_t *bits, *old_bits;
	int cap;

	spin_lock(&ft->lock);
	cap = ft->cap;
	spin_unlock(&ft->lock);
	while (cap <= want)
		cap *= 2;
	if (files_alloc_arrays(cap, &fds, &bits))
		return -ENOMEM;
	spin_lock(&ft->lock);
	if (ft->cap >= cap) {		/* someone else grew it */
		spin_unlock(&ft->lock);
		kfree(fds);
		kfree(bits);
		return 0;
	}
	memcpy(fds, ft->fds, sizeof(*fds) * (size_t)ft->cap);
	memcpy(bits, ft->cloexec, sizeof(*bits) * (size_t)ft->cap / 64);
	old_fds = ft->fds;
	old_bits = ft->cloexec;
	ft->fds = fds;
	ft->cloexec = bits;
	ft->cap = cap;
	spin_unlock(&ft->lock);
	kfree(old_fds);
	kfree(old_bits);
	return 0;
}

static int files_install(struct files_table *ft, struct file *f, int minfd,
			 bool cloexec, int limit)
{
	for (;;) {
		int fd, err;

		spin_lock(&ft->lock);
		for (fd = minfd; fd < ft->cap && fd < limit; fd++)
			if (!ft->fds[fd])
				break;
		if (fd >= limit) {
			spin_unlock(&ft->lock);
			return -EMFILE;
		}
		if (fd < ft->cap) {
			ft->fds[fd] = f;
			bit_set(ft->cloexec, fd, cloexec);
			spin_unlock(&ft->lock);
			return fd;
		}
		spin_unlock(&ft->lock);
		err = files_grow(ft, fd);
		if (err)
			return err;
	}
}

int fd_install(struct file *f, int minfd, bool cloexec)
{
	struct files_table *ft = files_current();

	if (!ft)
		return -EMFILE;
	return files_install(ft, f, minfd, cloexec, files_limit());
}

/*
 * Put f at exactly fd (dup2/dup3), closing what was there. f's reference
 * moves into the table. -EBADF if fd is beyond the limit.
 */
static int fd_replace(int fd, struct file *f, bool cloexec)
{
	struct files_table *ft = files_current();
	struct file *old;
	int err;

	if (fd < 0 || fd >= files_limit())
		return -EBADF;
	for (;;) {
		spin_lock(&ft->lock);
		if (fd < ft->cap)
			break;
		spin_unlock(&ft->lock);
		err = files_grow(ft, fd);
		if (err)
			return err;
	}
	old = ft->fds[fd];
	ft->fds[fd] = f;
	bit_set(ft->cloexec, fd, cloexec);
	spin_unlock(&ft->lock);
	locks_remove_posix(old, ft);
	file_put(old);
	return fd;
}

int files_open_console(struct files_table *ft)
{
	struct file *f = kernel_open("/dev/console", O_RDWR, false);

	if (IS_ERR(f))
		return (int)PTR_ERR(f);
	for (int fd = 0; fd < 3; fd++) {
		file_get(f);
		if (files_install(ft, f, fd, false, fd + 1) != fd) {
			file_put(f);
			file_put(f);
			return -EBUSY;
		}
	}
	file_put(f);
	return 0;
}

/* ---- System calls -------------------------------------------------- */

int fd_close(int fd)
{
	struct files_table *ft = files_current();
	struct file *f = NULL;

	spin_lock(&ft->lock);
	if (fd >= 0 && fd < ft->cap) {
		f = ft->fds[fd];
		ft->fds[fd] = NULL;
		bit_set(ft->cloexec, fd, false);
	}
	spin_unlock(&ft->lock);
	if (!f)
		return -EBADF;
	locks_remove_posix(f, ft);
	file_put(f);
	return 0;
}

SYSCALL_DEFINE1(close, int, fd)
{
	return fd_close(fd);
}

/* fcntl's F_DUPFD/F_DUPFD_CLOEXEC and dup(2). */
int fd_dup_from(int oldfd, int minfd, bool cloexec)
{
	struct file *f = fd_get(oldfd);
	int fd;

	if (!f)
		return -EBADF;
	fd = fd_install(f, minfd, cloexec);
	if (fd < 0)
		file_put(f);
	return fd;
}

SYSCALL_DEFINE1(dup, int, oldfd)
{
	return fd_dup_from(oldfd, 0, false);
}

static int do_dup3(int oldfd, int newfd, int flags)
{
	struct file *f;
	int err;

	if (flags & ~O_CLOEXEC)
		return -EINVAL;
	if (oldfd == newfd)
		return -EINVAL;
	f = fd_get(oldfd);
	if (!f)
		return -EBADF;
	err = fd_replace(newfd, f, flags & O_CLOEXEC);
	if (err < 0)
		file_put(f);
	return err;
}

SYSCALL_DEFINE3(dup3, int, oldfd, int, newfd, int, flags)
{
	return do_dup3(oldfd, newfd, flags);
}

SYSCALL_DEFINE2(dup2, int, oldfd, int, newfd)
{
	struct file *f;

	if (oldfd == newfd) {
		f = fd_get(oldfd);
		if (!f)
			return -EBADF;
		file_put(f);
		return newfd;
	}
	return do_dup3(oldfd, newfd, 0);
}

#define CLOSE_RANGE_UNSHARE	(1U << 1)
#define CLOSE_RANGE_CLOEXEC	(1U << 2)

SYSCALL_DEFINE3(close_range, unsigned int, first, unsigned int, last,
		unsigned int, flags)
{
	struct files_table *ft = files_current();
	int hi = last > INT32_MAX ? INT32_MAX : (int)last;

	if (flags & ~(CLOSE_RANGE_UNSHARE | CLOSE_RANGE_CLOEXEC))
		return -EINVAL;
	if (first > last)
		return -EINVAL;
	if (first > INT32_MAX)
		return 0;
	if ((flags & CLOSE_RANGE_UNSHARE) && ref_read(&ft->refcount) > 1) {
		struct files_table *copy = files_dup(ft);

		if (!copy)
			return -ENOMEM;
		spin_lock(&proc_tree_lock);	/* procfs reads other tasks' */
		current->files = copy;
		spin_unlock(&proc_tree_lock);
		files_put(ft);
		ft = copy;
	}
	if (flags & CLOSE_RANGE_CLOEXEC) {
		spin_lock(&ft->lock);
		for (int fd = (int)first; fd <= hi && fd < ft->cap; fd++)
			if (ft->fds[fd])
				bit_set(ft->cloexec, fd, true);
		spin_unlock(&ft->lock);
		return 0;
	}
	files_close_range(ft, (int)first, hi, false);
	return 0;
}
