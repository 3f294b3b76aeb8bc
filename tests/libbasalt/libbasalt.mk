# The libbasalt tests (included by tests/tests.mk). Every
# tests/libbasalt/NAME.c or NAME.cpp is built against libbasalt alone
# (no glibc, no musl, no libstdc++) as NAME-basalt, linked with the
# harness of tests/user/lib/ compiled for libbasalt, and added to the
# test initramfs; the runner runs it on Basalt and on Linux like any
# other test. TESTS="a b" selects these by NAME too.
#
# Two tests take extra pieces:
#   printf  compares libbasalt's printf with glibc's: printf_gen.c,
#           built with the host's glibc, prints every case of
#           printf_cases.h as glibc formats it, into printf_expect.h.
#   list    runs the C++ list demonstration of user/bin/list.cpp, whose
#           main is renamed list_demo_main so the test can call it.
#   demos   runs the other demonstrations of user/bin/ (bank, prodcons,
#           philosophers), each main renamed NAME_main.
#   bank_smp runs bank's main 1000 times with its threads pinned to two
#           CPUs, through a wrapped thread_create (ld --wrap).

BT_DIR      := tests/libbasalt
BT_BUILD    := $(TBUILD)/libbasalt
BT_SRC      := $(wildcard $(BT_DIR)/*.c $(BT_DIR)/*.cpp)
BT_SRC      := $(filter-out $(BT_DIR)/printf_gen.c,$(BT_SRC))
BT_NAMES    := $(sort $(basename $(notdir $(BT_SRC))))
ifneq ($(TESTS),)
BT_NAMES    := $(filter $(TESTS),$(BT_NAMES))
endif
BT_HARNESS  := $(patsubst $(TEST_DIR)/lib/%.c,$(BT_BUILD)/harness/%.o,$(TEST_LIB_SRC))
BT_CFLAGS   := $(BASALT_CFLAGS) -I$(TEST_DIR)/lib -I$(BT_DIR) -I$(BT_BUILD)
BT_CXXFLAGS := $(BASALT_CXXFLAGS) -I$(TEST_DIR)/lib -I$(BT_DIR) -I$(BT_BUILD)

TEST_BINS   += $(foreach n,$(BT_NAMES),$(TBUILD)/$(n)-basalt)

.SECONDARY: $(BT_HARNESS)

$(BT_BUILD)/harness/%.o: $(TEST_DIR)/lib/%.c $(LIBBASALT)
	@mkdir -p $(dir $@)
	$(CC) $(BT_CFLAGS) -c -o $@ $<

$(BT_BUILD)/%.o: $(BT_DIR)/%.c $(LIBBASALT)
	@mkdir -p $(dir $@)
	$(CC) $(BT_CFLAGS) $(BT_FLAGS_$*) -c -o $@ $<

$(BT_BUILD)/%.o: $(BT_DIR)/%.cpp $(LIBBASALT)
	@mkdir -p $(dir $@)
	$(CXX) $(BT_CXXFLAGS) -c -o $@ $<

$(TBUILD)/%-basalt: $(BT_BUILD)/%.o $(BT_HARNESS) $(LIBBASALT) $(LIBBASALT_CRT0)
	$(call basalt_link,$@,$< $(BT_HARNESS) $(BT_EXTRA_$*))

# malloc allocates blocks only to free them (twice, on purpose, in some
# cases): gcc must not optimise those pairs away, nor warn about them.
BT_FLAGS_malloc := -fno-builtin-malloc -fno-builtin-free \
	-fno-builtin-calloc -fno-builtin-realloc -Wno-free-nonheap-object \
	-Wno-use-after-free -Wno-alloc-size-larger-than

# string checks strncat's truncation, on purpose.
BT_FLAGS_string := -Wno-stringop-truncation

# printf: the expected strings, as the host's glibc formats them. The
# cases include flag combinations gcc calls redundant, and truncation on
# purpose.
BT_FLAGS_printf := -Wno-format -Wno-format-truncation
$(BT_BUILD)/printf_gen: $(BT_DIR)/printf_gen.c $(BT_DIR)/printf_cases.h
	@mkdir -p $(dir $@)
	$(CC) -O2 -Wall -Wno-format -I$(BT_DIR) -o $@ $<

$(BT_BUILD)/printf_expect.h: $(BT_BUILD)/printf_gen
	$< > $@.tmp && mv $@.tmp $@

$(BT_BUILD)/printf.o: $(BT_BUILD)/printf_expect.h

# list: the demonstration program's code, its main renamed.
$(BT_BUILD)/list_demo.o: user/bin/list.cpp user/bin/list.h $(LIBBASALT)
	@mkdir -p $(dir $@)
	$(CXX) $(BT_CXXFLAGS) -Dmain=list_demo_main -c -o $@ $<

BT_EXTRA_list := $(BT_BUILD)/list_demo.o
$(TBUILD)/list-basalt: $(BT_BUILD)/list_demo.o

# demos: the C demonstrations, likewise.
BT_DEMOS := bank prodcons philosophers
$(BT_BUILD)/%_demo.o: user/bin/%.c $(LIBBASALT)
	@mkdir -p $(dir $@)
	$(CC) $(BT_CFLAGS) -Dmain=$*_main -c -o $@ $<

BT_EXTRA_demos := $(foreach d,$(BT_DEMOS),$(BT_BUILD)/$(d)_demo.o)
$(TBUILD)/demos-basalt: $(BT_EXTRA_demos)

# bank_smp: bank.c again, its thread_create wrapped so the test can pin
# the child thread to another CPU.
BT_EXTRA_bank_smp := $(BT_BUILD)/bank_demo.o -Wl,--wrap=thread_create
$(TBUILD)/bank_smp-basalt: $(BT_BUILD)/bank_demo.o

-include $(BT_BUILD)/*.d $(BT_BUILD)/harness/*.d
