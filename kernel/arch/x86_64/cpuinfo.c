/*
 * /proc/cpuinfo for x86-64: what CPUID says about the processor, in the
 * layout of Linux's show_cpuinfo (arch/x86/kernel/cpu/proc.c), one block
 * per online CPU. The topology is what QEMU's -smp N gives Linux: one
 * package (physical id 0) of N cores (siblings = cpu cores = N) of one
 * thread each, so CPU n is core n, and its apicid is the APIC id the CPU
 * read for itself (struct cpu's apic_id). The CPUs are alike (QEMU's
 * vCPUs are), so CPUID is asked on whichever CPU reads. The flags are the CPUID feature bits
 * under the names Linux gives them, in Linux's order (by capability
 * word); Linux's synthetic flags (constant_tsc, rep_good, ...), which
 * describe its own decisions rather than the CPU, are left out. "cpu
 * MHz" is the TSC rate measured at boot; bogomips is Linux's (twice
 * that, for a TSC-calibrated delay loop).
 */
#include <types.h>
#include <arch/cpu.h>
#include <arch/smp.h>
#include <lib/printk.h>
#include <lib/string.h>

static void cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	__asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]),
			 "=d"(r[3]) : "a"(leaf), "c"(sub));
}

/* One CPUID register's named bits, as Linux's x86_cap_flags names them. */
struct flag_word {
	uint32_t leaf;
	int reg;			/* 0..3: eax, ebx, ecx, edx */
	const char *names[32];		/* NULL: no name shown */
};

static const struct flag_word flag_words[] = {
	{ 1, 3, { "fpu", "vme", "de", "pse", "tsc", "msr", "pae", "mce",
		  "cx8", "apic", NULL, "sep", "mtrr", "pge", "mca", "cmov",
		  "pat", "pse36", "pn", "clflush", NULL, "dts", "acpi", "mmx",
		  "fxsr", "sse", "sse2", "ss", "ht", "tm", "ia64", "pbe" } },
	{ 0x80000001, 3, { [11] = "syscall", [19] = "mp", [20] = "nx",
		  [22] = "mmxext", [25] = "fxsr_opt", [26] = "pdpe1gb",
		  [27] = "rdtscp", [29] = "lm", [30] = "3dnowext",
		  [31] = "3dnow" } },
	{ 1, 2, { "pni", "pclmulqdq", "dtes64", "monitor", "ds_cpl", "vmx",
		  "smx", "est", "tm2", "ssse3", "cid", "sdbg", "fma", "cx16",
		  "xtpr", "pdcm", NULL, "pcid", "dca", "sse4_1", "sse4_2",
		  "x2apic", "movbe", "popcnt", "tsc_deadline_timer", "aes",
		  "xsave", NULL, "avx", "f16c", "rdrand", "hypervisor" } },
	{ 0x80000001, 2, { "lahf_lm", "cmp_legacy", "svm", "extapic",
		  "cr8_legacy", "abm", "sse4a", "misalignsse",
		  "3dnowprefetch", "osvw", "ibs", "xop", "skinit", "wdt",
		  NULL, "lwp", "fma4", "tce", NULL, "nodeid_msr", NULL, "tbm",
		  "topoext", "perfctr_core", "perfctr_nb", NULL, "bpext",
		  "ptsc", "perfctr_llc", "mwaitx" } },
	{ 7, 1, { "fsgsbase", "tsc_adjust", "sgx", "bmi1", "hle", "avx2",
		  NULL, "smep", "bmi2", "erms", "invpcid", "rtm", "cqm",
		  NULL, "mpx", "rdt_a", "avx512f", "avx512dq", "rdseed",
		  "adx", "smap", "avx512ifma", NULL, "clflushopt", "clwb",
		  "intel_pt", "avx512pf", "avx512er", "avx512cd", "sha_ni",
		  "avx512bw", "avx512vl" } },
	{ 7, 2, { NULL, "avx512vbmi", "umip", "pku", "ospke", "waitpkg",
		  "avx512_vbmi2", NULL, "gfni", "vaes", "vpclmulqdq",
		  "avx512_vnni", "avx512_bitalg", "tme", "avx512_vpopcntdq",
		  NULL, "la57", NULL, NULL, NULL, NULL, NULL, "rdpid",
		  NULL, "bus_lock_detect", "cldemote", NULL, "movdiri",
		  "movdir64b", "enqcmd", "sgx_lc" } },
	{ 7, 3, { [2] = "avx512_4vnniw", [3] = "avx512_4fmaps",
		  [4] = "fsrm", [8] = "avx512_vp2intersect", [10] = "md_clear",
		  [14] = "serialize", [16] = "tsxldtrk", [18] = "pconfig",
		  [19] = "arch_lbr", [22] = "amx_bf16", [23] = "avx512_fp16",
		  [24] = "amx_tile", [25] = "amx_int8", [28] = "flush_l1d",
		  [29] = "arch_capabilities" } },
};

/* Append the flags of one word to buf at len; the new length. */
static size_t add_flags(char *buf, size_t size, size_t len,
			const struct flag_word *w, uint32_t max_basic,
			uint32_t max_ext)
{
	uint32_t r[4];

	if (w->leaf < 0x80000000U ? w->leaf > max_basic : w->leaf > max_ext)
		return len;
	cpuid(w->leaf, 0, r);
	for (int bit = 0; bit < 32; bit++)
		if (w->names[bit] && (r[w->reg] & (1U << bit)))
			len += (size_t)snprintf(buf + len, len < size ?
						size - len : 0, " %s",
						w->names[bit]);
	return len;
}

/* The brand string (leaves 0x80000002..4), leading blanks dropped. */
static void model_name(char name[49], uint32_t max_ext)
{
	uint32_t r[4];
	const char *s = name;

	strlcpy(name, "unknown", 49);
	if (max_ext < 0x80000004U)
		return;
	for (uint32_t i = 0; i < 3; i++) {
		cpuid(0x80000002U + i, 0, r);
		memcpy(name + 16 * i, r, 16);
	}
	name[48] = '\0';
	while (*s == ' ')
		s++;
	memmove(name, s, strlen(s) + 1);
}

/* The level-2 cache in KB (leaf 0x80000006, on Intel and AMD alike). */
static unsigned int l2_kb(uint32_t max_ext)
{
	uint32_t r[4];

	if (max_ext < 0x80000006U)
		return 0;
	cpuid(0x80000006U, 0, r);
	return r[2] >> 16;
}

/* CPU n's block, at most size bytes into buf; the length it needs. */
static size_t cpuinfo_block(char *buf, size_t size, unsigned int n)
{
	uint32_t r[4], max_basic, max_ext, sig;
	char vendor[13], name[49];
	uint64_t khz = arch_tsc_khz();
	unsigned int family, model, clsize;
	size_t len;

	cpuid(0, 0, r);
	max_basic = r[0];
	memcpy(vendor, &r[1], 4);
	memcpy(vendor + 4, &r[3], 4);
	memcpy(vendor + 8, &r[2], 4);
	vendor[12] = '\0';
	cpuid(0x80000000U, 0, r);
	max_ext = r[0];
	cpuid(1, 0, r);
	sig = r[0];
	clsize = ((r[1] >> 8) & 0xff) * 8;
	family = (sig >> 8) & 0xf;
	model = (sig >> 4) & 0xf;
	if (family == 0xf)
		family += (sig >> 20) & 0xff;
	if (family >= 6)
		model += ((sig >> 16) & 0xf) << 4;
	model_name(name, max_ext);
	len = (size_t)snprintf(buf, size,
		"processor\t: %u\nvendor_id\t: %s\ncpu family\t: %u\n"
		"model\t\t: %u\nmodel name\t: %s\nstepping\t: %u\n"
		"cpu MHz\t\t: %lu.%03lu\ncache size\t: %u KB\n"
		"physical id\t: 0\nsiblings\t: %u\n"
		"core id\t\t: %u\ncpu cores\t: %u\napicid\t\t: %u\n"
		"initial apicid\t: %u\nfpu\t\t: yes\nfpu_exception\t: yes\n"
		"cpuid level\t: %u\nwp\t\t: yes\nflags\t\t:",
		n, vendor, family, model, name, sig & 0xf,
		(unsigned long)(khz / 1000), (unsigned long)(khz % 1000),
		l2_kb(max_ext), nr_cpus, n, nr_cpus, cpu_area(n)->apic_id,
		cpu_area(n)->apic_id, max_basic);
	for (size_t i = 0; i < ARRAY_SIZE(flag_words); i++)
		len = add_flags(buf, size, len, &flag_words[i], max_basic,
				max_ext);
	if (max_ext >= 0x80000008U)
		cpuid(0x80000008U, 0, r);
	else
		r[0] = (48 << 8) | 36;
	len += (size_t)snprintf(buf + len, len < size ? size - len : 0,
		"\nbogomips\t: %lu.%02lu\nclflush size\t: %u\n"
		"cache_alignment\t: %u\naddress sizes\t: %u bits physical, "
		"%u bits virtual\npower management:\n\n",
		(unsigned long)(khz * 2 / 1000),
		(unsigned long)(khz * 2 / 10 % 100), clsize, clsize,
		r[0] & 0xff, (r[0] >> 8) & 0xff);
	return len;
}

int arch_cpuinfo(char *buf, size_t size)
{
	size_t len = 0;

	for_each_online_cpu(n)
		len += cpuinfo_block(buf + len, len < size ? size - len : 0, n);
	return (int)len;
}
