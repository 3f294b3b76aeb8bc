/*
 * state.c - the allocator's one global state, its lazy initialisation,
 * and its two ways of complaining: heap_crash for errors found while
 * serving a call (loud: message and abort), heap_report for errors found
 * by malloc_check (message only). Neither uses stdio or malloc.
 */
#include "heap.h"

struct heap heap;

void heap_init(void)
{
	heap.secret = glue_secret();
	heap.mmap_threshold = MMAP_THRESHOLD_MIN;
	heap.trim_threshold = TRIM_THRESHOLD;
	heap.ready = true;
}

/* Formats "prefix: what (pointer 0x...)\n" into buf; returns its length. */
static size_t format_error(char *buf, size_t cap, const char *prefix,
			   const char *what, const void *p)
{
	size_t n = 0;
	uintptr_t v = (uintptr_t)p;

	for (const char *s = prefix; *s && n < cap - 40; s++)
		buf[n++] = *s;
	for (const char *s = ": "; *s; s++)
		buf[n++] = *s;
	for (const char *s = what; *s && n < cap - 40; s++)
		buf[n++] = *s;
	for (const char *s = " (pointer 0x"; *s; s++)
		buf[n++] = *s;
	for (int shift = 60; shift >= 0; shift -= 4) {
		unsigned d = (v >> shift) & 15;
		if (d || shift == 0 || v >> shift)
			buf[n++] = "0123456789abcdef"[d];
	}
	buf[n++] = ')';
	buf[n++] = '\n';
	return n;
}

_Noreturn void heap_crash(const char *who, const char *what, const void *p)
{
	char buf[256];

	glue_write_error(buf, format_error(buf, sizeof(buf), who, what, p));
	glue_abort();
}

int heap_report(const char *what, const void *p)
{
	char buf[256];

	glue_write_error(buf, format_error(buf, sizeof(buf), "malloc_check",
					   what, p));
	return -1;
}
