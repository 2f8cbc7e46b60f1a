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

DEB_PACKAGES := libncurses-dev libuv1-dev libinih-dev libjansson-dev libcmocka-dev pkg-config tmux \
	clang clang-format libclang-rt-14-dev
PKGS := ncursesw libuv inih jansson

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

PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CMOCKA_CFLAGS = $(shell pkg-config --cflags cmocka 2>/dev/null)
CMOCKA_LIBS = $(shell pkg-config --libs cmocka 2>/dev/null)

CPPFLAGS += -D_GNU_SOURCE -DCONCTUI_VERSION='"$(VERSION)"' -DCONCTUI_DATADIR='"$(DATADIR)"'
CFLAGS ?= -O2 -g
CFLAGS += -std=c11 $(WARN) $(SANFLAGS) -MMD -MP
LDFLAGS += $(SANFLAGS)
LDLIBS += $(PKG_LIBS) -lpthread -lm

SRCS := $(filter-out src/main.c,$(wildcard src/*.c))
OBJS := $(SRCS:src/%.c=$(BUILD)/obj/%.o)
LIB := $(BUILD)/libconctui.a
TESTS := $(patsubst tests/%.c,$(BUILD)/tests/%,$(wildcard tests/test_*.c))
BENCHES := $(patsubst tests/bench/%.c,$(BUILD)/bench/%,$(wildcard tests/bench/*.c))
BIN := $(if $(SAN),$(BUILD)/conctui,conctui)
FUZZERS := scenario record
FUZZ_RUNS ?= 100000

.PHONY: all deps run check format format-check test-unit test-e2e test-san test-fuzz fuzzers valgrind bench install uninstall \
	clean

all: $(BIN)

deps:
	@missing=""; \
	for p in $(DEB_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -z "$$missing" ]; then echo "deps: all present ($(DEB_PACKAGES))"; exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then sudo=""; \
	elif command -v sudo >/dev/null; then sudo="sudo"; \
	else echo "deps: missing:$$missing -- run as root or install sudo" >&2; exit 1; fi; \
	echo "deps: installing:$$missing"; \
	$$sudo apt-get update -q && \
	DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -q --no-install-recommends $$missing && \
	echo "deps: installed:$$missing"

$(BIN): $(BUILD)/obj/main.o $(LIB)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(LIB): $(OBJS)
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/obj/%.o: src/%.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(PKG_CFLAGS) -c -o $@ $<

$(BUILD)/tests/%: tests/%.c $(LIB)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(PKG_CFLAGS) $(CMOCKA_CFLAGS) -Isrc -o $@ $< $(LIB) \
		$(LDFLAGS) $(CMOCKA_LIBS) $(LDLIBS)

$(BUILD)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(LIB)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(PKG_CFLAGS) -Isrc -fsanitize=fuzzer -o $@ $< $(LIB) \
		$(LDFLAGS) $(LDLIBS)

$(BUILD)/bench/%: tests/bench/%.c $(LIB)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(PKG_CFLAGS) -Isrc -o $@ $< $(LIB) $(LDFLAGS) $(LDLIBS)

run: deps
	@$(MAKE) --no-print-directory all
	./conctui

# Every test: unit tests, end-to-end tests in tmux, then the sanitizer builds.
check: deps
	@$(MAKE) --no-print-directory format-check
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory test-unit
	@$(MAKE) --no-print-directory test-e2e
	@$(MAKE) --no-print-directory test-san
	@$(MAKE) --no-print-directory test-fuzz

# The style is what .clang-format says; format-check lists each file that
# differs from it, format rewrites them.
FORMATTED := $(wildcard src/*.[ch] tests/*.[ch] tests/*/*.c)
format:
	clang-format -i $(FORMATTED)

format-check:
	@bad=""; for f in $(FORMATTED); do \
		clang-format "$$f" | cmp -s "$$f" - || bad="$$bad $$f"; done; \
	if [ -n "$$bad" ]; then echo "format-check: not as .clang-format says:$$bad (make format)"; exit 1; fi; \
	echo "format-check: $(words $(FORMATTED)) files as .clang-format says"

test-unit: $(TESTS) $(BIN)
	@CONCTUI_BIN=$(abspath $(BIN)) CONCTUI_DATADIR=$(abspath assets) \
		sh tests/run-unit.sh $(TESTS)

test-e2e: $(BIN)
	@CONCTUI_BIN=$(abspath $(BIN)) sh tests/e2e/run.sh

# The sanitizer builds run the unit tests, and the ASan binary the e2e
# suite too (CONCTUI_SANITIZED tells it to leave out timing judgements).
test-san:
	@$(MAKE) --no-print-directory SAN=asan test-unit
	@$(MAKE) --no-print-directory SAN=asan build/asan/conctui
	@CONCTUI_BIN=$(abspath build/asan/conctui) CONCTUI_SANITIZED=asan sh tests/e2e/run.sh
	@$(MAKE) --no-print-directory SAN=tsan test-unit

# libFuzzer (clang) on the scenario parser and the record reader, for a
# fixed number of runs from the corpus in tests/fuzz/corpus; new inputs it
# finds go to a temporary directory, a crash fails the target.
fuzzers:
	@$(MAKE) --no-print-directory CC=clang SAN=fuzz $(FUZZERS:%=build/fuzz/fuzz/fuzz_%)

test-fuzz: fuzzers
	@for f in $(FUZZERS); do \
		tmp=$$(mktemp -d) && \
		build/fuzz/fuzz/fuzz_$$f -runs=$(FUZZ_RUNS) -max_len=8192 -timeout=10 \
			-artifact_prefix=build/fuzz/crash-$$f- $$tmp tests/fuzz/corpus/$$f \
			>build/fuzz/$$f.log 2>&1; rc=$$?; rm -rf $$tmp; \
		if [ $$rc -ne 0 ]; then tail -n 30 build/fuzz/$$f.log; echo "fuzz $$f: FAILED"; exit 1; fi; \
		echo "fuzz $$f: $(FUZZ_RUNS) runs, nothing found"; \
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

bench: deps
	@$(MAKE) --no-print-directory all $(BENCHES)
	@$(MAKE) --no-print-directory SAN=noprobe build/noprobe/conctui
	@for b in $(BENCHES); do \
		CONCTUI_BIN=$(abspath conctui) CONCTUI_NOPROBE_BIN=$(abspath build/noprobe/conctui) \
		CONCTUI_DATADIR=$(abspath assets) $$b || exit 1; done

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/scenarios $(DESTDIR)$(MANDIR)
	install -m 755 conctui $(DESTDIR)$(BINDIR)/conctui
	install -m 644 assets/scenarios/*.ini $(DESTDIR)$(DATADIR)/scenarios/
	install -m 644 man/conctui.1 $(DESTDIR)$(MANDIR)/conctui.1

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/conctui $(DESTDIR)$(MANDIR)/conctui.1
	rm -rf $(DESTDIR)$(DATADIR)

clean:
	rm -rf build conctui

-include $(wildcard $(BUILD)/obj/*.d $(BUILD)/tests/*.d)
