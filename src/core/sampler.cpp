// SPDX-License-Identifier: Apache-2.0
// AlwaysOn, AlwaysOff, TraceIdRatioBased (56-bit random part) and ParentBased samplers.
#include "frame_tracking/sampler.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace frame_tracking {
namespace {

constexpr std::uint64_t kTwoPow56 = std::uint64_t{1} << 56;

class AlwaysOnSampler final : public Sampler {
 public:
  SamplingResult should_sample(const SamplingParameters&) const noexcept override {
    return {SamplingDecision::kRecordAndSample, {}, std::nullopt};
  }
  std::string description() const override { return "AlwaysOnSampler"; }
};

class AlwaysOffSampler final : public Sampler {
 public:
  SamplingResult should_sample(const SamplingParameters&) const noexcept override {
    return {SamplingDecision::kDrop, {}, std::nullopt};
  }
  std::string description() const override { return "AlwaysOffSampler"; }
};

class ParentBasedSampler final : public Sampler {
 public:
  explicit ParentBasedSampler(ParentBasedSamplerOptions o)
      : root_(o.root ? std::move(o.root) : make_always_on_sampler()),
        remote_sampled_(o.remote_parent_sampled ? std::move(o.remote_parent_sampled) : make_always_on_sampler()),
        remote_not_sampled_(o.remote_parent_not_sampled ? std::move(o.remote_parent_not_sampled)
                                                        : make_always_off_sampler()),
        local_sampled_(o.local_parent_sampled ? std::move(o.local_parent_sampled) : make_always_on_sampler()),
        local_not_sampled_(o.local_parent_not_sampled ? std::move(o.local_parent_not_sampled)
                                                      : make_always_off_sampler()) {}

  SamplingResult should_sample(const SamplingParameters& p) const noexcept override {
    if (!p.parent.is_valid()) return root_->should_sample(p);
    if (p.parent.is_remote()) {
      return p.parent.is_sampled() ? remote_sampled_->should_sample(p) : remote_not_sampled_->should_sample(p);
    }
    return p.parent.is_sampled() ? local_sampled_->should_sample(p) : local_not_sampled_->should_sample(p);
  }

  std::string description() const override {
    return "ParentBased{root=" + root_->description() + ",remoteParentSampled=" + remote_sampled_->description() +
           ",remoteParentNotSampled=" + remote_not_sampled_->description() +
           ",localParentSampled=" + local_sampled_->description() +
           ",localParentNotSampled=" + local_not_sampled_->description() + "}";
  }

 private:
  std::unique_ptr<Sampler> root_, remote_sampled_, remote_not_sampled_, local_sampled_, local_not_sampled_;
};

}  // namespace

std::unique_ptr<Sampler> make_always_on_sampler() { return std::make_unique<AlwaysOnSampler>(); }
std::unique_ptr<Sampler> make_always_off_sampler() { return std::make_unique<AlwaysOffSampler>(); }

TraceIdRatioBasedSampler::TraceIdRatioBasedSampler(double ratio) noexcept
    : ratio_(std::isnan(ratio) ? 0.0 : std::clamp(ratio, 0.0, 1.0)) {
  // T = (1 − p)·2^56; 2^56 fits a double exactly and (1 − p)·2^56 ≤ 2^56, so the cast is exact-or-floor.
  threshold_ = static_cast<std::uint64_t>((1.0 - ratio_) * static_cast<double>(kTwoPow56));
  if (threshold_ > kTwoPow56) threshold_ = kTwoPow56;
  // 14 hex digits (56 bits), trailing zeros removed; T = 2^56 never samples and is never recorded.
  char digits[15];
  std::snprintf(digits, sizeof digits, "%014llx", static_cast<unsigned long long>(threshold_ & (kTwoPow56 - 1)));
  std::size_t length = 14;
  while (length > 1 && digits[length - 1] == '0') --length;
  threshold_text_.assign(digits, length);
}

SamplingResult TraceIdRatioBasedSampler::should_sample(const SamplingParameters& p) const noexcept {
  if (!samples(p.trace_id)) return {SamplingDecision::kDrop, {}, std::nullopt};
  try {
    // The parent's `ot` entry may carry other sub-keys (e.g. rv); keep them, replace th.
    std::string ot = "th:" + threshold_text_;
    if (p.parent.is_valid()) {
      if (std::optional<std::string_view> old = p.parent.trace_state.get("ot")) {
        std::size_t start = 0;
        while (start <= old->size()) {
          std::size_t end = old->find(';', start);
          if (end == std::string_view::npos) end = old->size();
          const std::string_view entry = old->substr(start, end - start);
          if (!entry.empty() && !entry.starts_with("th:")) ot.append(1, ';').append(entry);
          start = end + 1;
        }
      }
      if (auto state = p.parent.trace_state.with("ot", ot)) return {SamplingDecision::kRecordAndSample, {}, std::move(*state)};
      return {SamplingDecision::kRecordAndSample, {}, std::nullopt};
    }
    return {SamplingDecision::kRecordAndSample, {}, TraceState().with("ot", ot)};
  } catch (const std::exception&) {  // out of memory: sample without recording the threshold
    return {SamplingDecision::kRecordAndSample, {}, std::nullopt};
  }
}

std::string TraceIdRatioBasedSampler::description() const {
  char buf[64];
  std::snprintf(buf, sizeof buf, "TraceIdRatioBased{%.6f}", ratio_);
  return buf;
}

std::unique_ptr<Sampler> make_parent_based_sampler(ParentBasedSamplerOptions options) {
  return std::make_unique<ParentBasedSampler>(std::move(options));
}

std::unique_ptr<Sampler> make_parent_based_sampler(std::unique_ptr<Sampler> root) {
  ParentBasedSamplerOptions options;
  options.root = std::move(root);
  return make_parent_based_sampler(std::move(options));
}

}  // namespace frame_tracking
