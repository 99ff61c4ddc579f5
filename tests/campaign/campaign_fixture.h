// The fixture of the campaign suites: an Engine per test on every storage backend (FakeClock,
// SeededRng) with a scripted judge gateway and three small global levels.
//
// The scripted judge answers by the first line of the submitted code, the way a real judge would
// for such code, without a sandbox:
//   "# accept"         every case passes
//   "# wrong-public"   the first public case returns 999 (every run)
//   "# wrong-hidden"   the first hidden case returns 999 (runs that include it)
//   "# leak"           like wrong-hidden, but every message and the output carry "LEAK-<secret>" in
//                      runs that include hidden cases (what code printing its inputs would do)
// It can hold jobs back (hold = true) until Release(), and report itself busy.
#pragma once

#include <atomic>
#include <deque>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "clash/engine.h"
#include "clash/judge_gateway.h"
#include "economy/economy_fixture.h"

namespace clash::testing {

class ScriptedJudge final : public JudgeGateway {
 public:
  Status Submit(JudgeRequest request, Callback done) override {
    std::unique_lock lock(mu_);
    ++submitted_;
    requests_.push_back(request);
    if (hold) {
      held_.emplace_back(std::move(request), std::move(done));
      return Status::Ok();
    }
    lock.unlock();
    done(Answer(request));
    return Status::Ok();
  }
  bool Busy() override { return busy.load(); }
  JudgeLimits MaxLimits() override { return JudgeLimits{}; }

  // Answers every held job (and any job those answers submit), on the calling thread.
  void Release() {
    while (true) {
      std::unique_lock lock(mu_);
      if (held_.empty()) return;
      auto [request, done] = std::move(held_.front());
      held_.pop_front();
      lock.unlock();
      done(Answer(request));
    }
  }
  int held() {
    std::lock_guard lock(mu_);
    return static_cast<int>(held_.size());
  }
  int submitted() {
    std::lock_guard lock(mu_);
    return submitted_;
  }
  std::vector<JudgeRequest> requests() {
    std::lock_guard lock(mu_);
    return requests_;
  }

  std::atomic<bool> hold{false};
  std::atomic<bool> busy{false};

  static JudgeResult Answer(const JudgeRequest& request) {
    JudgeResult r;
    const std::string script = request.source.substr(0, request.source.find('\n'));
    const DataCases& cases = *request.data_cases;
    const bool has_hidden = std::any_of(cases.cases.begin(), cases.cases.end(), [](const DataCase& c) { return !c.is_public; });
    const bool leak = script == "# leak" && has_hidden;
    r.tests_total = static_cast<int>(cases.cases.size());
    r.cpu_time = std::chrono::milliseconds(12);
    r.wall_time = std::chrono::milliseconds(30);
    r.stdout_excerpt = leak ? "LEAK-stdout" : (has_hidden ? "all cases output" : "public run output");
    r.stderr_excerpt = leak ? "LEAK-stderr" : "";
    int failing = -1;
    for (std::size_t i = 0; i < cases.cases.size() && failing < 0; ++i) {
      const bool pub = cases.cases[i].is_public;
      if ((script == "# wrong-public" && pub) || ((script == "# wrong-hidden" || script == "# leak") && !pub)) {
        failing = static_cast<int>(i);
      }
    }
    for (std::size_t i = 0; i < cases.cases.size(); ++i) {
      const bool passed = static_cast<int>(i) != failing;
      r.case_results.push_back(CaseResult{.passed = passed, .is_public = cases.cases[i].is_public});
      r.tests_passed += passed ? 1 : 0;
    }
    if (failing < 0) {
      r.verdict = script == "# accept" || script == "# wrong-hidden" || script == "# leak" ? Verdict::kAccepted
                                                                                         : Verdict::kWrongAnswer;
      if (r.verdict == Verdict::kWrongAnswer) {  // unknown scripts fail the first case
        failing = 0;
        r.case_results[0].passed = false;
        r.tests_passed -= 1;
      } else {
        r.message = "accepted";
        return r;
      }
    }
    const DataCase& c = cases.cases[static_cast<std::size_t>(failing)];
    r.verdict = Verdict::kWrongAnswer;
    FailedCase f;
    f.index = failing;
    f.is_public = c.is_public;
    f.name = c.name.empty() ? "case " + std::to_string(failing + 1) : c.name;
    std::string args = "[";
    for (const CaseValue& a : c.args) args += (args.size() > 1 ? "," : "") + EncodeCaseValueJson(a);
    f.args = args + "]";
    f.expected = EncodeCaseValueJson(c.expected);
    f.actual = leak ? "\"LEAK-actual\"" : "999";
    f.message = leak ? "LEAK-message" : "expected " + f.expected + ", got 999";
    r.message = leak ? "wrong answer LEAK-verdict" : "wrong answer on case " + std::to_string(failing + 1);
    r.first_failure = std::move(f);
    return r;
  }

 private:
  std::mutex mu_;
  int submitted_ = 0;
  std::vector<JudgeRequest> requests_;
  std::deque<std::pair<JudgeRequest, Callback>> held_;
};

// The backends whose database a second process (a second Engine) can open too.
inline std::vector<BackendParam> PersistentBackends() {
  std::vector<BackendParam> out;
  for (BackendParam& p : AllBackends()) {
    if (p.persistent) out.push_back(std::move(p));
  }
  return out;
}

// Cases of the fixture's levels: add(a, b) with two public and eight hidden cases.
inline const char* kAddCases =
    R"({"mode": "function", "entry": "add", "cases": [
      {"args": [1, 2], "expected": 3, "public": true},
      {"args": [2, 2], "expected": 4, "public": true},
      {"args": [40, 2], "expected": 42, "name": "hidden forty-two"},
      {"args": [-7, 7], "expected": 0, "name": "hidden zero"},
      {"args": [0, 0], "expected": 0},
      {"args": [-5, -6], "expected": -11},
      {"args": [1000, 1], "expected": 1001},
      {"args": [7, -9], "expected": -2},
      {"args": [123, 321], "expected": 444},
      {"args": [-1, 1], "expected": 0}]})";

// A statement with the sections the validator checks.
inline const char* kAddStatement =
    "### Problem Statement\nWrite add(a, b) returning the sum.\n\n### Input Format\nTwo integers.\n\n"
    "### Output Format\nTheir sum.\n\n### Example\n```python\n>>> add(1, 2)\n3\n```\n\n"
    "### Constraints\n- |a|, |b| <= 10**9\n";

class CampaignTest : public EconomyTest {
 protected:
  void Configure(EngineOptions& opts) override {
    auto judge = std::make_unique<ScriptedJudge>();
    judge_ = judge.get();
    opts.judge_gateway = std::move(judge);
    opts.campaign.judging = judging_;
    opts.campaign.trust_client_results = trust_client_results_;
    opts.campaign.public_url = "https://clash.example";
    ConfigureCampaign(opts);
  }
  virtual void ConfigureCampaign(EngineOptions& /*opts*/) {}

  void SetUp() override {
    EconomyTest::SetUp();
    if (!engine_) return;
    std::vector<Level> levels;
    for (int order = 1; order <= 3; ++order) levels.push_back(MakeLevel("lvl-" + std::to_string(order), order));
    ASSERT_THAT(engine().catalogue().Upsert(levels), IsOk());
  }

  static Level MakeLevel(const std::string& slug, int order) {
    Level l;
    l.slug = slug;
    l.order = order;
    l.title = "Level " + std::to_string(order);
    l.description = kAddStatement;
    l.initial_code = "def add(a, b):\n    pass\n";
    l.xp_reward = 10 * order;
    l.target_time_seconds = 120;
    l.stage = 1;
    l.topics = {"arithmetic"};
    l.secrets.cases_json = kAddCases;
    l.secrets.solution = "def add(a, b):\n    return a + b\n";
    l.secrets.hints = {"first hint", "second hint", "third hint"};  // no solution line in them
    return l;
  }

  Campaign& campaign() { return engine().campaign(); }

  Result<SubmitReply> SubmitCode(const User& u, const std::string& slug, const std::string& script) {
    return campaign().Submit(u, slug, Submission{.code = script + "\ndef add(a, b):\n    return a + b\n", .passed = {}});
  }
  // Submits accepted code and returns the outcome (a test failure if there is none).
  SubmissionOutcome Solve(const User& u, const std::string& slug) {
    Result<SubmitReply> r = SubmitCode(u, slug, "# accept");
    EXPECT_THAT(r, IsOk());
    if (!r.ok() || !r->outcome) return SubmissionOutcome{};
    return *r->outcome;
  }
  std::vector<std::string> States(const User& u) {
    Result<std::vector<PlayerLevel>> map = campaign().Map(u);
    EXPECT_THAT(map, IsOk());
    std::vector<std::string> out;
    if (map.ok()) {
      for (const PlayerLevel& p : *map) out.push_back(p.level.slug + "=" + std::string(LevelStateName(p.state)));
    }
    return out;
  }

  ScriptedJudge* judge_ = nullptr;
  CampaignOptions::Judging judging_ = CampaignOptions::Judging::kAuto;
  bool trust_client_results_ = false;
};

}  // namespace clash::testing
