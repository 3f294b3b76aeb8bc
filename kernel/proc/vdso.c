/*
 * Mapping the vDSO (kernel/vdso/) into every new program. Two memory
 * objects are made once at boot: the image, copied from the bytes the
 * build embedded in the kernel, and one page of clock data. execve maps
 * both, read-only, just above the stack: the data page first, the image
 * right after it, where the image expects it (kernel/vdso/vdso.lds).
 *
 * The data page also says how the vDSO's getcpu finds the CPU
 * (cpu_vdso_getcpu_mode). The clock data is written once, at boot, after the TSC is calibrated
 * and the RTC read; nothing changes it later (there is no settimeofday
 * yet), so readers need no sequence counter.
 */
#include <arch/cpu.h>
#include <arch/vdso_data.h>
#include <lib/printk.h>
#include <lib/string.h>
#include <mm/layout.h>
#include <mm/page.h>
#include <mm/vm.h>
#include <mm/vm_object.h>
#include <uapi/mman.h>
#include "internal.h"

#define VVAR_ADDR	(USER_STACK_TOP + 2 * PAGE_SIZE)
#define VDSO_ADDR	(VVAR_ADDR + PAGE_SIZE)

extern const char vdso_image_start[], vdso_image_end[];
void timer_fill_vdso_data(struct vdso_data *d);

static struct vm_object *vdso_obj, *vvar_obj;	/* set once at boot */
static uint64_t vdso_len;

static struct vm_object *object_from_bytes(const char *src, uint64_t len,
					   const char *name)
{
	struct vm_object *obj = vm_object_create(ALIGN_UP(len, PAGE_SIZE));

	if (!obj)
		panic("vdso: no memory");
	vm_object_set_name(obj, name);
	for (uint64_t off = 0; off < len; off += PAGE_SIZE) {
		struct page *pg;

		if (vm_object_page(obj, off / PAGE_SIZE, VMO_ALLOC, &pg))
			panic("vdso: no memory");
		memcpy(page_to_virt(pg), src + off, MIN(PAGE_SIZE, len - off));
		page_put(pg);
	}
	return obj;
}

void vdso_init(void)
{
	struct vdso_data data = { 0 };

	vdso_len = ALIGN_UP(vdso_image_end - vdso_image_start, PAGE_SIZE);
	vdso_obj = object_from_bytes(vdso_image_start, vdso_len, "[vdso]");
	timer_fill_vdso_data(&data);
	data.getcpu_mode = cpu_vdso_getcpu_mode();
	vvar_obj = object_from_bytes((const char *)&data, sizeof(data),
				     "[vvar]");
	_Static_assert(VDSO_ADDR + 4 * PAGE_SIZE <= USER_TOP, "vDSO fits");
}

void vdso_set_realtime_base(uint64_t ns)
{
	struct vdso_data *d;
	struct page *pg;

	if (vm_object_page(vvar_obj, 0, VMO_ALLOC, &pg))
		return;		/* the page is always there: made at boot */
	d = page_to_virt(pg);
	__atomic_store_n(&d->realtime_at_boot_ns, ns, __ATOMIC_RELEASE);
	page_put(pg);
}

uint64_t vdso_map(struct mm *mm)
{
	long r = vm_map_object(mm, VVAR_ADDR, PAGE_SIZE, PROT_READ, vvar_obj,
			       0, VM_MAP_FIXED | VM_MAP_NOWRITE);
	if (r >= 0)
		r = vm_map_object(mm, VDSO_ADDR, vdso_len,
				  PROT_READ | PROT_EXEC, vdso_obj, 0,
				  VM_MAP_FIXED | VM_MAP_NOWRITE);
	return r < 0 ? (uint64_t)r : VDSO_ADDR;
}
