/*
 * What the boot loader told us, in a loader-independent form
 * (filled by kernel/arch/x86_64/multiboot.c, used by kmain).
 */
#ifndef BASALT_ARCH_BOOT_H
#define BASALT_ARCH_BOOT_H

#include <types.h>

#define BOOT_MAX_RANGES 32

struct boot_range {
	phys_addr_t start, end;		/* [start, end) */
};

struct boot_info {
	char cmdline[256];
	struct boot_range ram[BOOT_MAX_RANGES];	/* usable RAM */
	int nram;
	phys_addr_t initrd_start, initrd_end;	/* 0, 0 if none */
	phys_addr_t max_phys;
};

/* Parse the loader's information; panics if it is not Multiboot. */
void boot_info_parse(uint32_t magic, uint32_t info_phys, struct boot_info *bi);
/* Whether the loader's memory map says [start, end) is usable RAM
 * (init/mem_init.c, once mem_init has run). */
bool boot_ram_usable(phys_addr_t start, phys_addr_t end);

#endif
