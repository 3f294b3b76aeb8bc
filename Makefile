# Basalt build. The two commands a user needs:
#   make run     build everything and boot Basalt in QEMU (serial console)
#   make test    host unit tests, then the in-VM suite on Basalt and on Linux
# Other targets: test-basalt, test-linux, unit, check, run-linux, kernel,
# clean; ROOT=debian with run/run-linux boots Debian's own programs, and
# test-debian runs a scripted session in them (user/debian.mk). `make check` is the static check of the kernel sources (sparse:
# __user pointers and the rest of scripts/check-sparse.sh).

BUILD   := build
# The number of virtual CPUs of every QEMU boot: make run, run-linux,
# test (all its steps but test-smp4, which boots 4) and bench.
# scripts/qemu.sh reads it from the environment; SMP=N on the command
# line changes it.
SMP     ?= 2
export SMP
CC      := gcc
LD      := ld
# ROOT=debian boots Debian's own programs (user/debian.mk) instead of
# the busybox initramfs; INITRD=path still wins.
DEBIAN_CPIO := $(BUILD)/debian.cpio
ifeq ($(ROOT),debian)
INITRD  ?= $(DEBIAN_CPIO)
else
INITRD  ?=
endif

all: kernel

include kernel/kernel.mk
-include user/user.mk
-include user/debian.mk
-include tests/tests.mk
-include tests/unit/unit.mk
-include bench/bench.mk

.PHONY: all kernel deps check clean
kernel: $(KERNEL_ELF)

deps:
	@scripts/deps.sh

check: deps
	@scripts/check-sparse.sh

clean:
	rm -rf $(BUILD)
