#include "routes/docs/route_docs.h"

namespace clash::host::docs {
namespace {

constexpr const char* kLevelFields =
    "{slug?: string, title?: string, description?: string, order?: integer, xp_reward?: integer, "
    "initial_code?: string, time_limit?: integer, target_time_seconds?: integer, stage?: integer, topics?: [string], "
    "cases?: any, solution?: string, hints?: [string], created_for_user_id?: integer|null}";
constexpr const char* kReview =
    "{review: string, syntax_errors: [object], samples: [object], warnings: [object], source: string, "
    "cached: boolean}";

}  // namespace

void AddCampaignDocs(std::vector<RouteDoc>& out) {
  const std::vector<RouteDoc> docs = {
      {"GET", "/api/challenges/", "campaign", "optional", "The levels in map order with the caller's status", "",
       "[@Level]"},
      {"POST", "/api/challenges/", "campaign", "staff", "Create a level, validated like a level folder", kLevelFields,
       "object", 201},
      {"GET", "/api/challenges/{slug}/", "campaign", "user", "One level (403 while locked)", "", "@Level"},
      {"PATCH", "/api/challenges/{slug}/", "campaign", "staff", "Edit a level (validated again)", kLevelFields,
       "object"},
      {"PUT", "/api/challenges/{slug}/", "campaign", "staff", "Edit a level (validated again)", kLevelFields,
       "object"},
      {"DELETE", "/api/challenges/{slug}/", "campaign", "staff", "Delete a level", "", "", 204},
      {"POST", "/api/challenges/{slug}/submit/", "campaign", "user",
       "Submit code, judged on the server: the outcome (200) or a task to poll (202)",
       "{code?: string, passed?: boolean}", "@SubmitOutcome"},
      {"GET", "/api/challenges/ai-tasks/{task_id}/status/", "campaign", "user",
       "A queued submission's task (owner only)", "", "@Task"},
      {"POST", "/api/challenges/{slug}/purchase_ai_assist/", "campaign", "user", "Buy the next hint tier with XP", "",
       "{status: string, remaining_xp: integer, hints_purchased: integer, cost: integer, message: string}"},
      {"POST", "/api/challenges/{slug}/ai-hint/", "campaign", "user", "A purchased hint",
       "{user_code?: string, hint_level: integer}",
       "{hint: string, hint_level: integer, max_hints: integer, cached: boolean, source: string}"},
      {"POST", "/api/challenges/{slug}/ai-analyze/", "campaign", "user", "Review the caller's code (offline)",
       "{user_code: string}", kReview},
      {"POST", "/api/challenges/{slug}/ai_analyze/", "campaign", "user", "Alias of ai-analyze", "{user_code: string}",
       kReview},
      {"POST", "/api/challenges/{slug}/analyze/", "campaign", "user", "Alias of ai-analyze", "{user_code: string}",
       kReview},
      {"GET", "/api/challenges/leaderboard/", "campaign", "public", "Top 100 players by XP", "",
       "[{rank: integer, username: string, avatar: string|null, completed_levels: integer, xp: integer}]"},
      {"GET", "/api/challenges/completions/", "campaign", "user", "The caller's first completions per day", "",
       "[{date: string, count: integer}]", 200, "{days?: integer}"},
      {"GET", "/api/certificates/check_eligibility/", "certificates", "user", "Whether the caller earned the certificate",
       "",
       "{eligible: boolean, completed_challenges: integer, required_challenges: integer, "
       "remaining_challenges: integer, has_certificate: boolean}"},
      {"GET", "/api/certificates/my_certificate/", "certificates", "user",
       "The caller's certificate (issued once), or why not yet", "", "object"},
      {"GET", "/api/certificates/verify/{id}/", "certificates", "public", "Verify a certificate and its signature", "",
       "{valid: boolean, signature_valid: boolean, certificate: @Certificate, document: string, public_key: string}"},
      {"GET", "/api/certificates/public-key/", "certificates", "public", "The certificates' Ed25519 public key", "",
       "{algorithm: string, key_id: string, public_key: string}"},
  };
  out.insert(out.end(), docs.begin(), docs.end());
}

}  // namespace clash::host::docs
