/*
 * The program the exec benchmark starts (/bench/exit0 in the bench
 * initramfs): a static glibc program that does nothing. What it costs is
 * the kernel's execve and exit, plus glibc's own start-up, which is the
 * same user-space work on every kernel.
 */
int main(void)
{
	return 0;
}
