// new.cpp - operator new and delete in every standard form, on malloc.
//
// libbasalt's C++ programs are built without exceptions, so the plain
// forms cannot throw std::bad_alloc: when memory runs out they print a
// message and abort, which is what an uncaught bad_alloc would do. The
// nothrow forms return nullptr. The aligned forms (C++17, for types
// with alignas beyond 16) use aligned_alloc. The sized deletes check
// that the size fits the block, so a delete of the wrong type is caught
// instead of silently corrupting the heap.
#include <malloc.h>
#include <new>
#include <stdlib.h>

extern "C" void __basalt_say(const char *const *parts);

const std::nothrow_t std::nothrow{};

static void *must(void *p)
{
	if (!p) {
		const char *msg[] = { "operator new: out of memory\n", nullptr };
		__basalt_say(msg);
		abort();
	}
	return p;
}

static void check_size(void *p, std::size_t n)
{
	if (p && n > malloc_usable_size(p)) {
		const char *msg[] = { "operator delete: size larger than the "
				      "block (deleted through the wrong type?)\n",
				      nullptr };
		__basalt_say(msg);
		abort();
	}
}

// new(0) must return a unique pointer: malloc(0) does.
static void *aligned(std::size_t n, std::align_val_t a)
{
	return aligned_alloc(static_cast<std::size_t>(a), n);
}

void *operator new(std::size_t n) { return must(malloc(n)); }
void *operator new[](std::size_t n) { return must(malloc(n)); }
void *operator new(std::size_t n, const std::nothrow_t &) noexcept
{
	return malloc(n);
}
void *operator new[](std::size_t n, const std::nothrow_t &) noexcept
{
	return malloc(n);
}
void *operator new(std::size_t n, std::align_val_t a)
{
	return must(aligned(n, a));
}
void *operator new[](std::size_t n, std::align_val_t a)
{
	return must(aligned(n, a));
}
void *operator new(std::size_t n, std::align_val_t a,
		   const std::nothrow_t &) noexcept
{
	return aligned(n, a);
}
void *operator new[](std::size_t n, std::align_val_t a,
		     const std::nothrow_t &) noexcept
{
	return aligned(n, a);
}

void operator delete(void *p) noexcept { free(p); }
void operator delete[](void *p) noexcept { free(p); }
void operator delete(void *p, std::size_t n) noexcept
{
	check_size(p, n);
	free(p);
}
void operator delete[](void *p, std::size_t n) noexcept
{
	check_size(p, n);
	free(p);
}
void operator delete(void *p, const std::nothrow_t &) noexcept { free(p); }
void operator delete[](void *p, const std::nothrow_t &) noexcept { free(p); }
void operator delete(void *p, std::align_val_t) noexcept { free(p); }
void operator delete[](void *p, std::align_val_t) noexcept { free(p); }
void operator delete(void *p, std::size_t n, std::align_val_t) noexcept
{
	check_size(p, n);
	free(p);
}
void operator delete[](void *p, std::size_t n, std::align_val_t) noexcept
{
	check_size(p, n);
	free(p);
}
void operator delete(void *p, std::align_val_t,
		     const std::nothrow_t &) noexcept
{
	free(p);
}
void operator delete[](void *p, std::align_val_t,
		       const std::nothrow_t &) noexcept
{
	free(p);
}
