/*
 * worker.h - a worker's setup (worker_setup.c), for its loop (worker.c).
 * Each returns 0 or -1 and, like all worker code, uses no C library.
 */
#ifndef BASALT_FUZZ_WORKER_H
#define BASALT_FUZZ_WORKER_H

#include "fuzz.h"

#define FZ_ROOT_DEV	FZ_ROOT "/dev"

/* worker.c: the handler of FZ_WAKE_SIG (and of fuzzed sigactions). */
void fz_handler(int sig);

/* Default dispositions, nothing blocked, FZ_WAKE_SIG to fz_handler. */
void fz_setup_signals(void);
/* FZ_SCRATCH_RW pages, a read-only page, a PROT_NONE page. */
int fz_setup_scratch(struct fz_worker *w);
/* FZ_ARENA_PAGES pages, then a PROT_NONE fence. */
int fz_setup_arena(struct fz_worker *w);
/* The sandbox's basic names back, then descriptors of every kind. */
int fz_setup_fds(struct fz_worker *w);
/* The ranges of /proc/self/maps, but the arena and the vDSO. */
int fz_setup_protected(struct fz_worker *w);

#endif
