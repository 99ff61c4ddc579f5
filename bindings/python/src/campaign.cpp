// Engine.campaign (the player's map, opening, judged submissions, hints, reviews, certificates, the
// leaderboard, per-day completions, tasks), clash.verify_certificate() and clash.levels.validate().
// Values come back as plain dicts and lists, in the same shapes as the HTTP routes (docs/python.md).
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>

#include "bindings.h"
#include "clash/engine.h"
#include "clash/judge_gateway.h"
#include "clash/level_validator.h"
#include "engine_handle.h"
#include "exceptions.h"
#include "values.h"

namespace py = pybind11;

namespace clash::python {
namespace {

using Id = std::int64_t;
struct CampaignTag {};
using CampaignFacet = Facet<CampaignTag>;

py::object Loads(const std::string& json) { return py::module_::import("json").attr("loads")(json); }

py::object OptionalTime(const std::optional<Timestamp>& t) { return t ? ToDatetime(*t) : py::none(); }

py::dict PlayerLevelDict(const PlayerLevel& p) {
  py::dict d;
  d["slug"] = p.level.slug;
  d["order"] = p.level.order;
  d["title"] = p.level.title;
  d["stage"] = p.level.stage;
  d["xp_reward"] = p.level.xp_reward;
  d["created_for_user"] = p.level.created_for_user ? py::object(py::int_(*p.level.created_for_user)) : py::none();
  d["status"] = std::string(LevelStateName(p.state));
  d["stars"] = p.stars;
  d["hints_purchased"] = p.hints_purchased;
  d["started_at"] = OptionalTime(p.started_at);
  d["completed_at"] = OptionalTime(p.completed_at);
  d["level"] = p.level;
  return d;
}

py::dict CertificateDict(const Certificate& c, const std::string& url) {
  py::dict d;
  d["certificate_id"] = c.id;
  d["user_id"] = c.user_id;
  d["username"] = c.username;
  d["issued_at"] = ToDatetime(c.issued_at);
  d["completion_count"] = c.completion_count;
  d["is_valid"] = c.is_valid;
  d["key_id"] = c.key_id;
  d["signature"] = c.signature;
  d["verification_url"] = url;
  d["document"] = EncodeCertificateDocument(c);
  return d;
}

py::dict ReportDict(const LevelReport& r) {
  py::dict d;
  d["slug"] = r.slug;
  d["ok"] = r.ok;
  d["errors"] = py::cast(r.errors);
  d["mutants"] = r.mutants;
  d["killed"] = r.killed;
  d["score"] = r.score;
  d["mutation_checked"] = r.mutation_checked;
  d["survivors"] = py::cast(r.survivors);
  d["line"] = r.Line();
  return d;
}

py::list Validate(const std::filesystem::path& path, bool mutation, double min_score, py::object progress) {
  const bool bar = progress.is_none() && isatty(2) != 0;
  ValidationOptions options{.min_score = min_score, .mutation = mutation};
  if (!progress.is_none() || bar) {
    options.on_progress = [progress, bar](const ValidationProgress& p) {
      py::gil_scoped_acquire gil;
      if (bar) {
        std::fprintf(stderr, "\r[%d/%d] %-12s %d/%d runs", p.level_index + 1, p.level_count, p.slug.c_str(), p.done,
                     p.total);
        std::fflush(stderr);
        return;
      }
      py::dict d;
      d["slug"] = p.slug;
      d["level_index"] = p.level_index;
      d["level_count"] = p.level_count;
      d["done"] = p.done;
      d["total"] = p.total;
      try {
        progress(d);
      } catch (py::error_already_set&) {  // a failing callback does not stop the run
      }
    };
  }
  std::vector<LevelReport> reports = Unwrap(WithoutGil([&]() -> Result<std::vector<LevelReport>> {
    CLASH_ASSIGN_OR_RETURN(std::unique_ptr<JudgeGateway> judge, NewSandboxJudgeGateway({}, {.workers = 2}));
    LevelValidator validator(*judge);
    return validator.ValidatePath(path.string(), options);
  }));
  if (bar) std::fprintf(stderr, "\n");
  py::list out;
  for (const LevelReport& r : reports) out.append(ReportDict(r));
  return out;
}

}  // namespace

void RegisterCampaign(py::module_& m) {
  py::class_<CampaignFacet>(m, "Campaign",
                            "The learning campaign (Engine.campaign): progress enforced by the library, code "
                            "judged in the sandbox, hints, reviews, certificates and the leaderboard. Players "
                            "are given by user id.")
      .def(
          "map",
          [](CampaignFacet& f, Id user_id) {
            std::vector<PlayerLevel> map = Unwrap(f.Call([&](Engine& e) {
              return WithUser(e, user_id, [&](const User& u) { return e.campaign().Map(u); });
            }));
            py::list out;
            for (const PlayerLevel& p : map) out.append(PlayerLevelDict(p));
            return out;
          },
          py::arg("user_id"),
          "The player's levels in map order: dicts with slug, order, title, status ('LOCKED', 'UNLOCKED', "
          "'COMPLETED'), stars, hints_purchased, started_at, completed_at and level (a Level without secrets).")
      .def(
          "open",
          [](CampaignFacet& f, Id user_id, const std::string& slug) {
            return PlayerLevelDict(Unwrap(f.Call([&](Engine& e) {
              return WithUser(e, user_id, [&](const User& u) { return e.campaign().Open(u, slug); });
            })));
          },
          py::arg("user_id"), py::arg("slug"),
          "Opens a level (started_at is recorded on the first open). PermissionDeniedError if it is locked, "
          "NotFoundError if unknown or another player's personalised level.")
      .def(
          "submit",
          [](CampaignFacet& f, Id user_id, const std::string& slug, std::optional<std::string> code,
             std::optional<bool> passed) -> py::object {
            SubmitReply r = Unwrap(f.Call([&](Engine& e) {
              return WithUser(e, user_id, [&](const User& u) {
                return e.campaign().Submit(u, slug, Submission{.code = code, .passed = passed});
              });
            }));
            if (!r.outcome) {
              py::dict d;
              d["task_id"] = r.task_id;
              d["status"] = "queued";
              return d;
            }
            return Loads(EncodeSubmissionOutcome(*r.outcome));
          },
          py::arg("user_id"), py::arg("slug"), py::kw_only(), py::arg("code") = py::none(),
          py::arg("passed") = py::none(),
          "Judges `code` on the server and records a completion: a dict with status ('completed', "
          "'already_completed', 'failed'), xp_earned, stars, best_stars, next_level_slug, total_xp, "
          "certificate_issued and verdict; or {'task_id', 'status': 'queued'} when the judge is busy (poll "
          "task()). `passed` alone counts only with the trust_client_results option (insecure).")
      .def(
          "task",
          [](CampaignFacet& f, Id user_id, const std::string& task_id) {
            TaskRecord t = Unwrap(f.Call([&](Engine& e) { return e.tasks().Get(user_id, task_id); }));
            py::dict d;
            d["task_id"] = t.id;
            d["kind"] = t.kind;
            d["status"] = std::string(TaskStateName(t.state));
            d["result"] = t.state == TaskState::kSuccess ? Loads(t.result_json) : py::none();
            d["error"] = t.state == TaskState::kFailed ? py::object(py::str(t.error)) : py::none();
            return d;
          },
          py::arg("user_id"), py::arg("task_id"), "A queued submission's task (NotFoundError for another user's).")
      .def(
          "buy_hint",
          [](CampaignFacet& f, Id user_id, const std::string& slug) {
            HintPurchase h = Unwrap(f.Call([&](Engine& e) {
              return WithUser(e, user_id, [&](const User& u) { return e.campaign().BuyHint(u, slug); });
            }));
            py::dict d;
            d["hints_purchased"] = h.hints_purchased;
            d["cost"] = h.cost;
            d["remaining_xp"] = h.remaining_xp;
            d["charged"] = h.charged;
            return d;
          },
          py::arg("user_id"), py::arg("slug"),
          "Buys the next hint tier (10, 20, 30 XP). FailedPreconditionError after three, "
          "InsufficientFundsError without the XP (details: required_xp, current_xp, shortage).")
      .def(
          "hint",
          [](CampaignFacet& f, Id user_id, const std::string& slug, int tier, const std::string& user_code) {
            HintAnswer a = Unwrap(f.Call([&](Engine& e) {
              return WithUser(e, user_id, [&](const User& u) { return e.campaign().Hint(u, slug, tier, user_code); });
            }));
            py::dict d;
            d["hint"] = a.text;
            d["hint_level"] = a.tier;
            d["source"] = a.source;
            return d;
          },
          py::arg("user_id"), py::arg("slug"), py::arg("tier") = 1, py::arg("user_code") = "",
          "The bought hint of `tier`; InsufficientFundsError if that tier is not bought.")
      .def(
          "review",
          [](CampaignFacet& f, Id user_id, const std::string& slug, const std::string& code) {
            CodeReview r = Unwrap(f.Call([&](Engine& e) {
              return WithUser(e, user_id, [&](const User& u) { return e.campaign().Review(u, slug, code); });
            }));
            py::dict d;
            d["review"] = r.summary;
            py::list syntax, samples, warnings;
            for (const SyntaxIssue& s : r.syntax_errors) {
              syntax.append(py::dict(py::arg("line") = s.line, py::arg("column") = s.column, py::arg("message") = s.message));
            }
            for (const SampleCheck& s : r.samples) {
              samples.append(py::dict(py::arg("index") = s.index, py::arg("call") = s.call, py::arg("passed") = s.passed,
                                      py::arg("expected") = s.expected, py::arg("actual") = s.actual,
                                      py::arg("problem") = s.problem));
            }
            for (const ReviewWarning& w : r.warnings) {
              warnings.append(py::dict(py::arg("line") = w.line, py::arg("kind") = w.kind, py::arg("message") = w.message));
            }
            d["syntax_errors"] = syntax;
            d["samples"] = samples;
            d["warnings"] = warnings;
            d["source"] = r.source;
            return d;
          },
          py::arg("user_id"), py::arg("slug"), py::arg("code"),
          "A structured review computed without an LLM: syntax errors, public samples, complexity warnings.")
      .def(
          "eligibility",
          [](CampaignFacet& f, Id user_id) {
            CertificateEligibility c = Unwrap(f.Call([&](Engine& e) {
              return WithUser(e, user_id, [&](const User& u) { return e.campaign().Eligibility(u); });
            }));
            return py::dict(py::arg("eligible") = c.eligible, py::arg("completed") = c.completed,
                            py::arg("required") = c.required, py::arg("remaining") = c.remaining,
                            py::arg("has_certificate") = c.has_certificate);
          },
          py::arg("user_id"), "Certificate eligibility: eligible, completed, required, remaining, has_certificate.")
      .def(
          "certificate",
          [](CampaignFacet& f, Id user_id) -> py::object {
            std::string url;
            std::optional<Certificate> c = Unwrap(f.Call([&](Engine& e) -> Result<std::optional<Certificate>> {
              CLASH_ASSIGN_OR_RETURN(std::optional<Certificate> got, WithUser(e, user_id, [&](const User& u) {
                                       return e.campaign().MyCertificate(u);
                                     }));
              if (got) url = e.campaign().VerificationUrl(*got);
              return got;
            }));
            if (!c) return py::none();
            return CertificateDict(*c, url);
          },
          py::arg("user_id"), "The player's certificate (issued now, once, if eligible), or None.")
      .def(
          "find_certificate",
          [](CampaignFacet& f, const std::string& id) {
            std::string url;
            Certificate c = Unwrap(f.Call([&](Engine& e) -> Result<Certificate> {
              CLASH_ASSIGN_OR_RETURN(Certificate got, e.campaign().FindCertificate(id));
              url = e.campaign().VerificationUrl(got);
              return got;
            }));
            return CertificateDict(c, url);
          },
          py::arg("certificate_id"), "A certificate by id; NotFoundError if unknown.")
      .def_property_readonly(
          "public_key",
          [](CampaignFacet& f) {
            return Unwrap(f.Call([&](Engine& e) -> Result<std::string> { return e.campaign().certificate_key().public_key(); }));
          },
          "The Ed25519 public key (base64url) certificates are signed with.")
      .def(
          "leaderboard",
          [](CampaignFacet& f) {
            auto board = Unwrap(f.Call([&](Engine& e) { return e.campaign().Leaderboard(); }));
            py::list out;
            for (const LeaderboardEntry& r : *board) {
              out.append(py::dict(py::arg("rank") = r.rank, py::arg("user_id") = r.player.user_id,
                                  py::arg("username") = r.player.username, py::arg("xp") = r.player.xp,
                                  py::arg("completed_levels") = r.player.completed_levels));
            }
            return out;
          },
          "The top 100 by XP then completed levels (no staff, no blocked users).")
      .def(
          "completions_per_day",
          [](CampaignFacet& f, Id user_id, int days) {
            std::vector<DayCount> counts = Unwrap(f.Call([&](Engine& e) { return e.campaign().CompletionsPerDay(user_id, days); }));
            py::list out;
            for (const DayCount& d : counts) out.append(py::make_tuple(d.date.ToString(), d.count));
            return out;
          },
          py::arg("user_id"), py::arg("days") = 365,
          "First completions per date (the configured time zone), newest first: [('2026-12-03', 2), ...].");
}

void AddCampaignAccessor(EngineClass& engine) {
  engine.def_property_readonly(
      "campaign", [](const Handle& h) { return CampaignFacet{h}; }, "The learning campaign (Campaign).");
}

void RegisterCampaignFunctions(py::module_& m) {
  m.def(
      "verify_certificate",
      [](const std::string& document, const std::string& public_key) {
        Certificate c = Unwrap(DecodeCertificateDocument(document));
        Status s = VerifyCertificateSignature(c, public_key);
        if (s.code() == StatusCode::kPermissionDenied) return false;
        Check(s);
        return true;
      },
      py::arg("document"), py::arg("public_key"),
      "Verifies a certificate document (the JSON of Campaign.certificate()['document'] or the verify "
      "route's 'document') offline against an Ed25519 public key (base64url): True if the signature "
      "holds, False if any field was changed. InvalidArgumentError for a malformed document or key.");
  m.def("validate_levels", &Validate, py::arg("path"), py::kw_only(), py::arg("mutation") = true,
        py::arg("min_score") = 90.0, py::arg("progress") = py::none(),
        "clash.levels.validate: checks a level folder (or a directory of them) in the sandbox judge and "
        "measures the mutation score of its hidden cases.");
}

}  // namespace clash::python
