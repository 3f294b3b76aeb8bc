/*
 * The notes of a core file (its PT_NOTE segment), in the order Linux's
 * fill_note_info writes them, which is the order gdb and readelf expect:
 *
 *   the dumping thread:  NT_PRSTATUS, NT_PRPSINFO, NT_SIGINFO, NT_AUXV,
 *                        NT_FILE, NT_PRFPREG
 *   every other thread:  NT_PRSTATUS, NT_PRFPREG
 *
 * Each note is a header, the name "CORE" and a descriptor, both padded
 * to 4 bytes. The buffer is sized by a first pass that only counts.
 */
#include "coredump_internal.h"
#include <proc/task.h>
#include <fs/fs.h>
#include <lib/string.h>
#include <mm/kmalloc.h>
#include <mm/page.h>
#include <mm/vm.h>
#include <uapi/elfcore.h>
#include <uapi/signal.h>

#define ALIGN4(n)	(((n) + 3) & ~(size_t)3)
#define NOTE_NAME	"CORE"
/* Linux allows 4 MiB (MAX_FILE_NOTE_SIZE); a teaching kernel's programs
 * map a handful of files, and this needs no large contiguous block. */
#define FILE_NOTE_MAX	(64UL << 10)

struct notes {
	char *buf;			/* NULL in the counting pass */
	size_t len;
};

static void note_add(struct notes *n, uint32_t type, const void *desc,
		     size_t size)
{
	struct elf64_nhdr h = { sizeof(NOTE_NAME), (uint32_t)size, type };
	size_t at = n->len;

	n->len += sizeof(h) + ALIGN4(sizeof(NOTE_NAME)) + ALIGN4(size);
	if (!n->buf)
		return;
	memset(n->buf + at, 0, n->len - at);
	memcpy(n->buf + at, &h, sizeof(h));
	at += sizeof(h);
	memcpy(n->buf + at, NOTE_NAME, sizeof(NOTE_NAME));
	at += ALIGN4(sizeof(NOTE_NAME));
	memcpy(n->buf + at, desc, size);
}

static struct elf_timeval ns_to_tv(uint64_t ns)
{
	return (struct elf_timeval){ (int64_t)(ns / 1000000000),
				     (int64_t)(ns % 1000000000 / 1000) };
}

static void fill_regs(struct user_regs *r, const struct core_thread *ct)
{
	const struct trapframe *tf = &ct->regs;

	*r = (struct user_regs){
		.r15 = tf->r15, .r14 = tf->r14, .r13 = tf->r13,
		.r12 = tf->r12, .rbp = tf->rbp, .rbx = tf->rbx,
		.r11 = tf->r11, .r10 = tf->r10, .r9 = tf->r9, .r8 = tf->r8,
		.rax = tf->rax, .rcx = tf->rcx, .rdx = tf->rdx,
		.rsi = tf->rsi, .rdi = tf->rdi,
		.orig_rax = (uint64_t)ct->syscall_nr,
		.rip = tf->rip, .cs = tf->cs, .eflags = tf->rflags,
		.rsp = tf->rsp, .ss = tf->ss,
		.fs_base = ct->fs_base, .gs_base = ct->gs_base,
	};
}

/* Process identity shared by NT_PRSTATUS and NT_PRPSINFO. */
struct ids {
	pid_t pid, ppid, pgrp, sid;
};

static void get_ids(struct task *t, struct ids *id)
{
	struct task *parent;

	spin_lock(&proc_tree_lock);
	parent = task_parent(t);
	id->pid = t->tgid;
	id->ppid = parent ? parent->tgid : 0;
	id->pgrp = task_pgid(t);
	id->sid = task_sid(t);
	spin_unlock(&proc_tree_lock);
}

static void add_prstatus(struct notes *n, const struct core_dump *cd,
			 const struct core_thread *ct, const struct ids *id)
{
	struct elf_prstatus s = {
		.si_signo = cd->sig, .pr_cursig = (int16_t)cd->sig,
		.pr_sigpend = ct->pending, .pr_sighold = ct->sigmask,
		.pr_pid = ct->tid, .pr_ppid = id->ppid,
		.pr_pgrp = id->pgrp, .pr_sid = id->sid,
		.pr_utime = ns_to_tv(ct->cpu_ns),
		.pr_fpvalid = 1,
	};

	fill_regs(&s.pr_reg, ct);
	note_add(n, NT_PRSTATUS, &s, sizeof(s));
}

/* The command line, NULs turned to spaces, as Linux's fill_psinfo. */
static void get_psargs(struct mm *mm, char *out, size_t size)
{
	struct mm_stats st;
	size_t len;

	mm_get_stats(mm, &st);
	len = MIN((size_t)(st.arg_end - st.arg_start), size - 1);
	if (!st.arg_start || vm_read(mm, st.arg_start, out, len))
		len = 0;
	for (size_t i = 0; i < len; i++)
		if (!out[i])
			out[i] = ' ';
	out[len] = '\0';
}

static void add_prpsinfo(struct notes *n, const struct core_dump *cd,
			 const struct ids *id)
{
	struct elf_prpsinfo p = {
		.pr_state = 0, .pr_sname = 'R',	/* the dumper is running */
		.pr_uid = cd->task->cred.uid, .pr_gid = cd->task->cred.gid,
		.pr_pid = id->pid, .pr_ppid = id->ppid,
		.pr_pgrp = id->pgrp, .pr_sid = id->sid,
	};

	if (n->buf)
		get_psargs(cd->mm, p.pr_psargs, sizeof(p.pr_psargs));
	memcpy(p.pr_fname, cd->task->comm, sizeof(p.pr_fname));
	p.pr_fname[sizeof(p.pr_fname) - 1] = '\0';
	note_add(n, NT_PRPSINFO, &p, sizeof(p));
}

static void add_siginfo(struct notes *n, const struct core_dump *cd)
{
	struct siginfo si;

	memset(&si, 0, sizeof(si));
	signal_fill_siginfo(&si, cd->sig, &cd->info);
	note_add(n, NT_SIGINFO, &si, sizeof(si));
}

static void add_auxv(struct notes *n, const struct core_dump *cd)
{
	uint64_t start, end, v[64];
	size_t len;

	mm_get_auxv_range(cd->mm, &start, &end);
	len = MIN((size_t)(end - start), sizeof(v));
	if (!start || vm_read(cd->mm, start, v, len))
		len = 0;
	note_add(n, NT_AUXV, v, len);
}

/*
 * NT_FILE: count, page size, then (start, end, offset in pages) of each
 * file mapping, then their NUL-terminated paths. Built in a scratch
 * buffer of FILE_NOTE_MAX at most; left out if it would not fit.
 */
static void add_files(struct notes *n, const struct core_dump *cd,
		      char *scratch)
{
	uint64_t count = 0, *head = (uint64_t *)scratch;
	size_t files = 0, names, at;

	for (size_t i = 0; i < cd->nareas; i++)
		files += cd->areas[i].file != NULL;
	names = at = (2 + 3 * files) * sizeof(uint64_t);
	if (names > FILE_NOTE_MAX)
		return;
	for (size_t i = 0; i < cd->nareas; i++) {
		const struct vm_area_info *a = &cd->areas[i];

		if (!a->file)
			continue;
		if (file_path_name(a->file, scratch + at, FILE_NOTE_MAX - at))
			return;
		at += strlen(scratch + at) + 1;
		head[2 + 3 * count] = a->start;
		head[3 + 3 * count] = a->end;
		head[4 + 3 * count] = a->offset / PAGE_SIZE;
		count++;
	}
	head[0] = count;
	head[1] = PAGE_SIZE;
	note_add(n, NT_FILE, scratch, at);
}

static void add_all(struct notes *n, struct core_dump *cd, char *scratch)
{
	struct ids id;

	get_ids(cd->task, &id);
	for (unsigned int i = 0; i < cd->nthreads; i++) {
		const struct core_thread *ct = &cd->threads[i];

		add_prstatus(n, cd, ct, &id);
		if (i == 0) {
			add_prpsinfo(n, cd, &id);
			add_siginfo(n, cd);
			add_auxv(n, cd);
			add_files(n, cd, scratch);
		}
		note_add(n, NT_PRFPREG, ct->fpu, sizeof(ct->fpu));
	}
}

void *core_notes_build(struct core_dump *cd, size_t *len)
{
	char *scratch = kmalloc(FILE_NOTE_MAX);
	struct notes n = { NULL, 0 };

	if (!scratch)
		return NULL;
	add_all(&n, cd, scratch);	/* count */
	n.buf = kmalloc(n.len);
	if (n.buf) {
		*len = n.len;
		n.len = 0;
		add_all(&n, cd, scratch);
	}
	kfree(scratch);
	return n.buf;
}
