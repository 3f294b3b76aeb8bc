/*
 * The panic screen. When the kernel cannot go on it prints, on the serial
 * line and on a blue VGA screen: what happened, the exception with its
 * vector and error code, every general register, the control registers
 * and a backtrace with function names from the embedded symbol table.
 * Then it stops the machine; under QEMU it exits with a failure status so
 * the test harness notices. With several CPUs, the first thing a panic
 * does is stop the others (smp_stop_others, an NMI each); its report
 * ends with a backtrace of each of them, "CPU n:", where the NMI found it. warn_trap() prints the same backtrace for a
 * problem the kernel survives, through printk.
 */
#include <types.h>
#include <arch/cpu.h>
#include <arch/machine.h>
#include <arch/smp.h>
#include <arch/trapframe.h>
#include <drivers/console.h>
#include <drivers/vga.h>
#include <lib/ksyms.h>
#include <lib/printk.h>
#include <mm/layout.h>
#include <proc/task.h>
#include "apic.h"

static const char *const exception_names[32] = {
	"Divide Error", "Debug", "NMI", "Breakpoint", "Overflow",
	"BOUND Range Exceeded", "Invalid Opcode", "Device Not Available",
	"Double Fault", "Coprocessor Segment Overrun", "Invalid TSS",
	"Segment Not Present", "Stack-Segment Fault", "General Protection",
	"Page Fault", "Reserved", "x87 Floating-Point", "Alignment Check",
	"Machine Check", "SIMD Floating-Point", "Virtualization",
	"Control Protection",
};

static int panicking_cpu = -1;		/* the CPU that panics first */

static void out(const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(buf) - 1)
		n = sizeof(buf) - 1;
	for (int i = 0; i < n; i++) {
		if (buf[i] == '\n')
			uart_putc('\r');
		uart_putc(buf[i]);
		vga_putc(buf[i]);
	}
}

/* The same through printk, for warnings: the kernel goes on. */
static void warn_out(const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	pr_warn("%s", buf);
}

typedef void (*out_fn)(const char *fmt, ...);

static void print_symbol(out_fn print, uint64_t addr)
{
	uint64_t off;
	const char *name = ksyms_lookup(addr, &off);

	if (name)
		print("  [<%016lx>] %s+0x%lx\n", (unsigned long)addr, name,
		      (unsigned long)off);
	else
		print("  [<%016lx>] ?\n", (unsigned long)addr);
}

/* Walk the frame-pointer chain; stop at anything outside the kernel. */
static void backtrace_to(out_fn print, uint64_t rip, uint64_t rbp)
{
	print("Backtrace:\n");
	print_symbol(print, rip);
	for (int depth = 0; depth < 16; depth++) {
		if (rbp < KERNEL_BASE && rbp < DIRECT_MAP_BASE)
			break;
		if (rbp & 7)
			break;
		uint64_t ret = ((uint64_t *)rbp)[1];
		if (ret < KERNEL_BASE)
			break;
		print_symbol(print, ret);
		rbp = ((uint64_t *)rbp)[0];
	}
}

static void backtrace(uint64_t rip, uint64_t rbp)
{
	backtrace_to(out, rip, rbp);
}

void warn_trap(const struct trapframe *tf, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	pr_warn("WARNING: %s", msg);
	if (!trapframe_from_user(tf))
		backtrace_to(warn_out, tf->rip, tf->rbp);
}

/*
 * One CPU reports. A panic while panicking on the same CPU just stops
 * the machine; another CPU that panics meanwhile halts and is reported
 * by the first (where its NMI found it: in its panic).
 */
static void panic_begin(void)
{
	int me, first = -1;

	irq_disable();
	me = (int)smp_processor_id();
	if (!__atomic_compare_exchange_n(&panicking_cpu, &first, me, false,
					 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
		if (first == me)
			machine_fail_exit(0x11);
		for (;;)
			cpu_halt();
	}
	smp_stop_others();
	vga_clear(VGA_WHITE_ON_BLUE);
	out("\n*** KERNEL PANIC ***\n");
	struct task *t = current;
	if (nr_cpus > 1)
		out("CPU %d of %u\n", me, nr_cpus);
	if (t)
		out("task: %s (pid %d)\n", t->comm, t->tid);
}

static void backtrace(uint64_t rip, uint64_t rbp);

/* The other CPUs, as smp_stop_others left them. */
static void report_other_cpus(void)
{
	uint64_t rip, rbp;

	for_each_online_cpu(n) {
		if ((int)n == panicking_cpu)
			continue;
		int where = smp_stopped_at(n, &rip, &rbp);
		if (where < 0)
			out("CPU %u: did not stop\n", n);
		else if (where > 0)
			out("CPU %u: in user mode at %016lx\n", n,
			    (unsigned long)rip);
		else {
			out("CPU %u:\n", n);
			backtrace(rip, rbp);
		}
	}
}

static noreturn void panic_end(void)
{
	report_other_cpus();
	out("*** system halted ***\n");
	machine_fail_exit(0x10);
}

static void print_control_regs(uint64_t cr2)
{
	uint64_t cr0, cr4;

	__asm__ volatile("mov %%cr0, %0; mov %%cr4, %1" : "=r"(cr0), "=r"(cr4));
	out("CR0=%016lx CR2=%016lx CR3=%016lx CR4=%016lx\n",
	    (unsigned long)cr0, (unsigned long)cr2,
	    (unsigned long)read_cr3(), (unsigned long)cr4);
}

void panic_trap(struct trapframe *tf, uint64_t cr2)
{
	panic_begin();
	const char *name = tf->vector < 32 ? exception_names[tf->vector] : NULL;
	out("Exception %lu (%s), error code 0x%lx\n", (unsigned long)tf->vector,
	    name ? name : "?", (unsigned long)tf->error);
	out("RIP=%016lx RSP=%016lx RFLAGS=%016lx\n", (unsigned long)tf->rip,
	    (unsigned long)tf->rsp, (unsigned long)tf->rflags);
	out("CS=%04lx SS=%04lx\n", (unsigned long)tf->cs, (unsigned long)tf->ss);
	out("RAX=%016lx RBX=%016lx RCX=%016lx\n", tf->rax, tf->rbx, tf->rcx);
	out("RDX=%016lx RSI=%016lx RDI=%016lx\n", tf->rdx, tf->rsi, tf->rdi);
	out("RBP=%016lx R8 =%016lx R9 =%016lx\n", tf->rbp, tf->r8, tf->r9);
	out("R10=%016lx R11=%016lx R12=%016lx\n", tf->r10, tf->r11, tf->r12);
	out("R13=%016lx R14=%016lx R15=%016lx\n", tf->r13, tf->r14, tf->r15);
	print_control_regs(cr2);
	backtrace(tf->rip, tf->rbp);
	panic_end();
}

void panic(const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	panic_begin();
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	out("%s\n", msg);
	print_control_regs(read_cr2());
	backtrace((uint64_t)__builtin_return_address(0),
		  *(uint64_t *)__builtin_frame_address(0));
	panic_end();
}
