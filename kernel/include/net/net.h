/*
 * What the rest of the kernel needs from the socket layer (kernel/net/):
 * its start-up. Sockets are files; everything else goes through their
 * file operations and the socket system calls. See docs/sockets.md.
 */
#ifndef BASALT_NET_NET_H
#define BASALT_NET_NET_H

/* Boot: the AF_UNIX lock and tables (called by vfs_init). */
void unix_init(void);

#endif
