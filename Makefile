# SPDX-License-Identifier: Apache-2.0
# Thin wrappers over scripts/install-deps.sh, CMake and CTest. Each target runs what it needs first.
BUILD_DIR ?= build
BUILD_TYPE ?= RelWithDebInfo
JOBS ?= $(shell nproc)
CMAKE_ARGS ?=
CLI := $(BUILD_DIR)/apps/frame-tracking/frame-tracking
# Extra flags for `make demo`, e.g. DEMO_ARGS='--broker amqp --frames 100' or DEMO_ARGS='--input rtsp://camera/stream'.
DEMO_ARGS ?=

.PHONY: all deps configure build test demo clean

all: build

deps:
	scripts/install-deps.sh

configure: deps
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) $(CMAKE_ARGS)

build: configure
	cmake --build $(BUILD_DIR) -j $(JOBS)

test: build
	ctest --test-dir $(BUILD_DIR) --output-on-failure -j $(JOBS) -L 'unit|integration|e2e'

demo: build
	$(CLI) demo $(DEMO_ARGS)

clean:
	rm -rf $(BUILD_DIR)
