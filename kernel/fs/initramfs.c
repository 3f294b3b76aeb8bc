/*
 * Unpacking the initramfs (a newc cpio archive, parsed by cpio.c) into the
 * root tmpfs at boot, the way Linux's init/initramfs.c does: names are
 * taken relative to the root whatever their "./" or "/" prefix; an entry
 * replaces an existing one of another type; regular files with several
 * links become hard links of the first one seen (newc stores the data
 * with one of them); modes are applied exactly (no umask), and owners and
 * modification times are kept, directories' times being set at the end
 * because creating their entries changes them. Unlike Linux, missing
 * parent directories are created (mode 0755). Afterwards /root and /dev
 * with the basic device nodes are made if the archive did not provide
 * them (Linux has /root and /dev/console from its built-in archive).
 */
#include "vfs.h"
#include "cpio.h"
#include "path.h"
#include <fs/chrdev.h>
#include <lib/string.h>
#include <lib/printk.h>
#include <mm/kmalloc.h>

/* A file with nlink > 1 seen earlier, or a directory whose time is due. */
struct seen {
	struct seen *next;
	uint32_t ino, major, minor;
	int64_t mtime;
	char path[];
};

struct unpack {
	char *name;		/* "/" + the normalised entry name */
	struct seen *links;
	struct seen *dirs;
};

static int seen_add(struct seen **list, const struct cpio_entry *e,
		    const char *path)
{
	size_t len = strlen(path);
	struct seen *s = kmalloc(sizeof(*s) + len + 1);

	if (!s)
		return -ENOMEM;
	s->ino = e->ino;
	s->major = e->devmajor;
	s->minor = e->devminor;
	s->mtime = e->mtime;
	memcpy(s->path, path, len + 1);
	s->next = *list;
	*list = s;
	return 0;
}

static void seen_free(struct seen *s)
{
	while (s) {
		struct seen *next = s->next;

		kfree(s);
		s = next;
	}
}

static void set_attrs(struct path *p, mode_t mode, uid_t uid, gid_t gid,
		      int64_t mtime)
{
	struct inode *inode = p->dentry->inode;

	mutex_lock(&inode->lock);
	if (!S_ISLNK(inode->mode))
		inode->mode = (inode->mode & S_IFMT) | (mode & 07777);
	inode->uid = uid;
	inode->gid = gid;
	inode->atime = inode->mtime = (struct fs_time){ mtime, 0 };
	mutex_unlock(&inode->lock);
}

/* mkdir -p of every directory above name (name starts with '/'). */
static void make_parents(char *name)
{
	for (char *s = strchr(name + 1, '/'); s; s = strchr(s + 1, '/')) {
		*s = '\0';
		vfs_create_at(AT_FDCWD, name, S_IFDIR | 0755, 0, NULL, NULL);
		*s = '/';
	}
}

/* Remove what is at name if its type differs from mode's (clean_path). */
static void clean_path(const char *name, mode_t mode)
{
	struct path p;
	mode_t old;

	if (path_lookup(AT_FDCWD, name, 0, &p))
		return;
	old = p.dentry->inode->mode;
	path_put(&p);
	if ((old ^ mode) & S_IFMT)
		vfs_unlink_at(AT_FDCWD, name, S_ISDIR(old));
}

static int write_data(struct path *p, const struct cpio_entry *e)
{
	struct iobuf io = IOBUF_KERNEL((char *)e->data, e->size);
	struct path ref = *p;	/* the file's reference (see pipe_end) */
	struct file *f;
	off_t pos = 0;
	ssize_t n;

	path_get(&ref);
	f = file_open_path(&ref, O_WRONLY);
	if (IS_ERR(f))
		return (int)PTR_ERR(f);
	vfs_truncate_file(f, 0);
	n = e->size ? vfs_write(f, &io, &pos) : 0;
	file_put(f);
	if (n < 0)
		return (int)n;
	return (size_t)n == e->size ? 0 : -ENOSPC;
}

/* A regular file: a hard link to an earlier entry, or a new file. */
static int unpack_file(struct unpack *u, const struct cpio_entry *e,
		       struct path *p)
{
	int err;

	if (e->nlink >= 2) {
		for (struct seen *s = u->links; s; s = s->next) {
			if (s->ino != e->ino || s->major != e->devmajor ||
			    s->minor != e->devminor)
				continue;
			err = vfs_link_at(AT_FDCWD, s->path, AT_FDCWD,
					  u->name, 0);
			if (err)
				return err;
			err = path_lookup(AT_FDCWD, u->name, 0, p);
			return err ? err : (e->size ? write_data(p, e) : 0);
		}
		err = seen_add(&u->links, e, u->name);
		if (err)
			return err;
	}
	err = path_lookup(AT_FDCWD, u->name, 0, p);
	if (err)
		err = vfs_create_at(AT_FDCWD, u->name, S_IFREG | 0600, 0,
				    NULL, p);
	return err ? err : write_data(p, e);
}

static int unpack_symlink(struct unpack *u, const struct cpio_entry *e,
			  struct path *p)
{
	char *target;
	int err;

	if (e->size == 0 || e->size >= PATH_MAX)
		return -EINVAL;
	target = kmalloc(e->size + 1);
	if (!target)
		return -ENOMEM;
	memcpy(target, e->data, e->size);
	target[e->size] = '\0';
	err = vfs_create_at(AT_FDCWD, u->name, S_IFLNK | 0777, 0, target, p);
	kfree(target);
	return err;
}

/* Create the entry; *p gets its path. */
static int unpack_create(struct unpack *u, const struct cpio_entry *e,
			 struct path *p)
{
	mode_t type = e->mode & S_IFMT;
	int err;

	switch (type) {
	case S_IFREG:
		return unpack_file(u, e, p);
	case S_IFLNK:
		return unpack_symlink(u, e, p);
	case S_IFDIR:
		err = vfs_create_at(AT_FDCWD, u->name, S_IFDIR | 0755, 0,
				    NULL, p);
		if (err == -EEXIST)
			err = path_lookup(AT_FDCWD, u->name, 0, p);
		if (!err)
			err = seen_add(&u->dirs, e, u->name);
		return err;
	case S_IFCHR:
	case S_IFBLK:
	case S_IFIFO:
	case S_IFSOCK:
		return vfs_create_at(AT_FDCWD, u->name, type | 0600,
				     MKDEV(e->rdevmajor, e->rdevminor), NULL,
				     p);
	default:
		return -EINVAL;
	}
}

static int unpack_entry(struct unpack *u, const struct cpio_entry *e)
{
	struct path p;
	long len;
	int err;

	u->name[0] = '/';
	len = path_normalize(e->name, u->name + 1, PATH_MAX - 1);
	if (len < 0)
		return (int)len;
	if (len == 0) {			/* "." or "/": the root itself */
		if (!S_ISDIR(e->mode))
			return -EINVAL;
		vfs_root_path(&p);
	} else {
		make_parents(u->name);
		clean_path(u->name, e->mode);
		err = unpack_create(u, e, &p);
		if (err)
			return err;
	}
	set_attrs(&p, e->mode, e->uid, e->gid, e->mtime);
	path_put(&p);
	return 0;
}

/* Directory times last: creating their entries changed them. */
static void unpack_dir_times(struct unpack *u)
{
	for (struct seen *s = u->dirs; s; s = s->next) {
		struct path p;

		if (path_lookup(AT_FDCWD, s->path, 0, &p))
			continue;
		mutex_lock(&p.dentry->inode->lock);
		p.dentry->inode->mtime = (struct fs_time){ s->mtime, 0 };
		p.dentry->inode->atime = p.dentry->inode->mtime;
		mutex_unlock(&p.dentry->inode->lock);
		path_put(&p);
	}
}

/*
 * What Linux's built-in initramfs (usr/default_cpio_list: /dev,
 * /dev/console, /root 0700) provides under every archive, plus the
 * basic device nodes; nothing the archive made is touched.
 */
static void populate_dev(void)
{
	static const struct { const char *name; mode_t mode; int ma, mi; }
	nodes[] = {
		{ "/dev/console", 0600, 5, 1 }, { "/dev/tty", 0666, 5, 0 },
		{ "/dev/null", 0666, 1, 3 }, { "/dev/zero", 0666, 1, 5 },
		{ "/dev/full", 0666, 1, 7 }, { "/dev/random", 0666, 1, 8 },
		{ "/dev/urandom", 0666, 1, 9 },
	};

	vfs_create_at(AT_FDCWD, "/root", S_IFDIR | 0700, 0, NULL, NULL);
	vfs_create_at(AT_FDCWD, "/dev", S_IFDIR | 0755, 0, NULL, NULL);
	for (size_t i = 0; i < ARRAY_SIZE(nodes); i++)
		vfs_create_at(AT_FDCWD, nodes[i].name,
			      S_IFCHR | nodes[i].mode,
			      MKDEV(nodes[i].ma, nodes[i].mi), NULL, NULL);
}

int initramfs_unpack(const void *data, size_t len)
{
	struct unpack u = { .name = kmalloc(PATH_MAX) };
	struct cpio_reader r;
	struct cpio_entry e;
	int n, err;

	if (!u.name)
		return -ENOMEM;
	cpio_reader_init(&r, data, len);
	while ((n = cpio_next(&r, &e)) > 0) {
		err = unpack_entry(&u, &e);
		if (err)
			pr_warn("initramfs: %s: error %d\n", e.name, err);
	}
	if (n < 0)
		pr_err("initramfs: malformed archive at byte %lu of %lu\n",
		       (unsigned long)r.pos, (unsigned long)len);
	unpack_dir_times(&u);
	seen_free(u.links);
	seen_free(u.dirs);
	kfree(u.name);
	populate_dev();
	return n < 0 ? n : 0;
}
