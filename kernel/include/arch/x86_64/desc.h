/* x86-64 descriptor tables and CPU set-up, private to arch code. */
#ifndef BASALT_ARCH_X86_64_DESC_H
#define BASALT_ARCH_X86_64_DESC_H

#include <types.h>

struct trapframe;

/* This CPU's GDT and TSS (per CPU; this_cpu()->id must be set). */
void gdt_init(void);
void tss_set_kernel_stack(uint64_t top);
void idt_init(void);
void idt_load(void);		/* an AP: the IDT idt_init built */
void syscall_init(void);
void cpu_init(void);		/* CPU 0 */
void cpu_init_ap(unsigned int n);	/* application processor n */
void fpu_init(void);
void pic_init(void);
void pic_unmask(int irq);
void pic_eoi(int irq);
void pic_mask_all(void);
/* The interrupt controllers: the APICs when the firmware describes them
 * (apic.c), else the 8259s alone. After pic_init. */
void apic_init(void);
/* An ISA IRQ line, whichever controller carries it (idt.c); name is
 * what /proc/interrupts calls its user. */
void irq_unmask(int irq, const char *name);
/* maxcpus=N and nosmp (N = 1) on the command line, before smp_init. */
void smp_set_max_cpus(unsigned int n);
void timer_init(void);
/* clocksource=NAME on the command line (tsc or hpet); before timer_init. */
void timer_set_clocksource(const char *name);
void timer_irq(const struct trapframe *tf);	/* the PIT's IRQ 0 */
void timer_tick(const struct trapframe *tf);	/* each CPU's tick */
void rtc_init(void);

void handle_page_fault(struct trapframe *tf);
void handle_exception(struct trapframe *tf);

/* A warning (printk) with the backtrace of tf's kernel context. */
__attribute__((format(printf, 2, 3)))
void warn_trap(const struct trapframe *tf, const char *fmt, ...);

/* Exception-table lookup: the fixup address for a faulting RIP, or 0. */
uint64_t extable_fixup(uint64_t rip);

#endif
