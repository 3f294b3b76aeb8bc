/*
 * Path lookup: turning a name into a (mount, dentry) with Linux's rules.
 *
 * The walk keeps a stack of strings: the caller's path at the bottom and,
 * above it, the target of every symlink being followed (at most
 * MAXSYMLINKS per lookup, then -ELOOP). Components come from the top
 * string; when it runs out the walk continues with the one below, so a
 * symlink in the middle of a path is expanded in place. The last
 * component of the whole path is left to the caller (nd_walk stops before
 * it), because what to do with it depends on the system call: follow it
 * or not, create it, remove it. A trailing slash makes the last component
 * behave like a directory lookup (follow, must be a directory).
 *
 * openat2's RESOLVE_* flags arrive as LOOKUP_* restrictions in nd->flags
 * (refusing symlinks, mount crossings, or anything above the start, which
 * a scoped walk takes as its root).
 *
 * Everything here runs with namespace_lock held, which keeps the tree
 * still while it is walked.
 */
#include "vfs.h"
#include "path.h"
#include <lib/string.h>
#include <lib/printk.h>
#include <mm/kmalloc.h>
#include <mm/uaccess.h>

/* The path of descriptor dfd (AT_FDCWD: the cwd), with references. */
static int dfd_path(int dfd, struct path *out)
{
	struct file *f;

	if (dfd == AT_FDCWD) {
		fsctx_cwd(out);
		return 0;
	}
	f = fd_get(dfd);
	if (!f)
		return -EBADF;
	out->mnt = f->mnt;
	out->dentry = f->dentry;
	path_get(out);
	file_put(f);
	return 0;
}

/*
 * RESOLVE_BENEATH and RESOLVE_IN_ROOT: the starting directory is the
 * walk's root, so ".." and absolute symlinks stop there (IN_ROOT) or are
 * refused with -EXDEV (BENEATH, as an absolute name is: Linux's
 * nd_jump_root, which looks at nothing else first).
 */
static int nd_start_scoped(struct nameidata *nd, int dfd, const char *name)
{
	int err;

	if (name[0] == '/' && (nd->flags & LOOKUP_BENEATH))
		return -EXDEV;
	err = dfd_path(dfd, &nd->cur);
	if (err)
		return err;
	if (!S_ISDIR(nd->cur.dentry->inode->mode))
		return -ENOTDIR;
	nd->root = nd->cur;
	path_get(&nd->root);
	return 0;
}

int nd_start(struct nameidata *nd, int dfd, const char *name,
	     unsigned int flags)
{
	int err;

	mutex_assert_held(&namespace_lock);
	nd->flags = flags;
	nd->nlinks = 0;
	nd->depth = 1;
	nd->stack[0].buf = NULL;
	nd->stack[0].p = name;
	nd->last.type = -1;
	nd->last.slash = false;
	nd->cur.mnt = NULL;
	nd->cur.dentry = NULL;
	nd->root.mnt = NULL;
	nd->root.dentry = NULL;
	if (name[0] == '\0')
		return -ENOENT;
	if (flags & LOOKUP_SCOPED)
		return nd_start_scoped(nd, dfd, name);
	fsctx_root(&nd->root);
	if (name[0] == '/') {
		nd->cur = nd->root;
		path_get(&nd->cur);
		return 0;
	}
	err = dfd_path(dfd, &nd->cur);
	if (err)
		return err;
	if (!S_ISDIR(nd->cur.dentry->inode->mode))
		return -ENOTDIR;
	return 0;
}

void nd_end(struct nameidata *nd)
{
	while (nd->depth > 0) {
		kfree(nd->stack[nd->depth - 1].buf);
		nd->depth--;
	}
	path_put(&nd->cur);
	path_put(&nd->root);
}

/* May the walk look names up in nd->cur? */
static int nd_may_search(struct nameidata *nd)
{
	struct inode *dir = nd->cur.dentry->inode;

	if (!S_ISDIR(dir->mode))
		return -ENOTDIR;
	return inode_permission(dir, MAY_EXEC);
}

/* ".." from p, never above root, crossing mounts both ways. */
static int path_dotdot(const struct path *root, struct path *p,
		       unsigned int flags)
{
	struct mount *was = p->mnt;

	for (;;) {
		struct path up;

		if (path_equal(p, root))
			return (flags & LOOKUP_BENEATH) ? -EXDEV : 0;
		if (p->dentry != p->mnt->root) {
			struct dentry *parent = p->dentry->parent;

			dget(parent);
			dput(p->dentry);
			p->dentry = parent;
			break;
		}
		if (!p->mnt->parent)
			return 0;	/* namespace root, or detached */
		if (flags & LOOKUP_NO_XDEV)
			return -EXDEV;
		up.mnt = p->mnt->parent;
		up.dentry = p->mnt->mountpoint;
		path_get(&up);
		path_put(p);
		*p = up;
	}
	path_follow_mounts(p);
	if ((flags & LOOKUP_NO_XDEV) && p->mnt != was)
		return -EXDEV;
	return 0;
}

/* Component name/type in nd->cur, as a path with references. */
static int nd_lookup_comp(struct nameidata *nd, const char *name, size_t len,
			  int type, struct path *out)
{
	struct dentry *d;

	if (type == COMP_DOT || type == COMP_DOTDOT) {
		int err = 0;

		*out = nd->cur;
		path_get(out);
		if (type == COMP_DOTDOT)
			err = path_dotdot(&nd->root, out, nd->flags);
		if (err)
			path_put(out);
		return err;
	}
	d = dentry_lookup(nd->cur.dentry, name, len);
	if (IS_ERR(d))
		return (int)PTR_ERR(d);
	if (!d)
		return -ENOENT;
	out->mnt = nd->cur.mnt;
	out->dentry = d;
	mount_get(out->mnt);
	path_follow_mounts(out);
	if ((nd->flags & LOOKUP_NO_XDEV) && out->mnt != nd->cur.mnt) {
		path_put(out);
		return -EXDEV;
	}
	return 0;
}

/*
 * fs.protected_symlinks (on in Linux distributions and the oracle): in a
 * sticky world-writable directory a symlink is followed only by its
 * owner, or when it belongs to the directory's owner. Root included.
 */
static int may_follow_link(struct dentry *link)
{
	struct inode *dir = link->parent->inode;
	uid_t owner = link->inode->uid;

	if ((dir->mode & (S_ISVTX | S_IWOTH)) != (S_ISVTX | S_IWOTH))
		return 0;
	if (fs_current_uid() == owner || dir->uid == owner)
		return 0;
	return -EACCES;
}

/*
 * openat2's restrictions on following link (Linux's pick_link and
 * nd_jump_link). Basalt's procfs links (/proc/PID/fd/N, cwd, exe, root)
 * are read as text, but they are the ones Linux makes magic, so they
 * get Linux's answers: -ELOOP under RESOLVE_NO_MAGICLINKS, -EXDEV in a
 * scoped walk (which Linux does not let a magic link leave).
 */
static int nd_may_follow(const struct nameidata *nd, struct dentry *link)
{
	if (nd->flags & LOOKUP_NO_SYMLINKS)
		return -ELOOP;
	if (!procfs_magic_link(link))
		return 0;
	if (nd->flags & LOOKUP_NO_MAGICLINKS)
		return -ELOOP;
	if (nd->flags & LOOKUP_SCOPED)
		return -EXDEV;
	return 0;
}

/* An absolute symlink target: Linux's nd_jump_root. */
static int nd_may_jump_root(const struct nameidata *nd)
{
	if (nd->flags & LOOKUP_BENEATH)
		return -EXDEV;
	if ((nd->flags & LOOKUP_NO_XDEV) && nd->cur.mnt != nd->root.mnt)
		return -EXDEV;
	return 0;
}

int nd_follow(struct nameidata *nd, struct dentry *link)
{
	struct nd_frame *f;
	char *buf;
	int len;

	mutex_assert_held(&namespace_lock);
	if (nd->cur.mnt->flags & MNT_NOSYMFOLLOW)
		return -ELOOP;
	len = nd_may_follow(nd, link);
	if (len)
		return len;
	len = may_follow_link(link);
	if (len)
		return len;
	if (++nd->nlinks > MAXSYMLINKS)
		return -ELOOP;
	BUG_ON(nd->depth >= (int)ARRAY_SIZE(nd->stack));
	buf = kmalloc(PATH_MAX);
	if (!buf)
		return -ENOMEM;
	len = link->inode->iops->get_link(link, buf, PATH_MAX - 1);
	if (len <= 0 || len >= PATH_MAX) {
		kfree(buf);
		return len < 0 ? len : len == 0 ? -ENOENT : -ENAMETOOLONG;
	}
	buf[len] = '\0';
	f = &nd->stack[nd->depth++];
	f->buf = buf;
	f->p = buf;
	nd->last.type = -1;
	nd->last.slash = false;
	if (buf[0] == '/') {
		len = nd_may_jump_root(nd);
		if (len)
			return len;	/* buf is on the stack: nd_end */
		path_put(&nd->cur);
		nd->cur = nd->root;
		path_get(&nd->cur);
	}
	return 0;
}

/* Resolve one non-final component: move nd->cur, or enter a symlink. */
static int nd_step(struct nameidata *nd, const struct path_comp *c)
{
	struct path next;
	int err = nd_may_search(nd);

	if (err)
		return err;
	err = nd_lookup_comp(nd, c->name, c->len, (int)c->type, &next);
	if (err)
		return err;
	if (S_ISLNK(next.dentry->inode->mode)) {
		err = nd_follow(nd, next.dentry);
		path_put(&next);
		return err;
	}
	path_put(&nd->cur);
	nd->cur = next;
	return 0;
}

/* Whether nothing follows the component just read, in any string. */
static bool nd_at_end(const struct nameidata *nd)
{
	for (int i = 0; i < nd->depth; i++)
		if (!path_at_end(nd->stack[i].p))
			return false;
	return true;
}

int nd_walk(struct nameidata *nd)
{
	mutex_assert_held(&namespace_lock);
	for (;;) {
		struct nd_frame *top = &nd->stack[nd->depth - 1];
		struct path_comp c;
		int r = path_next_comp(&top->p, &c);

		if (r < 0)
			return r;
		if (r == 0) {
			if (nd->depth == 1) {
				nd->last.type = -1;
				nd->last.slash = false;
				return 0;
			}
			kfree(top->buf);
			nd->depth--;
			continue;
		}
		if (nd_at_end(nd)) {
			nd->last.name = c.name;
			nd->last.len = c.len;
			nd->last.type = (int)c.type;
			nd->last.slash = *top->p == '/';
			if (nd->last.slash)
				nd->flags |= LOOKUP_FOLLOW | LOOKUP_DIRECTORY;
			return 0;
		}
		r = nd_step(nd, &c);
		if (r)
			return r;
	}
}

int nd_lookup_last(struct nameidata *nd, struct path *out)
{
	int err;

	mutex_assert_held(&namespace_lock);
	if (nd->last.type < 0) {
		*out = nd->cur;
		path_get(out);
		return 0;
	}
	err = nd_may_search(nd);
	if (err)
		return err;
	return nd_lookup_comp(nd, nd->last.name, nd->last.len, nd->last.type,
			      out);
}

int nd_lookup_raw(struct nameidata *nd, struct dentry **out)
{
	struct dentry *d;
	int err = nd_may_search(nd);

	if (err)
		return err;
	d = dentry_lookup(nd->cur.dentry, nd->last.name, nd->last.len);
	if (IS_ERR(d))
		return (int)PTR_ERR(d);
	if (!d)
		return -ENOENT;
	*out = d;
	return 0;
}

int path_lookup_locked(int dfd, const char *name, unsigned int flags,
		       struct path *out)
{
	struct nameidata nd;
	int err;

	if (name[0] == '\0')
		return (flags & LOOKUP_EMPTY) ? dfd_path(dfd, out) : -ENOENT;
	err = nd_start(&nd, dfd, name, flags);
	while (!err) {
		err = nd_walk(&nd);
		if (err)
			break;
		err = nd_lookup_last(&nd, out);
		if (err)
			break;
		if (S_ISLNK(out->dentry->inode->mode) &&
		    (nd.flags & LOOKUP_FOLLOW)) {
			err = nd_follow(&nd, out->dentry);
			path_put(out);
			continue;
		}
		if ((nd.flags & LOOKUP_DIRECTORY) &&
		    !S_ISDIR(out->dentry->inode->mode)) {
			path_put(out);
			err = -ENOTDIR;
		}
		break;
	}
	nd_end(&nd);
	return err;
}

int path_lookup(int dfd, const char *name, unsigned int flags,
		struct path *out)
{
	int err;

	mutex_lock(&namespace_lock);
	err = path_lookup_locked(dfd, name, flags, out);
	mutex_unlock(&namespace_lock);
	return err;
}

char *user_path_copy(const char __user *uname)
{
	char *buf = kmalloc(PATH_MAX);
	long n;

	if (!buf)
		return ERR_PTR(-ENOMEM);
	n = strncpy_from_user(buf, uname, PATH_MAX);
	if (n < 0) {
		kfree(buf);
		return ERR_PTR(n);
	}
	return buf;
}

void user_path_free(char *name)
{
	if (!IS_ERR(name))
		kfree(name);
}

int user_path_lookup(int dfd, const char __user *uname, unsigned int flags,
		     struct path *out)
{
	char *name = user_path_copy(uname);
	int err;

	if (IS_ERR(name))
		return (int)PTR_ERR(name);
	err = path_lookup(dfd, name, flags, out);
	user_path_free(name);
	return err;
}

/*
 * An object that never was in the tree (a pipe, a memfd) goes by its own
 * name, as Linux's d_dname gives it: a pipe as "pipe:[ino]"
 * (pipefs_dname), a file made unlinked as "/memfd:NAME (deleted)"
 * (simple_dname).
 */
static const char *detached_to_string(const struct dentry *d, char *buf,
				      size_t size)
{
	struct pathbuf pb;
	const char *s;

	pathbuf_init(&pb, buf, size);
	if (d->flags & DENTRY_DELETED) {
		pathbuf_prepend(&pb, " (deleted)", 10);
		pathbuf_prepend_comp(&pb, d->name, d->name_len);
	} else {
		pathbuf_prepend(&pb, d->name, d->name_len);
	}
	s = pathbuf_str(&pb);
	return s ? s : ERR_PTR(-ENAMETOOLONG);
}

const char *path_to_string(const struct path *p, char *buf, size_t size)
{
	struct path root, cur = *p;
	struct pathbuf pb;
	const char *s;

	if (p->dentry->parent == p->dentry && p->dentry != p->mnt->root)
		return detached_to_string(p->dentry, buf, size);
	pathbuf_init(&pb, buf, size);
	if (p->dentry->flags & DENTRY_DELETED)
		pathbuf_prepend(&pb, " (deleted)", 10);
	fsctx_root(&root);
	while (!path_equal(&cur, &root)) {
		if (cur.dentry == cur.mnt->root) {
			if (!cur.mnt->parent)
				break;
			cur.dentry = cur.mnt->mountpoint;
			cur.mnt = cur.mnt->parent;
			continue;
		}
		if (cur.dentry->parent == cur.dentry)
			break;		/* no further up: a detached tree */
		pathbuf_prepend_comp(&pb, cur.dentry->name,
				     cur.dentry->name_len);
		cur.dentry = cur.dentry->parent;
	}
	path_put(&root);
	s = pathbuf_str(&pb);
	return s ? s : ERR_PTR(-ENAMETOOLONG);
}
