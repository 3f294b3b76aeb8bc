/*
 * The CPU as the rest of the kernel sees it: interrupt flag control,
 * control registers, MSRs and the per-CPU area reached through GS.
 * Everything here is x86-64 specific; portable code uses only the
 * inline functions and struct cpu fields named "portable".
 */
#ifndef BASALT_ARCH_CPU_H
#define BASALT_ARCH_CPU_H

#include <types.h>

struct task;

/* Per-CPU area. GS base points here while in the kernel. */
/* The local interrupts /proc/interrupts counts per CPU, as Linux names
 * them: NMI, LOC (the tick), SPU (spurious), RES (reschedule IPIs), CAL
 * (call-function IPIs), TLB (shoot-downs served for another CPU). */
enum irq_stat {
	IRQ_STAT_NMI, IRQ_STAT_LOC, IRQ_STAT_SPU, IRQ_STAT_RES,
	IRQ_STAT_CAL, IRQ_STAT_TLB, IRQ_STAT_NR
};

struct cpu {
	struct cpu *self;		/* %gs:0, so this_cpu() is one load */
	uint64_t kernel_rsp;		/* %gs:8, top of current kernel stack */
	uint64_t user_rsp;		/* %gs:16, scratch for syscall entry */
	struct task *running;		/* %gs:24, portable: `current` */
	unsigned int id;		/* portable: 0 .. nr_cpus-1 */
	int irq_depth;			/* nested irq_save() count */
	bool irq_was_on;		/* IF before the outermost irq_save() */
	struct task *idle;		/* this CPU's idle task */
	struct task *prev;		/* the task switched away from last */
	uint32_t apic_id;		/* portable: its local APIC's id, read
					 * by the CPU itself in cpu_init */
	/* Ticks that found a task other than the idle one running here,
	 * in user mode or in the kernel: /proc/stat's user/system split of
	 * this CPU's busy time (proc/cputime.c). Written only by this CPU
	 * (its tick), read by any with relaxed atomic loads. portable */
	uint64_t user_ticks, system_ticks;
	/* Interrupts taken here, for /proc/interrupts and /proc/stat
	 * (arch/x86_64/irq_stat.c): per ISA line and per kind of local
	 * interrupt. Written only by this CPU with interrupts off, read by
	 * any with relaxed atomic loads. */
	uint64_t irq_lines[16];
	uint64_t irq_stats[IRQ_STAT_NR];
};

static inline struct cpu *this_cpu(void)
{
	struct cpu *c;
	__asm__ volatile("mov %%gs:0, %0" : "=r"(c));
	return c;
}

static inline struct task *current_task(void)
{
	struct task *t;
	__asm__ volatile("mov %%gs:24, %0" : "=r"(t));
	return t;
}
#define current current_task()

static inline void irq_enable(void) { __asm__ volatile("sti" ::: "memory"); }
static inline void irq_disable(void) { __asm__ volatile("cli" ::: "memory"); }

#define RFLAGS_IF (1UL << 9)
#define RFLAGS_AC (1UL << 18)	/* alignment check; lifts SMAP in the kernel */

static inline uint64_t read_rflags(void)
{
	uint64_t f;
	__asm__ volatile("pushfq; pop %0" : "=r"(f));
	return f;
}

static inline bool irq_enabled(void)
{
	return read_rflags() & RFLAGS_IF;
}

/*
 * Nestable interrupt disabling (xv6's push_off/pop_off): interrupts come
 * back on only when the outermost irq_restore() runs and they were on
 * before the outermost irq_save().
 */
void irq_save(void);
void irq_restore(void);

static inline void cpu_relax(void) { __asm__ volatile("pause"); }
static inline void cpu_halt(void) { __asm__ volatile("hlt"); }

static inline uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;
	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ volatile("wrmsr" :: "c"(msr), "a"((uint32_t)(v & 0xffffffff)),
			 "d"((uint32_t)(v >> 32)));
}

#define MSR_EFER		0xc0000080
#define MSR_STAR		0xc0000081
#define MSR_LSTAR		0xc0000082
#define MSR_SFMASK		0xc0000084
#define MSR_FS_BASE		0xc0000100
#define MSR_GS_BASE		0xc0000101
#define MSR_KERNEL_GS_BASE	0xc0000102
#define MSR_TSC_AUX		0xc0000103

static inline uint64_t read_cr2(void)
{
	uint64_t v;
	__asm__ volatile("mov %%cr2, %0" : "=r"(v));
	return v;
}

static inline uint64_t read_cr3(void)
{
	uint64_t v;
	__asm__ volatile("mov %%cr3, %0" : "=r"(v));
	return v;
}

static inline void write_cr3(uint64_t v)
{
	__asm__ volatile("mov %0, %%cr3" :: "r"(v) : "memory");
}

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

static inline void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" :: "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;
	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void outw(uint16_t port, uint16_t v)
{
	__asm__ volatile("outw %0, %1" :: "a"(v), "Nd"(port));
}

/* SMAP: open and close the window in which the kernel may touch user pages. */
void user_access_begin(void);
void user_access_end(void);
/*
 * Panics unless SMAP is in force (EFLAGS.AC clear): checked at every
 * kernel entry after the entry code cleared AC, and before every task
 * switch, which must never carry an open user-access window to the next
 * task. `where` names the check in the panic message.
 */
void user_access_assert_closed(const char *where);

/* Features found at boot (arch/x86_64/cpu.c). */
extern bool cpu_has_smap, cpu_has_smep, cpu_has_nx, cpu_has_rdrand;
extern bool cpu_has_rdtscp, cpu_has_rdpid;
/*
 * Put Linux's getcpu encoding, (node << 12) | cpu with node 0, in this
 * CPU's MSR_TSC_AUX, where RDTSCP and RDPID give it to user space (the
 * vDSO's getcpu, glibc's sched_getcpu). cpu_init calls it on every CPU
 * with the CPU's number; nothing happens on a CPU with neither
 * instruction.
 */
void cpu_set_tsc_aux(unsigned int cpu);
/* How user mode can read that: a VDSO_GETCPU_* (arch/vdso_data.h). */
uint64_t cpu_vdso_getcpu_mode(void);
/* Interrupts taken on each of the 16 legacy lines since boot, all CPUs
 * together, and every interrupt of any kind (arch/x86_64/irq_stat.c;
 * /proc/stat's "intr" line). */
void arch_irq_counts(uint64_t out[16]);
uint64_t arch_irq_total(void);
/* Count one interrupt of this kind on this CPU; interrupts off. */
void irq_stat_inc(enum irq_stat s);
/* /proc/interrupts's text, as snprintf: the length it needs. */
int arch_interrupts(char *buf, size_t size);
/* The TSC's rate measured at boot, in kHz (arch/x86_64/timer.c). */
uint64_t arch_tsc_khz(void);
/* /proc/cpuinfo's text for this machine, as snprintf: the length it
 * needs (arch/x86_64/cpuinfo.c). */
int arch_cpuinfo(char *buf, size_t size);

#endif
