// list.cpp - the linked-list demonstration of the memory-management
// report (MISSION.md section 2): a C++ class whose nodes live on
// libbasalt's heap, copied three ways, changed, printed, erased, and
// destroyed - after which the heap holds no live block at all, which the
// program checks and prints with malloc_census.
//
// The demo: insert 8, 7, ..., 1 at the head of a list (so it reads 1..8);
// copy it three ways (copy construction, copy initialisation, copy
// assignment); insert -2 and -3 at the heads of two of the copies; print
// the three copies with their sizes; then erase positions 5, 3, 2 and 1
// of the original, printing it after each. Built with
// g++ -ffreestanding -fno-exceptions -fno-rtti and linked with libbasalt
// only (see user/lib/lib.mk).
#include "list.h"

#include <malloc.h>
#include <stdio.h>

list::list(const list &other)
{
	copy_from(other);
}

list &list::operator=(const list &other)
{
	if (this != &other) {
		clear();
		copy_from(other);
	}
	return *this;
}

list::~list()
{
	clear();
}

// Appends a copy of every node of other (this list is empty).
void list::copy_from(const list &other)
{
	node **tail = &head;

	for (const node *n = other.head; n; n = n->next) {
		*tail = new node{ n->value, nullptr };
		tail = &(*tail)->next;
	}
	count = other.count;
}

list::node **list::link_at(size_t pos)
{
	node **link = &head;

	while (pos-- > 0)
		link = &(*link)->next;
	return link;
}

bool list::insert(size_t pos, int value)
{
	if (pos > count)
		return false;
	node **link = link_at(pos);
	*link = new node{ value, *link };
	count++;
	return true;
}

bool list::erase(size_t pos)
{
	if (pos >= count)
		return false;
	node **link = link_at(pos);
	node *gone = *link;
	*link = gone->next;
	delete gone;
	count--;
	return true;
}

void list::clear()
{
	while (head) {
		node *next = head->next;

		delete head;
		head = next;
	}
	count = 0;
}

void list::print(const char *name) const
{
	printf("%s = [", name);
	for (const node *n = head; n; n = n->next)
		printf(n == head ? "%d" : " %d", n->value);
	printf("] size %zu%s\n", count, empty() ? " (empty)" : "");
}

static size_t live_blocks()
{
	struct malloc_census c;

	malloc_census(&c);
	return c.live_blocks;
}

int main()
{
	size_t before = live_blocks();
	{
		list a;

		for (int i = 8; i >= 1; i--)
			a.insert(0, i);
		a.print("a");

		list b(a);		// copy construction
		list c = a;		// copy initialisation
		list d;
		d = a;			// copy assignment
		d = d;			// self-assignment changes nothing
		b.insert(0, -2);
		c.insert(0, -3);
		puts("after b.insert(0, -2) and c.insert(0, -3):");
		b.print("b");
		c.print("c");
		d.print("d");

		const size_t positions[] = { 5, 3, 2, 1 };
		for (size_t pos : positions) {
			a.erase(pos);
			printf("a.erase(%zu): ", pos);
			a.print("a");
		}
		d.clear();
		d.print("d.clear(): d");
		printf("live heap blocks while the lists exist: %zu\n",
		       live_blocks() - before);
	}
	size_t after = live_blocks() - before;
	printf("live heap blocks after they are destroyed: %zu\n", after);
	return after == 0 && malloc_check() == 0 ? 0 : 1;
}
