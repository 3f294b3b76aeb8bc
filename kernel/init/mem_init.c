/*
 * Handing physical memory to the page allocator at boot: place the
 * struct page array in RAM, then give the allocator every usable frame
 * except those already in use (low memory, the kernel image, the
 * initramfs, the array itself). Memory above 4 GiB is ignored for now:
 * the boot page tables map only the first 4 GiB.
 */
#include <arch/boot.h>
#include <lib/printk.h>
#include <lib/string.h>
#include <mm/page.h>

#define DIRECT_MAP_LIMIT (4UL << 30)

extern char _kernel_end[];

static const struct boot_info *boot_mem;	/* the map mem_init was given */

bool boot_ram_usable(phys_addr_t start, phys_addr_t end)
{
	if (!boot_mem)
		return false;
	for (int i = 0; i < boot_mem->nram; i++)
		if (boot_mem->ram[i].start <= start && end <= boot_mem->ram[i].end)
			return true;
	return false;
}

struct hole {
	phys_addr_t start, end;
};

/* Add [start, end) minus the holes (sorted by start) to the allocator. */
static void add_ram(phys_addr_t start, phys_addr_t end,
		    const struct hole *holes, int nholes)
{
	for (int i = 0; i < nholes && start < end; i++) {
		if (holes[i].end <= start || holes[i].start >= end)
			continue;
		if (holes[i].start > start)
			add_ram(start, holes[i].start, holes + i + 1,
				nholes - i - 1);
		start = MAX(start, holes[i].end);
	}
	start = ALIGN_UP(start, PAGE_SIZE);
	end = ALIGN_DOWN(end, PAGE_SIZE);
	if (start < end)
		page_alloc_add_range(start >> PAGE_SHIFT, end >> PAGE_SHIFT);
}

/* Find room for size bytes in RAM above every hole; 0 if none. */
static phys_addr_t find_room(const struct boot_info *bi, uint64_t size,
			     phys_addr_t above)
{
	for (int i = 0; i < bi->nram; i++) {
		phys_addr_t s = ALIGN_UP(MAX(bi->ram[i].start, above), PAGE_SIZE);
		phys_addr_t e = MIN(bi->ram[i].end, DIRECT_MAP_LIMIT);
		if (s < e && e - s >= size)
			return s;
	}
	return 0;
}

#define HUGE_2M	0x200000UL

void mem_init(const struct boot_info *bi)
{
	phys_addr_t kernel_end = (phys_addr_t)_kernel_end - KERNEL_BASE;
	phys_addr_t top = MIN(bi->max_phys, DIRECT_MAP_LIMIT);
	uint64_t nframes = top >> PAGE_SHIFT;
	uint64_t array_size = ALIGN_UP(nframes * sizeof(struct page), PAGE_SIZE);
	phys_addr_t above = MAX(kernel_end, ALIGN_UP(bi->initrd_end, PAGE_SIZE));
	phys_addr_t array = find_room(bi, array_size, above);

	if (!array)
		panic("no room for the page array (%lu bytes)",
		      (unsigned long)array_size);
	struct page *pages = phys_to_virt(array);
	boot_mem = bi;
	page_alloc_init(pages, nframes);

	struct hole holes[] = {
		{ 0, 0x100000 },			/* BIOS, boot data */
		/*
		 * The kernel image, and the rest of the 2 MiB pages it lies
		 * in: under QEMU's TCG, kernel objects placed in a 2 MiB page
		 * of the kernel's own code run at half speed (measured:
		 * read(2) of /dev/null 960 ns there, 520 ns elsewhere), and
		 * the allocator would hand that tail out first. Less than
		 * 2 MiB is kept back.
		 */
		{ 0x100000, ALIGN_UP(kernel_end, HUGE_2M) },
		{ bi->initrd_start, bi->initrd_end },
		{ array, array + array_size },
	};
	/* The holes above are sorted as long as the initrd follows the kernel. */
	for (int i = 0; i < bi->nram; i++)
		add_ram(bi->ram[i].start, MIN(bi->ram[i].end, top), holes,
			ARRAY_SIZE(holes));
	page_alloc_init_reserve();
	page_pcp_init();
	pr_info("memory: %lu MiB usable, %lu frames free",
		(unsigned long)(page_count_total() >> 8),
		(unsigned long)page_count_free());
}

/* After unpacking, the initramfs frames become ordinary free memory. */
void mem_release_initrd(const struct boot_info *bi)
{
	phys_addr_t s = ALIGN_UP(bi->initrd_start, PAGE_SIZE);
	phys_addr_t e = ALIGN_DOWN(bi->initrd_end, PAGE_SIZE);

	if (s < e)
		page_alloc_add_range(s >> PAGE_SHIFT, e >> PAGE_SHIFT);
}
