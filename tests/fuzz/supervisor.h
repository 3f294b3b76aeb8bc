/*
 * supervisor.h - what the supervisor (supervisor.c) and its reports
 * (report.c) share: the shared region and the run's counts.
 */
#ifndef BASALT_FUZZ_SUPERVISOR_H
#define BASALT_FUZZ_SUPERVISOR_H

#include "fuzz.h"

struct fz_stats {
	uint64_t generations, exits, signaled, unexpected, wakes, kills;
	uint64_t strays, skipped, setup_failures, unkillable;
	uint64_t by_sig[65];
};

extern struct fz_shared *fz_sh;
extern struct fz_stats fz_st;

/* One line on standard output. */
void fz_say(const char *s);
/* Catch every signal but SIGCHLD, SIGKILL and SIGSTOP, counting them. */
void fz_catch_signals(void);
/* "fuzz: worker i generation g (pid p) how [SIG (n)]; its last calls:"
 * and the slot's ring. */
void fz_report_death(int i, const char *how, int sig);
/* The counts of the run that just ended. */
void fz_report(void);

#endif
