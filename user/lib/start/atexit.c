/*
 * atexit.c - atexit and __cxa_atexit: handlers that exit() runs, newest
 * first. g++ registers the destructor of every global object with
 * __cxa_atexit right after constructing it, so globals are destroyed in
 * the reverse order of their construction. The first 32 handlers (C asks
 * for at least 32) live in a static block; more blocks come from malloc.
 * Handlers registered while exit runs them still run.
 */
#include <stdlib.h>
#include "../internal/libc.h"

#define PER_BLOCK 32

struct handler {
	void (*fn)(void *);	/* for __cxa_atexit */
	void (*plain)(void);	/* for atexit */
	void *arg;
};

static struct block {
	struct block *prev;	/* the block filled before this one */
	int count;
	struct handler h[PER_BLOCK];
} first_block, *current = &first_block;

/* The object g++'s code names when it registers a destructor. */
void *__dso_handle __attribute__((visibility("hidden"))) = &__dso_handle;

static int add(struct handler h)
{
	if (current->count == PER_BLOCK) {
		struct block *b = calloc(1, sizeof(*b));

		if (!b)
			return -1;
		b->prev = current;
		current = b;
	}
	current->h[current->count++] = h;
	return 0;
}

int __cxa_atexit(void (*fn)(void *), void *arg, void *dso)
{
	(void)dso;	/* one static program: nothing is ever unloaded */
	return add((struct handler){ .fn = fn, .arg = arg });
}

int atexit(void (*fn)(void))
{
	return add((struct handler){ .plain = fn });
}

void __basalt_run_atexit(void)
{
	for (;;) {
		while (current->count == 0 && current->prev) {
			struct block *done = current;

			current = current->prev;
			free(done);
		}
		if (current->count == 0)
			return;
		struct handler h = current->h[--current->count];
		if (h.fn)
			h.fn(h.arg);
		else
			h.plain();
	}
}
