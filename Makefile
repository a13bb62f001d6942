# The two commands: `make run` and `make test`. Both install what is missing first.
BUILD_DIR ?= build
BUILD_TYPE ?= Release
JOBS ?= $(shell nproc)
CTEST_JOBS ?= 2
DATA_DIR ?= ./var
ARGS ?=
CMAKE_ARGS ?=

.PHONY: all deps configure build run test bench format clean

all: build

deps:
	@bash scripts/install-deps.sh

$(BUILD_DIR)/build.ninja: | deps
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) $(CMAKE_ARGS)

configure: deps $(BUILD_DIR)/build.ninja

build: configure
	cmake --build $(BUILD_DIR) -j $(JOBS)

# Starts samradd on the embedded log in the foreground; Ctrl-C stops it gracefully.
run: build
	$(BUILD_DIR)/bin/samradd --data-dir $(DATA_DIR) $(ARGS)

# Builds and runs every test through ctest.
test: build
	ctest --test-dir $(BUILD_DIR) --output-on-failure -j $(CTEST_JOBS)

# Runs the benchmarks that docs/benchmarks.md records.
bench: build
	bash scripts/run-benchmarks.sh $(BUILD_DIR)

format:
	git ls-files '*.h' '*.cc' | xargs clang-format -i

clean:
	rm -rf $(BUILD_DIR)
