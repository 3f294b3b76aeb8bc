/*
 * One CPU for now (arch/smp.h): SMP bring-up replaces these.
 */
#include <arch/cpu.h>
#include <arch/smp.h>
#include <lib/printk.h>

unsigned int nr_cpus = 1;

void smp_init(void)
{
}

void smp_send_reschedule(unsigned int cpu)
{
}

void smp_call_function_many(cpumask_t mask, void (*fn)(void *), void *arg)
{
	BUG_ON(mask & ~cpumask_of(smp_processor_id()) & cpu_online_mask());
}

void smp_stop_others(void)
{
}
