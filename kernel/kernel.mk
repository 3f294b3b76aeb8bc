# Kernel build rules (included by the top Makefile).
#
# Every .c and .S file under kernel/ is part of the kernel; adding a file
# needs no change here. The image is linked twice: the second link embeds
# the symbol table (for panic backtraces) made from the first.

KERNEL_ELF := $(BUILD)/basalt.elf
KBUILD     := $(BUILD)/kernel

KCFLAGS := -std=gnu11 -ffreestanding -fno-stack-protector -fno-pic -fno-pie \
	-mcmodel=kernel -mno-red-zone -mgeneral-regs-only -mno-mmx -mno-sse \
	-mno-sse2 -fno-omit-frame-pointer -fno-strict-aliasing \
	-fno-delete-null-pointer-checks -O2 -g \
	-Wall -Wextra -Werror -Wno-unused-parameter \
	-Ikernel/include -MMD -MP
KASFLAGS := -Ikernel/include -D__ASSEMBLY__ -MMD -MP -g
KLDFLAGS := -nostdlib -z max-page-size=0x1000 -z noexecstack \
	--no-warn-rwx-segments -T kernel/arch/x86_64/kernel.ld

KSRCS := $(shell find kernel -name '*.c' -o -name '*.S' | \
	grep -v -e '^kernel/include/' -e '^kernel/vdso/' | sort)
KOBJS := $(patsubst kernel/%,$(KBUILD)/%.o,$(KSRCS)) \
	$(KBUILD)/gen/syscall_table.c.o $(KBUILD)/vdso/vdso_image.S.o

# The vDSO is user code: built as a tiny shared object with user-mode
# flags, then embedded in the kernel image as bytes (vdso_image.S).
VDSO_CFLAGS := -std=gnu11 -O2 -fPIC -ffreestanding -fno-stack-protector \
	-fno-asynchronous-unwind-tables -fno-unwind-tables -Ikernel/include \
	-Wall -Wextra -Werror -nostdlib -shared -Wl,-T,kernel/vdso/vdso.lds \
	-Wl,-soname=linux-vdso.so.1 -Wl,--hash-style=both \
	-Wl,--build-id=none -Wl,-z,noexecstack

$(KBUILD)/vdso/vdso.so: kernel/vdso/vdso.c kernel/vdso/vdso.lds \
		kernel/include/arch/vdso_data.h
	@mkdir -p $(dir $@)
	$(CC) $(VDSO_CFLAGS) -o $@ kernel/vdso/vdso.c
	@if readelf -r $@ | grep -q 'Relocation section'; then \
		echo "vdso: the image must need no relocations" >&2; exit 1; fi

$(KBUILD)/vdso/vdso_image.S: $(KBUILD)/vdso/vdso.so
	printf '\t.section .rodata\n\t.balign 4096\n\t.global vdso_image_start, vdso_image_end\nvdso_image_start:\n\t.incbin "%s"\nvdso_image_end:\n' $< > $@

$(KBUILD)/%.c.o: kernel/%.c
	@mkdir -p $(dir $@)
	$(CC) $(KCFLAGS) -c $< -o $@

$(KBUILD)/%.S.o: kernel/%.S
	@mkdir -p $(dir $@)
	$(CC) $(KASFLAGS) -c $< -o $@

$(KBUILD)/gen/syscall_table.c: kernel/syscall/syscalls.list kernel/syscall/gen-table.sh
	@mkdir -p $(dir $@)
	kernel/syscall/gen-table.sh $< > $@

$(KBUILD)/gen/syscall_table.c.o: $(KBUILD)/gen/syscall_table.c
	$(CC) $(KCFLAGS) -c $< -o $@

# Pass 1 links with an empty symbol table; pass 2 with the real one. The
# table sits after all code in the image, so code addresses do not move.
$(KBUILD)/ksyms0.S:
	@mkdir -p $(dir $@)
	scripts/gen-ksyms.sh /dev/null > $@

$(KBUILD)/pass1.elf: $(KOBJS) $(KBUILD)/ksyms0.S.o kernel/arch/x86_64/kernel.ld
	$(LD) $(KLDFLAGS) -o $@ $(KOBJS) $(KBUILD)/ksyms0.S.o

$(KBUILD)/ksyms.S: $(KBUILD)/pass1.elf scripts/gen-ksyms.sh
	scripts/gen-ksyms.sh $< > $@

$(KBUILD)/%.S.o: $(KBUILD)/%.S
	@mkdir -p $(dir $@)
	$(CC) $(KASFLAGS) -c $< -o $@

$(KERNEL_ELF): $(KBUILD)/pass1.elf $(KBUILD)/ksyms.S.o
	$(LD) $(KLDFLAGS) -o $@ $(KOBJS) $(KBUILD)/ksyms.S.o
	scripts/check-syscalls.sh $@ kernel/syscall/syscalls.list

-include $(KOBJS:.o=.d)
