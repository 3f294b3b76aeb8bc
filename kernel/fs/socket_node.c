/*
 * Socket names in the file system (AF_UNIX bind and connect to a path):
 * making the S_IFSOCK inode a bind creates, and finding the one a
 * connect names. The socket layer (kernel/net/) keeps the inode as the
 * identity of the name; unlink removes the name, the inode lives on as
 * long as the bound socket holds it. See fs/anon.h.
 */
#include "vfs.h"
#include <fs/anon.h>

int fs_socket_create(const char *name, mode_t mode, struct inode **out)
{
	struct path p;
	int err;

	mode = S_IFSOCK | (mode & S_IRWXUGO & ~fsctx_umask());
	err = vfs_create_at(AT_FDCWD, name, mode, 0, NULL, &p);
	if (err)
		return err == -EEXIST ? -EADDRINUSE : err;
	*out = p.dentry->inode;
	inode_get(*out);
	path_put(&p);
	return 0;
}

int fs_socket_find(const char *name, struct inode **out)
{
	struct path p;
	int err = path_lookup(AT_FDCWD, name, LOOKUP_FOLLOW, &p);

	if (err)
		return err;
	if (!S_ISSOCK(p.dentry->inode->mode))
		err = -ECONNREFUSED;
	else
		err = inode_permission(p.dentry->inode, MAY_WRITE);
	if (!err) {
		*out = p.dentry->inode;
		inode_get(*out);
	}
	path_put(&p);
	return err;
}

void fs_socket_put(struct inode *inode)
{
	inode_put(inode);
}
