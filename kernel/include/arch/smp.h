/*
 * Several CPUs (arch/x86_64/smp*.c, apic.c, ioapic.c). The portable
 * kernel sees CPUs as small numbers 0..nr_cpus-1, sets of them as a
 * cpumask (one bit per CPU), and three ways to reach another CPU:
 *
 * - smp_send_reschedule(cpu): the reschedule IPI. The handler does no
 *   work of its own; the interrupted task passes exit_to_user_checks or
 *   the idle loop looks at its run queue again.
 * - smp_call_function_many(mask, fn, arg): run fn(arg) on every CPU of
 *   mask but this one, in interrupt context, and return once each has
 *   finished (TLB shoot-downs use it). Called with interrupts on or
 *   off; it never waits for a lock.
 * - smp_stop_others(): the panic IPI: every other CPU prints its
 *   backtrace and halts for good.
 */
#ifndef BASALT_ARCH_SMP_H
#define BASALT_ARCH_SMP_H

#include <types.h>

#define MAX_CPUS	8

typedef uint64_t cpumask_t;	/* bit n: CPU n */

#define cpumask_of(n)		((cpumask_t)1 << (n))
#define cpumask_test(m, n)	(((m) >> (n)) & 1)
#define for_each_cpu_in(n, m) \
	for (unsigned int n = 0; n < MAX_CPUS; n++) if (cpumask_test(m, n))
#define for_each_online_cpu(n) \
	for (unsigned int n = 0; n < nr_cpus; n++)

struct cpu;

/* CPUs running, set once by smp_init (1 before it, and on a UP machine). */
extern unsigned int nr_cpus;
/* Every online CPU: cpumask of 0..nr_cpus-1. */
static inline cpumask_t cpu_online_mask(void)
{
	return nr_cpus >= 64 ? ~(cpumask_t)0 : ((cpumask_t)1 << nr_cpus) - 1;
}
/* CPU n's per-CPU area (n < nr_cpus). */
struct cpu *cpu_area(unsigned int n);
/* This CPU's number. */
unsigned int smp_processor_id(void);

/* Start the other CPUs (after the scheduler and timer are up). */
void smp_init(void);
/*
 * Whether the APs' ticks drive the scheduler (sched_tick) too. False
 * while APs only idle (the one-run-queue scheduler's tick must not see
 * them); the SMP scheduler sets it when APs join (sched_ap_start).
 */
extern bool sched_aps_joined;
/* An application processor, fully set up, joins the scheduler here
 * (proc/sched.c): it never returns. */
noreturn void sched_ap_start(void);

void smp_send_reschedule(unsigned int cpu);
void smp_call_function_many(cpumask_t mask, void (*fn)(void *), void *arg);
void smp_stop_others(void);
/* A CPU spinning with interrupts off (a spinlock's wait) runs the
 * call-function requests addressed to it: their sender may hold the
 * lock it waits for. */
void smp_call_poll(void);

#endif
