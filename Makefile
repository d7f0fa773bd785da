# neurodyn — top-level build.
#   make            build lib/libneurodyn.a and bin/neurodyn
#   make run        install missing dependencies, build, run the default example and plot it
#   make test       build and run all tests (ends with "N passed, N failed")
#   make test-long  the long end-to-end tests of tests/long/ (not part of make test)
#   make bench      install the benchmarks' dependencies (AUTO-07p), build, run bench/ (slow;
#                   not part of make test; see docs/bench.md)
#   make test-slurm  install SLURM and munge, start a local one-node SLURM and run the jobs/
#                   scripts under it with sbatch (tests/slurm; needs root; see docs/jobs.md)
#   make mutate     mutation testing (tests/mutate.py, mutants in tests/mutants/; slow, not part of
#                   make test; see docs/testing.md)
#   make asan       AddressSanitizer + UndefinedBehaviorSanitizer build in build-asan/ and a subset of
#                   the end-to-end tests run with it, failing on any report (see docs/testing.md)
#   make format     clang-format all C sources;  make check  the components' layering
#                   (scripts/check-layers.py, docs/library.md) and static analysis (cppcheck)
#   make install PREFIX=DIR  bin/neurodyn, lib/libneurodyn.a, the headers, lib/pkgconfig/neurodyn.pc,
#                   the Python package neurodyn, docs and example inputs under DIR (see INSTALL)
#
# PETSc, SLEPc and HDF5 are found with pkg-config. For a user-built PETSc/SLEPc set
# PETSC_DIR, PETSC_ARCH and SLEPC_DIR (see INSTALL); for another HDF5 set HDF5_PKG, or
# HDF5_CFLAGS and HDF5_LIBS.

ifneq ($(PETSC_DIR),)
  SLEPC_DIR ?= $(PETSC_DIR)
  export PKG_CONFIG_PATH := $(PETSC_DIR)/$(PETSC_ARCH)/lib/pkgconfig:$(SLEPC_DIR)/$(PETSC_ARCH)/lib/pkgconfig:$(PKG_CONFIG_PATH)
endif
HDF5_PKG    ?= $(firstword $(shell pkg-config --exists hdf5-openmpi 2>/dev/null && echo hdf5-openmpi) \
                           $(shell pkg-config --exists hdf5 2>/dev/null && echo hdf5))
HDF5_CFLAGS ?= $(if $(HDF5_PKG),$(shell pkg-config --cflags $(HDF5_PKG)))
HDF5_LIBS   ?= $(if $(HDF5_PKG),$(shell pkg-config --libs $(HDF5_PKG)))

# libyaml (the parser PETSc reads input files with) lets neurodyn report a YAML syntax error as
# one line before PETSc starts; without it PETSc reports the error itself.
YAML_PKG := $(shell pkg-config --exists yaml-0.1 2>/dev/null && echo yaml-0.1)

CC       := $(shell pkg-config --variable=ccompiler PETSc 2>/dev/null || echo mpicc)
PYTHON   ?= /usr/bin/python3
WERROR   := $(if $(CI),-Werror,)
CFLAGS   ?= -O2 -g
# the output directories (make asan builds into others) and extra compiler and linker flags
BUILD    ?= build
LIBDIR   ?= lib
BINDIR   ?= bin
SANITIZE ?=
CFLAGS   += $(SANITIZE) -std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra $(WERROR) -Iinclude \
            $(shell pkg-config --cflags SLEPc PETSc 2>/dev/null) $(HDF5_CFLAGS) \
            $(if $(YAML_PKG),-DND_HAVE_LIBYAML $(shell pkg-config --cflags $(YAML_PKG)))
# LAPACK directly (covariance: gees, trsyl, syev); PETSc's .pc does not list it for static-free links
LAPACK_LIBS ?= $(shell pkg-config --libs lapack blas 2>/dev/null || echo -llapack -lblas)
LDLIBS   += $(shell pkg-config --libs SLEPc PETSc 2>/dev/null) $(HDF5_LIBS) $(LAPACK_LIBS) \
            $(if $(YAML_PKG),$(shell pkg-config --libs $(YAML_PKG))) -lm -ldl
comma    := ,
RPATH     = $(patsubst -L%,-Wl$(comma)-rpath$(comma)%,$(filter -L%,$(LDLIBS)))

VERSION    := $(shell cat VERSION)
GIT_COMMIT := $(shell git describe --always --dirty --abbrev=12 2>/dev/null || echo unknown)

LIB_SRC  := $(sort $(shell find src -name '*.c' -not -path 'src/main/*'))
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o)
HEADERS  := $(shell find include -name '*.h')
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

.PHONY: all run test test-long test-slurm deps format check clean bench mutate install asan
all: $(BINDIR)/neurodyn

# rebuilt afresh: the object of a renamed or removed source must not stay in the archive
$(LIBDIR)/libneurodyn.a: $(LIB_OBJ)
	@mkdir -p $(@D)
	rm -f $@ && $(AR) rcs $@ $^

$(BUILD)/%.o: %.c $(HEADERS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -c $< -o $@

# The provenance strings change with every commit; keep them out of the other objects.
# the neuron models' update loops: GCC vectorises them at -O3, and their selects (refractory or
# not) only when it may evaluate both sides (no floating-point traps are used by neurodyn); never
# contracted into fused multiply-adds (the default of -std=c11, stated): the kernels' versions for
# each instruction set (-net_simd) must give bitwise the same results
$(BUILD)/src/network/impls/%.o: CFLAGS += -O3 -fno-trapping-math -ffp-contract=off
$(BUILD)/src/core/version.o: CFLAGS += -DND_VERSION='"$(VERSION)"' -DND_GIT_COMMIT='"$(GIT_COMMIT)"'
$(BUILD)/src/core/version.o: .git-commit
.git-commit: FORCE
	@echo "$(GIT_COMMIT)" | cmp -s - $@ || echo "$(GIT_COMMIT)" > $@
FORCE:

# the option names neurodyn's sources spell out, for the "did you mean" of an unknown option
# (src/app/cli.c); rewritten only when the list changes
$(BUILD)/optionnames.inc: $(LIB_SRC)
	@mkdir -p $(@D)
	@grep -ohE '"-[A-Za-z][A-Za-z0-9_]*"' $(LIB_SRC) | sort -u | sed 's/$$/,/' > $@.new
	@cmp -s $@.new $@ && rm -f $@.new || mv $@.new $@
# PETSc's and SLEPc's option names (without an object's prefix: "-snes_rtol"), from the string
# tables of their libraries, for the "did you mean" of a misspelt PETSc option and to recognise a
# valid option of an object created during the run; and the options prefixes of the objects
# neurodyn creates ("cont_floquet_", "resp_"). Empty lists when strings or the libraries are
# missing (then no PETSc name is suggested, and such options are only checked after the run).
PETSC_LIBDIRS     := $(shell pkg-config --variable=libdir PETSc SLEPc 2>/dev/null)
PETSC_OPTION_LIBS := $(wildcard $(foreach d,$(PETSC_LIBDIRS),$(d)/libpetsc*.so $(d)/libpetsc*.a $(d)/libslepc*.so \
                                                            $(d)/libslepc*.a))
$(BUILD)/petscoptionnames.inc: $(PETSC_OPTION_LIBS)
	@mkdir -p $(@D)
	@{ strings -n 3 $(PETSC_OPTION_LIBS) 2>/dev/null || true; } | grep -E '^-[a-z][a-z0-9_]*[a-z0-9]$$' | sort -u \
	  | sed 's/.*/"&",/' > $@.new
	@cmp -s $@.new $@ && rm -f $@.new || mv $@.new $@
$(BUILD)/objectprefixes.inc: $(LIB_SRC)
	@mkdir -p $(@D)
	@grep -ohE '(SetOptionsPrefix|NdResponseCreate)\([^;]*"[a-z][a-z0-9_]*_"' $(LIB_SRC) | grep -oE '"[a-z0-9_]+"$$' \
	  | sort -u | sed 's/$$/,/' > $@.new
	@cmp -s $@.new $@ && rm -f $@.new || mv $@.new $@
$(BUILD)/src/app/cli.o: $(BUILD)/optionnames.inc $(BUILD)/petscoptionnames.inc $(BUILD)/objectprefixes.inc
$(BUILD)/src/app/cli.o: CFLAGS += -I$(BUILD)

$(BINDIR)/neurodyn: $(BUILD)/src/main/neurodyn.o $(LIBDIR)/libneurodyn.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $^ $(RPATH) $(LDLIBS)

$(BUILD)/tests/%: tests/unit/%.c $(LIBDIR)/libneurodyn.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $^ $(RPATH) $(LDLIBS)

deps:
	@scripts/install-deps.sh

# make install PREFIX=DIR. The library is installed static (lib/libneurodyn.a, as built): a program
# linked against it keeps working when the install is replaced or removed, and it needs no
# LD_LIBRARY_PATH for neurodyn, only for PETSc, SLEPc and HDF5, which it links shared as
# bin/neurodyn does. neurodyn.pc lists those with Requires (PETSc's and SLEPc's own .pc files)
# and the HDF5, LAPACK and YAML flags this build used. The Python package goes where the prefix's
# python3 looks for it: DIR/lib/python3.X/site-packages/neurodyn (PYTHONPATH, see INSTALL).
PREFIX     ?= /usr/local
PYTHON_LIB  = $(shell $(PYTHON) -c 'import sys, sysconfig; print(sysconfig.get_path("purelib", "posix_prefix", {"base": sys.argv[1], "platbase": sys.argv[1]}))' $(abspath $(PREFIX)))
PC_LIBS     = $(HDF5_LIBS) $(LAPACK_LIBS) $(if $(YAML_PKG),$(shell pkg-config --libs $(YAML_PKG))) -lm -ldl
install: all
	install -d $(PREFIX)/bin $(PREFIX)/lib/pkgconfig $(PREFIX)/include/neurodyn/private \
	  $(PYTHON_LIB)/neurodyn/plot $(PREFIX)/share/doc/neurodyn $(PREFIX)/share/neurodyn
	install -m 755 $(BINDIR)/neurodyn $(PREFIX)/bin/
	install -m 644 $(LIBDIR)/libneurodyn.a $(PREFIX)/lib/
	install -m 644 include/neurodyn/*.h $(PREFIX)/include/neurodyn/
	install -m 644 include/neurodyn/private/*.h $(PREFIX)/include/neurodyn/private/
	sed -e 's|@PREFIX@|$(abspath $(PREFIX))|' -e 's|@VERSION@|$(VERSION)|' -e 's|@CC@|$(CC)|' \
	  -e 's|@HDF5_CFLAGS@|$(strip $(HDF5_CFLAGS))|' -e 's|@LIBS@|$(strip $(PC_LIBS))|' neurodyn.pc.in \
	  > $(PREFIX)/lib/pkgconfig/neurodyn.pc
	install -m 644 postprocess/*.py $(PYTHON_LIB)/neurodyn/
	install -m 644 postprocess/plot/*.py $(PYTHON_LIB)/neurodyn/plot/
	cp -R README.md INSTALL docs $(PREFIX)/share/doc/neurodyn/
	cp -R inputs $(PREFIX)/share/neurodyn/
	@echo "neurodyn: installed in $(abspath $(PREFIX)) (Python package in $(PYTHON_LIB))"

run: deps
	@$(MAKE) --no-print-directory all
	bin/neurodyn simulate inputs/mpr_hysteresis.yaml -output out/mpr_hysteresis.h5 -overwrite
	$(PYTHON) postprocess/plot_timeseries.py out/mpr_hysteresis.h5 -o out/mpr_hysteresis.png
	@echo "neurodyn: results in out/mpr_hysteresis.h5, plot in out/mpr_hysteresis.png"

test: deps
	@$(MAKE) --no-print-directory all $(UNIT_BIN)
	@$(PYTHON) tests/run.py

test-long: deps
	@$(MAKE) --no-print-directory all
	@$(PYTHON) tests/run.py --long

mutate: deps
	@$(MAKE) --no-print-directory all $(UNIT_BIN)
	@$(PYTHON) tests/mutate.py

test-slurm:
	@scripts/install-deps.sh --slurm
	@$(MAKE) --no-print-directory all
	@$(PYTHON) tests/slurm/run.py

bench:
	@scripts/install-deps.sh --bench
	@$(MAKE) --no-print-directory all
	$(PYTHON) bench/continuation_vs_auto.py
	$(PYTHON) bench/cuba.py

# Sanitizers: every command at 1 and 2 ranks, its error paths and interruption, with the binary
# built with -fsanitize=address,undefined; tests/run.py fails a test whose run printed a report
# (ndtest.py). Only the memory Open MPI allocates for itself and never frees is suppressed
# (tests/sanitizers/lsan.supp says why); full stacks (fast_unwind_on_malloc=0) let a leak be told
# apart by the libraries it passed through.
ASAN_DIR   := build-asan
ASAN_TESTS := test_cli.test_usage test_cli.test_info_describes_mpr test_mpr_fixed_points.test_bistable_low \
              test_continuation.test_eps_nev_sets test_rate.test_response_with_input test_rate.test_dense_500 \
              test_covariance_lowrank.test_low_rank_covariance_against test_binary.test_bifurcations_2d_ei \
              test_network.test_lif_subthreshold test_bad_input.test_unknown_option test_bad_input.test_sizes \
              test_bad_input.test_fixed_point_needs test_interrupt.test_binary_sigterm test_checkpoint.test_sigterm \
              test_continuation.test_periodic_orbits_from_the_hopf test_interrupt.test_response_sigterm_keeps \
              test_bad_input_table
asan: deps
	@$(MAKE) --no-print-directory BUILD=$(ASAN_DIR)/build LIBDIR=$(ASAN_DIR)/lib BINDIR=$(ASAN_DIR)/bin \
	  SANITIZE="-fsanitize=address,undefined -fno-omit-frame-pointer" all
	@ND_NEURODYN=$(ASAN_DIR)/bin/neurodyn ND_SANITIZED=1 \
	  ASAN_OPTIONS=detect_leaks=1:fast_unwind_on_malloc=0 \
	  LSAN_OPTIONS=suppressions=$(CURDIR)/tests/sanitizers/lsan.supp:print_suppressions=0 \
	  UBSAN_OPTIONS=print_stacktrace=1 $(PYTHON) tests/run.py $(ASAN_TESTS)

format:
	clang-format -i $(LIB_SRC) src/main/*.c $(HEADERS) $(UNIT_SRC)

check:
	$(PYTHON) scripts/check-layers.py
	cppcheck --quiet --error-exitcode=1 --enable=warning,performance,portability \
	  --inline-suppr --suppress=missingIncludeSystem -Iinclude src tests/unit

clean:
	rm -rf build lib bin build-asan .git-commit
