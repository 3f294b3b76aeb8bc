/* true.c - the smallest dynamically linked program: exits 0. For the
 * leak and repetition tests (tests/user/dynexec_leak.c). */
int main(void)
{
	return 0;
}
