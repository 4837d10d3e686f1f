// SPDX-License-Identifier: Apache-2.0
// BatchSpanProcessor: lock-free ring of span records, one export thread, deadline-bounded flush/shutdown, fork restart.
#include "frame_tracking/batch_span_processor.hpp"

#include "bounded_queue.hpp"
#include "fork_epoch.hpp"
#include "striped_counter.hpp"

#include "frame_tracking/diagnostics.hpp"

#include <linux/futex.h>
#include <pthread.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

namespace frame_tracking {
namespace {

using SteadyClock = std::chrono::steady_clock;

// Sleeps while `*word == expected`, at most `timeout` (futex: no lost wake-up between the
// caller's last check and the sleep, because a waker changes `word` first).
void futex_wait(std::atomic<std::uint32_t>& word, std::uint32_t expected, std::chrono::nanoseconds timeout) noexcept {
  if (timeout <= std::chrono::nanoseconds::zero()) return;
  timespec ts{};
  ts.tv_sec = static_cast<time_t>(timeout.count() / 1000000000);
  ts.tv_nsec = static_cast<long>(timeout.count() % 1000000000);
  syscall(SYS_futex, reinterpret_cast<std::uint32_t*>(&word), FUTEX_WAIT_PRIVATE, expected, &ts, nullptr, 0);
}

void futex_wake(std::atomic<std::uint32_t>& word) noexcept {
  word.fetch_add(1, std::memory_order_release);
  syscall(SYS_futex, reinterpret_cast<std::uint32_t*>(&word), FUTEX_WAKE_PRIVATE, 1, nullptr, nullptr, 0);
}

}  // namespace

namespace detail {

struct BatchState {
  BatchState(std::unique_ptr<SpanExporter> e, BatchSpanProcessorOptions o)
      : options(o), queue(o.max_queue_size), exporter(std::move(e)) {}

  BatchSpanProcessorOptions options;
  detail::BoundedQueue<SpanDataPtr> queue;
  std::unique_ptr<SpanExporter> exporter;

  // Wake-up protocol: the worker sets `sleeping`, re-checks, then futex-waits on `wake`.
  std::atomic<std::uint32_t> wake{0};
  std::atomic<bool> sleeping{false};
  std::atomic<bool> stop{false};
  std::atomic<bool> shut_down{false};
  std::atomic<std::int64_t> stop_deadline_ns{0};  // steady clock; the worker drops what is left after it
  std::atomic<std::uint64_t> flush_requested{0};
  std::atomic<std::uint32_t> epoch{0};  // fork epoch the worker was started in

  // Control: flush completion, worker exit, restart. Never taken on the hot path.
  std::mutex mutex;
  std::condition_variable cv;
  std::uint64_t flush_done = 0;
  bool worker_exited = false;
  bool shutdown_result = true;
  std::thread* worker = nullptr;  // leaked on purpose in a forked child (the thread does not exist there)

  StripedCounter exported;
  StripedCounter export_failures;
  StripedCounter dropped_queue_full;
  StripedCounter dropped_export_failed;
  StripedCounter dropped_shutdown;
};

namespace {

using State = BatchState;

// Every live processor state, so fork() can lock their control mutexes (no child inherits one
// held by a thread that does not exist there).
struct Registry {
  std::mutex mutex;
  std::vector<State*> states;
};
Registry& registry() {
  static Registry* r = new Registry;  // never destroyed: fork handlers may run during exit
  return *r;
}

void fork_prepare() noexcept {
  registry().mutex.lock();
  for (auto* s : registry().states) s->mutex.lock();
}
void fork_parent() noexcept {
  for (auto* s : registry().states) s->mutex.unlock();
  registry().mutex.unlock();
}
void fork_child() noexcept { fork_parent(); }

struct ForkHandlers {
  ForkHandlers() noexcept { pthread_atfork(&fork_prepare, &fork_parent, &fork_child); }
};
const ForkHandlers g_fork_handlers;

// The export thread.
struct BatchWorker {
  static void export_batch(State& s, std::vector<SpanDataPtr>& batch, std::vector<const SpanData*>& views) noexcept {
    views.clear();
    for (auto& p : batch) views.push_back(p.get());
    ExportResult result = s.exporter->export_batch(views);
    if (result == ExportResult::kSuccess) {
      s.exported.add(batch.size());
    } else {
      s.export_failures.add();
      s.dropped_export_failed.add(batch.size());
    }
    batch.clear();  // records go back to their pool
  }

  static bool past_stop_deadline(const State& s) noexcept {
    return s.stop.load(std::memory_order_acquire) &&
           SteadyClock::now().time_since_epoch().count() >= s.stop_deadline_ns.load(std::memory_order_relaxed);
  }

  static void run(std::shared_ptr<State> state) noexcept {
    State& s = *state;
    const std::size_t batch_size = s.options.max_export_batch_size;
    std::vector<SpanDataPtr> batch;
    std::vector<const SpanData*> views;
    try {
      batch.reserve(batch_size);
      views.reserve(batch_size);
    } catch (...) {
      // Without the reserve the vectors grow on demand; nothing else to do.
    }
    std::uint64_t flush_handled = 0;
    {
      std::lock_guard lock(s.mutex);
      flush_handled = s.flush_done;
    }
    auto next_timer = SteadyClock::now() + s.options.schedule_delay;
    for (;;) {
      const bool stopping = s.stop.load(std::memory_order_acquire);
      const std::uint64_t flush_target = s.flush_requested.load(std::memory_order_acquire);
      const bool flushing = flush_target > flush_handled;
      const bool timer = SteadyClock::now() >= next_timer;
      if (!stopping && !flushing && !timer && s.queue.size() < batch_size) {
        s.sleeping.store(true, std::memory_order_relaxed);
        std::atomic_thread_fence(std::memory_order_seq_cst);
        const std::uint32_t seen = s.wake.load(std::memory_order_acquire);
        if (!s.stop.load(std::memory_order_acquire) &&
            s.flush_requested.load(std::memory_order_acquire) == flush_handled && s.queue.size() < batch_size) {
          futex_wait(s.wake, seen, next_timer - SteadyClock::now());
        }
        s.sleeping.store(false, std::memory_order_relaxed);
        continue;
      }
      // Export everything queued now when stopping, flushing or on the timer (what arrives meanwhile
      // waits for the next round, so a flush finishes under sustained load); else full batches.
      const bool drain = stopping || flushing || timer;
      std::size_t budget = drain ? s.queue.size() : 0;
      for (;;) {
        if (past_stop_deadline(s)) break;
        if (drain ? budget == 0 : s.queue.size() < batch_size) break;
        const std::size_t want = drain ? std::min(budget, batch_size) : batch_size;
        SpanDataPtr span;
        while (batch.size() < want && s.queue.try_pop(span)) batch.push_back(std::move(span));
        if (batch.empty()) break;
        budget -= std::min(budget, batch.size());
        export_batch(s, batch, views);
        if (stopping) budget = s.queue.size();
      }
      if (flushing) {
        auto timeout = s.options.export_timeout.count() > 0 ? std::chrono::microseconds(s.options.export_timeout)
                                                            : std::chrono::microseconds(std::chrono::hours(24));
        s.exporter->force_flush(timeout);
        {
          std::lock_guard lock(s.mutex);
          s.flush_done = std::max(s.flush_done, flush_target);
        }
        s.cv.notify_all();
        flush_handled = flush_target;
      }
      if (stopping) break;
      if (timer) next_timer = SteadyClock::now() + s.options.schedule_delay;
    }
    // Whatever could not be exported before the shutdown deadline is dropped, and counted.
    SpanDataPtr left;
    while (s.queue.try_pop(left)) {
      s.dropped_shutdown.add();
      left.reset();
    }
    {
      std::lock_guard lock(s.mutex);
      s.worker_exited = true;
    }
    s.cv.notify_all();
  }
};

// Starts the export thread unless it runs in this process already; after fork(), first drops
// the parent's thread handle, queue and counters (all the parent's business).
void ensure_worker(const std::shared_ptr<State>& state) noexcept {
  State& s = *state;
  const std::uint32_t epoch = fork_epoch();
  if (s.epoch.load(std::memory_order_acquire) == epoch) return;
  std::lock_guard lock(s.mutex);
  if (s.epoch.load(std::memory_order_relaxed) == epoch) return;
  if (s.worker != nullptr) {
    s.worker = nullptr;  // leaked: the std::thread's thread does not exist in this process
    SpanDataPtr inherited;
    while (s.queue.try_pop(inherited)) inherited.reset();
    for (auto* c : {&s.exported, &s.export_failures, &s.dropped_queue_full, &s.dropped_export_failed,
                    &s.dropped_shutdown}) {
      c->reset();
    }
    s.sleeping.store(false, std::memory_order_relaxed);
    s.flush_done = s.flush_requested.load(std::memory_order_relaxed);
    s.worker_exited = false;
  }
  if (s.shut_down.load(std::memory_order_relaxed)) {
    s.worker_exited = true;
    s.epoch.store(epoch, std::memory_order_release);
    return;
  }
  try {
    s.worker = new std::thread(&BatchWorker::run, state);
  } catch (...) {
    log_diagnostic(LogLevel::kError, "BatchSpanProcessor: cannot start the export thread; spans will be dropped");
    s.worker_exited = true;
  }
  s.epoch.store(epoch, std::memory_order_release);
}

}  // namespace
}  // namespace detail

using detail::ensure_worker;
using State = detail::BatchState;

BatchSpanProcessor::BatchSpanProcessor(std::unique_ptr<SpanExporter> exporter, BatchSpanProcessorOptions options) {
  options.max_queue_size = std::max<std::size_t>(options.max_queue_size, 1);
  options.max_export_batch_size = std::clamp<std::size_t>(options.max_export_batch_size, 1, options.max_queue_size);
  state_ = std::make_shared<State>(std::move(exporter), options);
  {
    std::lock_guard lock(detail::registry().mutex);
    detail::registry().states.push_back(state_.get());
  }
  ensure_worker(state_);
}

BatchSpanProcessor::~BatchSpanProcessor() {
  shutdown(std::chrono::seconds(5));
  std::lock_guard lock(detail::registry().mutex);
  auto& list = detail::registry().states;
  list.erase(std::remove(list.begin(), list.end(), state_.get()), list.end());
}

const BatchSpanProcessorOptions& BatchSpanProcessor::options() const noexcept { return state_->options; }

void BatchSpanProcessor::on_start(SpanData&, const SpanContext&) noexcept {}

void BatchSpanProcessor::on_end(SpanDataPtr span) noexcept {
  if (!span || !span->context.is_sampled()) return;
  State& s = *state_;
  if (s.epoch.load(std::memory_order_relaxed) != detail::fork_epoch()) [[unlikely]] ensure_worker(state_);
  if (s.shut_down.load(std::memory_order_acquire)) {
    s.dropped_shutdown.add();
    return;
  }
  if (!s.queue.try_push(span)) {
    s.dropped_queue_full.add();
    return;  // `span` goes back to its pool here
  }
  if (s.queue.size() >= s.options.max_export_batch_size) {
    // Pairs with the worker's fence between setting `sleeping` and its last queue check.
    std::atomic_thread_fence(std::memory_order_seq_cst);
    if (s.sleeping.load(std::memory_order_relaxed) && s.sleeping.exchange(false, std::memory_order_acq_rel)) {
      futex_wake(s.wake);
    }
  }
}

bool BatchSpanProcessor::force_flush(std::chrono::microseconds timeout) noexcept {
  State& s = *state_;
  ensure_worker(state_);
  const auto deadline = SteadyClock::now() + timeout;
  const std::uint64_t target = s.flush_requested.fetch_add(1, std::memory_order_acq_rel) + 1;
  futex_wake(s.wake);
  std::unique_lock lock(s.mutex);
  s.cv.wait_until(lock, deadline, [&] { return s.flush_done >= target || s.worker_exited; });
  if (s.flush_done >= target) return true;
  return s.worker_exited && s.queue.size() == 0;
}

bool BatchSpanProcessor::shutdown(std::chrono::microseconds timeout) noexcept {
  State& s = *state_;
  ensure_worker(state_);
  const auto deadline = SteadyClock::now() + timeout;
  if (s.shut_down.exchange(true, std::memory_order_acq_rel)) {
    std::lock_guard lock(s.mutex);
    return s.shutdown_result;
  }
  s.stop_deadline_ns.store(deadline.time_since_epoch().count(), std::memory_order_relaxed);
  s.stop.store(true, std::memory_order_release);
  futex_wake(s.wake);
  std::thread* worker = nullptr;
  bool exited = false;
  {
    std::unique_lock lock(s.mutex);
    exited = s.cv.wait_until(lock, deadline, [&] { return s.worker_exited; });
    worker = std::exchange(s.worker, nullptr);
  }
  if (worker != nullptr) {
    // The worker has returned from its loop when `exited`: join() only waits for its epilogue.
    // Otherwise it is stuck in the exporter: detach it; it owns a reference to the state.
    if (exited) worker->join();
    else worker->detach();
    delete worker;
  }
  auto left = std::chrono::duration_cast<std::chrono::microseconds>(deadline - SteadyClock::now());
  bool ok = s.exporter->shutdown(std::max(left, std::chrono::microseconds(0))) && exited;
  std::lock_guard lock(s.mutex);
  s.shutdown_result = ok;
  return ok;
}

void BatchSpanProcessor::collect(TracingStats& stats) const noexcept {
  const State& s = *state_;
  stats.spans_exported += s.exported.load();
  stats.export_failures += s.export_failures.load();
  stats.dropped_queue_full += s.dropped_queue_full.load();
  stats.dropped_export_failed += s.dropped_export_failed.load();
  stats.dropped_shutdown += s.dropped_shutdown.load();
  stats.queue_size += s.queue.size();
  stats.queue_capacity += s.queue.capacity();
}

}  // namespace frame_tracking
