/* timerfd (kernel/fs/timerfd.c): what the rest of the kernel calls. */
#ifndef BASALT_FS_TIMERFD_H
#define BASALT_FS_TIMERFD_H

/* The wall clock was set: cancel the TFD_TIMER_CANCEL_ON_SET timers. */
void timerfd_clock_was_set(void);

#endif
