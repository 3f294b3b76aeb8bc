/* memfd_create(2) flags (include/uapi/linux/memfd.h, Linux 6.1). */
#ifndef BASALT_UAPI_MEMFD_H
#define BASALT_UAPI_MEMFD_H

#define MFD_CLOEXEC		0x0001U
#define MFD_ALLOW_SEALING	0x0002U
#define MFD_HUGETLB		0x0004U

/* With MFD_HUGETLB: log2 of the huge page size in bits 26..31. */
#define MFD_HUGE_SHIFT		26
#define MFD_HUGE_MASK		0x3fU

#endif
