// cxx.cpp - libbasalt's C++ runtime, with g++ -ffreestanding
// -fno-exceptions -fno-rtti and no libstdc++: global constructors before
// main, in order; global and static-local destructors at exit, in
// reverse order of construction, interleaved with atexit handlers as
// the standard says; one-time initialisation of static locals; operator
// new and delete in every form (arrays with destructors, sized, aligned,
// nothrow) on libbasalt's malloc, leaving no live block behind; and the
// loud endings: out of memory in plain new, a pure virtual call, a sized
// delete through the wrong type.
extern "C" {
#include "t.h"
#include "capture.h"
}
#include <malloc.h>
#include <new>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char trace[64];		// what the constructors did, in order
static size_t tlen;
static bool tell_destruction;	// set in the child that checks exit

static void note(const char *s)
{
	while (*s && tlen < sizeof(trace) - 1)
		trace[tlen++] = *s++;
}

struct noisy {
	const char *name;
	char *heap;		// constructors may use the heap
	explicit noisy(const char *n) : name(n), heap(strdup(n)) { note(n); }
	~noisy()
	{
		// Runs inside exit(): straight to the descriptor.
		if (tell_destruction) {
			write(1, "~", 1);
			write(1, name, strlen(name));
		}
		free(heap);
	}
};

noisy first_global("A");
noisy second_global("B");

static void at_exit_handler()
{
	write(1, "[atexit]", 8);
}

static noisy &local_object()
{
	static noisy local("L");	// built on first use, once
	return local;
}

static void case_constructors_ran()
{
	// Both globals were built before main, in the order written.
	CHECK(strncmp(trace, "AB", 2) == 0);
	CHECK(strcmp(first_global.heap, "A") == 0);
}

static int exit_sequence(void *)
{
	tell_destruction = true;
	atexit(at_exit_handler);	// registered after A and B: runs first
	local_object();			// built now: destroyed before B and A
	local_object();
	return 0;			// capture_child calls exit()
}

static void case_destructors_at_exit()
{
	static char out[128];

	CHECK_EXITED(capture_child(exit_sequence, nullptr, out, sizeof(out)), 0);
	check_text(out, "~L[atexit]~B~A");
}

static void case_static_local_once()
{
	size_t before = tlen;
	noisy *a = &local_object(), *b = &local_object();

	CHECK(a == b);
	CHECK_EQ(tlen - before, 1);	// one "L": constructed once
}

struct counted {
	static int alive;
	int value = 7;
	counted() { alive++; }
	~counted() { alive--; }
};
int counted::alive;

struct alignas(64) wide {
	char bytes[100];
};

struct base {
	virtual ~base() = default;
	virtual int id() const { return 1; }
};

struct derived : base {
	int id() const override { return 2; }
};

static size_t live_blocks()
{
	struct malloc_census c;

	malloc_census(&c);
	return c.live_blocks;
}

static void case_new_and_delete()
{
	size_t before = live_blocks();

	int *i = new int(5);
	CHECK_EQ(*i, 5);
	delete i;
	counted *arr = new counted[10];
	CHECK_EQ(counted::alive, 10);
	CHECK_EQ(arr[9].value, 7);
	delete[] arr;			// every destructor, then the block
	CHECK_EQ(counted::alive, 0);
	wide *w = new wide;		// aligned new
	CHECK((uintptr_t)w % 64 == 0);
	delete w;
	wide *ws = new wide[3];
	CHECK((uintptr_t)ws % 64 == 0);
	delete[] ws;
	base *b = new derived;
	CHECK_EQ(b->id(), 2);
	delete b;			// virtual destructor, sized delete
	void *n = operator new(SIZE_MAX / 2, std::nothrow);
	CHECK(n == nullptr);
	n = operator new[](16, std::nothrow);
	CHECK(n != nullptr);
	operator delete[](n, std::nothrow);
	n = operator new(100, std::align_val_t(256));
	CHECK((uintptr_t)n % 256 == 0);
	operator delete(n, 100, std::align_val_t(256));
	char place[sizeof(counted)];
	counted *p = new (place) counted;	// placement: no heap
	CHECK_EQ(counted::alive, 1);
	p->~counted();
	CHECK_EQ(live_blocks(), before);
	CHECK_EQ(malloc_check(), 0);
}

static char *volatile escaped;	// so the compiler cannot elide the new

static void out_of_memory()
{
	volatile size_t huge = SIZE_MAX / 2;
	escaped = new char[huge];
}

struct abstract {
	abstract() { call_it(); }	// too early: the slot is still pure
	virtual ~abstract() = default;
	virtual void hook() = 0;
	void call_it() { hook(); }
};

struct concrete : abstract {
	void hook() override {}
};

static void pure_virtual_call()
{
	concrete c;
}

static void wrong_sized_delete()
{
	char *p = static_cast<char *>(operator new(16));
	operator delete(p, 4096);
}

static void case_loud_endings()
{
	expect_abort(out_of_memory, "operator new: out of memory");
	expect_abort(pure_virtual_call, "pure virtual method called");
	expect_abort(wrong_sized_delete, "operator delete: size larger");
}

static const struct t_case cases[] = {
	{ case_constructors_ran, "constructors_ran" },
	{ case_destructors_at_exit, "destructors_at_exit" },
	{ case_static_local_once, "static_local_once" },
	{ case_new_and_delete, "new_and_delete" },
	{ case_loud_endings, "loud_endings" },
};

int main(int argc, char **argv)
{
	return T_RUN(argc, argv, cases);
}
