/*
 * report.c - what the supervisor prints: a worker's last calls, the
 * signals that reached the supervisor itself, the mount-table changes,
 * per-call counts (stats=1) and the closing counts of a run.
 */
#define _GNU_SOURCE
#include "supervisor.h"
#include "sys.h"

#include <signal.h>
#include <string.h>

/*
 * The supervisor takes no signal but SIGCHLD: every other catchable one
 * is caught (raw rt_sigaction: glibc's refuses 32 and 33) and counted.
 * A signal here means a worker reached the supervisor, which the fixups
 * are meant to prevent: fcntl(F_SETOWN) may name any pid, but anything
 * else is worth a look, so the last sender is reported.
 */
static volatile int sup_signals, sup_last_sig, sup_last_pid, sup_last_code;

static void sup_handler(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	sup_signals++;
	sup_last_sig = sig;
	sup_last_pid = si ? si->si_pid : 0;
	sup_last_code = si ? si->si_code : 0;
}

void fz_catch_signals(void)
{
	uint64_t act[4] = { (uint64_t)(uintptr_t)sup_handler,
			    0x04000000 | 0x10000000 | 0x4, /* RESTORER,
							      RESTART, SIGINFO */
			    (uint64_t)(uintptr_t)fz_restorer, ~0ULL };

	for (int sig = 1; sig <= 64; sig++)
		if (sig != SIGKILL && sig != SIGSTOP && sig != SIGCHLD)
			fz_sys(13, sig, act, 0, 8);
}

static void report_signals(void)
{
	struct fz_line l = { .len = 0 };

	if (!sup_signals)
		return;
	fz_put_str(&l, "fuzz: the supervisor was sent ");
	fz_put_dec(&l, sup_signals);
	fz_put_str(&l, " signals; the last ");
	fz_put_str(&l, fz_sig_name(sup_last_sig));
	fz_put_str(&l, " (");
	fz_put_dec(&l, sup_last_sig);
	fz_put_str(&l, ") from pid ");
	fz_put_dec(&l, sup_last_pid);
	fz_put_str(&l, ", si_code ");
	fz_put_dec(&l, sup_last_code);
	fz_emit(&l, 1);
	sup_signals = 0;
}

void fz_say(const char *s)
{
	struct fz_line l = { .len = 0 };

	fz_put_str(&l, s);
	fz_emit(&l, 1);
}

static void print_ring(const struct fz_slot *slot)
{
	uint64_t next = slot->ring_next;
	uint64_t first = next > FZ_RING ? next - FZ_RING : 0;

	for (uint64_t i = first; i < next; i++) {
		struct fz_line l = { .len = 0 };

		fz_put_str(&l, "    ");
		fz_put_record(&l, &slot->ring[i % FZ_RING]);
		fz_emit(&l, 1);
	}
}

void fz_report_death(int i, const char *how, int sig)
{
	const struct fz_slot *slot = &fz_sh->slot[i];
	struct fz_line l = { .len = 0 };

	fz_put_str(&l, "fuzz: worker ");
	fz_put_dec(&l, i);
	fz_put_str(&l, " generation ");
	fz_put_dec(&l, slot->generation);
	fz_put_str(&l, " (pid ");
	fz_put_dec(&l, slot->pid);
	fz_put_str(&l, ") ");
	fz_put_str(&l, how);
	if (sig) {
		fz_put_str(&l, " ");
		fz_put_str(&l, fz_sig_name(sig));
		fz_put_str(&l, " (");
		fz_put_dec(&l, sig);
		fz_put_str(&l, ")");
	}
	fz_put_str(&l, "; its last calls:");
	fz_emit(&l, 1);
	print_ring(slot);
}

void fz_print_mount_log(void)
{
	uint64_t next = fz_sh->mount_events;
	uint64_t first = next > FZ_MOUNT_LOG ? next - FZ_MOUNT_LOG : 0;

	fz_say("fuzz: the run's last successful mount and umount2 calls:");
	for (uint64_t i = first; i < next; i++) {
		const struct fz_mount_event *e = &fz_sh->mount_log[i % FZ_MOUNT_LOG];
		struct fz_line l = { .len = 0 };

		fz_put_str(&l, "    w");
		fz_put_dec(&l, e->worker);
		fz_put_str(&l, ".");
		fz_put_dec(&l, e->generation);
		fz_put_str(&l, " ");
		fz_put_record(&l, &e->rec);
		fz_put_str(&l, e->text);
		fz_emit(&l, 1);
	}
}

/* stats=1: each call's count of successes out of calls made. */
static void report_calls(void)
{
	struct fz_line l = { .len = 0 };

	for (int i = 0; i < fz_ncalls; i++) {
		int nr = fz_calls[i].nr;

		if (nr < 0 || nr >= FZ_NR_MAX)
			continue;
		if (l.len > 400)
			fz_emit(&l, 1);
		if (!l.len)
			fz_put_str(&l, "fuzz: ok/made:");
		fz_put_str(&l, " ");
		fz_put_str(&l, fz_calls[i].name);
		fz_put_str(&l, "=");
		fz_put_dec(&l, fz_sh->nr_ok[nr]);
		fz_put_str(&l, "/");
		fz_put_dec(&l, fz_sh->nr_issued[nr]);
	}
	if (l.len)
		fz_emit(&l, 1);
}

static void put_stat(struct fz_line *l, const char *name, uint64_t v)
{
	fz_put_str(l, " ");
	fz_put_str(l, name);
	fz_put_str(l, "=");
	fz_put_dec(l, (int64_t)v);
}

void fz_report(void)
{
	struct fz_line l = { .len = 0 };

	fz_put_str(&l, "fuzz: calls=");
	fz_put_dec(&l, (int64_t)(fz_sh->issued < fz_sh->budget ? fz_sh->issued :
						      fz_sh->budget));
	put_stat(&l, "skipped", fz_st.skipped);
	put_stat(&l, "workers", fz_st.generations);
	put_stat(&l, "exits", fz_st.exits);
	put_stat(&l, "signaled", fz_st.signaled);
	put_stat(&l, "unexpected", fz_st.unexpected);
	put_stat(&l, "wakes", fz_st.wakes);
	put_stat(&l, "watchdog-kills", fz_st.kills);
	put_stat(&l, "strays", fz_st.strays);
	put_stat(&l, "mount-changes", fz_sh->mount_events);
	fz_emit(&l, 1);
	fz_put_str(&l, "fuzz: deaths by signal:");
	for (int s = 1; s <= 64; s++) {
		uint64_t n = fz_st.by_sig[s];

		if (s == 32)	/* the real-time ones, together */
			for (int r = 33; r <= 64; r++)
				n += fz_st.by_sig[r];
		if (!n || s > 32)
			continue;
		fz_put_str(&l, " ");
		fz_put_str(&l, s == 32 ? "SIGRT*" : fz_sig_name(s) + 3);
		fz_put_str(&l, "=");
		fz_put_dec(&l, (int64_t)n);
	}
	fz_emit(&l, 1);
	report_signals();
	if (fz_sh->stats)
		report_calls();
	if (fz_st.setup_failures)
		fz_say("fuzz: FAIL: a worker could not set itself up, again and"
		    " again");
	if (fz_st.unkillable)
		fz_say("fuzz: FAIL: a worker survived SIGKILL");
}
