/*
 * Power off, restart and the failure exit used by the test harness. On
 * QEMU's "pc" machine the ACPI PM1a control register is at port 0x604
 * (set up by SeaBIOS); writing SLP_EN with sleep type 0 powers off.
 */
#include <types.h>
#include <arch/cpu.h>
#include <arch/machine.h>

noreturn static void halt_forever(void)
{
	irq_disable();
	for (;;)
		cpu_halt();
}

noreturn void machine_power_off(void)
{
	outw(0x604, 0x2000);
	outw(0xb004, 0x2000);	/* older QEMU and Bochs */
	halt_forever();
}

noreturn void machine_restart(void)
{
	outb(0x64, 0xfe);	/* pulse the CPU reset line via the 8042 */
	halt_forever();
}

noreturn void machine_fail_exit(int code)
{
	/* isa-debug-exit: QEMU exits with status (code << 1) | 1. */
	outb(0xf4, (uint8_t)code);
	machine_power_off();
}
