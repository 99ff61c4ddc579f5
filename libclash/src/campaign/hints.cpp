// Hints and reviews: buying hint tiers through the ledger (exactly once per tier), answering with
// the HintProvider, and reviews through the CodeReviewer.
#include <nlohmann/json.hpp>

#include "campaign/campaign_internal.h"
#include "clash/economy.h"

namespace clash {
namespace {

constexpr const char* kTierTypeMessage = "hint_level must be an integer between 1 and 3.";
constexpr const char* kTierRangeMessage = "hint_level must be between 1 and 3.";

class AuthoredHints final : public HintProvider {
 public:
  Result<HintAnswer> GetHint(const TutorRequest& request, int tier) override {
    const std::vector<std::string>& hints = request.level.secrets.hints;
    if (tier < 1 || static_cast<std::size_t>(tier) > hints.size()) {
      return Status::NotFound("this level has no hint " + std::to_string(tier));
    }
    return HintAnswer{.tier = tier, .text = hints[static_cast<std::size_t>(tier) - 1], .source = "authored"};
  }
};

}  // namespace

std::unique_ptr<HintProvider> NewAuthoredHints() { return std::make_unique<AuthoredHints>(); }

Result<HintQuery> DecodeHintQuery(std::string_view body) {
  nlohmann::json j = body.empty() ? nlohmann::json::object() : nlohmann::json::parse(body, nullptr, false);
  if (!j.is_object()) return Status::InvalidArgument("the body must be a JSON object");
  HintQuery q;
  if (auto it = j.find("user_code"); it != j.end() && !it->is_null()) {
    if (!it->is_string()) return Status::InvalidArgument("user_code must be a string");
    q.user_code = it->get<std::string>();
  }
  if (auto it = j.find("hint_level"); it != j.end() && !it->is_null()) {
    // The reference accepts an integer or a string of digits.
    std::optional<std::int64_t> tier;
    if (it->is_number_integer()) {
      tier = it->get<std::int64_t>();
    } else if (it->is_string()) {
      const std::string s = it->get<std::string>();
      if (!s.empty() && s.size() < 10 && s.find_first_not_of("0123456789") == std::string::npos) tier = std::stoll(s);
    }
    if (!tier) return Status::InvalidArgument(kTierTypeMessage);
    if (*tier < 1 || *tier > kMaxHintsPerLevel) return Status::InvalidArgument(kTierRangeMessage);
    q.tier = static_cast<int>(*tier);
  }
  return q;
}

Result<HintPurchase> Campaign::BuyHint(const User& user, std::string_view slug, std::optional<int> tier) {
  if (tier && (*tier < 1 || *tier > kMaxHintsPerLevel)) return Status::InvalidArgument(kTierRangeMessage);
  CLASH_ASSIGN_OR_RETURN(internal::Playable p,
                         internal::LoadPlayable(deps_.storage, deps_.catalogue, user, slug, /*with_secrets=*/false));
  HintPurchase out;
  CLASH_RETURN_IF_ERROR(deps_.storage.Transact([&](StorageTransaction& tx) -> Status {
    const Timestamp now = deps_.clock.Now();
    // The locked row serialises purchases of one player on one level.
    CLASH_ASSIGN_OR_RETURN(ProgressRecord progress, tx.campaign().StartAndLock(user.id, p.level.id, now));
    const int bought = progress.hints_purchased;
    if (tier && *tier <= bought) {  // bought before: a repeated request changes nothing
      out = HintPurchase{.hints_purchased = bought, .cost = 0, .remaining_xp = 0, .charged = false};
      CLASH_ASSIGN_OR_RETURN(out.remaining_xp, tx.ledger().Balance(user.id));
      return Status::Ok();
    }
    if (bought >= kMaxHintsPerLevel) {
      return Status::FailedPrecondition("Maximum AI hints reached")
          .WithDetail("detail", std::string("You have already purchased all 3 AI hints for this level."))
          .WithDetail("hints_purchased", std::int64_t{bought})
          .WithDetail("max_hints", std::int64_t{kMaxHintsPerLevel});
    }
    if (tier && *tier != bought + 1) {
      return Status::InvalidArgument("hint_level " + std::to_string(*tier) + " cannot be bought before hint_level " +
                                     std::to_string(bought + 1) + ".");
    }
    const int next = bought + 1;
    const std::int64_t cost = HintCost(next);
    CLASH_ASSIGN_OR_RETURN(LedgerResult paid,
                           Ledger::ApplyIn(tx,
                                           XpChange{.user_id = user.id, .amount = -cost, .source = XpSource::kHintPurchase,
                                                    .reference = p.level.slug,
                                                    .idempotency_key = "hint:" + std::to_string(p.level.id) + ":" +
                                                                       std::to_string(next),
                                                    .actor_id = user.id,
                                                    .reason = "hint " + std::to_string(next) + " bought"},
                                           now));
    CLASH_ASSIGN_OR_RETURN(bool moved, tx.campaign().SetHintsPurchased(user.id, p.level.id, bought, next));
    if (!moved) return Status::Aborted("hint purchase raced another; try again");
    out = HintPurchase{.hints_purchased = next, .cost = paid.applied ? cost : 0, .remaining_xp = paid.balance,
                       .charged = paid.applied};
    return Status::Ok();
  }));
  return out;
}

Result<HintAnswer> Campaign::Hint(const User& user, std::string_view slug, int tier, std::string_view user_code) {
  if (tier < 1 || tier > kMaxHintsPerLevel) return Status::InvalidArgument(kTierRangeMessage);
  CLASH_RETURN_IF_ERROR(internal::CheckCode(user_code, /*allow_empty=*/true));
  CLASH_ASSIGN_OR_RETURN(internal::Playable p,
                         internal::LoadPlayable(deps_.storage, deps_.catalogue, user, slug, /*with_secrets=*/true));
  const int bought = p.progress ? p.progress->hints_purchased : 0;
  if (bought < tier) {
    return Status::InsufficientFunds("AI Hint Level " + std::to_string(tier) + " not purchased for this level.")
        .WithDetail("hints_purchased", std::int64_t{bought})
        .WithDetail("hint_level", std::int64_t{tier});
  }
  return deps_.hints.GetHint(TutorRequest{.user = user, .level = p.level, .user_code = user_code}, tier);
}

Result<CodeReview> Campaign::Review(const User& user, std::string_view slug, std::string_view code) {
  CLASH_RETURN_IF_ERROR(internal::CheckCode(code, /*allow_empty=*/true));
  CLASH_ASSIGN_OR_RETURN(internal::Playable p,
                         internal::LoadPlayable(deps_.storage, deps_.catalogue, user, slug, /*with_secrets=*/true));
  return deps_.reviewer.Review(TutorRequest{.user = user, .level = p.level, .user_code = code});
}

}  // namespace clash
