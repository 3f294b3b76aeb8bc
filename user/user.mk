# User space for `make run` (included by the top Makefile): the init
# program, the initramfs it lives in, and the targets that boot it.
#
#   make run         build Basalt and its initramfs, boot it in QEMU
#   make run-linux   boot the same initramfs on Debian's Linux kernel
#   make initramfs   only build $(BUILD)/initramfs.cpio
#   make linux       only fetch the Linux kernel ($(BUILD)/linux/vmlinuz)
#
# Options: INITRD=path boots another initramfs; APPEND="words" adds to the
# kernel command line. With a terminal on standard input, /init starts a
# busybox shell (Ctrl-A X quits QEMU); without one (CI, </dev/null) it only
# greets and powers off, so the command always ends.
#
# The initramfs holds /init (user/init), busybox with a link for each of
# its applets, the libbasalt demonstrations of MISSION.md §2 (/bin/list,
# /bin/bank, /bin/prodcons, /bin/philosophers: see docs/libbasalt.md),
# /dev/console and /dev/null, and empty /proc, /tmp, /root.

include tools/tools.mk
include user/lib/lib.mk

INIT_BIN      := $(BUILD)/user/init
INITRAMFS     := $(BUILD)/initramfs.cpio
LINUX_KERNEL  := $(BUILD)/linux/vmlinuz
BUSYBOX       ?= /bin/busybox
USER_CFLAGS   := -static -O2 -g -Wall -Wextra
RUN_INITRD     = $(or $(INITRD),$(INITRAMFS))
# The shell needs someone to type; `test -t 0` asks whether anyone can.
RUN_APPEND     = $$(test -t 0 || echo INIT_SHELL=0) $(APPEND)

.PHONY: run run-linux run-build run-linux-build initramfs linux

# Dependencies are installed before anything is built, hence the inner make.
run: deps
	@$(MAKE) --no-print-directory run-build
	scripts/qemu.sh basalt $(RUN_INITRD) $(RUN_APPEND)

run-linux: deps
	@$(MAKE) --no-print-directory run-linux-build
	scripts/qemu.sh linux $(RUN_INITRD) $(RUN_APPEND)

run-build: kernel $(RUN_INITRD) ; @:
run-linux-build: $(LINUX_KERNEL) $(RUN_INITRD) ; @:

initramfs: $(INITRAMFS)
linux: $(LINUX_KERNEL)

$(LINUX_KERNEL):
	scripts/fetch-linux.sh

$(INIT_BIN): user/init/init.c
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) -o $@ $<

# The archive's table of contents, in mkcpio's (gen_init_cpio's) format.
# Applets go where busybox says they belong (bin/, sbin/, usr/bin/, ...);
# its /linuxrc is left out, as /init is ours.
$(BUILD)/user/initramfs.list: user/user.mk user/lib/lib.mk $(BUSYBOX)
	@mkdir -p $(dir $@)
	@{ \
	  echo "dir /dev 0755 0 0"; \
	  echo "nod /dev/console 0600 0 0 c 5 1"; \
	  echo "nod /dev/null 0666 0 0 c 1 3"; \
	  echo "nod /dev/tty 0666 0 0 c 5 0"; \
	  echo "nod /dev/ptmx 0666 0 0 c 5 2"; \
	  for d in proc root bin sbin usr usr/bin usr/sbin; do \
	    echo "dir /$$d 0755 0 0"; \
	  done; \
	  echo "dir /tmp 1777 0 0"; \
	  echo "file /init $(INIT_BIN) 0755 0 0"; \
	  echo "file /bin/busybox $(BUSYBOX) 0755 0 0"; \
	  for b in $(BASALT_BIN_NAMES); do \
	    echo "file /bin/$$b $(BUILD)/user/bin/$$b 0755 0 0"; \
	  done; \
	  $(BUSYBOX) --list-full | grep / | grep -vx bin/busybox | sort | \
	    sed 's|.*|slink /& /bin/busybox 0777 0 0|'; \
	} > $@.tmp && mv $@.tmp $@

$(INITRAMFS): $(BUILD)/user/initramfs.list $(INIT_BIN) $(BUSYBOX) $(MKCPIO) \
		$(BASALT_BINS)
	$(MKCPIO) $< > $@.tmp && mv $@.tmp $@
