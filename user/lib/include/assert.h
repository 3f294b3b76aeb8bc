/*
 * <assert.h> - assert(e): when e is false, prints the expression, file,
 * line and function on stderr and aborts. NDEBUG turns it off. (Not
 * guarded: each inclusion follows the current NDEBUG, as C requires.)
 */
#undef assert
#ifdef NDEBUG
#define assert(e) ((void)0)
#else
#ifdef __cplusplus
extern "C"
#endif
__attribute__((noreturn)) void __assert_fail(const char *expr,
	const char *file, unsigned line, const char *func);
#define assert(e) ((e) ? (void)0 : __assert_fail(#e, __FILE__, __LINE__, __func__))
#endif
#if !defined(__cplusplus) && !defined(static_assert)
#define static_assert _Static_assert
#endif
