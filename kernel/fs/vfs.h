/*
 * The VFS objects, private to kernel/fs/ (see docs/files.md):
 *
 *   inode   a file: type, permissions, size, times, and the operations of
 *           the file system that owns it; refcounted, freed (with its
 *           data) when the last reference goes.
 *   dentry  a name in a directory, pointing at an inode. For tmpfs the
 *           dentry tree *is* the directory structure: a directory's
 *           entries are its dentry's children, and being linked into the
 *           parent's list holds one reference. procfs makes dentries on
 *           demand, unlinked, freed when unused.
 *   super   one instance of a file system (tmpfs, procfs): root dentry,
 *           device number, inode numbers; shared by its mounts.
 *   mount   a super's tree grafted on a directory of another mount.
 *   path    (mount, dentry): a place in the namespace, holding a reference
 *           on both.
 *
 * Locks, in the order they are taken:
 *   namespace_lock (mutex)  the shape of the tree: every dentry's parent,
 *                           name, children and mount count, the mount
 *                           list, directory readdir positions.
 *   inode->lock (mutex)     an inode's attributes and data.
 *   spinlocks (file tables, fs contexts, ttys, pipes), innermost.
 * Reference counts are atomic and need no lock.
 */
#ifndef BASALT_FS_VFS_H
#define BASALT_FS_VFS_H

#include <types.h>
#include <lib/list.h>
#include <sync/mutex.h>
#include <sync/spinlock.h>
#include <fs/fs.h>
#include <fs/file.h>
#include <uapi/errno.h>
#include <uapi/stat.h>
#include <uapi/fcntl.h>

/* ---- Reference counts --------------------------------------------- */

static inline void ref_inc(uint32_t *r)
{
	__atomic_add_fetch(r, 1, __ATOMIC_RELAXED);
}

/* Drop one reference; true when it was the last. */
static inline bool ref_dec(uint32_t *r)
{
	return __atomic_sub_fetch(r, 1, __ATOMIC_ACQ_REL) == 0;
}

static inline uint32_t ref_read(const uint32_t *r)
{
	return __atomic_load_n(r, __ATOMIC_ACQUIRE);
}

/* ---- Objects ------------------------------------------------------ */

extern struct mutex namespace_lock;

struct fs_time {
	int64_t sec;
	int64_t nsec;
};

struct super;
struct dentry;
struct inode;
struct page;

struct inode_ops {
	/* Directories (all called with namespace_lock held). */
	/* The entry name in dir with a reference, NULL if none, or ERR_PTR. */
	struct dentry *(*lookup)(struct dentry *dir, const char *name,
				 size_t len);
	/* A new inode of mode (type included) named name in dir; a device
	 * node gets rdev, a symlink gets target. *out gets a reference. */
	int (*create)(struct dentry *dir, const char *name, size_t len,
		      mode_t mode, dev_t rdev, const char *target,
		      struct dentry **out);
	int (*link)(struct dentry *dir, const char *name, size_t len,
		    struct dentry *old);
	/* Remove victim (a file, or an empty directory) from dir. */
	int (*unlink)(struct dentry *dir, struct dentry *victim);
	/* Move old to new_dir/name, replacing target (may be NULL), or
	 * exchange old and target (RENAME_EXCHANGE). */
	int (*rename)(struct dentry *old, struct dentry *new_dir,
		      const char *name, size_t len, struct dentry *target,
		      unsigned int flags);
	/* Symlinks: copy the target into buf (size bytes, not terminated);
	 * return its full length or -errno. namespace_lock held. */
	int (*get_link)(struct dentry *d, char *buf, size_t size);
	/* Regular files: set the size; called with inode->lock held. */
	int (*truncate)(struct inode *inode, off_t size);
	/* The last reference is gone: free the file's data. */
	void (*evict)(struct inode *inode);
};

struct inode {
	uint32_t refcount;		/* atomic */
	ino_t ino;			/* fixed */
	struct super *sb;		/* fixed */
	const struct inode_ops *iops;	/* fixed */
	const struct file_ops *fops;	/* fixed */
	struct mutex lock;		/* guards everything below; mode, uid
					 * and gid may be read without it */
	mode_t mode;
	uint32_t nlink;
	uid_t uid;
	gid_t gid;
	dev_t rdev;
	off_t size;
	uint64_t blocks;		/* 512-byte blocks of data held */
	struct fs_time atime, mtime, ctime;
	int32_t writecount;		/* atomic: > 0 writers, < 0 running
					 * programs (ETXTBSY both ways) */
	union {
		struct vm_object *obj;	/* tmpfs regular file: its data */
		char *link;		/* tmpfs symlink target, fixed */
		uint64_t next_pos;	/* tmpfs directory (namespace_lock) */
	};
	void *private;			/* procfs */
};

#define DENTRY_LINKED	0x1	/* in parent's children; that holds a ref */
#define DENTRY_DELETED	0x2	/* was unlinked: paths print " (deleted)" */
#define DENTRY_INLINE_NAME 32

struct dentry {
	uint32_t refcount;		/* atomic */
	struct inode *inode;		/* fixed; holds a reference */
	struct super *sb;		/* fixed */
	/* Guarded by namespace_lock: */
	unsigned int flags;		/* DENTRY_* */
	struct dentry *parent;		/* holds a reference; a root: itself */
	char *name;			/* inline_name or kmalloc'd */
	size_t name_len;
	struct list_head children;	/* tmpfs directory entries */
	struct list_head sibling;	/* in parent->children */
	uint64_t pos;			/* creation number in the parent */
	uint32_t mounts;		/* mounts whose mountpoint this is */
	char inline_name[DENTRY_INLINE_NAME];
};

struct fs_type {
	const char *name;
	/* Fill sb (sb->root above all) from the mount options string. */
	int (*fill_super)(struct super *sb, const char *options);
	/* The last mount is gone: drop the tree (sb is freed after). */
	void (*kill_super)(struct super *sb);
	bool nodev;			/* listed as "nodev" in filesystems */
};

struct super {
	uint32_t refcount;		/* atomic: one per mount */
	const struct fs_type *type;
	struct dentry *root;
	dev_t dev;			/* anonymous device 0:n */
	uint64_t next_ino;		/* atomic */
	uint64_t nr_inodes;		/* atomic: live inodes */
	uint64_t max_pages;		/* tmpfs size= limit, 0: none */
	uint64_t used_pages;		/* atomic */
	uint32_t fsid[2];		/* statfs f_fsid: random, as tmpfs's */
	void *private;
};

#define MNT_RDONLY	0x1
#define MNT_NOSUID	0x2
#define MNT_NODEV	0x4
#define MNT_NOEXEC	0x8
#define MNT_NOATIME	0x10
#define MNT_NODIRATIME	0x20
#define MNT_RELATIME	0x40	/* user mounts' default; rootfs: strict */
#define MNT_NOSYMFOLLOW	0x80

struct mount {
	uint32_t refcount;		/* atomic: attached + each path */
	int id;				/* fixed */
	struct super *sb;		/* fixed; holds a reference */
	struct dentry *root;		/* fixed; holds a reference */
	/* Guarded by namespace_lock: */
	struct mount *parent;		/* NULL: namespace root or detached */
	struct dentry *mountpoint;	/* holds a reference while attached */
	unsigned int flags;		/* MNT_* */
	char *source;			/* device name given to mount(2) */
	struct list_head link;		/* in the mount list while attached */
};

struct path {
	struct mount *mnt;
	struct dentry *dentry;
};

/* ---- inode.c -------------------------------------------------------- */

struct fs_time fs_now(void);
/* A new inode of sb with one reference, the given mode, owned by the
 * current task's fsuid/fsgid, times set to now; NULL if out of memory. */
struct inode *inode_alloc(struct super *sb, mode_t mode,
			  const struct inode_ops *iops,
			  const struct file_ops *fops);
void inode_get(struct inode *inode);
void inode_put(struct inode *inode);

#define MAY_EXEC	1
#define MAY_WRITE	2
#define MAY_READ	4
/* Permission check for the current task (fsuid), root as Linux's
 * CAP_DAC_OVERRIDE: 0 or -EACCES. real: use the real ids (access(2)). */
int inode_permission(struct inode *inode, int mask);
int inode_permission_ids(struct inode *inode, int mask, uid_t uid, gid_t gid);
uid_t fs_current_uid(void);
gid_t fs_current_gid(void);
bool fs_is_root(void);
/* The caller's effective group or a supplementary one is gid; the
 * supplementary ones alone (access(2) checks the real gid with them). */
bool fs_in_group(gid_t gid);
bool fs_in_supplementary(gid_t gid);
/* Set times under inode->lock. */
void inode_touch_mtime(struct inode *inode);	/* mtime and ctime */
void inode_touch_ctime(struct inode *inode);
void inode_touch_atime(struct inode *inode, struct mount *mnt);

/* ---- dcache.c ------------------------------------------------------- */

/* A new unlinked dentry named name for inode (whose reference it takes
 * over), child of parent (which gets a reference; NULL: a root). */
struct dentry *dentry_alloc(struct dentry *parent, const char *name,
			    size_t len, struct inode *inode);
void dget(struct dentry *d);
void dput(struct dentry *d);
/* Change d's name; -ENOMEM. Caller holds namespace_lock. */
int dentry_set_name(struct dentry *d, const char *name, size_t len);
bool dentry_name_is(const struct dentry *d, const char *name, size_t len);
/* Look name up in directory dir through its inode's lookup. */
struct dentry *dentry_lookup(struct dentry *dir, const char *name,
			     size_t len);
/* Link d into parent's children (taking the list's reference). */
void dentry_link(struct dentry *parent, struct dentry *d);
/* Remove d from its parent's children and drop that reference. */
void dentry_unlink(struct dentry *d);

void path_get(const struct path *p);
void path_put(struct path *p);
static inline bool path_equal(const struct path *a, const struct path *b)
{
	return a->mnt == b->mnt && a->dentry == b->dentry;
}

/* ---- mount.c -------------------------------------------------------- */

void mount_get(struct mount *m);
void mount_put(struct mount *m);
/* The topmost mount on (mnt, dentry), or NULL; namespace_lock held. */
struct mount *mount_find(struct mount *mnt, struct dentry *d);
/* Move p onto the root of whatever is mounted there; namespace_lock. */
void path_follow_mounts(struct path *p);
/* The namespace root (for tasks without an fs context). */
void vfs_root_path(struct path *out);
bool mount_readonly(const struct mount *m);
/* Text for /proc/mounts into buf; returns the length or -errno. */
long mounts_show(char *buf, size_t size);
long mountinfo_show(char *buf, size_t size);
/* The /proc/filesystems text. */
long filesystems_show(char *buf, size_t size);
struct super *super_alloc(const struct fs_type *type);
/* An instance of type for the kernel's own use, never attached (pipes,
 * memfds), made with the mount options string options; the caller holds
 * the one reference. ERR_PTR on failure. */
struct mount *mount_kernel(const struct fs_type *type, const char *options);
/* A super's root directory: root becomes sb->root's inode (it is put if
 * the dentry cannot be made); -ENOMEM for a NULL root or no memory. */
int super_set_root(struct super *sb, struct inode *root);
/* kill_super for a file system whose only dentry of its own is its root. */
void super_drop_root(struct super *sb);
/* The super of an internal file system (pipefs, anon_inodefs): an empty
 * root directory, mounted nowhere; its files are made by their code. */
int internal_fs_fill_super(struct super *sb, const char *options);
void pipe_init(void);
/* Pipes and FIFOs (pipe.c, pipe_size.c): the pipe behind f, or NULL;
 * F_GETPIPE_SZ/F_SETPIPE_SZ (-EBADF if f is no pipe); /proc/sys/fs's
 * pipe-max-size and pipe-user-pages-soft (read: text or -ENOENT;
 * write, root only: 0, -EPERM, -EINVAL). */
struct pipe *pipe_of(struct file *f);
long pipe_fcntl(struct file *f, unsigned int cmd, unsigned long arg);
int pipe_sysctl_read(const char *name, char *buf, size_t size);
int pipe_sysctl_write(const char *name, const char *text, size_t len);
void poll_init(void);
void memfd_init(void);

/* ---- namei.c -------------------------------------------------------- */

#define LOOKUP_FOLLOW		0x1	/* follow a final symlink */
#define LOOKUP_DIRECTORY	0x2	/* the result must be a directory */
#define LOOKUP_EMPTY		0x4	/* "" names dfd itself */
/* openat2's RESOLVE_* restrictions (openat2.c, docs/files.md): */
#define LOOKUP_NO_XDEV		0x10	/* no mount crossing: -EXDEV */
#define LOOKUP_NO_MAGICLINKS	0x20	/* no /proc/PID/fd-like link: -ELOOP */
#define LOOKUP_NO_SYMLINKS	0x40	/* no symlink followed: -ELOOP */
#define LOOKUP_BENEATH		0x80	/* never above the start: -EXDEV */
#define LOOKUP_IN_ROOT		0x100	/* the start is the root */
#define LOOKUP_SCOPED		(LOOKUP_BENEATH | LOOKUP_IN_ROOT)

struct nd_frame {
	char *buf;			/* owned link target, or NULL */
	const char *p;			/* cursor */
};

struct nameidata {
	struct path cur;		/* directory being walked */
	struct path root;		/* the task's root */
	unsigned int flags;		/* LOOKUP_* */
	int nlinks;			/* symlinks followed so far */
	int depth;			/* frames in use */
	struct nd_frame stack[MAXSYMLINKS + 1];
	struct path_comp_last {
		const char *name;
		size_t len;
		int type;		/* enum comp_type, or -1: none ("/") */
		bool slash;		/* followed by a trailing slash */
	} last;
};

/*
 * The walk, for callers that act on the last component (open, mkdir,
 * unlink, ...). All called with namespace_lock held:
 *   nd_start()       set up; the path must be non-empty
 *   nd_walk()        resolve all but the last component into nd->cur
 *   nd_lookup_last() the last component itself (NULL if absent)
 *   nd_follow()      it was a symlink: continue into its target, then
 *                    call nd_walk() again
 *   nd_end()         release everything
 */
int nd_start(struct nameidata *nd, int dfd, const char *name,
	     unsigned int flags);
int nd_walk(struct nameidata *nd);
int nd_lookup_last(struct nameidata *nd, struct path *out);
int nd_follow(struct nameidata *nd, struct dentry *link);
/* The last (normal) component's dentry itself, mounts not crossed. */
int nd_lookup_raw(struct nameidata *nd, struct dentry **out);
void nd_end(struct nameidata *nd);

/* Resolve name (relative to dfd) to a path with references. */
int path_lookup_locked(int dfd, const char *name, unsigned int flags,
		       struct path *out);
int path_lookup(int dfd, const char *name, unsigned int flags,
		struct path *out);
/* As path_lookup, for a user-space name (copied in first). */
int user_path_lookup(int dfd, const char __user *uname, unsigned int flags,
		     struct path *out);
/* Copy a path name in from user space (kmalloc'd PATH_MAX buffer). */
char *user_path_copy(const char __user *uname);
void user_path_free(char *name);
/* The path as a string relative to the task's root (d_path); pipes and
 * memfds, outside the tree, as "pipe:[ino]" and "/memfd:NAME (deleted)". */
const char *path_to_string(const struct path *p, char *buf, size_t size);

/* ---- file.c, fdtable.c, fsctx.c ------------------------------------ */

/* A new file for path (references taken over) opened with flags; calls
 * the open op. ERR_PTR on failure (the path is then released). */
struct file *file_open_path(struct path *p, int flags);
/* kernel_open with a mode for O_CREAT (the core file: core_file.c). */
struct file *kernel_open_mode(const char *path, int flags, mode_t mode);
/* The ETXTBSY rule (file.c): an open file that may write a regular file
 * counts as a writer from open to the last put; truncate(2) by name
 * counts as one while it works. -ETXTBSY while a program runs from it. */
int file_get_write_access(struct file *f);
void file_put_write_access(struct file *f);
int inode_get_write_access(struct inode *inode);
void inode_put_write_access(struct inode *inode);
/* -EMFILE when the table has no free descriptor (checked before open,
 * as Linux reserves the descriptor first). */
int fd_check_free(void);
/* Descriptors the table has room for now (select ignores bits beyond,
 * as Linux's max_fds). */
int fd_table_size(void);
/* Install f (its reference moves into the table) at the lowest free fd
 * >= minfd; returns the fd or -EMFILE. */
int fd_install(struct file *f, int minfd, bool cloexec);
/* fcntl helpers: the close-on-exec bit of fd; dup to the lowest free
 * descriptor >= minfd. */
bool fd_cloexec(int fd);
int fd_set_cloexec(int fd, bool on);
int fd_dup_from(int oldfd, int minfd, bool cloexec);
/* close(2) without the system call: -EBADF if fd is not open. */
int fd_close(int fd);
/* open(2) itself (open.c): the name copied in, opened, installed. */
long open_user(int dfd, const char __user *uname, int flags, mode_t mode);
/* open_user with openat2's extra LOOKUP_* restrictions. */
long open_user_lookup(int dfd, const char __user *uname, int flags,
		      mode_t mode, unsigned int lookup);
/* Copies of the task's root and cwd, with references. */
void fsctx_root(struct path *out);
void fsctx_cwd(struct path *out);
/* t's root or cwd with a reference, for procfs (proc_tree_lock held,
 * under which exit drops t->fs); -ENOENT once it has none. */
struct task;
int fsctx_task_path(struct task *t, bool root, struct path *out);
/* t's umask (0 once it has no fs context); proc_tree_lock held. */
mode_t fsctx_task_umask(struct task *t);
mode_t fsctx_umask(void);

ssize_t vfs_read(struct file *f, struct iobuf *io, off_t *pos);
ssize_t vfs_write(struct file *f, struct iobuf *io, off_t *pos);
off_t generic_llseek(struct file *f, off_t off, int whence, off_t size);
/* Set the size of f's regular file (permissions already checked). */
int vfs_truncate_file(struct file *f, off_t length);
int stat_fill(struct path *p, struct stat *st);

/* ---- tmpfs.c, chrdev.c, procfs.c, pipe.c ---------------------------- */

extern const struct fs_type tmpfs_type, rootfs_type, procfs_type;
/* A procfs link Linux would follow as a magic link (procfs.c). */
bool procfs_magic_link(const struct dentry *d);
extern const struct fs_type devpts_type;	/* devpts.c */
extern const struct fs_type sysfs_type;		/* sysfs.c */
/* Open op of device nodes: dispatch on the inode's rdev. */
extern const struct file_ops chrdev_open_ops;
extern const struct file_ops fifo_open_ops;
extern const struct file_ops tmpfs_file_ops;
extern const struct inode_ops tmpfs_file_iops;
/* Give a new tmpfs regular file its (empty) memory object, sealed with
 * F_SEAL_SEAL; -ENOMEM. */
int tmpfs_file_init(struct inode *inode);
/* A regular file of tmpfs instance sb with permissions mode that has no
 * name and never had one (nlink 0: a memfd), or ERR_PTR. */
struct inode *tmpfs_new_unlinked(struct super *sb, mode_t mode);
/* fcntl F_ADD_SEALS and F_GET_SEALS (memfd.c). */
long memfd_fcntl(struct file *f, unsigned int cmd, unsigned long arg);
/* fcntl's record-lock commands, F_GETLK to F_OFD_SETLKW (locks.c). */
long fcntl_lock(struct file *f, unsigned int cmd, void __user *arg);
/* Advisory locks (locks.c): set up at boot; a descriptor of f was closed
 * in descriptor table files (its POSIX locks on the file go); f's last
 * reference is gone (its flock and OFD locks go). */
void locks_init(void);
void locks_remove_posix(struct file *f, const void *files);
void locks_remove_file(struct file *f);
/*
 * Pipes for splice and tee (pipe.c). pipe_of (above) tells two ends of
 * one pipe. pipe_put_kernel: put up to n bytes of buf into f's pipe,
 * what fits, waiting (unless nonblock: -EAGAIN) while it is full; -EPIPE (and SIGPIPE) with no reader. pipe_feed: hand up to
 * len bytes waiting in f's pipe to sink(ctx, buf, n), which returns how
 * many it took or -errno; waits (unless nonblock) for a first byte, 0
 * with no writer left; consume: taken bytes leave the pipe (else tee).
 */
typedef ssize_t (*pipe_sink_fn)(void *ctx, const char *buf, size_t n);
bool file_is_pipe(const struct file *f);
ssize_t pipe_put_kernel(struct file *f, const char *buf, size_t n,
			bool nonblock);
ssize_t pipe_feed(struct file *f, size_t len, bool nonblock, bool consume,
		  pipe_sink_fn sink, void *ctx);
/* Drop a tmpfs file's memory object (tmpfs_file.c). */
void tmpfs_pages_free(struct inode *inode);
uint64_t tmpfs_pages_total(void);
/* A tmpfs instance's limits: pages of data and inodes. */
void tmpfs_statfs(struct super *sb, uint64_t *blocks, uint64_t *files);

/* ---- dirops.c -------------------------------------------------------- */

/*
 * Create name (relative to dfd) with mode (type included; the umask is
 * the caller's business), rdev for device nodes, target for symlinks,
 * with Linux's checks and errors. out (may be NULL) gets the new path.
 */
int vfs_create_at(int dfd, const char *name, mode_t mode, dev_t rdev,
		  const char *target, struct path *out);
/* Remove name: a directory (rmdir) or anything else (unlink). */
int vfs_unlink_at(int dfd, const char *name, bool dir);
/* Linux's may_create and may_delete (namespace_lock held). */
int may_create_entry(struct inode *dir);
int may_delete_entry(struct inode *dir, struct dentry *victim, bool isdir);
int vfs_link_at(int olddfd, const char *oldname, int newdfd,
		const char *newname, unsigned int lookup);

#endif
