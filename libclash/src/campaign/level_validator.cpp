// The level validator: static checks, then every piece of level code judged in the sandbox
// (solution, starter, rendered test_code, the mutants of the solution).
#include "clash/level_validator.h"

#include <condition_variable>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <mutex>

#include "campaign/level_checks.h"
#include "clash/judge_gateway.h"

namespace clash {
namespace {

namespace fs = std::filesystem;

constexpr std::chrono::milliseconds kSolutionCpuBudget{1000};
constexpr std::chrono::milliseconds kMutantCpu{2000};
constexpr int kWindow = 4;  // requests in flight at once: enough for the workers, kind to a shared queue

using OnDone = std::function<void(std::size_t, Result<JudgeResult>)>;

// Runs `requests` through the judge, at most kWindow at a time, and calls `on_done` on the calling
// thread as each finishes. Stops submitting at the first error of the judge itself (a full queue
// with nothing of ours in flight, no sandbox), waits for what is in flight, and returns it.
Status RunBatch(JudgeGateway& judge, std::vector<JudgeRequest> requests, const OnDone& on_done) {
  struct State {
    std::mutex mu;
    std::condition_variable cv;
    std::deque<std::pair<std::size_t, Result<JudgeResult>>> finished;
  };
  auto state = std::make_shared<State>();
  std::size_t next = 0;
  int in_flight = 0;
  Status error;
  while (true) {
    while (error.ok() && next < requests.size() && in_flight < kWindow) {
      const std::size_t i = next;
      Status s = judge.Submit(requests[i], [state, i](Result<JudgeResult> r) {
        std::lock_guard lock(state->mu);
        state->finished.emplace_back(i, std::move(r));
        state->cv.notify_all();
      });
      if (s.ok()) {
        ++next;
        ++in_flight;
      } else if (s.code() == StatusCode::kUnavailable && in_flight > 0) {
        break;  // the queue is full: wait for one of ours to finish, then try again
      } else {
        error = s;
      }
    }
    if (in_flight == 0) break;
    std::unique_lock lock(state->mu);
    state->cv.wait(lock, [&] { return !state->finished.empty(); });
    auto [index, result] = std::move(state->finished.front());
    state->finished.pop_front();
    lock.unlock();
    --in_flight;
    if (error.ok()) on_done(index, std::move(result));
  }
  return error;
}

JudgeRequest CodeRequest(const Level& level, const std::string& source, std::optional<DataCases> cases,
                         std::string test_code, std::chrono::milliseconds cpu) {
  JudgeRequest r;
  r.language = "python3";
  r.source = source;
  r.data_cases = std::move(cases);
  r.test_code = std::move(test_code);
  r.limits.cpu_time = cpu;
  r.limits.wall_time = std::chrono::seconds(60);  // CPU decides; the wall limit is a backstop only
  (void)level;
  return r;
}

DataCases PublicOnly(DataCases cases) {
  std::erase_if(cases.cases, [](const DataCase& c) { return !c.is_public; });
  return cases;
}

std::string Describe(const JudgeResult& r) {
  return r.message.empty() ? std::string("verdict ") + (r.verdict == Verdict::kAccepted ? "accepted" : "not accepted")
                           : r.message;
}

}  // namespace

std::string LevelReport::Line() const {
  if (!errors.empty()) return slug + " ERROR: " + errors.front();
  if (!mutation_checked) return slug + " ok (mutation not measured)";
  char score_text[32];
  std::snprintf(score_text, sizeof score_text, "%.1f%%", score);
  return slug + " mutants " + std::to_string(killed) + "/" + std::to_string(mutants) + " killed " + score_text +
         (ok ? "" : " (below the minimum)");
}

Result<LevelReport> LevelValidator::Validate(const Level& level, const ValidationOptions& options, int index,
                                             int count) {
  LevelReport report;
  report.slug = level.slug;
  ValidationProgress progress{.slug = level.slug, .level_index = index, .level_count = count, .done = 0, .total = 0};
  auto tick = [&] {
    ++progress.done;
    if (options.on_progress) options.on_progress(progress);
  };
  Result<DataCases> parsed = ParseCasesJson(level.secrets.cases_json);
  if (!parsed.ok()) {
    report.errors.push_back("cases.json: " + parsed.status().message());
    return report;
  }
  const DataCases cases = std::move(parsed).value();
  report.errors = internal::StaticLevelChecks(level, cases);
  if (!options.run_code) {
    report.ok = report.errors.empty();
    return report;
  }
  const std::chrono::milliseconds cpu = std::chrono::seconds(level.time_limit_seconds);
  std::vector<JudgeRequest> runs = {
      CodeRequest(level, level.secrets.solution, cases, "", cpu),
      CodeRequest(level, level.initial_code, PublicOnly(cases), "", cpu),
      CodeRequest(level, level.secrets.solution, std::nullopt, level.test_code, cpu),
      CodeRequest(level, level.initial_code, std::nullopt, level.test_code, cpu),
  };
  progress.total = static_cast<int>(runs.size());
  if (options.on_progress) options.on_progress(progress);
  std::vector<std::string> findings(runs.size());
  CLASH_RETURN_IF_ERROR(RunBatch(judge_, std::move(runs), [&](std::size_t i, Result<JudgeResult> r) {
    tick();
    if (!r.ok()) {
      findings[i] = "the judge failed: " + r.status().message();
      return;
    }
    const bool accepted = r->verdict == Verdict::kAccepted;
    if (i == 0 && !accepted) findings[i] = "solution.py fails: " + Describe(*r);
    if (i == 0 && accepted && r->cpu_time > kSolutionCpuBudget) {
      findings[i] = "solution.py needs " + std::to_string(r->cpu_time.count()) + " ms CPU for all cases (limit 1000)";
    }
    if (i == 1 && accepted) findings[i] = "starter.py passes every public case";
    if (i == 2 && !accepted) findings[i] = "solution.py fails the rendered test_code: " + Describe(*r);
    if (i == 3 && accepted) findings[i] = "starter.py passes the rendered test_code";
  }));
  for (std::string& f : findings) {
    if (!f.empty()) report.errors.push_back(std::move(f));
  }
  if (!report.errors.empty() || !options.mutation) {
    report.ok = report.errors.empty();
    return report;
  }

  // Mutants: made in the sandbox, then each judged against every case.
  internal::MutantCollector collector;
  for (int chunk = 0; chunk < collector.ChunkCount(); ++chunk) {
    CLASH_ASSIGN_OR_RETURN(JudgeResult r, judge_.RunAndWait(internal::MutantChunkRequest(level.secrets.solution, chunk)));
    if (chunk == 0) progress.total += 1;
    tick();
    if (r.verdict != Verdict::kAccepted) {
      report.errors.push_back("mutate.py failed in the sandbox: " + Describe(r) + " " + r.stderr_excerpt);
      return report;
    }
    Status added = collector.Add(r.stdout_excerpt, chunk);
    if (!added.ok()) {
      report.errors.push_back(added.message());
      return report;
    }
    if (chunk == 0) progress.total += collector.ChunkCount() - 1;
  }
  Result<std::vector<internal::Mutant>> mutants = collector.Mutants();
  if (!mutants.ok()) {
    report.errors.push_back(mutants.status().message());
    return report;
  }
  std::vector<JudgeRequest> mutant_runs;
  for (const internal::Mutant& m : *mutants) mutant_runs.push_back(CodeRequest(level, m.source, cases, "", kMutantCpu));
  progress.total += static_cast<int>(mutant_runs.size());
  std::vector<int> killed(mutants->size(), -1);  // -1: the judge failed
  CLASH_RETURN_IF_ERROR(RunBatch(judge_, std::move(mutant_runs), [&](std::size_t i, Result<JudgeResult> r) {
    tick();
    if (r.ok() && r->verdict != Verdict::kInternalError) killed[i] = r->verdict == Verdict::kAccepted ? 0 : 1;
  }));
  report.mutation_checked = true;
  report.mutants = static_cast<int>(mutants->size());
  for (std::size_t i = 0; i < killed.size(); ++i) {
    if (killed[i] < 0) {
      report.errors.push_back("the judge failed on mutant " + std::to_string(i + 1) + "; validate again");
      continue;
    }
    report.killed += killed[i];
    const internal::Mutant& m = (*mutants)[i];
    if (killed[i] == 0) report.survivors.push_back("line " + std::to_string(m.line) + " " + m.op + ": " + m.description);
  }
  report.score = report.mutants == 0 ? 100.0 : 100.0 * report.killed / report.mutants;
  report.ok = report.errors.empty() && report.score >= options.min_score;
  return report;
}

Result<LevelReport> LevelValidator::ValidateFolder(const std::string& folder, const ValidationOptions& options,
                                                   int index, int count) {
  const fs::path dir = fs::path(folder).lexically_normal();
  LevelReport report;
  report.slug = (dir.has_filename() ? dir : dir.parent_path()).filename().string();
  for (const char* old : {"tests_public.py", "tests_hidden.py"}) {
    if (fs::exists(dir / old)) report.errors.push_back(std::string("old-format file present: ") + old);
  }
  if (!report.errors.empty()) return report;
  Result<Level> level = ReadLevelFolder(folder);
  if (!level.ok()) {
    report.errors.push_back(level.status().message());
    return report;
  }
  return Validate(*level, options, index, count);
}

Result<std::vector<LevelReport>> LevelValidator::ValidatePath(const std::string& path,
                                                              const ValidationOptions& options) {
  std::error_code ec;
  if (!fs::is_directory(path, ec)) return Status::InvalidArgument("'" + path + "' is not a directory");
  std::vector<std::string> folders;
  if (fs::exists(fs::path(path) / "level.json", ec)) {
    folders.push_back(path);
  } else {
    for (const auto& entry : fs::directory_iterator(path, ec)) {
      const std::string name = entry.path().filename().string();
      if (entry.is_directory() && !name.empty() && name[0] != '.' && name[0] != '_') folders.push_back(entry.path().string());
    }
    std::sort(folders.begin(), folders.end());
  }
  if (folders.empty()) return Status::InvalidArgument("no level folders under '" + path + "'");
  std::vector<LevelReport> reports;
  for (std::size_t i = 0; i < folders.size(); ++i) {
    CLASH_ASSIGN_OR_RETURN(LevelReport r, ValidateFolder(folders[i], options, static_cast<int>(i),
                                                         static_cast<int>(folders.size())));
    reports.push_back(std::move(r));
  }
  return reports;
}

}  // namespace clash
