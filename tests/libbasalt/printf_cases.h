/*
 * printf_cases.h - the format strings and arguments the printf test
 * compares: every line is X(format, arguments...). printf_gen.c formats
 * them with the host's glibc into the expected strings; printf.c formats
 * them with libbasalt and compares. Only what C defines is here (no
 * undefined flag combinations), plus glibc's "(nil)" and "(null)".
 */
#include <float.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define PRINTF_CASES(X) \
	X("plain text, no conversion") \
	X("%d|%i|%d|%d", 0, 42, -42, 7) \
	X("%d %d", INT_MAX, INT_MIN) \
	X("[%5d] [%-5d] [%05d] [%-05d]", 42, 42, 42, 42) \
	X("[%+d] [%+d] [% d] [% d] [%+ d]", 5, -5, 5, -5, 5) \
	X("[%.3d] [%.0d] [%.0d] [%8.3d] [%-8.3d] [%08.3d]", 7, 0, 1, -7, 7, 7) \
	X("[%05d] [%+05d] [% 05d]", -42, 42, 42) \
	X("%u %u", 0u, UINT_MAX) \
	X("%o %#o %#o %#.0o %.0o|", 8u, 8u, 0u, 0u, 0u) \
	X("%x %X %#x %#X %#x", 255u, 255u, 255u, 255u, 0u) \
	X("[%#08x] [%#.4x] [%#10.4x] [%-#10x]", 255u, 255u, 255u, 255u) \
	X("%hhd %hhu %hhx", 300, -1, 0x1ff) \
	X("%hd %hu", 70000, 70000) \
	X("%ld %lu %lx", LONG_MIN, ULONG_MAX, 0xdeadbeefcafeUL) \
	X("%lld %llu %llX", LLONG_MIN, ULLONG_MAX, 0xabcdefULL) \
	X("%zu %zd %zx", (size_t)SIZE_MAX, (ssize_t)-1, (size_t)4096) \
	X("%td %jd %ju", (ptrdiff_t)-5, (intmax_t)INTMAX_MIN, (uintmax_t)UINTMAX_MAX) \
	X("[%*d] [%-*d] [%*d]", 6, 42, 6, 42, -6, 42) \
	X("[%.*d] [%.*d] [%*.*d]", 4, 7, -1, 7, 8, 3, 5) \
	X("[%c] [%5c] [%-5c]", 'A', 'b', 'c') \
	X("[%s] [%10s] [%-10s] [%.3s] [%8.3s] [%s]", "hello", "hi", "hi", "abcdef", "abcdef", "") \
	X("[%.*s] [%-*s]", 2, "xyz", 4, "ab") \
	X("100%% %d%%", 1) \
	X("%p %p", (void *)0x1234, (void *)0) \
	X("[%20p] [%-20p] [%10p]", (void *)0x1234, (void *)0xabc, (void *)0) \
	X("%f %f %f", 3.14159, -0.0, 0.0) \
	X("%.2f %.2f %.1f %.1f", 2.675, 1.005, 0.25, 0.35) \
	X("%.0f %.0f %.0f %.0f %.0f", 0.5, 1.5, 2.5, 3.5, -0.5) \
	X("%e %E %.3e %.0e", 12345.678, 12345.678, 0.0001234, 5e10) \
	X("%g %g %g %g %g %g", 100000.0, 1000000.0, 0.0001, 0.00001, 123.456, 0.0) \
	X("%G %#g %#.0f %#.0e %g", 1e-10, 1.0, 3.0, 3.0, 1e100) \
	X("[%10.3f] [%-10.2e] [%+.1f] [%010.3f] [% f]", -3.14159, 314.159, 2.25, -1.5, 1.0) \
	X("[%08.2f] [%+08.2f] [%-8.2f] [%08g]", 3.14159, 3.14159, 3.14159, 0.5) \
	X("%f", 1e300) \
	X("%.20f %.17g %.17g", 0.1, 0.1, 1.0 / 3) \
	X("%g %g %g", DBL_MAX, DBL_MIN, 4.9406564584124654e-324) \
	X("%.3g %.10g %.1g %g", 1234567.0, 1234567.0, 0.95, 999999.5) \
	X("%f %e %g", 1e-310, 1e-310, 1e-310) \
	X("%f %F %e %g %5.1f|", __builtin_inf(), -__builtin_inf(), __builtin_inf(), -__builtin_inf(), __builtin_inf()) \
	X("%f %F %g", __builtin_nan(""), __builtin_nan(""), -__builtin_nan("")) \
	X("%a %a %a %A %a", 1.0, 0.1, -2.5, 255.5, 0.0) \
	X("%.2a %.0a %.1a", 1.999, 1.5, 1.0) \
	X("%Lf %Le", (long double)1.5, (long double)-0.125) \
	X("%s|%5s|%-5d|%x", "mix", "ed", 3, 0xfu)
