/*
 * execve: replace the current program with a static ELF executable.
 *
 * Everything that can fail happens before the point of no return: the
 * path is resolved, the headers validated (elf_parse), the strings copied
 * in, and the complete new image built in a fresh address space that is
 * not yet active. Only then is the old one dropped, so a failing execve
 * leaves the caller untouched, as in Linux.
 */
#include <proc/task.h>
#include <proc/elf.h>
#include "internal.h"
#include "exec.h"
#include <arch/cpu.h>
#include <arch/trapframe.h>
#include <fs/fs.h>
#include <lib/printk.h>
#include <lib/string.h>
#include <mm/kmalloc.h>
#include <mm/layout.h>
#include <mm/page.h>
#include <mm/uaccess.h>
#include <mm/vm.h>
#include <syscall/syscall.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>
#include <uapi/mman.h>

#define PATH_MAX 4096
/* Where static-PIE programs go: Linux's ELF_ET_DYN_BASE, 2/3 of TASK_SIZE. */
#define ET_DYN_BASE 0x555555554000UL
#define MAP_BATCH 32


static ssize_t elf_read(void *ctx, void *buf, size_t len, uint64_t off)
{
	return kernel_read_at(ctx, buf, len, (off_t)off);
}

static int segment_prot(uint32_t flags)
{
	return ((flags & PF_R) ? PROT_READ : 0) |
	       ((flags & PF_W) ? PROT_WRITE : 0) |
	       ((flags & PF_X) ? PROT_EXEC : 0);
}

/* Copy len bytes at file offset off into mm at addr (which copies the page). */
static int copy_from_file(struct mm *mm, struct file *f, uint64_t addr,
			  uint64_t off, size_t len)
{
	char *chunk = kmalloc(PAGE_SIZE);
	int err = 0;

	if (!chunk)
		return -ENOMEM;
	for (size_t done = 0; done < len && !err; done += PAGE_SIZE) {
		size_t n = MIN(PAGE_SIZE, len - done);
		ssize_t got = kernel_read_at(f, chunk, n, off + done);
		if (got != (ssize_t)n)
			err = got < 0 ? (int)got : -EIO;
		else
			err = vm_write(mm, addr + done, chunk, n);
	}
	kfree(chunk);
	return err;
}

/* Map n of the file's own pages, from page index, at addr. */
static int map_file_pages(struct mm *mm, struct file *f, uint64_t addr,
			  uint64_t index, size_t n)
{
	struct page *pages[MAP_BATCH];

	while (n) {
		size_t k = MIN(n, (size_t)MAP_BATCH);
		int err = file_get_pages(f, index, k, pages);
		if (err)
			return err;
		err = vm_install_pages(mm, addr, pages, k);
		for (size_t i = 0; i < k; i++)
			page_put(pages[i]);
		if (err)
			return err;
		addr += k * PAGE_SIZE;
		index += k;
		n -= k;
	}
	return 0;
}

/*
 * Fill a mapped segment from the file. Its whole pages are the file's own
 * pages, mapped copy-on-write, as Linux maps them from the page cache:
 * nothing is copied, and every run of the program shares one copy of its
 * text (which also keeps QEMU's translated code valid from run to run). A
 * first page already filled by the previous segment gets its bytes
 * copied in; the rest of the last file page after p_filesz is zeroed when
 * the segment has a BSS, as Linux's padzero does.
 */
static int load_segment_data(struct mm *mm, struct file *f,
			     const struct elf64_phdr *ph, uint64_t bias,
			     bool first_page_shared)
{
	uint64_t vaddr = ph->p_vaddr + bias, file_end = vaddr + ph->p_filesz;
	uint64_t page = ALIGN_DOWN(vaddr, PAGE_SIZE);
	uint64_t index = ph->p_offset / PAGE_SIZE;
	int err = 0;

	if (ph->p_filesz == 0)
		return 0;
	if (first_page_shared) {
		size_t n = MIN(file_end, page + PAGE_SIZE) - vaddr;
		err = copy_from_file(mm, f, vaddr, ph->p_offset, n);
		page += PAGE_SIZE;
		index++;
	}
	uint64_t end = ALIGN_UP(file_end, PAGE_SIZE);
	if (!err && page < end)
		err = map_file_pages(mm, f, page, index, (end - page) / PAGE_SIZE);
	if (!err && ph->p_memsz > ph->p_filesz && file_end < end)
		err = vm_zero(mm, file_end, end - file_end);
	return err;
}

/* The next PT_LOAD after index i, or NULL. */
static const struct elf64_phdr *next_load(const struct elf_image *img, int i)
{
	for (i++; i < img->phnum; i++)
		if (img->phdrs[i].p_type == PT_LOAD && img->phdrs[i].p_memsz)
			return &img->phdrs[i];
	return NULL;
}

/*
 * Map pages [start, end) of one segment. Two segments may share the page
 * at their boundary: that page is mapped once, with the union of both
 * protections, when the first of them is mapped.
 */
static int map_segment(struct mm *mm, uint64_t start, uint64_t end, int prot,
		       const struct elf64_phdr *next, uint64_t bias)
{
	int err;

	if (next && ALIGN_DOWN(next->p_vaddr + bias, PAGE_SIZE) < end) {
		end -= PAGE_SIZE;
		err = vm_map_anon(mm, end, PAGE_SIZE,
				  prot | segment_prot(next->p_flags));
		if (err)
			return err;
	}
	return start < end ? vm_map_anon(mm, start, end - start, prot) : 0;
}

/* Map every PT_LOAD and fill it from the file; set the program break. */
static int load_segments(struct mm *mm, struct file *f,
			 const struct elf_image *img, uint64_t bias)
{
	uint64_t mapped_end = 0;
	int err = 0;

	for (int i = 0; i < img->phnum && !err; i++) {
		const struct elf64_phdr *ph = &img->phdrs[i];
		if (ph->p_type != PT_LOAD || ph->p_memsz == 0)
			continue;
		uint64_t start = ALIGN_DOWN(ph->p_vaddr + bias, PAGE_SIZE);
		uint64_t end = ALIGN_UP(ph->p_vaddr + bias + ph->p_memsz,
					PAGE_SIZE);
		bool shared = start < mapped_end;	/* mapped already */
		err = map_segment(mm, shared ? start + PAGE_SIZE : start, end,
				  segment_prot(ph->p_flags), next_load(img, i),
				  bias);
		err = err ?: load_segment_data(mm, f, ph, bias, shared);
		mapped_end = end;
	}
	if (!err)
		vm_set_brk(mm, ALIGN_UP(img->load_hi + bias, PAGE_SIZE));
	return err;
}

/* Build the complete new image in a fresh, not yet active mm. */
static int build_image(struct file *f, const struct exec_args *args,
		       struct mm **mm_out, uint64_t *sp, uint64_t *entry)
{
	struct elf_image *elf = kmalloc(sizeof(*elf));
	struct exec_image img;
	struct mm *mm = NULL;
	int err = -ENOMEM;

	if (!elf)
		return -ENOMEM;
	err = elf_parse(elf, file_size(f), elf_read, f);
	if (err)
		goto out;
	uint64_t bias = elf->type == ET_DYN ?
		ALIGN_DOWN(ET_DYN_BASE, elf->max_align) : 0;
	err = -ENOMEM;
	if (!(mm = mm_create()))
		goto out;
	err = load_segments(mm, f, elf, bias);
	if (err)
		goto out;
	img.entry = elf->entry + bias;
	img.phdr = elf->phdr_vaddr ? elf->phdr_vaddr + bias : 0;
	img.phent = sizeof(struct elf64_phdr);
	img.phnum = elf->phnum;
	img.vdso = vdso_map(mm);
	if (IS_ERR((void *)img.vdso)) {
		err = (int)img.vdso;
		goto out;
	}
	err = exec_build_stack(mm, args, &img, sp);
	*entry = img.entry;
out:
	kfree(elf);
	if (err && mm)
		mm_put(mm);
	else
		*mm_out = mm;
	return err;
}

/* The point of no return: become the new program. */
static void exec_commit(const char *path, struct mm *mm, uint64_t entry,
			uint64_t sp)
{
	struct task *t = current;
	struct mm *old = t->mm;

	task_mm_release(t);		/* clear_child_tid in the old image */
	spin_lock(&proc_tree_lock);	/* procfs reads other tasks' mm */
	t->mm = mm;
	spin_unlock(&proc_tree_lock);
	mm_activate(mm);
	task_vfork_release(t);		/* the parent may run again */
	if (old)
		mm_put(old);
	files_close_on_exec(t->files);

	const char *base = strrchr(path, '/');
	strlcpy(t->comm, base ? base + 1 : path, sizeof(t->comm));
	for (int i = 0; i < NSIG; i++) {	/* handlers do not survive */
		struct k_sigaction *sa = &t->sigactions[i];
		if (sa->handler != 1 /* SIG_IGN */)
			*sa = (struct k_sigaction){ 0 };
	}
	t->robust_list = t->robust_len = 0;
	t->fs_base = t->gs_base = 0;
	wrmsr(MSR_FS_BASE, 0);
	wrmsr(MSR_KERNEL_GS_BASE, 0);
	__asm__ volatile("fxrstor %0" :: "m"(*fpu_initial_state));

	struct trapframe *tf = t->regs;
	memset(tf, 0, sizeof(*tf));
	tf->rip = entry;
	tf->rsp = sp;
	tf->cs = USER_CS;
	tf->ss = USER_DS;
	tf->rflags = 0x202;		/* IF */
}

long do_execve(const char *path, const struct exec_strings *src)
{
	struct exec_args args = { 0 };
	struct mm *mm;
	uint64_t sp, entry;
	int err;

	struct file *f = kernel_open(path, O_RDONLY, true);
	if (IS_ERR(f))
		return PTR_ERR(f);
	err = exec_args_init(&args);
	err = err ?: exec_args_collect(&args, src, path);
	err = err ?: build_image(f, &args, &mm, &sp, &entry);
	exec_args_free(&args);
	file_put(f);
	if (err)
		return err;
	exec_commit(path, mm, entry, sp);
	return 0;
}

SYSCALL_DEFINE3(execve, const char __user *, upath,
		const char __user *const __user *, argv,
		const char __user *const __user *, envp)
{
	struct exec_strings src = {
		.from_user = true, .user_argv = argv, .user_envp = envp,
	};
	char *path = kmalloc(PATH_MAX);
	long err;

	if (!path)
		return -ENOMEM;
	err = strncpy_from_user(path, upath, PATH_MAX);
	if (err >= 0)
		err = err == 0 ? -ENOENT : do_execve(path, &src);
	kfree(path);
	return err;
}
