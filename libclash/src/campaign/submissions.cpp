// Submissions: judged in the sandbox (at once, or queued as a task when the judge is busy), the
// player's view of the verdict, and the completion (stars, XP once, achievements, certificate) in
// one transaction.
#include <algorithm>
#include <future>

#include "campaign/campaign_internal.h"
#include "campaign/verdict_view.h"
#include "clash/economy.h"
#include "clash/judge_gateway.h"

namespace clash {
namespace {

constexpr const char* kNeedsCode =
    "This server judges submissions itself: send your code as {\"code\": \"...\"}. A result reported by "
    "the client ({\"passed\": true}) is not accepted here; the operator can allow it with "
    "--trust-client-results, which is insecure.";

Status Failed(std::string message) {
  return Status::InvalidArgument(std::move(message)).WithDetail("status", std::string("failed"));
}

// What a submission needs after the request returns (async judging outlives it).
struct Job {
  User user;
  Level level;                  // with secrets
  DataCases cases;
  std::shared_ptr<const std::vector<Level>> global;
  Timestamp submitted_at;
  std::string code;
};

JudgeRequest MakeRequest(const Job& job, const JudgeLimits& max, bool public_only) {
  JudgeRequest r;
  r.language = "python3";
  r.source = job.code;
  DataCases cases = job.cases;
  if (public_only) {
    cases.cases.erase(std::remove_if(cases.cases.begin(), cases.cases.end(), [](const DataCase& c) { return !c.is_public; }),
                      cases.cases.end());
  }
  r.data_cases = std::move(cases);
  r.limits.cpu_time = std::min<std::chrono::milliseconds>(std::chrono::seconds(job.level.time_limit_seconds), max.cpu_time);
  r.limits.wall_time = std::min<std::chrono::milliseconds>(
      std::max<std::chrono::milliseconds>(r.limits.cpu_time * 4, std::chrono::seconds(10)), max.wall_time);
  r.limits.memory_bytes = std::min(r.limits.memory_bytes, max.memory_bytes);
  r.limits.output_bytes = std::min(r.limits.output_bytes, max.output_bytes);
  r.limits.file_bytes = std::min(r.limits.file_bytes, max.file_bytes);
  r.limits.processes = std::min(r.limits.processes, max.processes);
  r.limits.open_files = std::min(r.limits.open_files, max.open_files);
  return r;
}

bool HasPublicCases(const DataCases& cases) {
  return std::any_of(cases.cases.begin(), cases.cases.end(), [](const DataCase& c) { return c.is_public; });
}

}  // namespace

Result<Submission> DecodeSubmission(std::string_view body, std::optional<std::string_view> passed_query) {
  Submission out;
  nlohmann::json j = body.empty() ? nlohmann::json::object() : nlohmann::json::parse(body, nullptr, false);
  if (!j.is_object()) return Status::InvalidArgument("the body must be a JSON object");
  if (passed_query) out.passed = internal::LenientBool(nlohmann::json(std::string(*passed_query)));
  if (auto it = j.find("passed"); it != j.end() && !it->is_null()) out.passed = internal::LenientBool(*it);
  if (auto it = j.find("code"); it != j.end() && !it->is_null()) {
    if (!it->is_string()) return Failed("code must be a string");
    out.code = it->get<std::string>();
  }
  return out;
}

namespace internal {

// Records an accepted (or trusted) submission: the progress row, stars, the first completion's XP,
// the LevelCompleted event and the certificate, all in one transaction.
Result<SubmissionOutcome> RecordCompletion(const CampaignDeps& deps, const User& user, const Level& level,
                                           const std::vector<Level>& global, Timestamp submitted_at) {
  SubmissionOutcome out;
  out.level_slug = level.slug;
  out.next_level_slug = NextGlobalSlug(global, level);
  Status s = deps.storage.Transact([&](StorageTransaction& tx) -> Status {
    const Timestamp now = deps.clock.Now();
    CLASH_ASSIGN_OR_RETURN(ProgressRecord p, tx.campaign().StartAndLock(user.id, level.id, submitted_at));
    const std::int64_t elapsed_us = std::max<std::int64_t>(0, submitted_at.unix_micros() - p.started_at.unix_micros());
    const bool slow = elapsed_us > std::int64_t{2} * level.target_time_seconds * 1'000'000;
    const int stars = std::max(1, 3 - p.hints_purchased - (slow ? 1 : 0));
    CLASH_ASSIGN_OR_RETURN(bool first, tx.campaign().Complete(user.id, level.id, stars, now));
    out.status = first ? SubmissionStatus::kCompleted : SubmissionStatus::kAlreadyCompleted;
    out.stars = stars;
    out.best_stars = std::max(p.stars, stars);
    out.xp_earned = 0;
    if (first && level.xp_reward > 0) {
      CLASH_ASSIGN_OR_RETURN(LedgerResult paid,
                             Ledger::ApplyIn(tx,
                                             XpChange{.user_id = user.id, .amount = level.xp_reward,
                                                      .source = XpSource::kChallengeCompletion,
                                                      .reference = level.slug,
                                                      .idempotency_key = "level-complete:" + level.slug,
                                                      .actor_id = user.id,
                                                      .reason = "level completed"},
                                             now));
      out.xp_earned = paid.applied ? level.xp_reward : 0;
    }
    if (first || stars > p.stars) {
      CLASH_ASSIGN_OR_RETURN(std::vector<ProgressRecord> all, tx.campaign().ListProgress(user.id));
      const int completed = static_cast<int>(
          std::count_if(all.begin(), all.end(), [](const ProgressRecord& r) { return r.completed_at.has_value(); }));
      CLASH_RETURN_IF_ERROR(deps.events.Publish(
          tx, LevelCompleted{.user_id = user.id, .level_slug = level.slug, .stars = stars,
                             .completed_levels = completed, .solve_seconds = elapsed_us / 1'000'000}));
    }
    if (first) {
      CLASH_ASSIGN_OR_RETURN(out.certificate_issued, IssueCertificateIn(tx, deps, user, global, now));
    }
    CLASH_ASSIGN_OR_RETURN(out.total_xp, tx.ledger().Balance(user.id));
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

// Records a judged submission that was not accepted: the level counts as started.
Result<SubmissionOutcome> RecordFailure(const CampaignDeps& deps, const User& user, const Level& level,
                                        Timestamp submitted_at) {
  SubmissionOutcome out;
  out.level_slug = level.slug;
  out.status = SubmissionStatus::kFailed;
  CLASH_RETURN_IF_ERROR(deps.storage.Transact([&](StorageTransaction& tx) -> Status {
    CLASH_ASSIGN_OR_RETURN(ProgressRecord p, tx.campaign().StartAndLock(user.id, level.id, submitted_at));
    out.best_stars = p.stars;
    CLASH_ASSIGN_OR_RETURN(out.total_xp, tx.ledger().Balance(user.id));
    return Status::Ok();
  }));
  return out;
}

}  // namespace internal

namespace {

using Done = std::function<void(Result<SubmissionOutcome>)>;

Result<SubmissionOutcome> Conclude(const CampaignDeps& deps, const Job& job, const JudgeResult& full,
                                   const JudgeResult* public_run) {
  JudgeResult shown = internal::PlayerVerdict(job.cases, full, public_run);
  Result<SubmissionOutcome> out =
      full.verdict == Verdict::kAccepted
          ? internal::RecordCompletion(deps, job.user, job.level, *job.global, job.submitted_at)
          : internal::RecordFailure(deps, job.user, job.level, job.submitted_at);
  if (out.ok()) out->verdict = std::move(shown);
  return out;
}

// Judges the job: every case first; a run that is not accepted is followed by a run of the public
// cases alone, the only one whose details the player sees. `done` runs once, on a judge thread,
// unless this returns an error.
Status StartJudging(const CampaignDeps& deps, std::shared_ptr<const Job> job, Done done) {
  const JudgeLimits max = deps.judge.MaxLimits();
  return deps.judge.Submit(MakeRequest(*job, max, /*public_only=*/false), [&deps, job, done, max](Result<JudgeResult> r) {
    if (!r.ok()) return done(r.status());
    auto full = std::make_shared<JudgeResult>(std::move(r).value());
    const bool details = full->verdict != Verdict::kAccepted && full->verdict != Verdict::kCompileError &&
                         full->verdict != Verdict::kInternalError && HasPublicCases(job->cases);
    if (!details) return done(Conclude(deps, *job, *full, nullptr));
    Status again = deps.judge.Submit(MakeRequest(*job, max, /*public_only=*/true),
                                     [&deps, job, done, full](Result<JudgeResult> pub) {
                                       done(Conclude(deps, *job, *full, pub.ok() ? &*pub : nullptr));
                                     });
    if (!again.ok()) done(Conclude(deps, *job, *full, nullptr));
  });
}

}  // namespace

Result<SubmitReply> Campaign::Submit(const User& user, std::string_view slug, const Submission& submission) {
  CLASH_ASSIGN_OR_RETURN(internal::Playable p,
                         internal::LoadPlayable(deps_.storage, deps_.catalogue, user, slug, /*with_secrets=*/true));
  const Timestamp submitted_at = deps_.clock.Now();
  if (!submission.code) {
    if (!options_.trust_client_results) return Failed(kNeedsCode);
    if (!submission.passed.value_or(false)) return Failed("Client-side validation failed.");
    CLASH_ASSIGN_OR_RETURN(SubmissionOutcome outcome,
                           internal::RecordCompletion(deps_, user, p.level, *p.global, submitted_at));
    return SubmitReply{.outcome = std::move(outcome), .task_id = ""};
  }
  CLASH_RETURN_IF_ERROR(internal::CheckCode(*submission.code));
  Result<DataCases> cases = ParseCasesJson(p.level.secrets.cases_json);
  if (!cases.ok()) return Status::FailedPrecondition("level " + p.level.slug + " has no valid test cases");
  auto job = std::make_shared<Job>(Job{.user = user, .level = std::move(p.level), .cases = std::move(cases).value(),
                                       .global = std::move(p.global), .submitted_at = submitted_at,
                                       .code = *submission.code});
  const bool queue = options_.judging == CampaignOptions::Judging::kQueue ||
                     (options_.judging == CampaignOptions::Judging::kAuto && deps_.judge.Busy());
  if (!queue) {
    auto promise = std::make_shared<std::promise<Result<SubmissionOutcome>>>();
    std::future<Result<SubmissionOutcome>> future = promise->get_future();
    CLASH_RETURN_IF_ERROR(StartJudging(deps_, job, [promise](Result<SubmissionOutcome> r) { promise->set_value(std::move(r)); }));
    CLASH_ASSIGN_OR_RETURN(SubmissionOutcome outcome, future.get());
    return SubmitReply{.outcome = std::move(outcome), .task_id = ""};
  }
  CLASH_ASSIGN_OR_RETURN(std::string task_id, deps_.tasks.Create(user.id, "submission"));
  CampaignDeps& deps = deps_;
  Status queued = StartJudging(deps_, job, [&deps, task_id](Result<SubmissionOutcome> r) {
    Status s = r.ok() ? deps.tasks.Succeed(task_id, EncodeSubmissionOutcome(*r)) : deps.tasks.Fail(task_id, r.status().message());
    if (!s.ok()) deps.logger.Error("cannot finish a submission task", {{"task_id", task_id}, {"error", s.ToString()}});
  });
  if (!queued.ok()) {
    (void)deps_.tasks.Fail(task_id, queued.message());
    return queued;
  }
  return SubmitReply{.outcome = std::nullopt, .task_id = task_id};
}

}  // namespace clash
