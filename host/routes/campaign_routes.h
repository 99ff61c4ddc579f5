// host/routes/campaign_routes.h — the learning campaign over HTTP (client-contract.md sections 4, 5,
// 10 and 14, reference-core.md 1.4 and 1.5). Translation only: the rules live in clash::Campaign.
//
// campaign_routes.cpp:
//   GET    /api/challenges/                          user  -> [level + status, stars] (map order)
//   POST   /api/challenges/                          staff -> 201 level (validated) | 400 findings
//   GET    /api/challenges/{slug}/                   user  -> level + status, stars, ai_hints_purchased,
//                                                             started_at (set on the first open); 403 locked
//   PATCH|PUT /api/challenges/{slug}/                staff -> 200 level | 400 findings
//   DELETE /api/challenges/{slug}/                   staff -> 204
//   POST   /api/challenges/{slug}/submit/            user  -> 200 {status, xp_earned, stars, next_level_slug,
//                                                             verdict, ...} | 202 {task_id, status:"queued"}
//   POST   /api/challenges/{slug}/purchase_ai_assist/ user -> {status:"purchased", remaining_xp, ...}
//   POST   /api/challenges/{slug}/ai-hint/           user  -> {hint, hint_level, max_hints, cached}
//   POST   /api/challenges/{slug}/ai-analyze/ (and ai_analyze/, analyze/) user -> the review
//   GET    /api/challenges/ai-tasks/{task_id}/status/ owner -> {task_id, status, date_done, result?, error?}
//   GET    /api/challenges/leaderboard/              user  -> [{rank, username, avatar, completed_levels, xp}]
//   GET    /api/challenges/completions/?days=N       user  -> [{date, count}] the caller's first completions
// certificate_routes.cpp:
//   GET    /api/certificates/check_eligibility/      user
//   GET    /api/certificates/my_certificate/         user
//   GET    /api/certificates/verify/{id}/            anyone (404 {valid:false, error})
//   GET    /api/certificates/public-key/             anyone -> {algorithm, key_id, public_key}
#pragma once

#include "http/guard.h"
#include "http/router.h"

namespace clash::host {

void AddCampaignRoutes(Router& router, RouteContext& ctx);
void AddCertificateRoutes(Router& router, RouteContext& ctx);

}  // namespace clash::host
