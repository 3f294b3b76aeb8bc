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
/* The same, but NULL for O_PATH files (which allow no I/O: -EBADF). */
struct file *fd_get_io(int fd);

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
