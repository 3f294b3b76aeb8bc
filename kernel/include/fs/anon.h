/*
 * Files that are not in any directory (kernel/fs/anon_inode.c): eventfd,
 * epoll instances, signalfd, timerfd and sockets. Each gets its own inode in an internal,
 * unmounted file system, as Linux's anon_inode and sockfs files do, so
 * fstat, /proc/<pid>/fd and fcntl work on them like on any file.
 */
#ifndef BASALT_FS_ANON_H
#define BASALT_FS_ANON_H

#include <types.h>

struct file;
struct file_ops;
struct inode;

/* Boot: make the internal mount (called by vfs_init). */
void anon_init(void);

/*
 * A new open file named name ("anon_inode:[eventfd]", "socket:[%lu]":
 * a "%lu" in name is replaced by the inode number), its inode of the
 * given mode, with ops and private, status flags O_RDWR plus the
 * O_NONBLOCK of flags. Not seekable: lseek fails with ESPIPE, unless
 * ops->llseek is anon_noop_llseek (eventfd, epoll, signalfd, timerfd:
 * lseek answers 0). ERR_PTR(-ENOMEM) on failure, with nothing left
 * behind (private is the caller's to free then).
 */
struct file *anon_file_open(const char *name, mode_t mode,
			    const struct file_ops *ops, void *private,
			    int flags);
/* Linux's noop_llseek: the position, unchanged. */
off_t anon_noop_llseek(struct file *f, off_t off, int whence);
/* The inode number of f (socket names in /proc/net/unix). */
uint64_t anon_file_ino(struct file *f);
/* Whether f was made by anon_file_open with these ops. */
bool anon_file_is(struct file *f, const struct file_ops *ops);

/*
 * AF_UNIX names in the file system (kernel/fs/socket_node.c), resolved
 * from the current task's directory. fs_socket_create makes an S_IFSOCK
 * node (mode less the umask): -EADDRINUSE if the name exists.
 * fs_socket_find resolves a name a connect gives: -ECONNREFUSED if it is
 * no socket, -EACCES without write permission. Both return the inode
 * with a reference, dropped by fs_socket_put.
 */
int fs_socket_create(const char *name, mode_t mode, struct inode **out);
int fs_socket_find(const char *name, struct inode **out);
void fs_socket_put(struct inode *inode);

#endif
