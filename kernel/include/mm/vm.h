/*
 * Address spaces (kernel/mm/). A struct mm is a page-table root plus an
 * ordered set of VMAs; its layout is private to mm/. Other subsystems use
 * only these calls.
 */
#ifndef BASALT_MM_VM_H
#define BASALT_MM_VM_H

#include <types.h>

struct mm;
struct page;
struct file;

struct mm *mm_create(void);			/* empty; NULL if no memory */
struct mm *mm_fork(struct mm *parent);		/* copy-on-write copy */
void mm_get(struct mm *mm);
void mm_put(struct mm *mm);			/* last put frees everything */
void mm_activate(struct mm *mm);		/* switch this CPU to mm */

/* Page-fault entry from the trap handler. */
#define FAULT_WRITE	0x1
#define FAULT_EXEC	0x2
#define FAULT_USER	0x4	/* fault happened in user mode */
#define FAULT_PRESENT	0x8	/* protection violation, not a missing page */
/* 0 when the fault was resolved; -EFAULT (nothing mapped there) or
 * -EACCES (mapped, but the access is not allowed): the caller raises
 * SIGSEGV (SEGV_MAPERR, SEGV_ACCERR) or takes the exception fixup; -EIO
 * (a file page beyond the end of the file: SIGBUS, or the fixup) or
 * -ENOMEM (no memory even after the OOM killer ran, or the process is
 * being killed: the access is retried, or the fixup taken). */
int vm_fault(struct mm *mm, uint64_t addr, unsigned int flags);

/*
 * For execve, which builds a new image in an mm that is not yet active.
 * vm_map_anon maps [addr, addr+len) private anonymous with prot (PROT_*,
 * Linux values); addr and len page-aligned; replaces what was there.
 */
int vm_map_anon(struct mm *mm, uint64_t addr, uint64_t len, int prot);
/*
 * Map [addr, addr+len) private from file f, page pgoff on (the file's own
 * pages, copied on the first write), replacing what was there: a
 * program's segments. 0 or -ENODEV (f cannot be mapped), -ENOMEM.
 */
int vm_map_file(struct mm *mm, uint64_t addr, uint64_t len, int prot,
		struct file *f, uint64_t pgoff);
/*
 * The program mm runs: writes to its file are refused while mm lives
 * (-ETXTBSY now if f is open for writing). mm takes a reference to f.
 */
int mm_set_exe_file(struct mm *mm, struct file *f);
/* Copy into / zero user memory of mm (pages faulted in as needed). */
int vm_write(struct mm *mm, uint64_t addr, const void *src, size_t len);
int vm_zero(struct mm *mm, uint64_t addr, size_t len);
/* The program break starts at brk (page-aligned end of the data segment). */
void vm_set_brk(struct mm *mm, uint64_t brk);
/* Copy out of user memory of mm (e.g. /proc/<pid>/cmdline); -EFAULT
 * if a byte is not mapped. Pages are faulted in as needed. */
int vm_read(struct mm *mm, uint64_t addr, void *dst, size_t len);

/*
 * One area of an address space, as /proc/<pid>/maps shows it (Linux's
 * show_map_vma decides every field the same way).
 */
struct vm_area_info {
	uint64_t start, end;
	int prot;			/* PROT_READ | PROT_WRITE | PROT_EXEC */
	bool shared;			/* MAP_SHARED, writable or not ('s') */
	uint64_t offset;		/* bytes into the file or shared
					 * anonymous object; 0 otherwise */
	dev_t dev;			/* of the file; ANON_SHMEM_DEV for
					 * shared anonymous memory; else 0 */
	ino_t ino;			/* likewise, or 0 */
	struct file *file;		/* the file mapped, with a reference the
					 * caller drops (file_put), or NULL */
	const char *name;		/* without a file: "[heap]", "[stack]",
					 * "[vdso]", "[vvar]", "/dev/zero
					 * (deleted)", name_buf or NULL */
	char name_buf[32];		/* "/SYSV<key> (deleted)" for shm */
};
/*
 * Up to max areas, in address order, starting with the first one that
 * ends above addr. Returns how many were stored; call again with the
 * last end to continue. Takes mm->lock: the caller turns the files into
 * path names afterwards (path code ranks above mm->lock), then puts them.
 */
size_t mm_get_areas(struct mm *mm, uint64_t addr, struct vm_area_info *out,
		    size_t max);

/*
 * Memory use summed over every area, as /proc/<pid>/smaps_rollup shows
 * it. Sizes in bytes; pss_* in bytes << VM_PSS_SHIFT (Linux's fixed
 * point), each page's share being PAGE_SIZE / the number of page-table
 * entries mapping it.
 */
#define VM_PSS_SHIFT	12
struct vm_rollup {
	uint64_t start, end;		/* first area's start, last one's end */
	uint64_t rss, referenced, anonymous;
	uint64_t shared_clean, shared_dirty, private_clean, private_dirty;
	uint64_t pss, pss_dirty, pss_anon, pss_file, pss_shmem;
};
void mm_get_rollup(struct mm *mm, struct vm_rollup *r);

struct mm_stats {
	uint64_t vm_pages;		/* pages covered by areas (VmSize) */
	uint64_t rss_pages;		/* frames mapped (VmRSS) */
	uint64_t brk_start, brk;
	uint64_t arg_start, arg_end;	/* the argv strings (cmdline) */
	unsigned int nr_areas;
};
void mm_get_stats(struct mm *mm, struct mm_stats *st);
/* execve records where it put the argv strings, for /proc/<pid>/cmdline. */
void mm_set_arg_range(struct mm *mm, uint64_t start, uint64_t end);

/*
 * The identity of a futex word (kernel/proc/futex.c). In private memory
 * it is (mm, address); in shared memory (a MAP_SHARED mapping of a file,
 * of shared anonymous memory or a System V shm attach) it is (the memory
 * object's serial number, byte offset in the object), so processes that
 * map one object at different addresses meet. Serial numbers are never
 * reused, so a key needs no reference: a key that outlives its object
 * simply matches nothing (Linux's inode sequence numbers, for the same
 * reason). A private key's mm is kept alive by the tasks that use it.
 */
enum vm_futex_key_type {
	VM_FUTEX_PRIVATE,		/* FUTEX_PRIVATE_FLAG: (mm, addr) */
	VM_FUTEX_MM,			/* shared op, private memory: (mm, addr) */
	VM_FUTEX_OBJECT,		/* shared memory: (serial, offset) */
};
/*
 * As in Linux, a private and a shared operation on the same word of
 * private memory do not meet: their keys differ in type.
 */
struct vm_futex_key {
	enum vm_futex_key_type type;
	uint64_t base;			/* the mm, or the object's serial */
	uint64_t offset;		/* the address, or the byte offset */
};
/*
 * The key of addr in mm for a process-shared futex, looking at its area:
 * -EFAULT if addr is not mapped, not accessible, not writable when write
 * is asked for, or in private anonymous memory that is read-only (Linux
 * gives -EFAULT there too: such a word can never change).
 */
int vm_futex_key(struct mm *mm, uint64_t addr, bool write,
		 struct vm_futex_key *key);
/* The key of a process-private futex: no lookup at all. */
static inline void vm_futex_key_private(struct mm *mm, uint64_t addr,
					struct vm_futex_key *key)
{
	key->type = VM_FUTEX_PRIVATE;
	key->base = (uint64_t)mm;
	key->offset = addr;
}
/*
 * How many holders mm has: tasks using it, plus short-lived holders such
 * as /proc readers (Linux's mm_users, which counts the same way).
 */
unsigned int mm_users(struct mm *mm);

/*
 * The overcommit policy (mm/overcommit.c, Linux's vm.overcommit_memory):
 * 0 when a request that may later need this many pages of memory is
 * granted, -ENOMEM when the policy refuses it up front (heuristic mode:
 * more than RAM + swap in one request).
 */
#define OVERCOMMIT_GUESS	0	/* the heuristic (default) */
#define OVERCOMMIT_ALWAYS	1	/* never refuse */
#define OVERCOMMIT_NEVER	2	/* strict: not implemented (EINVAL) */
int vm_enough_memory(uint64_t pages);
int vm_overcommit_mode(void);
int vm_set_overcommit_mode(int mode);	/* 0 or -EINVAL */

/*
 * /proc/sys/vm/NAME (mm/sysctl.c): overcommit_memory, min_free_kbytes.
 * Read: the text, or -ENOENT. Write (root only, else -EPERM): 0 or
 * -EINVAL.
 */
int vm_sysctl_read(const char *name, char *buf, size_t size);
int vm_sysctl_write(const char *name, const char *text, size_t len);

/* Where the user stack ends (exclusive); exec places it. */
#define USER_STACK_TOP	0x00007ffffffde000UL
#define USER_STACK_SIZE	(8UL << 20)

#endif
