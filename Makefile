# sloproof — build, test and demo.
#
#   make            build ./sloproof (runs `make deps` first)
#   make check      build and run every test; ends with "N passed, M failed"
#   make check-asan the same suite under -fsanitize=address,undefined
#   make check-valgrind  the golden tests under valgrind: no errors, no leaks
#   make demo       the main job on samples/: writes real bundles
#   make regen      rewrite golden files (on purpose only; review the diff)
#   make deps       install missing Debian packages, or print the apt-get line
#   make fuzz       build the libFuzzer targets with clang (tests/fuzz/)
#   make bench      every row of docs/performance.md against its floor or peer (BENCH_SCALE=10: 1M requests)
#   make lint       layering: no include from a lower layer to a higher one
#   make install    PREFIX=/usr/local DESTDIR= : binary, man page, docs, examples (make uninstall)

# Two stages. Every goal that compiles first runs `make deps`, then a fresh make
# (SLOPROOF_STAGE2) that reads pkg-config only after the packages exist: flags
# computed before `make deps` ran would be empty on a fresh machine, and with -j
# the compiler would race the installer.
GOALS_NEEDING_DEPS = all sloproof check check-asan check-valgrind demo regen man \
                     fuzz fuzz-run bench lint install

# What `make install` puts under PREFIX (DESTDIR for packaging), and `make
# uninstall` removes: the binary, the man page, the reference documents and
# the example rules and drills (the report templates are compiled in; their
# sources are installed as the starting point for --templates).
PREFIX   ?= /usr/local
BINDIR    = $(PREFIX)/bin
MANDIR    = $(PREFIX)/share/man/man1
DOCDIR    = $(PREFIX)/share/doc/sloproof
DOCS      = README.md docs/slo.md docs/openslo.md docs/drill.md docs/formats.md docs/json.md \
            docs/templates.md docs/capture.md docs/digest.md
INSTALLED = $(DESTDIR)$(BINDIR)/sloproof $(DESTDIR)$(MANDIR)/sloproof.1 \
            $(DESTDIR)$(DOCDIR)

# Needs nothing built or installed, so it works in either stage (and is not
# the default goal: `make` alone builds).
.DEFAULT_GOAL := all
uninstall:
	rm -rf $(INSTALLED)

ifndef SLOPROOF_STAGE2
.NOTPARALLEL:
.PHONY: $(GOALS_NEEDING_DEPS) deps clean uninstall
$(GOALS_NEEDING_DEPS): deps
	@$(MAKE) --no-print-directory SLOPROOF_STAGE2=1 $@
deps:
	@sh tests/deps.sh
clean:
	rm -rf build build-asan build-fuzz sloproof
Makefile: ;
.DEFAULT:
	@sh tests/deps.sh
	@$(MAKE) --no-print-directory SLOPROOF_STAGE2=1 $@
else

CC       ?= cc
BUILD    ?= build
PKGS      = libcjson yaml-0.1 cairo libxml-2.0 zlib libzstd libcrypto libcurl
# Opened at run time by the one module that needs them (util/dynlib.h), not linked:
# start-up stays small for commands that draw, hash, write XML or talk HTTP not at all.
DL_PKGS   = cairo libxml-2.0 libcrypto libcurl
WARN      = -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
            -Wmissing-prototypes -Wwrite-strings -Werror
CSTD      = -std=c11 -D_POSIX_C_SOURCE=200809L
OPT      ?= -O2 -g
SAN      ?=
ifeq ($(filter clean uninstall,$(MAKECMDGOALS)),)
ifneq ($(shell pkg-config --exists $(PKGS) 2>/dev/null && echo ok),ok)
$(error pkg-config does not know every package of: $(PKGS); run `make deps`)
endif
endif
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS))
PKG_LIBS   := $(shell pkg-config --libs $(filter-out $(DL_PKGS),$(PKGS)))
CFLAGS_ALL = $(CSTD) $(OPT) $(WARN) $(SAN) -Iinclude $(PKG_CFLAGS) $(CFLAGS)
LIBS       = $(PKG_LIBS) -lcsv -lm -lpthread -ldl
# Tests call libxml2 (schema validation) and libcurl (webhook posts) themselves.
TEST_LIBS  = $(LIBS) $(shell pkg-config --libs $(PKGS))

# src/LAYER/*.c; everything but src/cmd/ builds into libsloproof.a (docs/ARCHITECTURE.md).
LAYERS   := util model in norm eval out chart jobs cmd
LIB_SRC  := $(foreach l,$(filter-out cmd,$(LAYERS)),$(wildcard src/$(l)/*.c))
CLI_SRC  := $(wildcard src/cmd/*.c)
HDRS     := $(foreach l,$(LAYERS),$(wildcard include/$(l)/*.h))
LIB_OBJ  := $(LIB_SRC:src/%.c=$(BUILD)/obj/%.o)
CLI_OBJ  := $(CLI_SRC:src/%.c=$(BUILD)/obj/%.o)
TESTS    := $(patsubst tests/unit/%.c,$(BUILD)/unit/%,$(wildcard tests/unit/test_*.c))
TMPL     := $(wildcard templates/*)
FUZZ     := $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
REPLAY   := $(FUZZ:%=$(BUILD)/fuzz/replay_%)
FUZZ_SECONDS ?= 20

BIN = $(if $(filter build,$(BUILD)),sloproof,$(BUILD)/sloproof)

.PHONY: all check check-asan check-valgrind demo regen man fuzz fuzz-run bench lint install
all: $(BIN)

Q = $(if $(V),,@)

$(BUILD)/obj/%.o: src/%.c $(HDRS) | $(BUILD)/obj
	@$(if $(V),,echo "  CC      $<")
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS_ALL) -c -o $@ $<

# Templates are compiled into the binary (overridable at run time with --templates).
$(BUILD)/obj/templates_data.o: $(TMPL) tests/embed.sh | $(BUILD)/obj
	$(Q)sh tests/embed.sh $(TMPL) > $(BUILD)/templates_data.c
	$(Q)$(CC) $(CFLAGS_ALL) -c -o $@ $(BUILD)/templates_data.c

$(BUILD)/libsloproof.a: $(LIB_OBJ) $(BUILD)/obj/templates_data.o
	$(Q)rm -f $@ && ar rcs $@ $^

$(BIN): $(CLI_OBJ) $(BUILD)/libsloproof.a
	@$(if $(V),,echo "  LINK    $@")
	$(Q)$(CC) $(CFLAGS_ALL) -o $@ $(CLI_OBJ) $(BUILD)/libsloproof.a $(LIBS)

$(BUILD)/unit/%: tests/unit/%.c tests/unit/t.h $(BUILD)/libsloproof.a | $(BUILD)/unit
	@$(if $(V),,echo "  TEST    $@")
	$(Q)$(CC) $(CFLAGS_ALL) -Itests/unit -o $@ $< $(BUILD)/libsloproof.a $(TEST_LIBS)

# Each fuzz target also builds without libFuzzer, to replay seeds and past crashes in `make check`.
$(BUILD)/fuzz/replay_%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c $(BUILD)/libsloproof.a | $(BUILD)/fuzz
	@$(if $(V),,echo "  REPLAY  $@")
	$(Q)$(CC) $(CFLAGS_ALL) -o $@ $< tests/fuzz/replay.c $(BUILD)/libsloproof.a $(TEST_LIBS)

$(BUILD)/obj $(BUILD)/unit $(BUILD)/fuzz:
	mkdir -p $@

check: $(BIN) $(TESTS) $(REPLAY)
	@sh tests/deps.sh --test
	@BUILD=$(BUILD) SLOPROOF=$(CURDIR)/$(BIN) sh tests/run.sh

check-asan:
	@LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0 \
	    $(MAKE) --no-print-directory check BUILD=build-asan OPT="-O1 -g" \
	    SAN="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"

check-valgrind: $(BIN)
	@out=$$(sh tests/valgrind.sh $(BIN)); printf '%s\n' "$$out" | grep -v '^ok'; \
	p=$$(printf '%s\n' "$$out" | grep -c '^ok'); f=$$(printf '%s\n' "$$out" | grep -c '^not ok'); \
	echo "$$p passed, $$f failed"; [ $$f -eq 0 ]

# The man page is generated from the command tables; a golden test checks it is current.
man: $(BIN)
	./$(BIN) help --man > docs/sloproof.1

regen: $(BIN)
	@SLOPROOF=$(CURDIR)/$(BIN) REGEN=1 sh tests/golden.sh

demo: $(BIN)
	@sh tests/demo.sh ./$(BIN)

# libFuzzer targets (clang). `make fuzz` builds them; `make fuzz-run` runs
# each for FUZZ_SECONDS and fails on any finding (crashes go to build-fuzz/).
fuzz:
	@$(MAKE) --no-print-directory BUILD=build-fuzz CC=clang OPT="-O1 -g" \
	    SAN="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all" build-fuzz/libsloproof.a
	@for t in $(FUZZ); do echo "  FUZZ    build-fuzz/fuzz_$$t"; \
	    clang $(CSTD) -O1 -g -Iinclude $(PKG_CFLAGS) -fsanitize=fuzzer,address,undefined \
	    -o build-fuzz/fuzz_$$t tests/fuzz/fuzz_$$t.c build-fuzz/libsloproof.a $(TEST_LIBS) || exit 1; done

fuzz-run: fuzz
	@sh tests/fuzz-run.sh $(FUZZ_SECONDS) $(FUZZ)

bench: $(BIN)
	@SLOPROOF=./$(BIN) CC=$(CC) sh tests/bench/bench.sh

lint:
	@sh tests/lint.sh

install: $(BIN)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR) $(DESTDIR)$(DOCDIR)/templates \
	    $(DESTDIR)$(DOCDIR)/examples
	install -m 0755 $(BIN) $(DESTDIR)$(BINDIR)/sloproof
	install -m 0644 docs/sloproof.1 $(DESTDIR)$(MANDIR)/sloproof.1
	install -m 0644 $(DOCS) $(DESTDIR)$(DOCDIR)/
	install -m 0644 $(TMPL) $(DESTDIR)$(DOCDIR)/templates/
	cp -R samples/. $(DESTDIR)$(DOCDIR)/examples/
	chmod -R u+rwX,go+rX,go-w $(DESTDIR)$(DOCDIR)/examples

endif
