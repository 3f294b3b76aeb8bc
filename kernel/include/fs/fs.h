/*
 * What the rest of the kernel needs from the file system (kernel/fs/).
 * Process code uses the file-table and fs-context objects; execve uses the
 * kernel-side open/read calls; boot unpacks the initramfs.
 */
#ifndef BASALT_FS_FS_H
#define BASALT_FS_FS_H

#include <types.h>

struct file;
struct page;
struct files_table;
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
/*
 * The file's own pages [index, index + n), each with a reference for the
 * caller (page_put when done), so execve can map them copy-on-write
 * instead of copying them: every run of a program then shares one copy
 * of its text, as with Linux's page cache. Holes are filled with zeroed
 * pages. -EINVAL past the end of the file; -ENODEV if the file system
 * keeps no pages (only tmpfs does).
 */
int file_get_pages(struct file *f, uint64_t index, size_t n,
		   struct page **pages);
void file_put(struct file *f);

/* Install /dev/console as descriptors 0, 1 and 2 of ft (for init). */
int files_open_console(struct files_table *ft);

#endif
