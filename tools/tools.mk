# Host tools: programs that run on the build machine while building the
# images (included from user/user.mk). They are built with the host
# compiler, never with the kernel's flags.
#
#   mkcpio   writes newc cpio archives, device nodes included, without root

HOSTCC     := gcc
HOSTCFLAGS := -O2 -g -Wall -Wextra
MKCPIO     := $(BUILD)/tools/mkcpio

.PHONY: tools
tools: $(MKCPIO)

$(MKCPIO): tools/mkcpio.c
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOSTCFLAGS) -o $@ $<
