/*
 * Per-CPU set-up: feature detection, control-register bits (SMEP, SMAP,
 * FPU/SSE), the per-CPU area reached through GS, and nestable interrupt
 * disabling.
 */
#include <types.h>
#include <arch/cpu.h>
#include <arch/smp.h>
#include <arch/vdso_data.h>
#include <arch/x86_64/desc.h>
#include <lib/printk.h>
#include <lib/string.h>

bool cpu_has_smap, cpu_has_smep, cpu_has_nx, cpu_has_rdrand;
bool cpu_has_rdtscp, cpu_has_rdpid;

/* Every CPU's per-CPU area; GS base points at its own. */
static struct cpu cpu_areas[MAX_CPUS];

struct cpu *cpu_area(unsigned int n)
{
	return &cpu_areas[n];
}

unsigned int smp_processor_id(void)
{
	return this_cpu()->id;
}

/* FPU/SSE state of a fresh process: fninit defaults, MXCSR 0x1f80. */
uint8_t fpu_initial_state[512] __attribute__((aligned(16)));

static void cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	__asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
			 : "a"(leaf), "c"(sub));
}

static uint64_t read_cr0(void)
{
	uint64_t v;
	__asm__ volatile("mov %%cr0, %0" : "=r"(v));
	return v;
}

static uint64_t read_cr4(void)
{
	uint64_t v;
	__asm__ volatile("mov %%cr4, %0" : "=r"(v));
	return v;
}

static void write_cr0(uint64_t v) { __asm__ volatile("mov %0, %%cr0" :: "r"(v)); }
static void write_cr4(uint64_t v) { __asm__ volatile("mov %0, %%cr4" :: "r"(v)); }

static void cpu_detect(void)
{
	uint32_t r[4];

	cpuid(1, 0, r);
	cpu_has_rdrand = r[2] & (1 << 30);
	cpuid(7, 0, r);
	cpu_has_smep = r[1] & (1 << 7);
	cpu_has_smap = r[1] & (1 << 20);
	cpu_has_rdpid = r[2] & (1 << 22);
	cpuid(0x80000001, 0, r);
	cpu_has_nx = r[3] & (1 << 20);
	cpu_has_rdtscp = r[3] & (1 << 27);
}

void cpu_set_tsc_aux(unsigned int cpu)
{
	const unsigned int node = 0;	/* one memory node */

	if (cpu_has_rdtscp || cpu_has_rdpid)
		wrmsr(MSR_TSC_AUX, (node << 12) | (cpu & 0xfff));
}

uint64_t cpu_vdso_getcpu_mode(void)
{
	return cpu_has_rdpid ? VDSO_GETCPU_RDPID :
	       cpu_has_rdtscp ? VDSO_GETCPU_RDTSCP : VDSO_GETCPU_SYSCALL;
}

/*
 * The initial APIC id, what /proc/cpuinfo calls apicid: CPUID leaf 0xb's
 * 32-bit x2APIC id where the leaf exists, else leaf 1's 8-bit one. Read
 * on the CPU itself, so each CPU's cpu_init finds its own.
 */
static uint32_t cpu_read_apic_id(void)
{
	uint32_t r[4];

	cpuid(0, 0, r);
	if (r[0] >= 0xb) {
		cpuid(0xb, 0, r);
		if (r[1] != 0)		/* EBX 0: the leaf is not implemented */
			return r[3];
	}
	cpuid(1, 0, r);
	return r[1] >> 24;
}

/*
 * The kernel itself never uses the FPU (it is built without SSE), so
 * user FPU state only needs saving at task switches: enable SSE
 * (OSFXSR/OSXMMEXCPT) but not XSAVE, which keeps AVX state out of the
 * picture (CPUID then reports OSXSAVE=0 and libc does not use AVX).
 */
static void fpu_enable(void)
{
	uint32_t mxcsr = 0x1f80;

	write_cr0((read_cr0() & ~(1UL << 2)) | (1UL << 1) | (1UL << 5));
	write_cr4(read_cr4() | (1UL << 9) | (1UL << 10));
	__asm__ volatile("fninit; ldmxcsr %0" :: "m"(mxcsr));
}

void fpu_init(void)
{
	fpu_enable();
	__asm__ volatile("fxsave %0" : "=m"(fpu_initial_state));
}

/*
 * What every CPU sets for itself: SMEP/SMAP, GS base at its per-CPU
 * area, and TSC_AUX = its number, which RDTSCP and RDPID return (Linux's
 * getcpu encoding, node << 12 | cpu, with node 0), so user code and the
 * NMI handler (smp.c) can tell which CPU they are on without GS.
 */
static void cpu_setup(unsigned int n)
{
	uint64_t cr4 = read_cr4();
	if (cpu_has_smep)
		cr4 |= 1UL << 20;
	if (cpu_has_smap)
		cr4 |= 1UL << 21;
	write_cr4(cr4);

	struct cpu *c = &cpu_areas[n];

	c->self = c;
	c->id = n;
	c->apic_id = cpu_read_apic_id();
	wrmsr(MSR_GS_BASE, (uint64_t)c);
	wrmsr(MSR_KERNEL_GS_BASE, 0);
	cpu_set_tsc_aux(n);
}

void cpu_init(void)
{
	cpu_detect();
	cpu_setup(0);
	fpu_init();
}

/* The features CPU 0 found hold for all: QEMU's CPUs are identical. */
void cpu_init_ap(unsigned int n)
{
	cpu_setup(n);
	fpu_enable();
}

void irq_save(void)
{
	bool on = irq_enabled();
	struct cpu *c;

	irq_disable();
	c = this_cpu();
	if (c->irq_depth++ == 0)
		c->irq_was_on = on;
}

void irq_restore(void)
{
	struct cpu *c = this_cpu();

	if (irq_enabled() || c->irq_depth < 1)
		panic("irq_restore: unbalanced");
	if (--c->irq_depth == 0 && c->irq_was_on)
		irq_enable();
}

void user_access_begin(void)
{
	if (cpu_has_smap)
		__asm__ volatile("stac" ::: "memory");
}

void user_access_end(void)
{
	if (cpu_has_smap)
		__asm__ volatile("clac" ::: "memory");
}

void user_access_assert_closed(const char *where)
{
	if (cpu_has_smap && (read_rflags() & RFLAGS_AC))
		panic("%s: EFLAGS.AC is set, SMAP is off", where);
}
