/*
 * Signals as the rest of the kernel sees them. Delivery to user handlers
 * comes in a later issue; for now a fatal signal ends the thread group.
 */
#ifndef BASALT_PROC_SIGNAL_H
#define BASALT_PROC_SIGNAL_H

#include <uapi/signal.h>

/* "SIGSEGV" etc., for kernel messages. */
const char *signal_name(int sig);

#endif
