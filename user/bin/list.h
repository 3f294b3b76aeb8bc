// list.h - a singly linked list of ints: the C++ class of the memory-
// management report's demonstration (MISSION.md section 2), built with
// libbasalt alone (no libstdc++), so every node comes from libbasalt's
// operator new and malloc.
//
// Positions count from 0. insert(pos, v) puts v before the element at
// pos (pos == size() appends); erase(pos) removes that element; both
// return false for a position that does not exist. Copies are deep: a
// copy owns nodes of its own. Assignment to itself changes nothing.
#ifndef BASALT_BIN_LIST_H
#define BASALT_BIN_LIST_H

#include <stddef.h>

class list {
public:
	list() = default;
	list(const list &other);
	list &operator=(const list &other);
	~list();

	bool insert(size_t pos, int value);
	bool erase(size_t pos);
	void clear();
	size_t size() const { return count; }
	bool empty() const { return count == 0; }
	// Prints "name: a b c (size N)" and a newline on stdout.
	void print(const char *name) const;

private:
	struct node {
		int value;
		node *next;
	};
	node *head = nullptr;
	size_t count = 0;

	// The link that points at position pos (head's, or a node's next).
	node **link_at(size_t pos);
	void copy_from(const list &other);
};

#endif
