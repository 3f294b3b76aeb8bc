/*
 * Reaching the other CPUs (arch/smp.h): the reschedule, call-function
 * and stop IPIs. Starting them is smp_boot.c's.
 *
 * Call-function. Every (target, source) pair of CPUs has one request
 * slot, calls[target][source]: the source fills fn and arg, sets
 * pending, and sends the IPI; the target runs fn(arg) in its interrupt
 * handler and clears pending; the source waits until every target's
 * slot is clear. A CPU has at most one round of requests out (it waits
 * for it), so the slot is free whenever its source writes it: no lock,
 * no allocation. While waiting, with interrupts off, the source runs
 * the requests addressed to it, so two CPUs calling each other at once
 * both finish, and so does a call made with interrupts off; a CPU
 * spinning for a spinlock with interrupts off does the same
 * (smp_call_poll), so a caller holding that lock is not stuck waiting
 * for it. fn runs in interrupt context: it takes no lock and does not
 * call smp_call_function_many itself.
 *
 * Stop. smp_stop_others (from panic) sends every other CPU an NMI, which
 * comes even to a CPU spinning with interrupts off. The NMI handler
 * notes where it interrupted the CPU, so panic can print its backtrace
 * (the frames stay, since the CPU never returns), then halts for good.
 */
#include <types.h>
#include <arch/cpu.h>
#include <arch/smp.h>
#include <arch/trapframe.h>
#include <lib/printk.h>
#include <proc/sched.h>
#include "apic.h"

#define STOP_WAIT_NS	100000000ULL	/* 100 ms for the others to stop */

unsigned int nr_cpus = 1;
bool sched_aps_joined;
uint32_t cpu_apic_ids[MAX_CPUS];

struct call_slot {
	void (*fn)(void *);
	void *arg;
	int pending;			/* set by the source, cleared by the target */
};
static struct call_slot calls[MAX_CPUS][MAX_CPUS];	/* [target][source] */

void smp_send_reschedule(unsigned int cpu)
{
	if (cpu < nr_cpus && cpu != smp_processor_id())
		apic_send_ipi(cpu_apic_ids[cpu], VECTOR_RESCHEDULE);
}

/* Run the requests addressed to CPU self. Interrupts off. */
static void call_service(unsigned int self)
{
	for (unsigned int s = 0; s < MAX_CPUS; s++) {
		struct call_slot *c = &calls[self][s];

		if (!__atomic_load_n(&c->pending, __ATOMIC_ACQUIRE))
			continue;
		c->fn(c->arg);
		__atomic_store_n(&c->pending, 0, __ATOMIC_RELEASE);
	}
}

void smp_call_function_interrupt(void)
{
	call_service(smp_processor_id());
}

void smp_call_poll(void)
{
	if (nr_cpus > 1)
		call_service(smp_processor_id());
}

void smp_call_function_many(cpumask_t mask, void (*fn)(void *), void *arg)
{
	uint64_t flags = read_rflags();

	irq_disable();
	unsigned int self = smp_processor_id();
	mask &= cpu_online_mask() & ~cpumask_of(self);
	for_each_cpu_in(t, mask) {
		struct call_slot *c = &calls[t][self];

		BUG_ON(__atomic_load_n(&c->pending, __ATOMIC_ACQUIRE));
		c->fn = fn;
		c->arg = arg;
		__atomic_store_n(&c->pending, 1, __ATOMIC_RELEASE);
		apic_send_ipi(cpu_apic_ids[t], VECTOR_CALL_FUNCTION);
	}
	for_each_cpu_in(t, mask) {
		while (__atomic_load_n(&calls[t][self].pending,
				       __ATOMIC_ACQUIRE)) {
			call_service(self);
			cpu_relax();
		}
	}
	if (flags & RFLAGS_IF)
		irq_enable();
}

/* The self-test at boot: one round to every other CPU, each counts. */
static void self_test_fn(void *arg)
{
	__atomic_fetch_or((cpumask_t *)arg, cpumask_of(smp_processor_id()),
			  __ATOMIC_RELAXED);
}

void smp_self_test(void)
{
	cpumask_t ran = 0;
	cpumask_t want = cpu_online_mask() & ~cpumask_of(smp_processor_id());

	if (nr_cpus < 2)
		return;
	smp_call_function_many(cpu_online_mask(), self_test_fn, &ran);
	if (ran != want)
		panic("smp: call-function self-test: ran on %lx, not %lx",
		      (unsigned long)ran, (unsigned long)want);
}

/* Where each stopped CPU was; state 1 once it is recorded. */
static struct {
	uint64_t rip, rbp;
	bool user;
	int state;
} stopped[MAX_CPUS];
static int stop_requested;

/* This CPU's number without GS, which an NMI may find holding the
 * user's value (at the edges of syscall_entry and trap_return). */
static unsigned int cpu_number_nogs(void)
{
	uint32_t lo, hi, aux;
	uint32_t id;

	if (cpu_has_rdtscp) {
		__asm__ volatile("rdtscp" : "=a"(lo), "=d"(hi), "=c"(aux));
		return aux & 0xfff;
	}
	id = apic_id();
	for (unsigned int n = 0; n < MAX_CPUS; n++)
		if (cpu_apic_ids[n] == id)
			return n;
	return 0;
}

bool smp_nmi(const struct trapframe *tf)
{
	if (!__atomic_load_n(&stop_requested, __ATOMIC_ACQUIRE))
		return false;
	unsigned int n = cpu_number_nogs();
	stopped[n].rip = tf->rip;
	stopped[n].rbp = tf->rbp;
	stopped[n].user = trapframe_from_user(tf);
	__atomic_store_n(&stopped[n].state, 1, __ATOMIC_RELEASE);
	for (;;)
		__asm__ volatile("cli; hlt");
}

void smp_stop_others(void)
{
	unsigned int self = smp_processor_id();

	if (nr_cpus < 2)
		return;
	__atomic_store_n(&stop_requested, 1, __ATOMIC_RELEASE);
	for_each_online_cpu(n)
		if (n != self)
			apic_send_nmi(cpu_apic_ids[n]);
	uint64_t deadline = clock_monotonic_ns() + STOP_WAIT_NS;
	for_each_online_cpu(n)
		while (n != self && clock_monotonic_ns() < deadline &&
		       !__atomic_load_n(&stopped[n].state, __ATOMIC_ACQUIRE))
			cpu_relax();
}

int smp_stopped_at(unsigned int n, uint64_t *rip, uint64_t *rbp)
{
	if (!__atomic_load_n(&stopped[n].state, __ATOMIC_ACQUIRE))
		return -1;
	*rip = stopped[n].rip;
	*rbp = stopped[n].rbp;
	return stopped[n].user;
}
