// list.cpp - the C++ list demonstration (user/bin/list.cpp) against
// libbasalt: its exact output, and a heap with no live block once the
// list objects are gone (the demo checks that itself and exits 1
// otherwise, and this test checks it again around its own lists), plus
// the class's edge cases: positions out of range, self-assignment,
// assignment over a longer list, clear.
extern "C" {
#include "t.h"
#include "capture.h"
}
#include <malloc.h>
#include <stdio.h>
#include "../../user/bin/list.h"

int list_demo_main();

// The report's demonstration (MISSION.md section 2): 8 7 6 5 4 3 2 1,
// its copies with -2 and -3 in front, and 8 4 2 1 after the erasures.
static const char demo_expected[] =
	"li: 8 7 6 5 4 3 2 1 (size 8)\n"
	"li2: -2 8 7 6 5 4 3 2 1 (size 9)\n"
	"li3: -3 8 7 6 5 4 3 2 1 (size 9)\n"
	"li after erase(5), erase(3), erase(2), erase(1): 8 4 2 1 (size 4)\n"
	"live heap blocks once the lists are destroyed: 0\n";

static int run_demo(void *)
{
	return list_demo_main();
}

static void case_demo_output()
{
	static char out[4096];
	int status = capture_child(run_demo, nullptr, out, sizeof(out));

	check_text(out, demo_expected);
	CHECK_EXITED(status, 0);
}

static size_t live_blocks()
{
	struct malloc_census c;

	malloc_census(&c);
	return c.live_blocks;
}

static int print_list(void *arg)
{
	static_cast<list *>(arg)->print("x");
	return 0;
}

static void check_list(list &l, const char *want)
{
	static char out[1024];

	CHECK_EXITED(capture_child(print_list, &l, out, sizeof(out)), 0);
	check_text(out, want);
}

static void case_edges()
{
	size_t before = live_blocks();
	{
		list a;

		CHECK(a.empty());
		CHECK(!a.erase(0));
		CHECK(!a.insert(1, 5));		// past the end
		CHECK(a.insert(0, 5));
		CHECK(a.insert(1, 7));		// append
		CHECK(a.insert(1, 6));		// middle
		CHECK(!a.erase(3));
		check_list(a, "x: 5 6 7 (size 3)\n");

		list big;
		for (int i = 0; i < 100; i++)
			CHECK(big.insert(big.size(), i));
		CHECK_EQ(live_blocks() - before, 103);
		big = a;			// the 100 nodes go
		CHECK_EQ(live_blocks() - before, 6);
		check_list(big, "x: 5 6 7 (size 3)\n");
		big = big;
		check_list(big, "x: 5 6 7 (size 3)\n");
		CHECK(a.erase(0));
		check_list(big, "x: 5 6 7 (size 3)\n");	// deep copy
		check_list(a, "x: 6 7 (size 2)\n");
		a.clear();
		check_list(a, "x: (size 0)\n");
		CHECK(a.empty());
		CHECK_EQ(a.size(), 0);
		CHECK_EQ(live_blocks() - before, 3);
	}
	CHECK_EQ(live_blocks(), before);
	CHECK_EQ(malloc_check(), 0);
}

static const struct t_case cases[] = {
	{ case_demo_output, "demo_output" },
	{ case_edges, "edges" },
};

int main(int argc, char **argv)
{
	return T_RUN(argc, argv, cases);
}
