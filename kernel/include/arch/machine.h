/* Whole-machine control (kernel/arch/x86_64/machine.c). */
#ifndef BASALT_ARCH_MACHINE_H
#define BASALT_ARCH_MACHINE_H

#include <types.h>

noreturn void machine_power_off(void);
noreturn void machine_restart(void);
/* Leave QEMU with a failure status (isa-debug-exit), used after a panic. */
noreturn void machine_fail_exit(int code);

#endif
