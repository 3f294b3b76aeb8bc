/*
 * kmain: the order in which Basalt comes up. Each step needs only the
 * ones before it: the CPU and console first, then memory, then
 * interrupts and time, then files, and finally the first process.
 */
#include <arch/boot.h>
#include <arch/cpu.h>
#include <arch/paging.h>
#include <arch/smp.h>
#include <arch/x86_64/desc.h>
#include <drivers/console.h>
#include <fs/fs.h>
#include <ipc/ipc.h>
#include <lib/parse.h>
#include <lib/printk.h>
#include <lib/random.h>
#include <lib/string.h>
#include <mm/fault_inject.h>
#include <mm/page.h>
#include <proc/futex.h>
#include <proc/sched.h>
#include <proc/task.h>
#include <sync/lockdep.h>
#include <syscall/syscall.h>

void mem_init(const struct boot_info *bi);
void mem_release_initrd(const struct boot_info *bi);
void uart_enable_rx(void);
void vdso_init(void);

static struct boot_info boot_info;
static const char *init_path = "/init";
/* As in Linux, other words become init's arguments (plain words) or
 * environment (NAME=VALUE). */
static const char *init_argv[16] = { "/init" };
static const char *init_envp[16] = { "HOME=/", "TERM=linux" };
static int init_argc = 1, init_envc = 2;

static void cmdline_pass_to_init(const char *word)
{
	if (strchr(word, '=')) {
		if (init_envc < (int)ARRAY_SIZE(init_envp) - 1)
			init_envp[init_envc++] = word;
	} else if (init_argc < (int)ARRAY_SIZE(init_argv) - 1) {
		init_argv[init_argc++] = word;
	}
}

static void cmdline_maxcpus(const char *value)
{
	long n;

	if (parse_long(value, strlen(value), &n) || n < 1)
		pr_warn("maxcpus=%s: not a number of CPUs, ignored", value);
	else
		smp_set_max_cpus(n > MAX_CPUS ? MAX_CPUS : (unsigned int)n);
}

/*
 * Kernel command line: "init=PATH loglevel=N strace clocksource=tsc|hpet
 * fault_inject maxcpus=N nosmp", the rest for init.
 */
static void parse_cmdline(char *cmdline)
{
	char *p = cmdline;

	while (*p) {
		while (*p == ' ')
			p++;
		char *word = p;
		while (*p && *p != ' ')
			p++;
		if (*p)
			*p++ = '\0';
		if (!strncmp(word, "init=", 5))
			init_path = word + 5;
		else if (!strncmp(word, "loglevel=", 9))
			printk_level = word[9] - '0';
		else if (!strcmp(word, "strace"))
			syscall_trace = true;
		else if (!strncmp(word, "clocksource=", 12))
			timer_set_clocksource(word + 12);
		else if (!strcmp(word, "fault_inject"))
			fault_inject_enabled = true;
		else if (!strncmp(word, "maxcpus=", 8))
			cmdline_maxcpus(word + 8);
		else if (!strcmp(word, "nosmp"))
			smp_set_max_cpus(1);
		else if (!strcmp(word, "lockdep"))
			lockdep_enable();
		else if (*word)
			cmdline_pass_to_init(word);
	}
	init_argv[0] = init_path;
}

static void unpack_initramfs(void)
{
	struct boot_info *bi = &boot_info;

	if (!bi->initrd_start) {
		pr_warn("no initramfs given");
		return;
	}
	size_t len = bi->initrd_end - bi->initrd_start;
	int err = initramfs_unpack(phys_to_virt(bi->initrd_start), len);
	if (err)
		panic("initramfs: unpacking failed (%d)", err);
	pr_info("initramfs: %lu KiB unpacked", (unsigned long)(len >> 10));
	mem_release_initrd(bi);
}

void kmain(uint32_t magic, uint32_t info)
{
	uart_init();
	cpu_init();
	gdt_init();
	idt_init();
	boot_info_parse(magic, info, &boot_info);
	pr_info("Basalt booting, command line \"%s\"", boot_info.cmdline);
	parse_cmdline(boot_info.cmdline);
	if (lockdep_on)
		pr_info("lockdep: lock-order checking on");
	mem_init(&boot_info);
	paging_init();
	proc_init();
	pic_init();
	apic_init();
	timer_init();
	rtc_init();
	syscall_init();
	smp_init();
	random_init();
	vdso_init();
	ipc_init();
	futex_init();
	vfs_init();
	unpack_initramfs();
	uart_enable_rx();
	proc_start_init(init_argv, init_envp);
}
