// SPDX-License-Identifier: Apache-2.0
// BatchSpanProcessor tests: no loss within capacity, exact drop counts, flush/shutdown deadlines, fork.
#include "tracing_test_util.hpp"

#include "frame_tracking/batch_span_processor.hpp"

#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <condition_variable>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace frame_tracking {
namespace {

using namespace std::chrono_literals;

/// A gate an exporter can block on until the test opens it; counts the threads waiting in it.
struct Gate {
  std::mutex mutex;
  std::condition_variable cv;
  bool open = false;
  int waiting = 0;

  void pass() {
    std::unique_lock lock(mutex);
    ++waiting;
    cv.notify_all();
    cv.wait(lock, [&] { return open; });
    --waiting;
  }
  void wait_for_waiter() {
    std::unique_lock lock(mutex);
    cv.wait(lock, [&] { return waiting > 0; });
  }
  void release() {
    std::lock_guard lock(mutex);
    open = true;
    cv.notify_all();
  }
};

/// Stores into an InMemorySpanStore after passing `gate` (if any).
class GatedExporter final : public SpanExporter {
 public:
  GatedExporter(std::shared_ptr<InMemorySpanStore> store, std::shared_ptr<Gate> gate)
      : store_(std::move(store)), gate_(std::move(gate)) {}
  ExportResult export_batch(std::span<const SpanData* const> spans) noexcept override {
    if (gate_) gate_->pass();
    store_->add(spans);
    return ExportResult::kSuccess;
  }
  bool shutdown(std::chrono::microseconds) noexcept override { return true; }

 private:
  std::shared_ptr<InMemorySpanStore> store_;
  std::shared_ptr<Gate> gate_;
};

/// Fails every export.
class FailingExporter final : public SpanExporter {
 public:
  ExportResult export_batch(std::span<const SpanData* const>) noexcept override { return ExportResult::kFailure; }
  bool shutdown(std::chrono::microseconds) noexcept override { return true; }
};

std::unique_ptr<TracerProvider> make_batch_provider(std::unique_ptr<SpanExporter> exporter,
                                                    BatchSpanProcessorOptions options) {
  TracerProviderOptions o;
  o.resource = Resource({{"service.name", std::string("test")}});
  o.processors.push_back(std::make_unique<BatchSpanProcessor>(std::move(exporter), options));
  o.span_pool_size = options.max_queue_size + options.max_export_batch_size + 64;
  return std::make_unique<TracerProvider>(std::move(o));
}

TEST(BatchSpanProcessorTest, FourProducersLoseNothingWithinCapacity) {
  auto store = std::make_shared<InMemorySpanStore>();
  BatchSpanProcessorOptions options;
  options.max_queue_size = 4000;
  options.max_export_batch_size = 64;
  options.schedule_delay = 10000ms;
  auto provider = make_batch_provider(std::make_unique<GatedExporter>(store, nullptr), options);
  Tracer tracer = provider->get_tracer("bsp");
  constexpr int kThreads = 4;
  constexpr int kSpansPerThread = 1000;
  std::vector<std::thread> producers;
  for (int t = 0; t < kThreads; ++t) {
    producers.emplace_back([&tracer, t] {
      for (int i = 0; i < kSpansPerThread; ++i) {
        Span span = tracer.start_span("work");
        span.set_attribute("thread", t);
        span.set_attribute("index", i);
      }
    });
  }
  for (auto& p : producers) p.join();
  ASSERT_TRUE(provider->force_flush(30s));
  auto spans = store->take();
  ASSERT_EQ(spans.size(), static_cast<std::size_t>(kThreads * kSpansPerThread));
  std::set<std::pair<std::int64_t, std::int64_t>> seen;
  for (const auto& s : spans) {
    auto t = std::get<std::int64_t>(*testing::find_attribute(s->attributes(), "thread"));
    auto i = std::get<std::int64_t>(*testing::find_attribute(s->attributes(), "index"));
    seen.insert({t, i});
  }
  EXPECT_EQ(seen.size(), static_cast<std::size_t>(kThreads * kSpansPerThread));
  TracingStats stats = provider->collect();
  EXPECT_EQ(stats.spans_started, 4000u);
  EXPECT_EQ(stats.spans_ended, 4000u);
  EXPECT_EQ(stats.spans_exported, 4000u);
  EXPECT_EQ(stats.dropped_total(), 0u);
  EXPECT_EQ(stats.queue_size, 0u);
  EXPECT_EQ(stats.queue_capacity, 4000u);
}

TEST(BatchSpanProcessorTest, BlockedExporterGivesExactQueueFullDrops) {
  auto store = std::make_shared<InMemorySpanStore>();
  auto gate = std::make_shared<Gate>();
  BatchSpanProcessorOptions options;
  options.max_queue_size = 10;
  options.max_export_batch_size = 1;
  options.schedule_delay = 10000ms;
  auto provider = make_batch_provider(std::make_unique<GatedExporter>(store, gate), options);
  Tracer tracer = provider->get_tracer("bsp");
  tracer.start_span("first").end();
  gate->wait_for_waiter();  // the export thread holds "first" and is blocked in the exporter
  for (int i = 0; i < 15; ++i) tracer.start_span("queued").end();
  TracingStats blocked = provider->collect();
  EXPECT_EQ(blocked.queue_size, 10u);
  EXPECT_EQ(blocked.dropped_queue_full, 5u);
  gate->release();
  ASSERT_TRUE(provider->force_flush(30s));
  TracingStats stats = provider->collect();
  EXPECT_EQ(stats.spans_exported, 11u);
  EXPECT_EQ(stats.dropped_queue_full, 5u);
  EXPECT_EQ(stats.dropped_total(), 5u);
  EXPECT_EQ(store->size(), 11u);
}

TEST(BatchSpanProcessorTest, ExportFailuresAreCountedPerSpan) {
  BatchSpanProcessorOptions options;
  options.max_export_batch_size = 4;
  auto provider = make_batch_provider(std::make_unique<FailingExporter>(), options);
  Tracer tracer = provider->get_tracer("bsp");
  for (int i = 0; i < 10; ++i) tracer.start_span("s").end();
  ASSERT_TRUE(provider->force_flush(30s));
  TracingStats stats = provider->collect();
  EXPECT_EQ(stats.spans_exported, 0u);
  EXPECT_EQ(stats.dropped_export_failed, 10u);
  EXPECT_GE(stats.export_failures, 3u);
}

TEST(BatchSpanProcessorTest, ScheduleDelayExportsAPartialBatch) {
  auto store = std::make_shared<InMemorySpanStore>();
  BatchSpanProcessorOptions options;
  options.schedule_delay = 1ms;
  auto provider = make_batch_provider(std::make_unique<GatedExporter>(store, nullptr), options);
  provider->get_tracer("bsp").start_span("s").end();
  for (int i = 0; i < 10000 && store->size() == 0; ++i) std::this_thread::sleep_for(1ms);
  EXPECT_EQ(store->size(), 1u);
}

TEST(BatchSpanProcessorTest, FlushAndShutdownReturnByTheirTimeoutWhenTheExporterHangs) {
  auto store = std::make_shared<InMemorySpanStore>();
  auto gate = std::make_shared<Gate>();
  BatchSpanProcessorOptions options;
  options.max_export_batch_size = 1;
  auto provider = make_batch_provider(std::make_unique<GatedExporter>(store, gate), options);
  Tracer tracer = provider->get_tracer("bsp");
  tracer.start_span("stuck").end();
  gate->wait_for_waiter();
  tracer.start_span("behind").end();
  EXPECT_FALSE(provider->force_flush(50ms));
  EXPECT_FALSE(provider->shutdown(50ms));
  EXPECT_FALSE(provider->shutdown(50ms));  // the first result is kept
  EXPECT_FALSE(tracer.start_span("late").is_recording());
  gate->release();  // the detached export thread finishes on its own state
  for (int i = 0; i < 10000 && provider->collect().dropped_shutdown == 0; ++i) std::this_thread::sleep_for(1ms);
  TracingStats stats = provider->collect();
  EXPECT_EQ(stats.spans_exported, 1u);
  EXPECT_EQ(stats.dropped_shutdown, 1u);
}

TEST(BatchSpanProcessorTest, ShutdownExportsWhatIsQueued) {
  auto store = std::make_shared<InMemorySpanStore>();
  BatchSpanProcessorOptions options;
  options.schedule_delay = 100000ms;
  auto provider = make_batch_provider(std::make_unique<GatedExporter>(store, nullptr), options);
  for (int i = 0; i < 7; ++i) provider->get_tracer("bsp").start_span("s").end();
  EXPECT_TRUE(provider->shutdown(30s));
  EXPECT_EQ(store->size(), 7u);
  EXPECT_EQ(provider->collect().spans_exported, 7u);
}

TEST(BatchSpanProcessorTest, ForkedChildExportsOnlyItsOwnSpans) {
  auto store = std::make_shared<InMemorySpanStore>();
  BatchSpanProcessorOptions options;
  options.schedule_delay = 100000ms;
  auto provider = make_batch_provider(std::make_unique<GatedExporter>(store, nullptr), options);
  Tracer tracer = provider->get_tracer("bsp");
  tracer.start_span("parent-queued").end();
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    tracer.start_span("child").end();
    bool flushed = provider->force_flush(10s);
    auto spans = store->take();
    TracingStats stats = provider->collect();
    bool ok = flushed && spans.size() == 1 && spans[0]->name() == "child" && stats.spans_exported == 1 &&
              stats.queue_size == 0;
    _exit(ok ? 0 : 1);
  }
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  ASSERT_TRUE(provider->force_flush(10s));
  auto spans = store->take();
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0]->name(), "parent-queued");
}

}  // namespace
}  // namespace frame_tracking
