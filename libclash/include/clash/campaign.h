// clash/campaign.h — the learning campaign: progress enforced on the server, submissions judged in
// the sandbox, hints and reviews, certificates and the leaderboard.
//
// Progress. Global levels (created_for_user unset) form a chain by `order`: the first is unlocked,
// every other one unlocks when the global level before it is completed. A personalised level is
// visible to its owner only and unlocks with the global level ordered before it; it never gates the
// chain. Opening, submitting or buying hints for a locked level is PermissionDenied; a level another
// user owns is NotFound. Staff may open and play any level.
//
// Submissions. The player's code is judged on the server against every case of the level as data
// (clash/judge_cases.h). Stars = 3 - hints bought, -1 if solved more than 2 x target time after
// first opening the level, at least 1; the best stars are kept. The level's XP is paid once, on the
// first completion, through the ledger (idempotency key "level-complete:<slug>"), so a double-clicked
// submit pays once. Verdicts show what a player may see: the first failing case in full only when it
// is public; output (stdout/stderr) only from a second run of the public cases, so code printing its
// hidden inputs learns nothing. A legacy client's own verdict ({passed: true}) counts only with
// CampaignOptions::trust_client_results (insecure, off by default). When the judge is busy the
// submission is queued and judged in the background: Submit() answers with a task id (clash/tasks.h).
//
// Hints: tier n (1-3) costs 10 x n XP, bought in order, paid through the ledger exactly once per
// tier. Certificates: issued once when all global levels are completed, signed with Ed25519 so anyone
// can verify them offline with the published key. Leaderboard: top 100 by XP then completed levels,
// without staff and blocked users, cached until the ledger or the completions change (checked on
// every request, so a player sees a new rank on the next request, on any host).
//
// Thread-safety: Campaign is safe for concurrent use.
//
// Example:
//   CLASH_ASSIGN_OR_RETURN(std::vector<clash::PlayerLevel> map, engine->campaign().Map(user));
//   CLASH_ASSIGN_OR_RETURN(clash::SubmitReply reply,
//                          engine->campaign().Submit(user, "python-001", {.code = source}));
//   if (reply.outcome) Show(reply.outcome->status, reply.outcome->xp_earned);
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "clash/auth.h"
#include "clash/catalogue.h"
#include "clash/clock.h"
#include "clash/events.h"
#include "clash/export.h"
#include "clash/judge.h"
#include "clash/level_validator.h"
#include "clash/log.h"
#include "clash/rng.h"
#include "clash/status.h"
#include "clash/tasks.h"
#include "clash/timezone.h"
#include "clash/tutor.h"

namespace clash {

class Storage;
class JudgeGateway;

inline constexpr int kMaxHintsPerLevel = 3;
// XP that hint tier `tier` (1-3) costs: 10, 20, 30.
constexpr std::int64_t HintCost(int tier) { return 10 * static_cast<std::int64_t>(tier); }

// ---------------------------------------------------------------------------------------------
// Records (also what CampaignStore keeps, clash/stores/campaign_store.h)

// A player's stored standing on one level (a row exists from the first open, hint or submission).
struct ProgressRecord {
  std::int64_t user_id = 0;
  std::int64_t level_id = 0;
  Timestamp started_at;
  std::optional<Timestamp> completed_at;  // the first completion
  int stars = 0;                          // best stars, 0-3
  int hints_purchased = 0;                // 0-3
  bool operator==(const ProgressRecord&) const = default;
};

// An issued certificate (immutable once issued).
struct Certificate {
  std::string id;                         // UUID v4, lower-case with dashes
  std::int64_t user_id = 0;
  std::string username;                   // at issue time
  Timestamp issued_at;
  int completion_count = 0;               // levels completed when it was issued
  bool is_valid = true;
  std::string key_id;                     // the Ed25519 key that signed it (CertificateKey::key_id)
  std::string signature;                  // base64url (unpadded) of the 64-byte signature
  bool operator==(const Certificate&) const = default;
};

// One player on the leaderboard.
struct LeaderboardRow {
  std::int64_t user_id = 0;
  std::string username;
  std::string avatar_url;
  std::int64_t xp = 0;
  int completed_levels = 0;
  bool operator==(const LeaderboardRow&) const = default;
};

// What the leaderboard depends on: every XP change appends a ledger entry, every first completion a
// completion row, and every change to what the board shows of a player (name, avatar, blocked,
// staff, deleted) bumps the users' version, so a board computed at one version is current while it
// holds.
struct LeaderboardVersion {
  std::int64_t last_ledger_id = 0;
  std::int64_t last_completion_id = 0;
  std::int64_t users_version = 0;  // bumped by renames, avatar changes, blocks, role changes, deletions
  bool operator==(const LeaderboardVersion&) const = default;
};

// ---------------------------------------------------------------------------------------------
// Views and outcomes

// One level as a player sees it.
struct PlayerLevel {
  Level level;                            // without secrets
  LevelState state = LevelState::kLocked;
  int stars = 0;
  int hints_purchased = 0;
  std::optional<Timestamp> started_at;
  std::optional<Timestamp> completed_at;
};

// A player's map without copying the levels: the catalogue snapshot of the global levels, the
// player's personalised levels, and per level (in map order) where it is and the player's state.
// Renderers that cache per snapshot (the host's list route) key on `global`'s address.
struct PlayerMapView {
  std::shared_ptr<const std::vector<Level>> global;
  std::vector<Level> personal;
  struct Entry {
    bool personal = false;                // personal[index] when true, else (*global)[index]
    std::size_t index = 0;
    LevelState state = LevelState::kLocked;
    int stars = 0;
    int hints_purchased = 0;
  };
  std::vector<Entry> entries;
  const Level& level(const Entry& e) const { return e.personal ? personal[e.index] : (*global)[e.index]; }
};

enum class SubmissionStatus { kCompleted, kAlreadyCompleted, kFailed };
// "completed", "already_completed", "failed" (the client contract's names).
CLASH_EXPORT std::string_view SubmissionStatusName(SubmissionStatus status);

struct SubmissionOutcome {
  SubmissionStatus status = SubmissionStatus::kFailed;
  std::string level_slug;
  std::int64_t xp_earned = 0;             // the level's XP on the first completion, else 0
  int stars = 0;                          // this attempt's stars (0 when failed)
  int best_stars = 0;                     // the level's best stars afterwards
  std::optional<std::string> next_level_slug;  // the next global level (completed submissions)
  std::int64_t total_xp = 0;              // the balance afterwards
  bool certificate_issued = false;        // this completion issued the player's certificate
  // The verdict as the player may see it (see the banner); unset for a trusted client report.
  std::optional<JudgeResult> verdict;
};

// The stable JSON form of an outcome (the result of a submission task) and its decoder
// (InvalidArgument for malformed input).
CLASH_EXPORT std::string EncodeSubmissionOutcome(const SubmissionOutcome& outcome);
CLASH_EXPORT Result<SubmissionOutcome> DecodeSubmissionOutcome(std::string_view json);

// What Submit() answers: the outcome now, or a task to poll when the judge was busy.
struct SubmitReply {
  std::optional<SubmissionOutcome> outcome;
  std::string task_id;                    // non-empty when queued
};

// A submit request: code to judge, or (legacy clients) their own verdict.
struct Submission {
  std::optional<std::string> code;
  std::optional<bool> passed;
};

// The one decoder of submit requests (HTTP body and query, Python). `body` is a JSON object (empty:
// {}); `passed_query` the query string's `passed` if present. `code` must be a string; `passed` is
// read as the reference does: true, 1, or "1"/"true"/"yes"/"on" (any case) are true, anything else
// false; the body's value wins over the query's. InvalidArgument for malformed input.
CLASH_EXPORT Result<Submission> DecodeSubmission(std::string_view body, std::optional<std::string_view> passed_query);

struct HintPurchase {
  int hints_purchased = 0;                // after this call
  std::int64_t cost = 0;                  // XP this call charged (0 if the tier was bought before)
  std::int64_t remaining_xp = 0;
  bool charged = false;
};

// The one decoder of hint requests: {"user_code"?, "hint_level"?} (hint_level defaults to 1).
// InvalidArgument "hint_level must be an integer between 1 and 3." for a non-integer and
// "hint_level must be between 1 and 3." for one out of range; "user_code must be a string".
struct HintQuery {
  std::string user_code;
  int tier = 1;
};
CLASH_EXPORT Result<HintQuery> DecodeHintQuery(std::string_view body);

struct CertificateEligibility {
  bool eligible = false;
  int completed = 0;                      // global levels completed
  int required = 0;                       // global levels in the campaign
  int remaining = 0;
  bool has_certificate = false;
};

struct LeaderboardEntry {
  int rank = 0;                           // 1-based
  LeaderboardRow player;
};

// First completions on one date (in the configured time zone).
struct DayCount {
  CivilDate date;
  int count = 0;
};

// ---------------------------------------------------------------------------------------------
// Certificates: signing and offline verification

// The exact text a certificate's signature covers (UTF-8, "\n" after every line):
//   clash-certificate/1, id, username, issued_at (ISO 8601 UTC), completion_count, key_id
CLASH_EXPORT std::string CertificateSigningText(const Certificate& certificate);

// Checks `certificate`'s signature against an Ed25519 public key (base64url, 32 bytes), offline.
// OK if it verifies; PermissionDenied("certificate signature does not verify") if it does not (any
// field changed); InvalidArgument for a malformed key or signature.
CLASH_EXPORT Status VerifyCertificateSignature(const Certificate& certificate, std::string_view public_key);

// The JSON document a certificate is published and verified as: {"certificate_id", "username",
// "issued_at", "completion_count", "key_id", "signature", "algorithm": "Ed25519"} and its decoder
// (InvalidArgument naming the bad field). user_id and is_valid are not part of it.
CLASH_EXPORT std::string EncodeCertificateDocument(const Certificate& certificate);
CLASH_EXPORT Result<Certificate> DecodeCertificateDocument(std::string_view json);

// The Ed25519 key certificates are signed with. Every host of a deployment must share one.
class CLASH_EXPORT CertificateKey {
 public:
  // Reads the key file (a 32-byte seed, base64url, mode 0600), or creates it on first run.
  // FailedPrecondition for a file others can read or a malformed key.
  static Result<CertificateKey> LoadOrCreate(const std::string& path, Rng& rng);
  // A key from a 32-byte seed (tests). InvalidArgument for another length.
  static Result<CertificateKey> FromSeed(std::string_view seed);

  const std::string& key_id() const { return key_id_; }          // 16 hex chars of SHA-256(public key)
  const std::string& public_key() const { return public_key_; }  // base64url, 32 bytes
  // Fills in key_id and signature of `certificate`.
  void Sign(Certificate& certificate) const;

 private:
  std::string secret_;       // libsodium's 64-byte secret key
  std::string public_key_;
  std::string key_id_;
};

// ---------------------------------------------------------------------------------------------
// Staff edits of levels

// The fields of a staff create/update request; unset fields are left as they are (update) or take
// their defaults (create). The reference's names: title, slug, description, order, xp_reward,
// initial_code, time_limit, target_time_seconds, created_for_user_id; and ours: stage, topics,
// cases (a cases.json object), solution, hints (three strings). test_code is rendered from the
// public cases and ignored when sent.
struct LevelFields {
  std::optional<std::string> slug, title, description, initial_code, solution;
  std::optional<int> order, xp_reward, time_limit_seconds, target_time_seconds, stage;
  std::optional<std::vector<std::string>> topics, hints;
  std::optional<std::string> cases_json;
  std::optional<std::optional<std::int64_t>> created_for_user;  // set to nullopt: make it global
};
// The one decoder of staff level bodies (a JSON object). InvalidArgument naming the field.
CLASH_EXPORT Result<LevelFields> DecodeLevelFields(std::string_view body);

// ---------------------------------------------------------------------------------------------

struct CampaignOptions {
  // Honour {passed: true} from clients that judge in the browser. INSECURE: anyone can complete any
  // unlocked level without solving it. Off by default; logged as a warning when on.
  bool trust_client_results = false;
  enum class Judging {
    kAuto,    // judge at once while a judge worker is free, else queue and answer with a task
    kQueue,   // always queue (answer with a task)
    kWait,    // always wait for the verdict
  } judging = Judging::kAuto;
  // The Ed25519 certificate key file. Empty: <data_dir>/certificate-ed25519.key (created on first
  // run). Every host must use the same key.
  std::string certificate_key_file;
  // Origin of the web client (https://clash.example); verification URLs are <public_url>/verify/<id>.
  // Empty: "/verify/<id>" (the host then prefixes the request's origin).
  std::string public_url;
  TasksOptions tasks;
};

struct CampaignDeps {
  Storage& storage;
  Clock& clock;
  Rng& rng;
  Logger& logger;
  Catalogue& catalogue;
  Events& events;
  Tasks& tasks;
  JudgeGateway& judge;
  HintProvider& hints;
  CodeReviewer& reviewer;
  const CertificateKey& certificate_key;
  TimeZone time_zone;        // dates of the per-day completion counts
};

class CLASH_EXPORT Campaign {
 public:
  Campaign(CampaignDeps deps, CampaignOptions options);
  ~Campaign();
  Campaign(const Campaign&) = delete;
  Campaign& operator=(const Campaign&) = delete;

  // The player's campaign: global levels and their own personalised ones, ordered by (order, slug),
  // with state, stars and hints.
  Result<std::vector<PlayerLevel>> Map(const User& user);
  // The same map without copying the levels (see PlayerMapView).
  Result<PlayerMapView> MapView(const User& user);
  // The map of a player with no progress (what anonymous visitors are shown): the global levels,
  // the first unlocked. Nothing is recorded.
  Result<PlayerMapView> PreviewView();
  // PreviewView() if it needs no storage read (the catalogue's snapshot in memory is fresh), else
  // nullopt. Never blocks on storage: for answers from the host's event loop.
  std::optional<PlayerMapView> CachedPreviewView();
  // One level for the player; records started_at on the first open. NotFound("Not found.") for an
  // unknown level or another user's personalised one; PermissionDenied for a locked level.
  Result<PlayerLevel> Open(const User& user, std::string_view slug);

  // Judges `submission.code` (or honours `passed`, see the banner) and records a completion.
  // Errors: NotFound, PermissionDenied (locked); InvalidArgument with detail status="failed" for a
  // submission without code (the message says why), empty or oversized code (64 KiB), or a client
  // report of failure; Unavailable (retry-after) when the judge queue is full; FailedPrecondition
  // when no judge can run, or the level has no cases.
  Result<SubmitReply> Submit(const User& user, std::string_view slug, const Submission& submission);

  // Buys the next hint tier (or exactly `tier`, which must be the next one; a tier bought before
  // is answered without a charge, so a repeated request is safe). Errors: NotFound,
  // PermissionDenied (locked), FailedPrecondition "Maximum AI hints reached" (details detail,
  // hints_purchased, max_hints) when three are bought, InsufficientFunds (details detail,
  // required_xp, current_xp, shortage, how_to_earn).
  Result<HintPurchase> BuyHint(const User& user, std::string_view slug, std::optional<int> tier = std::nullopt);
  // The hint of `tier` through the HintProvider. InvalidArgument for a tier outside 1-3;
  // InsufficientFunds "AI Hint Level <n> not purchased for this level." if it is not bought.
  Result<HintAnswer> Hint(const User& user, std::string_view slug, int tier, std::string_view user_code);
  // A review of `code` through the CodeReviewer (free). NotFound, PermissionDenied as Open();
  // InvalidArgument for oversized code.
  Result<CodeReview> Review(const User& user, std::string_view slug, std::string_view code);

  // Certificate state of the player.
  Result<CertificateEligibility> Eligibility(const User& user);
  // The player's certificate, issued now (once, also under concurrent calls) if eligible; nullopt
  // when not eligible and none was issued.
  Result<std::optional<Certificate>> MyCertificate(const User& user);
  // A certificate by id (anyone may look). NotFound("Certificate not found") for an unknown or
  // malformed id.
  Result<Certificate> FindCertificate(std::string_view id);
  // <public_url>/verify/<id>.
  std::string VerificationUrl(const Certificate& certificate) const;
  const CertificateKey& certificate_key() const { return deps_.certificate_key; }

  // Top 100 (see the banner). The returned board is shared; it never changes after it is returned.
  Result<std::shared_ptr<const std::vector<LeaderboardEntry>>> Leaderboard();

  // First completions of `user_id` per date over the last `days` days (1-3660), newest first,
  // dates without completions left out. InvalidArgument for `days` out of range.
  Result<std::vector<DayCount>> CompletionsPerDay(std::int64_t user_id, int days = 365);

  // Staff: creates a level from `fields` (slug, title, description, order, cases, solution and
  // initial_code required), validated like an authored level folder (clash/level_validator.h:
  // structure, the judge's verdicts on solution and starter, mutation score >= 90 %).
  // PermissionDenied for non-staff; AlreadyExists for a taken slug; InvalidArgument with the
  // validator's findings.
  Result<LevelWrite> CreateLevel(const User& staff, const LevelFields& fields);
  // Staff: updates `slug` with `fields`, validated again when code, cases or the solution change.
  Result<LevelWrite> UpdateLevel(const User& staff, std::string_view slug, const LevelFields& fields);
  // Staff: deletes a level with everything recorded about it. NotFound, PermissionDenied.
  Status DeleteLevel(const User& staff, std::string_view slug);

  const CampaignOptions& options() const { return options_; }

 private:
  struct Impl;
  CampaignDeps deps_;
  CampaignOptions options_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace clash
