// list.cpp - the linked-list demonstration of the memory-management
// report (MISSION.md section 2): a C++ class whose nodes live on
// libbasalt's heap, copied, changed, printed, erased and destroyed -
// after which the heap holds no live block at all, which the program
// checks with malloc_census and malloc_check.
//
// report_demo() is the report's main, statement for statement: insert
// 8 - i at position i for i = 0..7 (so the list reads 8 7 6 5 4 3 2 1);
// copy it (list li2(li); list li3; li = li3 = li2 = li;); insert -2 and
// -3 at the heads of li2 and li3; print the three lists with their
// sizes; erase positions 5, 3, 2 and 1 of li, which leaves 8 4 2 1, and
// print it. (The report's erase loop ran five times over its array of
// four positions, reading past its end; this one erases the four.) main
// runs it and then counts the heap blocks still live: 0, or the exit
// status is 1. Built with g++ -ffreestanding -fno-exceptions -fno-rtti
// and linked with libbasalt only (see user/lib/lib.mk).
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
	printf("%s:", name);
	for (const node *n = head; n; n = n->next)
		printf(" %d", n->value);
	printf(" (size %zu)\n", count);
}

static size_t live_blocks()
{
	struct malloc_census c;

	malloc_census(&c);
	return c.live_blocks;
}

static void report_demo()
{
	list li;
	int n = 8;

	for (int i = 0; i < n; i++)
		li.insert(i, n - i);
	list li2(li);
	list li3;
	li = li3 = li2 = li;
	li2.insert(0, -2);
	li3.insert(0, -3);
	li.print("li");
	li2.print("li2");
	li3.print("li3");

	const int positions[] = { 5, 3, 2, 1 };
	for (int pos : positions)
		li.erase(pos);
	li.print("li after erase(5), erase(3), erase(2), erase(1)");
}

int main()
{
	size_t before = live_blocks();

	report_demo();
	size_t after = live_blocks() - before;
	printf("live heap blocks once the lists are destroyed: %zu\n", after);
	return after == 0 && malloc_check() == 0 ? 0 : 1;
}
