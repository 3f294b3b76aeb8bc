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
#include <proc/futex.h>
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

/*
 * Map one PT_LOAD segment as Linux's elf_map does: the pages holding
 * file bytes as a private mapping of the file (its own pages, read-only
 * until written: every run of a program shares one copy of its text, and
 * QEMU's translated code stays valid from run to run), the rest of the
 * memory size as anonymous memory, and the tail of the last file page
 * after p_filesz zeroed when there is a BSS (padzero). A later segment
 * mapped over a shared boundary page replaces it, as MAP_FIXED does.
 */
static int load_segment(struct mm *mm, struct file *f,
			const struct elf64_phdr *ph, uint64_t bias)
{
	uint64_t vaddr = ph->p_vaddr + bias, file_end = vaddr + ph->p_filesz;
	uint64_t start = ALIGN_DOWN(vaddr, PAGE_SIZE);
	uint64_t file_top = ALIGN_UP(file_end, PAGE_SIZE);
	uint64_t end = ALIGN_UP(vaddr + ph->p_memsz, PAGE_SIZE);
	int prot = segment_prot(ph->p_flags), err = 0;

	if ((vaddr - ph->p_offset) % PAGE_SIZE)
		return -EINVAL;		/* vm_mmap would refuse the offset */
	if (ph->p_filesz) {
		err = vm_map_file(mm, start, file_top - start, prot, f,
				  (ph->p_offset - (vaddr - start)) / PAGE_SIZE);
		if (!err && ph->p_memsz > ph->p_filesz && file_end < file_top)
			err = vm_zero(mm, file_end, file_top - file_end);
	} else {
		file_top = start;
	}
	if (!err && file_top < end)
		err = vm_map_anon(mm, file_top, end - file_top, prot);
	return err;
}

/* Map every PT_LOAD from the file; set the program break. */
static int load_segments(struct mm *mm, struct file *f,
			 const struct elf_image *img, uint64_t bias)
{
	int err = 0;

	for (int i = 0; i < img->phnum && !err; i++) {
		const struct elf64_phdr *ph = &img->phdrs[i];

		if (ph->p_type == PT_LOAD && ph->p_memsz)
			err = load_segment(mm, f, ph, bias);
	}
	if (!err)
		vm_set_brk(mm, ALIGN_UP(img->load_hi + bias, PAGE_SIZE));
	return err;
}

/* Build the complete new image in a fresh, not yet active mm; img comes
 * with its credentials (exec_cred_prepare) and gets the rest. */
static int build_image(struct file *f, const struct exec_args *args,
		       struct exec_image *img, struct mm **mm_out,
		       uint64_t *sp)
{
	struct elf_image *elf = kmalloc(sizeof(*elf));
	struct mm *mm = NULL;
	int err = -ENOMEM;

	if (!elf)
		return -ENOMEM;
	if (!(mm = mm_create()))
		goto out;
	/* While the program runs, its file cannot be written (ETXTBSY). */
	err = mm_set_exe_file(mm, f);
	if (err)
		goto out;
	err = elf_parse(elf, file_size(f), elf_read, f);
	if (err)
		goto out;
	uint64_t bias = elf->type == ET_DYN ?
		ALIGN_DOWN(ET_DYN_BASE, elf->max_align) : 0;
	err = load_segments(mm, f, elf, bias);
	if (err)
		goto out;
	img->entry = elf->entry + bias;
	img->phdr = elf->phdr_vaddr ? elf->phdr_vaddr + bias : 0;
	img->phent = sizeof(struct elf64_phdr);
	img->phnum = elf->phnum;
	img->vdso = vdso_map(mm);
	if (IS_ERR((void *)img->vdso)) {
		err = (int)img->vdso;
		goto out;
	}
	err = exec_build_stack(mm, args, img, sp);
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

	task_mm_release(t);		/* futexes of the old image */
	futex_exec_done(t);		/* the task lives on */
	spin_lock(&proc_tree_lock);	/* procfs reads other tasks' mm */
	t->mm = mm;
	t->group->did_exec = true;
	spin_unlock(&proc_tree_lock);
	mm_activate(mm);
	task_vfork_release(t);		/* the parent may run again */
	if (old)
		mm_put(old);
	files_close_on_exec(t->files);

	const char *base = strrchr(path, '/');
	strlcpy(t->comm, base ? base + 1 : path, sizeof(t->comm));
	spin_lock(&t->sighand->lock);
	for (int i = 0; i < NSIG; i++) {	/* handlers do not survive */
		struct k_sigaction *sa = &t->sighand->action[i];
		if (sa->handler != 1 /* SIG_IGN */)
			*sa = (struct k_sigaction){ 0 };
	}
	spin_unlock(&t->sighand->lock);
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

/*
 * Take over the leader's place (a non-leader thread in execve, once the
 * others are gone): its pid, its parent and children. The old leader, a
 * zombie nobody waits for, is freed. As Linux's de_thread, so getpid()
 * is the same before and after execve. proc_tree_lock held.
 */
static struct task *become_leader(struct task *t)
{
	struct thread_group *g = t->group;
	struct task *leader = g->leader, *c;
	pid_t tid = t->tid;

	spin_assert_held(&proc_tree_lock);
	t->tid = leader->tid;
	leader->tid = tid;
	t->parent = leader->parent;
	t->exit_signal = leader->exit_signal;
	list_add(&t->sibling, &leader->sibling);
	list_del(&leader->sibling);
	while (!list_empty(&leader->children)) {
		c = list_first_entry(&leader->children, struct task, sibling);
		list_del(&c->sibling);
		c->parent = t;
		list_add_tail(&c->sibling, &t->children);
	}
	g->leader = t;
	return leader;
}

int group_make_single(void)
{
	struct task *t = current, *old = NULL;
	struct thread_group *g = t->group;
	int err = 0;

	spin_lock(&proc_tree_lock);
	if (g->exiting || g->exec_task) {
		spin_unlock(&proc_tree_lock);
		return -EINTR;		/* the process is going: so are we */
	}
	g->exec_task = t;
	group_kill_others(t);
	while (g->nr_live > 1) {
		spin_lock(&g->exec_wait.lock);
		spin_unlock(&proc_tree_lock);
		waitq_sleep_uninterruptible(&g->exec_wait);
		spin_unlock(&g->exec_wait.lock);
		spin_lock(&proc_tree_lock);
	}
	if (g->exiting)
		err = -EINTR;		/* killed meanwhile */
	else if (g->leader != t)
		old = become_leader(t);
	g->exec_task = NULL;
	spin_unlock(&proc_tree_lock);
	if (old)
		task_reap(old);
	return err;
}

/* After execve the handlers are private: a copy if others share them. */
static int unshare_sighand(void)
{
	struct task *t = current;
	struct sighand *sh;

	if (__atomic_load_n(&t->sighand->refcount, __ATOMIC_ACQUIRE) == 1)
		return 0;
	sh = sighand_alloc(t->sighand);
	if (!sh)
		return -ENOMEM;
	sighand_put(t->sighand);
	t->sighand = sh;
	return 0;
}

long do_execve(const char *path, const struct exec_strings *src)
{
	struct exec_args args = { 0 };
	struct exec_image img = { 0 };
	struct mm *mm;
	uint64_t sp;
	int err;

	struct file *f = kernel_open(path, O_RDONLY, true);
	if (IS_ERR(f))
		return PTR_ERR(f);
	exec_cred_prepare(f, &img);
	err = exec_args_init(&args);
	err = err ?: exec_args_collect(&args, src, path);
	err = err ?: build_image(f, &args, &img, &mm, &sp);
	exec_args_free(&args);
	file_put(f);
	if (err)
		return err;
	/* The new image is ready: the other threads go, as on Linux. */
	err = group_make_single();
	err = err ?: unshare_sighand();
	if (err) {
		mm_put(mm);
		return err;
	}
	exec_commit(path, mm, img.entry, sp);
	exec_cred_commit(&img);
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
