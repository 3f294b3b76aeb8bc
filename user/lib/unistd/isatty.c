/*
 * isatty.c - isatty: is fd a terminal? Asks for its terminal settings
 * (TCGETS), as every C library does; the answer itself is not needed.
 */
#include <unistd.h>
#include "../internal/syscall.h"

#define TCGETS 0x5401

int isatty(int fd)
{
	unsigned char termios[60];	/* struct termios, 60 bytes on Linux */

	return __syscall_ret(sys_call3(SYS_ioctl, fd, TCGETS,
				       (long)termios)) == 0;
}
