/* fallocate(2) modes (include/uapi/linux/falloc.h). */
#ifndef BASALT_UAPI_FALLOC_H
#define BASALT_UAPI_FALLOC_H

#define FALLOC_FL_KEEP_SIZE	0x01	/* allocate, but leave the size */
#define FALLOC_FL_PUNCH_HOLE	0x02	/* free the range (with KEEP_SIZE) */
#define FALLOC_FL_NO_HIDE_STALE	0x04	/* reserved */
#define FALLOC_FL_COLLAPSE_RANGE 0x08	/* remove the range, shift the rest */
#define FALLOC_FL_ZERO_RANGE	0x10	/* zero the range */
#define FALLOC_FL_INSERT_RANGE	0x20	/* insert a hole, shift the rest */
#define FALLOC_FL_UNSHARE_RANGE	0x40	/* unshare shared (reflinked) blocks */

/* Every mode bit vfs_fallocate knows (Linux's FALLOC_FL_SUPPORTED_MASK). */
#define FALLOC_FL_SUPPORTED_MASK (FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE | \
	FALLOC_FL_NO_HIDE_STALE | FALLOC_FL_COLLAPSE_RANGE |		\
	FALLOC_FL_ZERO_RANGE | FALLOC_FL_INSERT_RANGE |			\
	FALLOC_FL_UNSHARE_RANGE)

#endif
