/*
 * Scaling, pipe ping-pong: two independent pairs of processes. Each
 * worker forks a partner that echoes every byte back over a second pipe
 * (the ctxsw benchmark's pair), then sends a byte and waits for it to
 * come back, again and again. One unit of work is one round trip of one
 * pair. The pairs share nothing; on one CPU four processes take turns,
 * on two each pair can have a CPU, or each partner of a pair one of its
 * own, which trades switches for cross-CPU wake-ups: what the scheduler
 * chooses is what this row measures.
 */
#include "bench_scale.h"

#define ROUND_TRIPS	1000	/* per pair, per repetition */

static int to_partner[2], from_partner[2];
static pid_t partner;

/* The partner echoes every byte until its input reaches end of file. */
static void echo_loop(void)
{
	char c;

	close(to_partner[1]);
	close(from_partner[0]);
	while (read(to_partner[0], &c, 1) == 1)
		if (write(from_partner[1], &c, 1) != 1)
			_exit(1);
	_exit(0);
}

static int setup(void)
{
	if (pipe(to_partner) < 0 || pipe(from_partner) < 0)
		return -1;
	partner = fork();
	if (partner < 0)
		return -1;
	if (partner == 0)
		echo_loop();
	close(to_partner[0]);
	close(from_partner[1]);
	return 0;
}

/* The round trips, then the partner's end: it is part of the pair's work. */
static int work(long n)
{
	char c = 'x';
	int status;

	for (long i = 0; i < n; i++) {
		if (write(to_partner[1], &c, 1) != 1)
			return -1;
		if (read(from_partner[0], &c, 1) != 1)
			return -1;
	}
	close(to_partner[1]);
	if (waitpid(partner, &status, 0) != partner)
		return -1;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

static int64_t run(long n)
{
	return scale_run(n, setup, work);
}

int main(void)
{
	static const struct bench b = {
		.name = "scale_pipe", .unit = "ns/roundtrip", .run = run,
		.fixed_n = ROUND_TRIPS, .per_n = SCALE_WORKERS,
	};

	return bench_main(&b);
}
