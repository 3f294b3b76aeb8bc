/*
 * Terminals as the rest of the kernel asks about them (kernel/drivers/
 * tty.c, pty.c): which terminal a session controls, for /proc/<pid>/stat.
 */
#ifndef BASALT_DRIVERS_TTY_H
#define BASALT_DRIVERS_TTY_H

#include <types.h>

/*
 * The controlling terminal of session sid: its device number and its
 * foreground process group (stat's tty_nr and tpgid). False if the
 * session has none (sid 0 never has one). Takes no proc lock.
 */
bool tty_of_session(pid_t sid, dev_t *dev, pid_t *fg);

/*
 * Session leader sid's process is ending (exit calls it before the
 * parent is told): its controlling terminal, if any, sends SIGHUP to its
 * foreground group and becomes nobody's (Linux's disassociate_ctty).
 * Takes no proc lock; call without proc_tree_lock.
 */
void tty_session_exit(pid_t sid);

#endif
