/*
 * Filesystem contexts: a process's root directory, working directory and
 * umask, shared by CLONE_FS threads and copied by fork. Also the system
 * calls that read or change them: chdir, fchdir, chroot, getcwd, umask.
 * The spinlock guards the fields; paths copied out of the context carry
 * their own references, so a concurrent chdir cannot free them.
 */
#include "vfs.h"
#include <lib/string.h>
#include <mm/kmalloc.h>
#include <mm/uaccess.h>
#include <proc/task.h>
#include <syscall/syscall.h>

struct fs_context {
	uint32_t refcount;		/* atomic */
	struct spinlock lock;
	struct path root;		/* guarded by lock */
	struct path cwd;		/* guarded by lock */
	mode_t umask;			/* guarded by lock */
};

static struct fs_context *fsctx_alloc(void)
{
	struct fs_context *fs = kzalloc(sizeof(*fs));

	if (!fs)
		return NULL;
	fs->refcount = 1;
	spin_init(&fs->lock, "fs_context");
	return fs;
}

struct fs_context *fsctx_create_root(void)
{
	struct fs_context *fs = fsctx_alloc();

	if (!fs)
		return NULL;
	vfs_root_path(&fs->root);
	vfs_root_path(&fs->cwd);
	fs->umask = 0022;
	return fs;
}

struct fs_context *fsctx_dup(struct fs_context *old)
{
	struct fs_context *fs = fsctx_alloc();

	if (!fs)
		return NULL;
	spin_lock(&old->lock);
	fs->root = old->root;
	fs->cwd = old->cwd;
	path_get(&fs->root);
	path_get(&fs->cwd);
	fs->umask = old->umask;
	spin_unlock(&old->lock);
	return fs;
}

void fsctx_get(struct fs_context *fs)
{
	ref_inc(&fs->refcount);
}

unsigned int fsctx_users(struct fs_context *fs)
{
	return ref_read(&fs->refcount);
}

void fsctx_put(struct fs_context *fs)
{
	if (!fs || !ref_dec(&fs->refcount))
		return;
	path_put(&fs->root);
	path_put(&fs->cwd);
	kfree(fs);
}

static struct fs_context *fsctx_current(void)
{
	struct task *t = current;

	return t ? t->fs : NULL;
}

static void fsctx_copy(const struct path *which, struct fs_context *fs,
		       struct path *out)
{
	spin_lock(&fs->lock);
	*out = *which;
	path_get(out);
	spin_unlock(&fs->lock);
}

void fsctx_root(struct path *out)
{
	struct fs_context *fs = fsctx_current();

	if (!fs)
		vfs_root_path(out);
	else
		fsctx_copy(&fs->root, fs, out);
}

void fsctx_cwd(struct path *out)
{
	struct fs_context *fs = fsctx_current();

	if (!fs)
		vfs_root_path(out);
	else
		fsctx_copy(&fs->cwd, fs, out);
}

mode_t fsctx_umask(void)
{
	struct fs_context *fs = fsctx_current();

	return fs ? __atomic_load_n(&fs->umask, __ATOMIC_RELAXED) : 0022;
}

/* Replace the root or cwd with p (whose reference moves in). */
static void fsctx_set(bool root, struct path *p)
{
	struct fs_context *fs = fsctx_current();
	struct path old;

	spin_lock(&fs->lock);
	if (root) {
		old = fs->root;
		fs->root = *p;
	} else {
		old = fs->cwd;
		fs->cwd = *p;
	}
	spin_unlock(&fs->lock);
	path_put(&old);
}

/* A directory the current task may enter. */
static int may_chdir(struct path *p)
{
	if (!S_ISDIR(p->dentry->inode->mode))
		return -ENOTDIR;
	return inode_permission(p->dentry->inode, MAY_EXEC);
}

SYSCALL_DEFINE1(chdir, const char __user *, name)
{
	struct path p;
	int err = user_path_lookup(AT_FDCWD, name,
				   LOOKUP_FOLLOW | LOOKUP_DIRECTORY, &p);

	if (err)
		return err;
	err = may_chdir(&p);
	if (err) {
		path_put(&p);
		return err;
	}
	fsctx_set(false, &p);
	return 0;
}

SYSCALL_DEFINE1(fchdir, int, fd)
{
	struct file *f = fd_get(fd);
	struct path p;
	int err;

	if (!f)
		return -EBADF;
	p.mnt = f->mnt;
	p.dentry = f->dentry;
	path_get(&p);
	file_put(f);
	err = may_chdir(&p);
	if (err) {
		path_put(&p);
		return err;
	}
	fsctx_set(false, &p);
	return 0;
}

SYSCALL_DEFINE1(chroot, const char __user *, name)
{
	struct path p;
	int err = user_path_lookup(AT_FDCWD, name,
				   LOOKUP_FOLLOW | LOOKUP_DIRECTORY, &p);

	if (err)
		return err;
	err = may_chdir(&p);
	if (!err && !fs_is_root())
		err = -EPERM;
	if (err) {
		path_put(&p);
		return err;
	}
	fsctx_set(true, &p);
	return 0;
}

SYSCALL_DEFINE2(getcwd, char __user *, buf, unsigned long, size)
{
	char *page = kmalloc(PATH_MAX);
	const char *s;
	struct path cwd;
	long len;

	if (!page)
		return -ENOMEM;
	fsctx_cwd(&cwd);
	mutex_lock(&namespace_lock);
	if (cwd.dentry->flags & DENTRY_DELETED)
		s = ERR_PTR(-ENOENT);
	else
		s = path_to_string(&cwd, page, PATH_MAX);
	mutex_unlock(&namespace_lock);
	path_put(&cwd);
	if (IS_ERR(s)) {
		len = PTR_ERR(s);
	} else {
		len = (long)strlen(s) + 1;
		if ((unsigned long)len > size)
			len = -ERANGE;
		else if (copy_to_user(buf, s, (size_t)len))
			len = -EFAULT;
	}
	kfree(page);
	return len;
}

SYSCALL_DEFINE1(umask, int, mask)
{
	struct fs_context *fs = fsctx_current();
	mode_t old;

	spin_lock(&fs->lock);
	old = fs->umask;
	fs->umask = (mode_t)mask & 0777;
	spin_unlock(&fs->lock);
	return old;
}
