# Dynamically linked helper programs for the loader tests
# (tests/user/dynexec*.c, loader*.c), included by tests/tests.mk.
#
# They go into the test initramfs under /tests/dyn/, with what they need
# to run: glibc's loader and libc (/lib64/ld-linux-x86-64.so.2 ->
# /lib/x86_64-linux-gnu/) and musl's (/lib/ld-musl-x86_64.so.1, which is
# musl's libc.so itself), taken from the host.
#
#   probe-glibc        gcc's default: a PIE with an interpreter
#   probe-glibc-nopie  ET_EXEC with an interpreter
#   probe-musl         musl-gcc's dynamic PIE
#   probe-static       gcc -static (a static interpreter for scripts)
#   true-glibc, true-musl

DYN_DIR     := tests/user/dynexec
DYN_BUILD   := $(TBUILD)/dyn
DYN_CFLAGS  := -O2 -g -Wall -Wextra
DYN_PROGS   := probe-glibc probe-glibc-nopie probe-musl probe-static \
	true-glibc true-musl
DYN_BINS    := $(addprefix $(DYN_BUILD)/,$(DYN_PROGS))
GLIBC_LIBDIR := /lib/x86_64-linux-gnu
MUSL_LDSO   := /usr/lib/x86_64-linux-musl/libc.so

$(DYN_BUILD)/%-glibc: $(DYN_DIR)/%.c
	@mkdir -p $(dir $@)
	$(CC) $(DYN_CFLAGS) -o $@ $<

$(DYN_BUILD)/%-glibc-nopie: $(DYN_DIR)/%.c
	@mkdir -p $(dir $@)
	$(CC) $(DYN_CFLAGS) -no-pie -o $@ $<

$(DYN_BUILD)/%-static: $(DYN_DIR)/%.c
	@mkdir -p $(dir $@)
	$(CC) $(DYN_CFLAGS) -static -o $@ $<

$(DYN_BUILD)/%-musl: $(DYN_DIR)/%.c
	@mkdir -p $(dir $@)
	$(MUSL_CC) $(DYN_CFLAGS) -o $@ $<

# Lines for the archive's table of contents (tests/tests.mk).
define DYN_CPIO_LINES
	echo "dir /tests/dyn 0755 0 0"; \
	for p in $(DYN_PROGS); do \
	  echo "file /tests/dyn/$$p $(DYN_BUILD)/$$p 0755 0 0"; \
	done; \
	echo "dir /lib 0755 0 0"; \
	echo "dir /lib64 0755 0 0"; \
	echo "dir $(GLIBC_LIBDIR) 0755 0 0"; \
	echo "file $(GLIBC_LIBDIR)/ld-linux-x86-64.so.2 $(GLIBC_LIBDIR)/ld-linux-x86-64.so.2 0755 0 0"; \
	echo "file $(GLIBC_LIBDIR)/libc.so.6 $(GLIBC_LIBDIR)/libc.so.6 0755 0 0"; \
	echo "slink /lib64/ld-linux-x86-64.so.2 $(GLIBC_LIBDIR)/ld-linux-x86-64.so.2 0777 0 0"; \
	echo "file /lib/ld-musl-x86_64.so.1 $(MUSL_LDSO) 0755 0 0";
endef
