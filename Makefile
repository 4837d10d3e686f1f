# SPDX-License-Identifier: Apache-2.0
# Thin wrappers over scripts/install-deps.sh, CMake and CTest. Each target runs what it needs first.
BUILD_DIR ?= build
BUILD_TYPE ?= RelWithDebInfo
JOBS ?= $(shell nproc)
CMAKE_ARGS ?=
CLI := $(BUILD_DIR)/apps/frame-tracking/frame-tracking
# Extra flags for `make demo`, e.g. DEMO_ARGS='--broker amqp --frames 100' or DEMO_ARGS='--input rtsp://camera/stream'.
DEMO_ARGS ?=

.PHONY: all deps configure build test demo clean fuzz test-asan test-asan-core test-asan-unit test-tsan

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

# Hardening (docs/hardening.md). Each has its own build directory; the optional components the
# tests under a sanitizer do not need (Python, benchmarks) are off there.
FUZZ_DIR ?= build-fuzz
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= $(notdir $(wildcard fuzz/corpus/*))
ASAN_DIR ?= build-asan
TSAN_DIR ?= build-tsan
SANITIZER_CMAKE_ARGS := -DFRAME_TRACKING_WITH_PYTHON=OFF -DFRAME_TRACKING_BUILD_BENCH=OFF
# The concurrency tests: batch processor, tracer and id generator threads, the TSC clock's calibration
# and the counter stripes, store writer/readers, the service under concurrent clients, the OTLP exporter,
# the Redis and RabbitMQ producers/consumers.
TSAN_TESTS ?= BatchSpanProcessor|TracerTest|FrameIdTest|ClockTest|StripedCounter|SpanStore|ServiceInProcess|ProtobufLogFlood|OtlpExporterTest|OtlpToService|RedisStream|RedisTracing|BoundedStream|AmqpTransport|AmqpTracing|AmqpConnectionLoss|SlowConsumer
export UBSAN_OPTIONS ?= print_stacktrace=1:halt_on_error=1
# die_after_fork=0: the fork-safety tests fork a multi-threaded process and start threads in the child.
# tests/tsan.supp: the uninstrumented cpp-httplib library's own buffers (see the file).
export TSAN_OPTIONS ?= halt_on_error=1 second_deadlock_stack=1 die_after_fork=0 suppressions=$(CURDIR)/tests/tsan.supp

# libFuzzer (clang) with ASan + UBSan: every target runs FUZZ_SECONDS from its seed corpus; new
# inputs collect in $(FUZZ_DIR)/corpus/<target>, crashes in $(FUZZ_DIR)/artifacts.
fuzz: deps
	cmake -S . -B $(FUZZ_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=clang \
	  -DCMAKE_CXX_COMPILER=clang++ -DFRAME_TRACKING_BUILD_FUZZ=ON -DFRAME_TRACKING_SANITIZE=address,undefined \
	  -DFRAME_TRACKING_BUILD_TESTS=OFF -DFRAME_TRACKING_BUILD_CLI=OFF -DFRAME_TRACKING_WITH_CAPTURE=OFF \
	  -DFRAME_TRACKING_WITH_METRICS=OFF $(SANITIZER_CMAKE_ARGS) $(CMAKE_ARGS)
	cmake --build $(FUZZ_DIR) -j $(JOBS) --target $(addprefix fuzz_,$(FUZZ_TARGETS))
	mkdir -p $(FUZZ_DIR)/artifacts
	for t in $(FUZZ_TARGETS); do \
	  mkdir -p $(FUZZ_DIR)/corpus/$$t && \
	  $(FUZZ_DIR)/fuzz/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
	    -artifact_prefix=$(FUZZ_DIR)/artifacts/$$t- $(FUZZ_DIR)/corpus/$$t fuzz/corpus/$$t || exit 1; \
	done

# Every unit and integration test (fuzz replay tests included) under ASan + UBSan.
test-asan: deps
	cmake -S . -B $(ASAN_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DFRAME_TRACKING_SANITIZE=address,undefined $(SANITIZER_CMAKE_ARGS) $(CMAKE_ARGS)
	cmake --build $(ASAN_DIR) -j $(JOBS)
	ctest --test-dir $(ASAN_DIR) --output-on-failure -j $(JOBS) -L 'unit|integration'

# The core's unit tests and its parsers' fuzz replays under ASan + UBSan, every optional component
# off: the part of the ASan/UBSan unit tests that fits into CI (.ci/run; see docs/hardening.md).
ASAN_CORE_DIR ?= build-asan-core
test-asan-core: deps
	cmake -S . -B $(ASAN_CORE_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DFRAME_TRACKING_SANITIZE=address,undefined -DFRAME_TRACKING_WITH_OTLP=OFF -DFRAME_TRACKING_WITH_STORE=OFF \
	  -DFRAME_TRACKING_WITH_REDIS=OFF -DFRAME_TRACKING_WITH_RABBITMQ=OFF -DFRAME_TRACKING_WITH_CAPTURE=OFF \
	  -DFRAME_TRACKING_WITH_METRICS=OFF -DFRAME_TRACKING_BUILD_CLI=OFF $(SANITIZER_CMAKE_ARGS) $(CMAKE_ARGS)
	cmake --build $(ASAN_CORE_DIR) -j $(JOBS)
	ctest --test-dir $(ASAN_CORE_DIR) --output-on-failure -j $(JOBS) -L unit

# The unit tests of every component under ASan + UBSan (too slow for CI on 2 cores; see docs/hardening.md).
test-asan-unit: deps
	cmake -S . -B $(ASAN_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DFRAME_TRACKING_SANITIZE=address,undefined $(SANITIZER_CMAKE_ARGS) $(CMAKE_ARGS)
	cmake --build $(ASAN_DIR) -j $(JOBS)
	ctest --test-dir $(ASAN_DIR) --output-on-failure -j $(JOBS) -L unit

# The concurrency tests (TSAN_TESTS) under ThreadSanitizer.
test-tsan: deps
	cmake -S . -B $(TSAN_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DFRAME_TRACKING_SANITIZE=thread $(SANITIZER_CMAKE_ARGS) $(CMAKE_ARGS)
	cmake --build $(TSAN_DIR) -j $(JOBS)
	ctest --test-dir $(TSAN_DIR) --output-on-failure -j $(JOBS) -R '$(TSAN_TESTS)'

clean:
	rm -rf $(BUILD_DIR) $(FUZZ_DIR) $(ASAN_DIR) $(ASAN_CORE_DIR) $(TSAN_DIR)
