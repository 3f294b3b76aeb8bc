/* Scatter/gather vectors of readv(2)/writev(2) (include/uapi/linux/uio.h). */
#ifndef BASALT_UAPI_UIO_H
#define BASALT_UAPI_UIO_H

#include <types.h>

struct iovec {
	void __user *iov_base;
	size_t iov_len;
};
_Static_assert(sizeof(struct iovec) == 16, "struct iovec size");
_Static_assert(offsetof(struct iovec, iov_len) == 8, "iov_len offset");

#define UIO_MAXIOV	1024

#endif
