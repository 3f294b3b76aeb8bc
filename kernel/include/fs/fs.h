/*
 * What the rest of the kernel needs from the file system (kernel/fs/).
 * Process code uses the file-table and fs-context objects; execve uses the
 * kernel-side open/read calls; boot unpacks the initramfs.
 */
#ifndef BASALT_FS_FS_H
#define BASALT_FS_FS_H

#include <types.h>
#include <fs/chrdev.h>

struct file;
struct page;
struct files_table;
struct vm_object;
struct fs_context;

/* Boot: make an empty tmpfs root, then fill it from a newc cpio archive. */
void vfs_init(void);
int initramfs_unpack(const void *data, size_t len);

/* File tables, refcounted; dup copies every descriptor (fork). */
struct files_table *files_create(void);
struct files_table *files_dup(struct files_table *ft);
void files_get(struct files_table *ft);
void files_put(struct files_table *ft);
void files_close_on_exec(struct files_table *ft);
/* fs.nr_open: the most descriptors a table may have (and RLIMIT_NOFILE's
 * ceiling); set it within Linux's bounds (64 .. 2^31 - 64), else
 * -EINVAL. */
int files_nr_open(void);
int files_set_nr_open(long v);
/* For procfs, which looks at other processes' tables: t's table with a
 * reference (files_put it), or NULL (proc_tree_lock held, under which
 * t->files changes); the file at fd with a reference, or NULL, and
 * whether it is close-on-exec; the lowest open fd >= from, or -1. */
struct task;
struct files_table *files_of_task(struct task *t);
struct file *files_fd_get(struct files_table *ft, int fd, bool *cloexec);
int files_next_fd(struct files_table *ft, int from);
/* How many descriptors ft has room for now (status's FDSize). */
int files_capacity(struct files_table *ft);

/* Filesystem context: root, cwd and umask. */
struct fs_context *fsctx_create_root(void);
struct fs_context *fsctx_dup(struct fs_context *fs);
void fsctx_get(struct fs_context *fs);
void fsctx_put(struct fs_context *fs);
/* How many tasks share fs (execve's check for set-user-ID programs). */
unsigned int fsctx_users(struct fs_context *fs);

/*
 * Kernel-side access, resolved relative to the current task's fs context.
 * kernel_open returns a file reference or ERR_PTR(-errno); it fails with
 * -EACCES unless the file is a regular file with an execute bit when
 * exec is set.
 */
struct file *kernel_open(const char *path, int flags, bool exec);
ssize_t kernel_read_at(struct file *f, void *buf, size_t len, off_t off);
/*
 * The core dump's file (fs/core_file.c), made as Linux's do_coredump
 * makes it: a file already at path is unlinked first, then path is
 * created afresh (O_EXCL, no symlink followed, mode 0600) and kept only
 * if it is a regular file with one link owned by the caller's fsuid.
 * Returns the file or ERR_PTR(-errno). kernel_write_at writes len bytes
 * at off (the count written, or -errno); file_path_name puts f's path
 * (as /proc/<pid>/maps names it) into buf: 0, or -ENAMETOOLONG.
 */
struct file *core_file_create(const char *path);
/* Whether the caller may read f's file (execve: an unreadable program
 * makes a process that is not dumpable). */
bool file_readable(struct file *f);
ssize_t kernel_write_at(struct file *f, const void *buf, size_t len, off_t off);
int file_path_name(struct file *f, char *buf, size_t size);

/* The size in bytes of the file f was opened on (execve's ELF checks). */
off_t file_size(struct file *f);
/* The device and inode number stat reports for f's file. Takes no lock
 * (both are fixed), so any lock may be held; /proc/<pid>/maps. */
void file_ident(const struct file *f, dev_t *dev, ino_t *ino);
/*
 * The device of Linux's internal shmem mount, which /proc/<pid>/maps
 * shows for shared anonymous memory. No file system of Basalt gets it:
 * numbering starts at 0:2, so the root file system is 0:2 as on Linux.
 */
#define ANON_SHMEM_DEV	MKDEV(0, 1)
/* The file behind fd with a reference, or NULL. */
struct file *fd_get(int fd);
/* Install f (the caller's reference) at the lowest free descriptor
 * >= minfd; the descriptor, or -EMFILE and f is still the caller's. */
int fd_install(struct file *f, int minfd, bool cloexec);
/* Close descriptor fd: 0 or -EBADF. */
int fd_close(int fd);
/* The same, but NULL for O_PATH files (which allow no I/O: -EBADF). */
struct file *fd_get_io(int fd);
/*
 * fd_get and fd_get_io without a reference when the caller's descriptor
 * table is its own (Linux's fdget): then only the caller could close fd,
 * and it does not during the call. *put says whether fd_put_light has a
 * reference to drop. For calls that never close a descriptor themselves.
 */
struct file *fd_get_light(int fd, bool *put);
struct file *fd_get_io_light(int fd, bool *put);
void fd_put_light(struct file *f, bool put);

/*
 * For mmap(2): the memory object behind f for a mapping of len bytes
 * (shared: MAP_SHARED), with a reference for the caller, or *obj = NULL
 * for private anonymous memory (/dev/zero). -ENODEV if f cannot be
 * mapped. Seals (vm_object_seals) are the caller's to apply.
 */
int file_mmap_object(struct file *f, bool shared, uint64_t len,
		     struct vm_object **obj);
/* Whether f lies on a noexec mount (PROT_EXEC mappings: -EPERM). */
bool file_noexec(struct file *f);
/*
 * The ids executing f grants (execve): its owner if it is set-user-ID,
 * its group if set-group-ID with group execute; (uid_t)-1 / (gid_t)-1
 * for none, and none at all on a nosuid mount.
 */
void file_setid_ids(struct file *f, uid_t *uid, gid_t *gid);

/*
 * A running program's file may not be opened for writing, nor a file
 * open for writing run (ETXTBSY). execve calls file_deny_write on the
 * program; the mm keeps the file until it dies (file_exe_release), and
 * fork's copy takes its own hold (file_exe_dup).
 */
int file_deny_write(struct file *f);
struct file *file_exe_dup(struct file *f);
void file_exe_release(struct file *f);
void file_put(struct file *f);

/* Install /dev/console as descriptors 0, 1 and 2 of ft (for init). */
int files_open_console(struct files_table *ft);

#endif
