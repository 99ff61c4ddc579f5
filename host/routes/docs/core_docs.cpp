#include "routes/docs/route_docs.h"

namespace clash::host::docs {

const std::vector<std::pair<const char*, const char*>>& Components() {
  static const std::vector<std::pair<const char*, const char*>> kComponents = {
      {"Error", "{error: string}"},
      {"Message", "{message: string}"},
      {"Profile",
       "{avatar_url: string|null, banner_url: string|null, bio: string, xp: integer, referral_code?: string, "
       "is_referred?: boolean, created_at: string, streak_freezes?: integer, active_theme: any, active_font: any, "
       "active_effect: any, active_victory: any, provider?: string|null}"},
      {"User",
       "{id: integer, username: string, email: string, first_name: string, last_name: string, profile: @Profile, "
       "followers_count: integer, following_count: integer, is_staff: boolean, is_superuser: boolean, is_active: boolean}"},
      {"PublicUser",
       "{id: integer, username: string, first_name: string, last_name: string, profile: @Profile, "
       "followers_count: integer, following_count: integer, is_following: boolean}"},
      {"UserSummary", "{username: string, avatar_url: string|null, is_following: boolean, bio: string}"},
      {"Level",
       "{id: integer, title: string, slug: string, description: string, initial_code: string, test_code: string, "
       "order: integer, xp_reward: integer, time_limit: integer, target_time_seconds: integer, "
       "created_for_user: integer|null, status: string, stars: integer}"},
      {"Verdict", "{verdict: string, message: string, tests_passed: integer, tests_total: integer}"},
      {"SubmitOutcome",
       "{status: string, xp_earned: integer, stars: integer, best_stars: integer, next_level_slug: string|null, "
       "total_xp: integer, certificate_issued: boolean, verdict?: @Verdict|null, error?: string}"},
      {"Task", "{task_id: string, kind: string, status: string, date_done: string|null, result?: any, error?: string}"},
      {"Certificate",
       "{id: integer, certificate_id: string, username: string, issued_date: string, is_valid: boolean, "
       "completion_count: integer, verification_url: string, algorithm: string, key_id: string, signature: string}"},
      {"Match",
       "{id: string, mode: string, state: string, puzzle: {slug: string, title: string}, host_id: integer, "
       "is_public: boolean, join_code: string|null, time_limit_seconds: integer, max_players: integer, "
       "created_at: integer, countdown_ends_at: integer|null, started_at: integer|null, ends_at: integer|null, "
       "finished_at: integer|null, last_seq: integer, players: [{user_id: integer, username: string, "
       "spectator: boolean, ready: boolean, left: boolean, is_host: boolean}], statement: string|null, "
       "samples: [{input: string, output: string}], progress: [{user_id: integer, submissions: integer, "
       "best_passed: integer, tests_total: integer}], results: @MatchResult|null}"},
      {"MatchResult",
       "{match_id: string, mode: string, players: [{user_id: integer, username: string, rank: integer, "
       "score: number, tests_passed: integer, tests_total: integer, chars: integer, elapsed_ms: integer|null, "
       "xp: integer, code: string|null, language: string|null}]}"},
      {"CheckIn", "{id: integer, check_in_date: string, streak_day: integer, xp_earned: integer}"},
      {"StoreItem",
       "{id: integer, name: string, description: string, cost: integer, icon_name: string, category: string, "
       "image: string|null, item_data: any, is_owned: boolean}"},
      {"Post",
       "{id: integer, user: @UserSummary, image: string|null, image_url: string|null, caption: string, "
       "created_at: string, updated_at: string, likes_count: integer, is_liked: boolean}"},
      {"Notification",
       "{id: integer, actor: @UserSummary|null, verb: string, target_preview: string|null, is_read: boolean, "
       "created_at: string}"},
      {"JudgeResult",
       "{verdict: string, message: string, first_failure: object|null, stderr_excerpt: string, compile_output: string, "
       "tests_passed: integer, tests_total: integer, cpu_ms: integer, wall_ms: integer, memory_bytes: integer, "
       "case_results: [{passed: boolean, public: boolean}], stdout_excerpt: string}"},
  };
  return kComponents;
}

void AddCoreDocs(std::vector<RouteDoc>& out) {
  const std::vector<RouteDoc> docs = {
      {"GET", "/", "operations", "public", "Welcome page: version, health, links (only without --web-root)", "",
       "text/html"},
      {"GET", "/health/", "operations", "public", "Liveness: the storage and its checks (503 when unhealthy)", "",
       "{status: string, service: string, checks: object}"},
      {"GET", "/ready/", "operations", "public", "Readiness: 200 when the storage answers, else 503", "",
       "{status: string}"},
      {"GET", "/metrics", "operations", "public", "Prometheus metrics", "", "text/plain"},
      {"GET", "/api/schema/", "operations", "public", "This OpenAPI 3.1 document, generated from the route table", "",
       "object"},
      {"GET", "/api/docs/", "operations", "public", "The API documentation page (renders /api/schema/)", "",
       "text/html"},
      {"GET", "/api/test/slow/", "test", "test", "Test only (--enable-test-routes): answers after ?ms=", "", "object",
       200, "{ms?: integer}"},
      {"POST", "/api/test/echo/", "test", "test", "Test only (--enable-test-routes): echoes the body", "any", "any"},
      {"GET", "/api/challenges/internal-list/", "internal", "internal",
       "Levels with their secrets for signed internal services (X-Internal-Signature)", "", "[object]"},
#if CLASH_HOST_WITH_JUDGE
      {"POST", "/api/judge/run/", "judge", "staff", "Run code in the sandbox judge (level authoring)",
       "{language: string, source: string, test_code?: string|null, cases?: [any]|null, data_cases?: object|null, "
       "limits?: object}",
       "@JudgeResult"},
      {"GET", "/api/judge/stats/", "judge", "staff", "The judge pool's counters", "",
       "{workers: integer, queue_capacity: integer, submitted: integer, rejected: integer, completed: integer, "
       "queued: integer, running: integer, wait_ms_total: integer, wait_ms_max: integer, run_ms_total: integer}"},
#endif
  };
  out.insert(out.end(), docs.begin(), docs.end());
}

}  // namespace clash::host::docs
