/*
 * hello.c - the smallest test: a static program starts, prints through its
 * C library's stdio, and exits 0 by returning from main (so exit() must
 * flush stdout). Other tests exec it as a known-good child.
 */
#include <stdio.h>

int main(void)
{
	printf("hello\n");
	return 0;
}
