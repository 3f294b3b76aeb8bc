/*
 * failinject_mm.c - the memory calls with each of their allocations
 * failing in turn (failinject.h). Basalt-only: the cases skip without
 * fail-nth.
 *
 * mmap (anonymous and populated, and of a shared file), munmap and
 * mprotect of the middle of an area (which splits it), mremap that grows
 * and moves, brk, and a read() into memory never touched, whose pages the
 * kernel faults in inside the call. Linux's answers when memory runs out:
 * ENOMEM; a populating mmap still succeeds (population is best effort);
 * brk returns the old break; and a read whose copy cannot fault a page
 * in stops there: a short count, or EFAULT if nothing was copied.
 */
#include "failinject.h"

#include <sys/mman.h>

#define RW (PROT_READ | PROT_WRITE)
#define AREA (8 * T_PAGE)

static char *area;		/* what setup mapped (AREA bytes) */
static char *result;		/* what act mapped or moved to */
static int file_fd = -1;
static char file_path[64];

static long mapped(void *p)
{
	if (p == MAP_FAILED)
		return -errno;
	result = p;
	return 0;
}

static void unmap_all(void)
{
	if (result && result != area)
		CHECK_OK(munmap(result, AREA));
	if (area)
		CHECK_OK(munmap(area, AREA));
	area = result = NULL;
}

static void setup_area(void)
{
	area = t_map(AREA, RW);
	memset(area, 1, AREA);
}

static long act_mmap_populate(void)
{
	return mapped(mmap(NULL, AREA, RW,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0));
}

/* A file of AREA bytes in /tmp, open read-write. */
static void setup_file(void)
{
	snprintf(file_path, sizeof(file_path), "/tmp/failinject-%d",
		 (int)getpid());
	file_fd = CHECK_OK(open(file_path, O_RDWR | O_CREAT | O_TRUNC, 0600));
	CHECK_OK(ftruncate(file_fd, AREA));
}

static void undo_file(void)
{
	unmap_all();
	CHECK_OK(close(file_fd));
	CHECK_OK(unlink(file_path));
}

static long act_mmap_shared_file(void)
{
	return mapped(mmap(NULL, AREA, RW, MAP_SHARED, file_fd, 0));
}

static long act_munmap_split(void)
{
	long r = munmap(area + T_PAGE, T_PAGE);

	return r ? -errno : 0;
}

static long act_mprotect_split(void)
{
	long r = mprotect(area + T_PAGE, T_PAGE, PROT_READ);

	return r ? -errno : 0;
}

/* Grows 8 pages to 16, moved to an address no page table covers yet:
 * the old range must stay whole on failure. */
#define FAR ((void *)0x500000000000UL)

static long act_mremap_move(void)
{
	void *p = mremap(area, AREA, 2 * AREA, MREMAP_MAYMOVE | MREMAP_FIXED,
			 FAR);

	if (p == MAP_FAILED)
		return -errno;
	result = p;
	area = NULL;
	return 0;
}

static void undo_mremap(void)
{
	if (result)
		CHECK_OK(munmap(result, 2 * AREA));
	if (area)
		CHECK_OK(munmap(area, AREA));
	area = result = NULL;
}

static long brk_start;

static long act_brk(void)
{
	long want = brk_start + 16 * T_PAGE;

	return t_raw(SYS_brk, want) == want ? 0 : -ENOMEM;
}

static void setup_brk(void) { brk_start = t_raw(SYS_brk, 0); }
static void undo_brk(void) { CHECK_EQ(t_raw(SYS_brk, brk_start), brk_start); }

/* read() into fresh anonymous memory: the kernel faults it in. */
static void setup_fresh(void)
{
	setup_file();
	area = mmap(NULL, AREA, RW, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(area != MAP_FAILED);
}

static long act_read_into_fresh(void)
{
	long r = t_raw(SYS_pread64, file_fd, area, AREA, 0);

	return r < 0 ? r : 0;
}

FI_OP(mmap, .name = "mmap(MAP_POPULATE)", .act = act_mmap_populate,
      .undo = unmap_all)
FI_OP(mmap_file, .name = "mmap(MAP_SHARED) of a file",
      .act = act_mmap_shared_file, .undo = undo_file, .setup = setup_file)
FI_OP(munmap, .name = "munmap of a middle page", .act = act_munmap_split,
      .undo = unmap_all, .setup = setup_area)
FI_OP(mprotect, .name = "mprotect of a middle page",
      .act = act_mprotect_split, .undo = unmap_all, .setup = setup_area)
FI_OP(mremap, .name = "mremap(MREMAP_MAYMOVE)", .act = act_mremap_move,
      .undo = undo_mremap, .setup = setup_area)
FI_OP(brk, .name = "brk", .act = act_brk, .undo = undo_brk,
      .setup = setup_brk)
FI_OP(read_fault, .name = "read into untouched memory",
      .act = act_read_into_fresh, .undo = undo_file,
      .allowed = { EFAULT }, .setup = setup_fresh)

static const struct t_case cases[] = {
	{ case_mmap, "mmap-populate" },
	{ case_mmap_file, "mmap-shared-file" },
	{ case_munmap, "munmap-split" },
	{ case_mprotect, "mprotect-split" },
	{ case_mremap, "mremap-move" },
	{ case_brk, "brk" },
	{ case_read_fault, "read-into-untouched-memory" },
};

int main(int argc, char **argv)
{
	return T_RUN(argc, argv, cases);
}
