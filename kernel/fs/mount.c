/*
 * The mount namespace: super blocks, the list of mounts, crossing from a
 * mountpoint to what is mounted on it, and mount(2)/umount2(2). There is
 * one namespace; its root is a tmpfs ("rootfs") made by vfs_init().
 *
 * Lifetimes: a super is shared by its mounts (one reference each) and is
 * killed with the last of them. A mount is referenced by the namespace
 * while attached and by every path that points into it; umount detaches
 * it (-EBUSY while anything else uses it, unless MNT_DETACH) and the last
 * reference frees it. All of the shape is guarded by namespace_lock.
 */
#include "vfs.h"
#include <fs/anon.h>
#include <fs/poll.h>
#include <net/net.h>
#include "path.h"
#include <fs/chrdev.h>
#include <lib/string.h>
#include <lib/printk.h>
#include <mm/kmalloc.h>
#include <mm/uaccess.h>
#include <lib/random.h>
#include <uapi/mount.h>
#include <syscall/syscall.h>

struct mutex namespace_lock;
static LIST_HEAD(mount_list);		/* attached mounts, newest first */
static struct mount *root_mount;	/* fixed after vfs_init */
static int mount_next_id = 1;		/* guarded by namespace_lock */
static uint32_t anon_dev_next = 2;	/* atomic; 0:1 is ANON_SHMEM_DEV */

/* In Linux's order of registration, which /proc/filesystems shows. */
static const struct fs_type *const mountable_types[] = {
	&sysfs_type,
	&tmpfs_type,
	&procfs_type,
	&devpts_type,
};

struct super *super_alloc(const struct fs_type *type)
{
	struct super *sb = kzalloc(sizeof(*sb));

	if (!sb)
		return NULL;
	sb->refcount = 1;
	sb->type = type;
	sb->dev = MKDEV(0, __atomic_fetch_add(&anon_dev_next, 1,
					      __ATOMIC_RELAXED));
	random_bytes(sb->fsid, sizeof(sb->fsid));
	return sb;
}

static void super_put(struct super *sb)
{
	if (!ref_dec(&sb->refcount))
		return;
	if (sb->type->kill_super)
		sb->type->kill_super(sb);
	kfree(sb);
}

void mount_get(struct mount *m)
{
	ref_inc(&m->refcount);
}

void mount_put(struct mount *m)
{
	if (!m || !ref_dec(&m->refcount))
		return;
	dput(m->root);
	super_put(m->sb);
	kfree(m->source);
	kfree(m);
}

/* A detached mount of sb rooted at root (references taken over). */
static struct mount *mount_alloc(struct super *sb, struct dentry *root,
				 const char *source, unsigned int flags)
{
	struct mount *m = kzalloc(sizeof(*m));
	size_t len = strlen(source);

	if (!m)
		return NULL;
	m->source = kmalloc(len + 1);
	if (!m->source) {
		kfree(m);
		return NULL;
	}
	memcpy(m->source, source, len + 1);
	m->refcount = 1;
	m->sb = sb;
	m->root = root;
	m->flags = flags;
	list_init(&m->link);
	return m;
}

/* Graft m (holding the namespace's reference) on at. namespace_lock. */
static void mount_attach(struct mount *m, const struct path *at)
{
	if (!m->id)
		m->id = mount_next_id++;
	m->parent = at->mnt;
	m->mountpoint = at->dentry;
	dget(at->dentry);
	at->dentry->mounts++;
	list_add(&m->link, &mount_list);
}

/* Undo mount_attach; the caller then drops the namespace's reference. */
static void mount_detach(struct mount *m)
{
	list_del(&m->link);
	m->mountpoint->mounts--;
	dput(m->mountpoint);
	m->mountpoint = NULL;
	m->parent = NULL;
}

struct mount *mount_find(struct mount *mnt, struct dentry *d)
{
	struct mount *m;

	mutex_assert_held(&namespace_lock);
	if (d->mounts == 0)
		return NULL;
	list_for_each_entry(m, &mount_list, link)
		if (m->parent == mnt && m->mountpoint == d)
			return m;
	return NULL;
}

void path_follow_mounts(struct path *p)
{
	struct mount *m;

	mutex_assert_held(&namespace_lock);
	while ((m = mount_find(p->mnt, p->dentry)) != NULL) {
		mount_get(m);
		dget(m->root);
		path_put(p);
		p->mnt = m;
		p->dentry = m->root;
	}
}

void vfs_root_path(struct path *out)
{
	out->mnt = root_mount;
	out->dentry = root_mount->root;
	path_get(out);
}

bool mount_readonly(const struct mount *m)
{
	return m && (m->flags & MNT_RDONLY);
}

int super_set_root(struct super *sb, struct inode *root)
{
	if (!root)
		return -ENOMEM;
	sb->root = dentry_alloc(NULL, "/", 1, root);
	if (!sb->root) {
		inode_put(root);
		return -ENOMEM;
	}
	return 0;
}

void super_drop_root(struct super *sb)
{
	dput(sb->root);
}

int internal_fs_fill_super(struct super *sb, const char *options)
{
	return super_set_root(sb, inode_alloc(sb, S_IFDIR | 0700, NULL, NULL));
}

struct mount *mount_kernel(const struct fs_type *type, const char *options)
{
	struct super *sb = super_alloc(type);
	struct mount *m;
	int err;

	if (!sb)
		return ERR_PTR(-ENOMEM);
	err = type->fill_super(sb, options);
	if (err) {
		kfree(sb);
		return ERR_PTR(err);
	}
	dget(sb->root);
	m = mount_alloc(sb, sb->root, type->name, 0);
	if (!m) {
		dput(sb->root);
		super_put(sb);
		return ERR_PTR(-ENOMEM);
	}
	m->id = mount_next_id++;
	return m;
}

void vfs_init(void)
{
	struct super *sb;
	int err;

	mutex_init(&namespace_lock, "namespace");
	sb = super_alloc(&rootfs_type);
	BUG_ON(!sb);
	err = rootfs_type.fill_super(sb, "");
	if (err)
		panic("vfs_init: cannot make the root file system (%d)", err);
	dget(sb->root);
	root_mount = mount_alloc(sb, sb->root, "rootfs", 0);
	BUG_ON(!root_mount);
	root_mount->id = mount_next_id++;
	list_add(&root_mount->link, &mount_list);
	poll_init();
	pipe_init();
	locks_init();
	memfd_init();
	anon_init();
	eventpoll_init();
	unix_init();
	memdev_init();
	tty_init();
}

/* ---- mount(2) ------------------------------------------------------- */

static unsigned int ms_to_mnt_flags(unsigned long ms)
{
	unsigned int f = 0;

	if (ms & MS_RDONLY)
		f |= MNT_RDONLY;
	if (ms & MS_NOSUID)
		f |= MNT_NOSUID;
	if (ms & MS_NODEV)
		f |= MNT_NODEV;
	if (ms & MS_NOEXEC)
		f |= MNT_NOEXEC;
	if (ms & MS_NOATIME)
		f |= MNT_NOATIME;
	if (ms & MS_NODIRATIME)
		f |= MNT_NODIRATIME;
	/* Linux's path_mount: relatime unless noatime or strictatime. */
	if (!(ms & (MS_NOATIME | MS_STRICTATIME)))
		f |= MNT_RELATIME;
	if (ms & MS_NOSYMFOLLOW)
		f |= MNT_NOSYMFOLLOW;
	return f;
}

static const struct fs_type *fs_type_find(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(mountable_types); i++)
		if (strcmp(mountable_types[i]->name, name) == 0)
			return mountable_types[i];
	return NULL;
}

/*
 * Whether m is in the namespace (Linux's check_mnt): a mount detached by
 * umount2(MNT_DETACH), or a kernel-internal one, is reached only through
 * a cwd or a descriptor, and nothing may be mounted on it, bound from it
 * or remounted: a mount attached under a detached parent would outlive
 * it in the list, its parent pointer dangling. namespace_lock.
 */
static bool mount_in_namespace(const struct mount *m)
{
	return m == root_mount || m->parent;
}

/* A new instance of type mounted at the directory at. namespace_lock. */
static int mount_new(const struct path *at, const char *type_name,
		     const char *source, unsigned long flags,
		     const char *options)
{
	const struct fs_type *type;
	struct super *sb;
	struct mount *m;
	int err;

	if (!type_name)
		return -EINVAL;		/* Linux's do_new_mount */
	type = fs_type_find(type_name);
	if (!type)
		return -ENODEV;
	if (!S_ISDIR(at->dentry->inode->mode))
		return -ENOTDIR;
	sb = super_alloc(type);
	if (!sb)
		return -ENOMEM;
	err = type->fill_super(sb, options);
	if (err) {
		kfree(sb);
		return err;
	}
	dget(sb->root);
	m = mount_alloc(sb, sb->root, source, ms_to_mnt_flags(flags));
	if (!m) {
		dput(sb->root);
		super_put(sb);
		return -ENOMEM;
	}
	mount_attach(m, at);
	return 0;
}

/* Whether d lies inside (or is) the tree of dir. namespace_lock. */
static bool dentry_is_under(struct dentry *d, struct dentry *dir)
{
	for (;;) {
		if (d == dir)
			return true;
		if (d->parent == d)
			return false;
		d = d->parent;
	}
}

/* Whether anything is mounted somewhere under (mnt, dir). */
static bool has_submounts(struct mount *mnt, struct dentry *dir)
{
	struct mount *m;

	list_for_each_entry(m, &mount_list, link)
		if (m->parent == mnt && dentry_is_under(m->mountpoint, dir))
			return true;
	return false;
}

static int mount_bind(const struct path *at, const struct path *from,
		      unsigned long flags)
{
	struct mount *m;

	if (!mount_in_namespace(from->mnt))
		return -EINVAL;	/* Linux's do_loopback */
	if ((flags & MS_REC) && has_submounts(from->mnt, from->dentry))
		return -EINVAL;	/* recursive binds are not supported */
	if (S_ISDIR(at->dentry->inode->mode) !=
	    S_ISDIR(from->dentry->inode->mode))
		return -ENOTDIR;
	ref_inc(&from->mnt->sb->refcount);
	dget(from->dentry);
	m = mount_alloc(from->mnt->sb, from->dentry, from->mnt->source,
			from->mnt->flags & ~MNT_RDONLY);
	if (!m) {
		dput(from->dentry);
		super_put(from->mnt->sb);
		return -ENOMEM;
	}
	mount_attach(m, at);
	return 0;
}

static int mount_remount(const struct path *at, unsigned long flags)
{
	if (at->dentry != at->mnt->root)
		return -EINVAL;
	at->mnt->flags = ms_to_mnt_flags(flags);
	return 0;
}

/* MS_MOVE: move the mount rooted at from onto at. */
static int mount_move(const struct path *at, const struct path *from)
{
	struct mount *m = from->mnt, *p;

	if (from->dentry != m->root || !m->parent)
		return -EINVAL;
	for (p = at->mnt; p; p = p->parent)
		if (p == m)
			return -ELOOP;
	if (S_ISDIR(at->dentry->inode->mode) !=
	    S_ISDIR(m->root->inode->mode))
		return -ENOTDIR;
	mount_detach(m);
	mount_attach(m, at);
	return 0;
}

/* The user's arguments to mount(2), copied in. */
struct mount_args {
	char *source;		/* "none" when NULL */
	char *target;
	char type[64];
	bool has_type;		/* false: NULL (a new mount is -EINVAL) */
	char *options;		/* "" when NULL */
};

static void mount_args_free(struct mount_args *a)
{
	user_path_free(a->source);
	user_path_free(a->target);
	user_path_free(a->options);
}

/*
 * mount's data page, as Linux's copy_mount_options reads it: up to a
 * page, where a copy that stops at unreadable memory is no error unless
 * nothing could be read (the data may lie at the end of a mapping). The
 * file systems here take it as a string: one without a NUL in the page
 * is -EINVAL.
 */
static int mount_data_copy(char *buf, const void __user *data)
{
	const char __user *src = data;
	size_t done = 0;

	while (done < PAGE_SIZE) {
		size_t to_page_end = PAGE_SIZE -
				     ((uintptr_t)(src + done) & (PAGE_SIZE - 1));
		size_t n = MIN(PAGE_SIZE - done, to_page_end);

		if (copy_from_user(buf + done, src + done, n))
			break;
		done += n;
	}
	if (done == 0)
		return -EFAULT;
	if (strnlen(buf, done) < done)
		return 0;
	if (done == PAGE_SIZE)
		return -EINVAL;
	buf[done] = '\0';
	return 0;
}

static int mount_args_copy(struct mount_args *a, const char __user *source,
			   const char __user *target, const char __user *type,
			   const void __user *data, bool need_type)
{
	long n;

	a->source = a->options = NULL;
	a->type[0] = '\0';
	a->has_type = type != NULL;
	a->target = user_path_copy(target);
	if (IS_ERR(a->target))
		return (int)PTR_ERR(a->target);
	a->source = source ? user_path_copy(source) : NULL;
	if (IS_ERR(a->source))
		return (int)PTR_ERR(a->source);
	if (!a->source && !(a->source = kmalloc(5)))
		return -ENOMEM;
	if (!source)
		memcpy(a->source, "none", 5);
	if (need_type && type) {
		n = strncpy_from_user(a->type, type, sizeof(a->type));
		if (n < 0)
			return n == -ENAMETOOLONG ? -ENODEV : (int)n;
	}
	a->options = kmalloc(PAGE_SIZE);
	if (!a->options)
		return -ENOMEM;
	a->options[0] = '\0';
	if (need_type && data)
		return mount_data_copy(a->options, data);
	return 0;
}

/* With a's strings copied in and namespace_lock held. */
static int mount_dispatch(struct mount_args *a, unsigned long flags,
			  const struct path *at)
{
	struct path from;
	int err;

	mutex_assert_held(&namespace_lock);
	if ((flags & (MS_REMOUNT | MS_BIND | MS_MOVE) ||
	     !(flags & (MS_SHARED | MS_PRIVATE | MS_SLAVE | MS_UNBINDABLE))) &&
	    !mount_in_namespace(at->mnt))
		return -EINVAL;
	if (flags & MS_REMOUNT)
		return mount_remount(at, flags);
	if (flags & (MS_BIND | MS_MOVE)) {
		err = path_lookup_locked(AT_FDCWD, a->source, LOOKUP_FOLLOW,
					 &from);
		if (err)
			return err;
		err = (flags & MS_BIND) ? mount_bind(at, &from, flags) :
					  mount_move(at, &from);
		path_put(&from);
		return err;
	}
	if (flags & (MS_SHARED | MS_PRIVATE | MS_SLAVE | MS_UNBINDABLE)) {
		/* Every mount here is private: that is already true of
		 * private and slave (of nothing); sharing is unsupported. */
		if (flags & (MS_SHARED | MS_UNBINDABLE))
			return -EINVAL;
		return 0;
	}
	return mount_new(at, a->has_type ? a->type : NULL, a->source, flags,
			 a->options);
}

SYSCALL_DEFINE5(mount, const char __user *, source, const char __user *,
		target, const char __user *, type, unsigned long, flags,
		const void __user *, data)
{
	struct mount_args a;
	struct path at;
	bool need_type;
	int err;

	if ((flags & MS_MGC_MSK) == MS_MGC_VAL)
		flags &= ~MS_MGC_MSK;
	need_type = !(flags & (MS_REMOUNT | MS_BIND | MS_MOVE | MS_SHARED |
			       MS_PRIVATE | MS_SLAVE | MS_UNBINDABLE));
	err = mount_args_copy(&a, source, target, type, data, need_type);
	if (err)
		goto out;
	mutex_lock(&namespace_lock);
	err = path_lookup_locked(AT_FDCWD, a.target, LOOKUP_FOLLOW, &at);
	if (!err) {
		err = fs_is_root() ? mount_dispatch(&a, flags, &at) : -EPERM;
		path_put(&at);
	}
	mutex_unlock(&namespace_lock);
out:
	mount_args_free(&a);
	return err;
}

/* ---- umount2(2) ----------------------------------------------------- */

/* A mount attached on m, or NULL; namespace_lock held. */
static struct mount *first_child(struct mount *m)
{
	struct mount *c;

	mutex_assert_held(&namespace_lock);
	list_for_each_entry(c, &mount_list, link)
		if (c->parent == m)
			return c;
	return NULL;
}

/*
 * Detach m and everything mounted under it; namespace_lock held. The
 * list is searched again after each child goes: unmounting one child
 * removes its own children too, which may be the entry a walk would
 * have visited next (a mount moved with MS_MOVE is ahead of its own).
 */
static void umount_tree(struct mount *m)
{
	struct mount *c;

	mutex_assert_held(&namespace_lock);
	while ((c = first_child(m)) != NULL)
		umount_tree(c);
	mount_detach(m);
	mount_put(m);
}

static int do_umount(struct path *p, int flags)
{
	struct mount *m = p->mnt;
	struct mount *c;

	if (p->dentry != m->root || !m->parent)
		return -EINVAL;
	if (!(flags & MNT_DETACH)) {
		list_for_each_entry(c, &mount_list, link)
			if (c->parent == m)
				return -EBUSY;
		/* The namespace's reference and our lookup's. */
		if (ref_read(&m->refcount) > 2)
			return -EBUSY;
	}
	umount_tree(m);
	return 0;
}

SYSCALL_DEFINE2(umount2, const char __user *, target, int, flags)
{
	unsigned int lookup = LOOKUP_FOLLOW;
	struct path p;
	char *name;
	int err;

	if (flags & ~(MNT_FORCE | MNT_DETACH | UMOUNT_NOFOLLOW))
		return -EINVAL;	/* MNT_EXPIRE is not supported */
	if (flags & UMOUNT_NOFOLLOW)
		lookup = 0;
	name = user_path_copy(target);
	if (IS_ERR(name))
		return PTR_ERR(name);
	mutex_lock(&namespace_lock);
	err = path_lookup_locked(AT_FDCWD, name, lookup, &p);
	if (!err) {
		err = fs_is_root() ? do_umount(&p, flags) : -EPERM;
		path_put(&p);
	}
	mutex_unlock(&namespace_lock);
	user_path_free(name);
	return err;
}

/* ---- /proc/mounts, mountinfo and /proc/filesystems ----------------- */

/* Append s to buf with Linux's octal escapes for space, tab, \n, \\. */
static size_t show_escaped(char *buf, size_t size, size_t len, const char *s)
{
	for (; *s; s++) {
		bool esc = *s == ' ' || *s == '\t' || *s == '\n' || *s == '\\';

		if (len + 4 >= size)
			return size;
		if (esc) {
			buf[len++] = '\\';
			buf[len++] = (char)('0' + ((*s >> 6) & 7));
			buf[len++] = (char)('0' + ((*s >> 3) & 7));
			buf[len++] = (char)('0' + (*s & 7));
		} else {
			buf[len++] = *s;
		}
	}
	return len;
}

/* The per-mount options, "rw,nosuid,relatime" as Linux's show_mnt_opts. */
static size_t show_mount_opts(char *buf, size_t size, size_t len,
			      const struct mount *m)
{
	static const struct { unsigned int flag; const char *name; } opts[] = {
		{ MNT_NOSUID, ",nosuid" }, { MNT_NODEV, ",nodev" },
		{ MNT_NOEXEC, ",noexec" }, { MNT_NOATIME, ",noatime" },
		{ MNT_NODIRATIME, ",nodiratime" },
		{ MNT_NOSYMFOLLOW, ",nosymfollow" },
		{ MNT_RELATIME, ",relatime" },
	};

	if (len < size)
		len += (size_t)snprintf(buf + len, size - len, "%s",
			(m->flags & MNT_RDONLY) ? "ro" : "rw");
	for (size_t i = 0; i < ARRAY_SIZE(opts) && len < size; i++)
		if (m->flags & opts[i].flag)
			len += (size_t)snprintf(buf + len, size - len, "%s",
						opts[i].name);
	return MIN(len, size);
}

/* Where m is mounted, as the caller sees it (tmp: PATH_MAX bytes). */
static const char *mount_where(const struct mount *m, char *tmp)
{
	struct path mp = { m->parent, m->mountpoint };

	return m->parent ? path_to_string(&mp, tmp, PATH_MAX) : "/";
}

/* One line of /proc/mounts: "source where type opts 0 0". */
static size_t show_mount(char *buf, size_t size, size_t len, struct mount *m,
			 char *tmp)
{
	const char *where = mount_where(m, tmp);

	if (IS_ERR(where))
		return len;
	len = show_escaped(buf, size, len, m->source);
	if (len < size)
		buf[len++] = ' ';
	len = show_escaped(buf, size, len, where);
	if (len < size)
		len += (size_t)snprintf(buf + len, size - len, " %s ",
					m->sb->type->name);
	len = show_mount_opts(buf, size, len, m);
	if (len < size)
		len += (size_t)snprintf(buf + len, size - len, " 0 0\n");
	return MIN(len, size);
}

/*
 * The path of d inside its file system (from the super block's root), as
 * mountinfo's fourth field: "/" for a whole file system, the directory a
 * bind mount took otherwise. Built from the end of tmp backwards.
 */
static const char *dentry_fs_path(struct dentry *d, char *tmp)
{
	size_t pos = PATH_MAX - 1;

	tmp[pos] = '\0';
	for (; d != d->sb->root && d->parent != d; d = d->parent) {
		if (pos < d->name_len + 2)
			return ERR_PTR(-ENAMETOOLONG);
		pos -= d->name_len;
		memcpy(tmp + pos, d->name, d->name_len);
		tmp[--pos] = '/';
	}
	if (pos == PATH_MAX - 1)
		tmp[--pos] = '/';
	return tmp + pos;
}

/*
 * One line of /proc/<pid>/mountinfo, Linux's show_mountinfo: "id parent
 * major:minor root where mount-opts - type source super-opts". No
 * optional fields: every Basalt mount is private. The namespace root has
 * no parent; it names itself, as Linux does for a parent out of view.
 */
static size_t show_mountinfo(char *buf, size_t size, size_t len,
			     struct mount *m, char *tmp)
{
	const char *root = dentry_fs_path(m->root, tmp);
	const char *where;
	size_t start = len;	/* a line that cannot be made is left out */

	if (IS_ERR(root))
		return len;
	if (len < size)
		len += (size_t)snprintf(buf + len, size - len, "%d %d %u:%u ",
			m->id, m->parent ? m->parent->id : m->id,
			MAJOR(m->sb->dev), MINOR(m->sb->dev));
	len = show_escaped(buf, size, len, root);
	/* root is used up: tmp now takes where. */
	where = mount_where(m, tmp);
	if (IS_ERR(where))
		return start;
	if (len < size)
		buf[len++] = ' ';
	len = show_escaped(buf, size, len, where);
	if (len < size)
		buf[len++] = ' ';
	len = show_mount_opts(buf, size, len, m);
	if (len < size)
		len += (size_t)snprintf(buf + len, size - len, " - %s ",
					m->sb->type->name);
	len = show_escaped(buf, size, len, m->source);
	if (len < size)
		len += (size_t)snprintf(buf + len, size - len, " %s\n",
			(m->flags & MNT_RDONLY) ? "ro" : "rw");
	return MIN(len, size);
}

/* Every attached mount, oldest first as Linux lists them, through show. */
static long mounts_list(char *buf, size_t size,
			size_t (*show)(char *, size_t, size_t, struct mount *,
				       char *))
{
	char *tmp = kmalloc(PATH_MAX);
	struct mount *m;
	size_t len = 0;

	if (!tmp)
		return -ENOMEM;
	mutex_lock(&namespace_lock);
	for (m = list_entry(mount_list.prev, struct mount, link);
	     &m->link != &mount_list;
	     m = list_entry(m->link.prev, struct mount, link))
		len = show(buf, size, len, m, tmp);
	mutex_unlock(&namespace_lock);
	kfree(tmp);
	return len >= size ? -ENOMEM : (long)len;
}

long mounts_show(char *buf, size_t size)
{
	return mounts_list(buf, size, show_mount);
}

long mountinfo_show(char *buf, size_t size)
{
	return mounts_list(buf, size, show_mountinfo);
}

long filesystems_show(char *buf, size_t size)
{
	size_t len = 0;

	for (size_t i = 0; i < ARRAY_SIZE(mountable_types) && len < size; i++)
		len += (size_t)snprintf(buf + len, size - len, "%s\t%s\n",
			mountable_types[i]->nodev ? "nodev" : "",
			mountable_types[i]->name);
	return len >= size ? -ENOMEM : (long)len;
}
