/*
 * Pseudo-terminals (kernel/drivers/pty.c), as devpts (kernel/fs/devpts.c)
 * sees them: which pairs exist, and how their slaves are opened.
 */
#ifndef BASALT_DRIVERS_PTY_H
#define BASALT_DRIVERS_PTY_H

#include <types.h>

struct file;

/* Slave devices are char major 136, minor N (Linux's UNIX98_PTY). */
#define PTY_SLAVE_MAJOR	136

/* The lowest index >= from of a live pair, with the owner its
 * /dev/pts/N shows; -1 if none. */
int pty_next(int from, uid_t *uid, gid_t *gid);

/* Open f as the slave of pair index (its file operations become the
 * terminal's); -EIO while the pair is locked or its master is gone. */
int pty_open_slave(unsigned int index, struct file *f);

#endif
