/*
 * Reading the Multiboot (version 1) information structure: the command
 * line, the BIOS memory map and the first module, which is the initramfs.
 */
#include <arch/boot.h>
#include <lib/printk.h>
#include <lib/string.h>
#include <mm/page.h>

#define MB_BOOTLOADER_MAGIC 0x2badb002
#define MBI_MEM 0x001
#define MBI_CMDLINE 0x004
#define MBI_MODS 0x008
#define MBI_MMAP 0x040

struct mb_info {
	uint32_t flags;
	uint32_t mem_lower, mem_upper;
	uint32_t boot_device;
	uint32_t cmdline;
	uint32_t mods_count, mods_addr;
	uint32_t syms[4];
	uint32_t mmap_length, mmap_addr;
} __packed;

struct mb_mmap_entry {
	uint32_t size;		/* of the rest of the entry */
	uint64_t addr, len;
	uint32_t type;		/* 1 = usable RAM */
} __packed;

struct mb_module {
	uint32_t start, end, cmdline, reserved;
} __packed;

static void parse_mmap(const struct mb_info *mbi, struct boot_info *bi)
{
	uint64_t p = mbi->mmap_addr, end = p + mbi->mmap_length;

	while (p < end && bi->nram < BOOT_MAX_RANGES) {
		const struct mb_mmap_entry *e = phys_to_virt(p);
		if (e->type == 1 && e->len) {
			bi->ram[bi->nram].start = e->addr;
			bi->ram[bi->nram].end = e->addr + e->len;
			if (e->addr + e->len > bi->max_phys)
				bi->max_phys = e->addr + e->len;
			bi->nram++;
		}
		p += e->size + 4;
	}
}

void boot_info_parse(uint32_t magic, uint32_t info_phys, struct boot_info *bi)
{
	const struct mb_info *mbi = phys_to_virt(info_phys);

	memset(bi, 0, sizeof(*bi));
	if (magic != MB_BOOTLOADER_MAGIC)
		panic("not booted by a Multiboot loader (magic %x)", magic);
	if (mbi->flags & MBI_CMDLINE) {
		/* Loaders put the kernel's own file name first: skip it. */
		const char *c = phys_to_virt(mbi->cmdline);
		while (*c && *c != ' ')
			c++;
		while (*c == ' ')
			c++;
		strlcpy(bi->cmdline, c, sizeof(bi->cmdline));
	}
	if (!(mbi->flags & MBI_MMAP))
		panic("boot loader gave no memory map");
	parse_mmap(mbi, bi);
	if ((mbi->flags & MBI_MODS) && mbi->mods_count > 0) {
		const struct mb_module *m = phys_to_virt(mbi->mods_addr);
		bi->initrd_start = m->start;
		bi->initrd_end = m->end;
	}
}
