// The bounds of JudgeLimits: the minimum a request may ask for, the default maximum, the check.
#include <string>

#include "clash/judge.h"
#include "judge/limit_fields.h"

namespace clash {

JudgeLimits MinJudgeLimits() {
  return JudgeLimits{std::chrono::milliseconds(1), std::chrono::milliseconds(1), 16LL << 20, 1, 1, 1, 16};
}

JudgeLimits DefaultMaxJudgeLimits() {
  return JudgeLimits{std::chrono::milliseconds(20'000), std::chrono::milliseconds(60'000), 1LL << 30,
                     64LL << 20, 256LL << 20, 256, 256};
}

Status ValidateJudgeLimits(const JudgeLimits& limits, const JudgeLimits& max) {
  const JudgeLimits min = MinJudgeLimits();
  for (const internal::LimitField& f : internal::kLimitFields) {
    const std::int64_t v = f.get(limits), lo = f.get(min), hi = f.get(max);
    if (v < lo || v > hi) {
      return Status::InvalidArgument("limit \"" + std::string(f.key) + "\" must be an integer from " +
                                     std::to_string(lo) + " to " + std::to_string(hi));
    }
  }
  return Status::Ok();
}

JudgeLimits Judge::MaxLimits() const { return DefaultMaxJudgeLimits(); }

}  // namespace clash
