/* <limits.h> - the limits of the integer types, and a few system limits. */
#ifndef BASALT_LIMITS_H
#define BASALT_LIMITS_H

#define CHAR_BIT	8
#define SCHAR_MIN	(-128)
#define SCHAR_MAX	127
#define UCHAR_MAX	255
#define CHAR_MIN	SCHAR_MIN
#define CHAR_MAX	SCHAR_MAX
#define SHRT_MIN	(-1 - 0x7fff)
#define SHRT_MAX	0x7fff
#define USHRT_MAX	0xffff
#define INT_MIN		(-1 - 0x7fffffff)
#define INT_MAX		0x7fffffff
#define UINT_MAX	0xffffffffU
#define LONG_MIN	(-1L - 0x7fffffffffffffffL)
#define LONG_MAX	0x7fffffffffffffffL
#define ULONG_MAX	0xffffffffffffffffUL
#define LLONG_MIN	(-1LL - 0x7fffffffffffffffLL)
#define LLONG_MAX	0x7fffffffffffffffLL
#define ULLONG_MAX	0xffffffffffffffffULL
#define SSIZE_MAX	LONG_MAX
#define MB_LEN_MAX	4

#define PATH_MAX	4096
#define NAME_MAX	255
#define PIPE_BUF	4096
#define PAGE_SIZE	4096
#define PAGESIZE	PAGE_SIZE

#endif
