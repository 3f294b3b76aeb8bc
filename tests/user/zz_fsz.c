/* Scratch 3: FIFOs, poll/select, sendfile, statfs, permissions as non-root. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/select.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <sys/time.h>

static int n;
#define R(expr) do { errno = 0; long _r = (long)(expr); printf("FSZ %03d %-60.60s = %ld e%d\n", ++n, #expr, _r, _r < 0 ? errno : 0); } while (0)

int main(void)
{
	int p[2], fd, fd2;
	char buf[256];
	struct stat st;

	R(mkfifo("/tmp/ff", 0666));
	pid_t pid = fork();
	if (pid == 0) {
		usleep(200000);
		int w = open("/tmp/ff", O_WRONLY);
		write(w, "fifo!", 5);
		_exit(0);
	}
	R(fd = open("/tmp/ff", O_RDONLY));
	R(read(fd, buf, sizeof buf));
	R(read(fd, buf, sizeof buf));
	waitpid(pid, NULL, 0);
	R(close(fd));
	R(pipe(p));
	struct pollfd pf[3] = { { p[0], POLLIN, 0 }, { p[1], POLLOUT, 0 }, { 99, POLLIN, 0 } };
	R(poll(pf, 3, 0));
	R(pf[0].revents); R(pf[1].revents); R(pf[2].revents);
	R(poll(pf, 1, 50));
	R(write(p[1], "x", 1));
	R(poll(pf, 1, 50));
	R(pf[0].revents);
	R(close(p[1]));
	R(poll(pf, 1, 50));
	R(pf[0].revents);
	fd_set rs; FD_ZERO(&rs); FD_SET(p[0], &rs);
	struct timeval tv = { 0, 10000 };
	R(select(p[0] + 1, &rs, NULL, NULL, &tv));
	R(FD_ISSET(p[0], &rs));
	FD_ZERO(&rs); FD_SET(77, &rs);
	R(select(78, &rs, NULL, NULL, &tv));
	R(close(p[0]));
	R(pipe(p));
	pid = fork();
	if (pid == 0) { usleep(100000); write(p[1], "late", 4); _exit(0); }
	pf[0].fd = p[0]; pf[0].events = POLLIN;
	R(poll(pf, 1, 5000));
	R(pf[0].revents);
	waitpid(pid, NULL, 0);
	close(p[0]); close(p[1]);
	R(fd = open("/tmp/src", O_CREAT | O_RDWR | O_TRUNC, 0644));
	R(write(fd, "0123456789", 10));
	R(fd2 = open("/tmp/dst", O_CREAT | O_RDWR | O_TRUNC, 0644));
	off_t off = 2;
	R(sendfile(fd2, fd, &off, 5));
	R(off);
	R(lseek(fd, 0, SEEK_CUR));
	R(lseek(fd, 0, SEEK_SET));
	R(sendfile(fd2, fd, NULL, 100));
	R(lseek(fd, 0, SEEK_CUR));
	R(pread(fd2, buf, 100, 0));
	buf[15] = 0; printf("FSZ dst=%s\n", buf);
	R(pipe(p));
	R(sendfile(fd2, p[0], NULL, 1));
	R(close(p[0])); R(close(p[1]));
	struct statfs sf;
	R(statfs("/tmp", &sf));
	R(sf.f_type); R(sf.f_bsize); R(sf.f_namelen); R(sf.f_flags); R(sf.f_frsize);
	R(fstatfs(fd, &sf));
	R(statfs("/proc", &sf));
	R(sf.f_type);
	R(fsync(fd)); R(fdatasync(fd));
	R(fsync(1));
	R(close(fd)); R(close(fd2));
	R(fd = open("/tmp", O_RDONLY));
	R(fsync(fd));
	R(close(fd));
	R(close(open("/tmp/rootonly", O_CREAT | O_WRONLY, 0600)));
	R(close(open("/tmp/rootfile", O_CREAT | O_WRONLY, 0644)));
	R(mkdir("/tmp/udir", 0777));
	R(chmod("/tmp/udir", 0777));
	pid = fork();
	if (pid == 0) {
		R(setgid(1000));
		R(setuid(1000));
		R(open("/tmp/rootonly", O_RDONLY));
		R(open("/tmp/rootfile", O_WRONLY));
		R(open("/tmp/rootfile", O_RDONLY) >= 0);
		R(access("/tmp/rootfile", W_OK));
		R(access("/tmp/rootfile", R_OK));
		R(mkdir("/newdir", 0755));
		R(unlink("/tmp/rootfile"));
		R(chmod("/tmp/rootfile", 0777));
		R(chown("/tmp/rootfile", 1000, 1000));
		struct timespec ts[2] = { { 1, 0 }, { 2, 0 } };
		R(utimensat(AT_FDCWD, "/tmp/rootfile", ts, 0));
		R(utimensat(AT_FDCWD, "/tmp/rootfile", NULL, 0));
		R(fd = open("/tmp/udir/mine", O_CREAT | O_WRONLY, 0644));
		R(fstat(fd, &st));
		R(st.st_uid); R(st.st_gid);
		R(fchmod(fd, 02755));
		R(fstat(fd, &st));
		R(st.st_mode);
		R(chown("/tmp/udir/mine", -1, 1000));
		R(chown("/tmp/udir/mine", -1, 0));
		R(chown("/tmp/udir/mine", 0, -1));
		R(mknod("/tmp/udir/dev", S_IFCHR | 0600, 0x103));
		R(rename("/tmp/udir/mine", "/tmp/rootfile"));
		R(link("/tmp/rootfile", "/tmp/udir/l"));
		R(open("/tmp/udir/l", O_WRONLY));
		R(truncate("/tmp/rootfile", 0));
		R(chdir("/root") == 0 || errno == ENOENT);
		R(umount2("/tmp", 0));
		R(mount("none", "/tmp/udir", "tmpfs", 0, NULL));
		R(chroot("/tmp"));
		fflush(stdout);
		_exit(0);
	}
	waitpid(pid, NULL, 0);
	R(lstat("/tmp/udir/l", &st));
	R(st.st_nlink);
	return 0;
}
