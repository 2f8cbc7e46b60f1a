# conctui -- makes concurrency visible.
#
#   make run      install what is missing, build, start the TUI
#   make check    install what is missing, build, run every test
#   make bench    print `bench NAME VALUE UNIT` lines
#
# SAN=asan or SAN=tsan builds into build/asan or build/tsan with
# AddressSanitizer+UBSan or ThreadSanitizer.

VERSION := 0.1.0
PREFIX ?= /usr/local
DESTDIR ?=
BINDIR := $(PREFIX)/bin
DATADIR := $(PREFIX)/share/conctui
MANDIR := $(PREFIX)/share/man/man1
BASHCOMPDIR := $(PREFIX)/share/bash-completion/completions

PKGS := ncursesw libuv inih jansson hiredis

CC ?= cc
SAN ?=
BUILD := build$(if $(SAN),/$(SAN),/default)

WARN := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wformat=2 -Werror
ifeq ($(SAN),asan)
SANFLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
else ifeq ($(SAN),tsan)
SANFLAGS := -fsanitize=thread -fno-omit-frame-pointer
else ifeq ($(SAN),noprobe)
SANFLAGS :=
CPPFLAGS += -DCONCTUI_NO_PROBES
else ifeq ($(SAN),fuzz)
SANFLAGS := -fsanitize=address,undefined,fuzzer-no-link -fno-sanitize-recover=all
else
SANFLAGS :=
endif

# The curses flags reach one file: src/ui/tui_term.c, the only one that draws.
PKG_CFLAGS = $(shell pkg-config --cflags $(filter-out ncursesw,$(PKGS)) 2>/dev/null)
CURSES_CFLAGS = $(shell pkg-config --cflags ncursesw 2>/dev/null)
PKG_LIBS = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CMOCKA_CFLAGS = $(shell pkg-config --cflags cmocka 2>/dev/null)
CMOCKA_LIBS = $(shell pkg-config --libs cmocka 2>/dev/null)

CPPFLAGS += -D_GNU_SOURCE -DCONCTUI_VERSION='"$(VERSION)"' -DCONCTUI_DATADIR='"$(DATADIR)"'
CFLAGS ?= -O2 -g
CFLAGS += -std=c11 $(WARN) $(SANFLAGS) -MMD -MP
LDFLAGS += $(SANFLAGS)
LDLIBS += $(PKG_LIBS) -lpthread -lm

# src/ is layered as the data flows, lowest first; a file sees the headers of
# its own layer and the layers below it, so an include that points up does
# not compile (make layers names it).
LAYERS := core exec run out ui cli
INC_core := -Isrc/core
INC_exec := $(INC_core) -Isrc/exec
INC_run := $(INC_exec) -Isrc/run
INC_out := $(INC_run) -Isrc/out
INC_ui := $(INC_out) -Isrc/ui
INC_cli := $(INC_ui) -Isrc/cli
SRCS := $(filter-out src/cli/main.c,$(foreach l,$(LAYERS),$(wildcard src/$l/*.c)))
OBJS := $(SRCS:src/%.c=$(BUILD)/obj/%.o)
LIB := $(BUILD)/libconctui.a
TESTS := $(patsubst tests/%.c,$(BUILD)/tests/%,$(wildcard tests/test_*.c))
BENCHES := $(patsubst tests/bench/%.c,$(BUILD)/bench/%,$(wildcard tests/bench/*.c))
BIN := $(if $(SAN),$(BUILD)/conctui,conctui)
FUZZERS := scenario record lesson
FUZZ_RUNS ?= 100000
# The lesson parser is small and slow to start per input: fewer runs keep the
# whole of test-fuzz near a minute.
FUZZ_RUNS_LESSON ?= 30000

.PHONY: all deps run check build-tests format format-check layers test-unit test-e2e test-san test-fuzz fuzz fuzzers valgrind bench fidelity install uninstall \
	clean

all: $(BIN)

# pkg-config for the libraries, PATH for the tools; apt-get only for what is
# really missing, and without apt-get the packages to ask for elsewhere.
deps:
	@sh scripts/deps.sh

$(BIN): $(BUILD)/obj/cli/main.o $(LIB)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(LIB): $(OBJS)
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/obj/ui/tui_term.o: EXTRA_CFLAGS = $(CURSES_CFLAGS)
$(BUILD)/obj/%.o: src/%.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(INC_$(firstword $(subst /, ,$*))) $(CFLAGS) $(PKG_CFLAGS) $(EXTRA_CFLAGS) \
		-c -o $@ $<

$(BUILD)/tests/%: tests/%.c $(LIB)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(PKG_CFLAGS) $(CMOCKA_CFLAGS) $(INC_cli) -o $@ $< $(LIB) \
		$(LDFLAGS) $(CMOCKA_LIBS) $(LDLIBS)

# A real program for the observer's tests (no Python needed): every test may use it.
HELPER := $(BUILD)/tests/observe_helper
$(HELPER): tests/helpers/observe_helper.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -pthread -o $@ $<
$(TESTS) $(BENCHES): | $(HELPER)

$(BUILD)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(LIB)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(PKG_CFLAGS) $(INC_cli) -fsanitize=fuzzer -o $@ $< $(LIB) \
		$(LDFLAGS) $(LDLIBS)

$(BUILD)/bench/%: tests/bench/%.c $(LIB)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(PKG_CFLAGS) $(INC_cli) -o $@ $< $(LIB) $(LDFLAGS) $(LDLIBS)

run: deps
	@$(MAKE) --no-print-directory all
	./conctui

# Every test: unit tests, end-to-end tests in tmux, then the sanitizer builds.
# Builds use every core (JOBS); the tests themselves run one at a time, so
# that timing checks see a machine the build is not using.
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
check: deps
	@$(MAKE) --no-print-directory format-check
	@$(MAKE) --no-print-directory layers
	@$(MAKE) --no-print-directory -j$(JOBS) build-tests
	@$(MAKE) --no-print-directory test-unit
	@$(MAKE) --no-print-directory test-e2e
	@$(MAKE) --no-print-directory test-san
	@$(MAKE) --no-print-directory test-fuzz

# The style is what .clang-format says; format-check lists each file that
# differs from it, format rewrites them.
FORMATTED := $(wildcard src/*/*.[ch] tests/*.[ch] tests/*/*.c)
format:
	clang-format -i $(FORMATTED)

# Includes point down the layers, and only tui_term.c sees curses; the script
# also proves on a copy of the tree that it catches an include that does not.
layers:
	@sh tests/layers.sh .
	@sh tests/layers.sh --self-test .

# One clang-format process for every file: a process a file took most of a minute.
format-check:
	@out=$$(clang-format --dry-run -Werror $(FORMATTED) 2>&1); rc=$$?; \
	bad=$$(printf '%s\n' "$$out" | sed -n 's/^\([^:]*\):[0-9]*:[0-9]*: .*-Wclang-format-violations.*/\1/p' | sort -u | tr '\n' ' '); \
	if [ $$rc -ne 0 ] && [ -z "$$bad" ]; then printf '%s\n' "$$out"; exit 1; fi; \
	if [ -n "$$bad" ]; then echo "format-check: not as .clang-format says: $$bad(make format)"; exit 1; fi; \
	echo "format-check: $(words $(FORMATTED)) files as .clang-format says"

test-unit: $(TESTS) $(BIN)
	@CONCTUI_BIN=$(abspath $(BIN)) CONCTUI_DATADIR=$(abspath assets) \
		sh tests/run-unit.sh $(TESTS)

test-e2e: $(BIN) $(HELPER)
	@CONCTUI_BIN=$(abspath $(BIN)) CONCTUI_OBSERVE_HELPER=$(abspath $(HELPER)) sh tests/e2e/run.sh

# The sanitizer builds run the unit tests, and the ASan binary the e2e
# suite too (CONCTUI_SANITIZED tells it to leave out timing judgements).
# The binary and every test binary of this build (SAN=...), built in parallel.
build-tests: $(BIN) $(TESTS)

test-san:
	@$(MAKE) --no-print-directory SAN=asan -j$(JOBS) build-tests
	@$(MAKE) --no-print-directory SAN=asan test-unit
	@CONCTUI_BIN=$(abspath build/asan/conctui) CONCTUI_SANITIZED=asan sh tests/e2e/run.sh
	@$(MAKE) --no-print-directory SAN=tsan -j$(JOBS) build-tests
	@$(MAKE) --no-print-directory SAN=tsan test-unit

# libFuzzer (clang) on the scenario parser and the record reader.
# test-fuzz (part of make check) is reproducible: a fixed seed, the committed
# corpus in tests/fuzz/corpus, then FUZZ_RUNS runs; the same tree gives the
# same verdict. New inputs it finds go to a temporary directory.
# fuzz is open-ended: a random seed for FUZZ_TIME seconds a target; a crash
# is written into the corpus, so once committed it is re-run by every check.
FUZZ_SEED ?= 1
FUZZ_TIME ?= 600
FUZZ_FLAGS := -max_len=8192 -timeout=10
fuzzers:
	@$(MAKE) --no-print-directory CC=clang SAN=fuzz -j$(JOBS) $(FUZZERS:%=build/fuzz/fuzz/fuzz_%)

test-fuzz: fuzzers
	@for f in $(FUZZERS); do \
		runs=$(FUZZ_RUNS); [ $$f = lesson ] && runs=$(FUZZ_RUNS_LESSON); \
		tmp=$$(mktemp -d) && \
		build/fuzz/fuzz/fuzz_$$f -seed=$(FUZZ_SEED) -runs=$$runs $(FUZZ_FLAGS) \
			-artifact_prefix=build/fuzz/crash-$$f- $$tmp tests/fuzz/corpus/$$f \
			>build/fuzz/$$f.log 2>&1; rc=$$?; rm -rf $$tmp; \
		if [ $$rc -ne 0 ]; then tail -n 30 build/fuzz/$$f.log; echo "fuzz $$f: FAILED"; exit 1; fi; \
		echo "fuzz $$f: seed $(FUZZ_SEED), $$(ls tests/fuzz/corpus/$$f | wc -l) corpus files" \
			"+ $$runs runs, nothing found"; \
	done

fuzz: fuzzers
	@for f in $(FUZZERS); do \
		mkdir -p build/fuzz/new-$$f && \
		build/fuzz/fuzz/fuzz_$$f -max_total_time=$(FUZZ_TIME) $(FUZZ_FLAGS) \
			-artifact_prefix=tests/fuzz/corpus/$$f/crash- build/fuzz/new-$$f \
			tests/fuzz/corpus/$$f; rc=$$?; \
		if [ $$rc -ne 0 ]; then \
			echo "fuzz $$f: found a crash, saved in tests/fuzz/corpus/$$f/ (fix it, commit the file)"; \
			exit 1; fi; \
		echo "fuzz $$f: $(FUZZ_TIME) s, nothing found (new inputs in build/fuzz/new-$$f)"; \
	done

# Batch runs on every executor under memcheck: no errors, no definite leaks.
VALGRIND := valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
	--show-leak-kinds=definite --track-fds=no
valgrind: all
	@for b in $$(./conctui --list | sed -n '/^Executors/,$$p' | awk 'NR>1 {print $$1}'); do \
		CONCTUI_DATADIR=$(abspath assets) $(VALGRIND) ./conctui --batch -b $$b hello \
			>/dev/null 2>build/valgrind-$$b.log; rc=$$?; \
		if [ $$rc -ne 0 ]; then cat build/valgrind-$$b.log; echo "valgrind $$b: FAILED ($$rc)"; exit 1; fi; \
		echo "valgrind $$b: clean"; \
	done

# Measures, side by side, each seed experiment on this machine's CPython
# (fidelity/*.py) and on conctui, and prints one table; needs python3.
# Not part of check: it measures, it does not test.  FIDELITY_N: runs a side.
FIDELITY_N ?= 3
FIDELITY_SERVER := $(BUILD)/fidelity/latency_server
$(FIDELITY_SERVER): fidelity/latency_server.c $(LIB)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(PKG_CFLAGS) $(INC_cli) -o $@ $< $(LIB) $(LDFLAGS) $(LDLIBS)
fidelity: all $(FIDELITY_SERVER)
	@command -v python3 >/dev/null || { echo "fidelity: needs python3"; exit 2; }
	CONCTUI_BIN=$(abspath conctui) CONCTUI_DATADIR=$(abspath assets) \
		FIDELITY_SERVER=$(abspath $(FIDELITY_SERVER)) python3 fidelity/run.py $(FIDELITY_N)

bench: deps
	@$(MAKE) --no-print-directory all $(BENCHES)
	@$(MAKE) --no-print-directory SAN=noprobe build/noprobe/conctui
	@for b in $(BENCHES); do \
		CONCTUI_BIN=$(abspath conctui) CONCTUI_NOPROBE_BIN=$(abspath build/noprobe/conctui) \
		CONCTUI_DATADIR=$(abspath assets) $$b || exit 1; done

# The binary finds its data as <bindir>/../share/conctui, so the tree may be
# installed under any PREFIX, or staged in DESTDIR and moved; DATADIR is
# compiled in only as the last place it looks.  Every folder of assets/
# (scenarios, and lessons or programs when there are some) goes to DATADIR.
ASSET_DIRS := $(patsubst assets/%/,%,$(wildcard assets/*/))
install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR) $(DESTDIR)$(BASHCOMPDIR) \
		$(ASSET_DIRS:%=$(DESTDIR)$(DATADIR)/%)
	install -m 755 conctui $(DESTDIR)$(BINDIR)/conctui
	for d in $(ASSET_DIRS); do \
		install -m 644 assets/$$d/* $(DESTDIR)$(DATADIR)/$$d/ || exit 1; done
	install -m 644 man/conctui.1 $(DESTDIR)$(MANDIR)/conctui.1
	install -m 644 completion/conctui.bash $(DESTDIR)$(BASHCOMPDIR)/conctui

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/conctui $(DESTDIR)$(MANDIR)/conctui.1 $(DESTDIR)$(BASHCOMPDIR)/conctui
	rm -rf $(DESTDIR)$(DATADIR)

clean:
	rm -rf build conctui

-include $(wildcard $(BUILD)/obj/*/*.d $(BUILD)/tests/*.d)
