#include "routes/campaign_json.h"

namespace clash::host {

using nlohmann::json;

namespace {

std::string Dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

json NullableTime(const std::optional<Timestamp>& t) { return t ? json(t->ToIso8601()) : json(nullptr); }

}  // namespace

json LevelJson(const Level& level) {
  return json{{"id", level.id},
              {"title", level.title},
              {"slug", level.slug},
              {"description", level.description},
              {"initial_code", level.initial_code},
              {"test_code", level.test_code},
              {"order", level.order},
              {"xp_reward", level.xp_reward},
              {"time_limit", level.time_limit_seconds},
              {"target_time_seconds", level.target_time_seconds},
              {"created_for_user", level.created_for_user ? json(*level.created_for_user) : json(nullptr)}};
}

json PlayerLevelJson(const PlayerLevel& p) {
  json j = LevelJson(p.level);
  j["status"] = std::string(LevelStateName(p.state));
  j["stars"] = p.stars;
  j["ai_hints_purchased"] = p.hints_purchased;
  j["started_at"] = NullableTime(p.started_at);
  j["completed_at"] = NullableTime(p.completed_at);
  return j;
}

json CertificateJson(const Certificate& c, const std::string& verification_url) {
  return json{{"id", c.id},
              {"certificate_id", c.id},
              {"username", c.username},
              {"issued_date", c.issued_at.ToIso8601()},
              {"created_at", c.issued_at.ToIso8601()},
              {"is_valid", c.is_valid},
              {"completion_count", c.completion_count},
              {"verification_url", verification_url},
              {"algorithm", "Ed25519"},
              {"key_id", c.key_id},
              {"signature", c.signature}};
}

json ReviewJson(const CodeReview& review) {
  json syntax = json::array();
  for (const SyntaxIssue& s : review.syntax_errors) {
    syntax.push_back(json{{"line", s.line}, {"column", s.column}, {"message", s.message}});
  }
  json samples = json::array();
  for (const SampleCheck& s : review.samples) {
    samples.push_back(json{{"index", s.index},
                           {"call", s.call},
                           {"passed", s.passed},
                           {"expected", s.expected},
                           {"actual", s.actual},
                           {"problem", s.problem}});
  }
  json warnings = json::array();
  for (const ReviewWarning& w : review.warnings) {
    warnings.push_back(json{{"line", w.line}, {"kind", w.kind}, {"message", w.message}});
  }
  return json{{"review", review.summary},
              {"syntax_errors", syntax},
              {"samples", samples},
              {"warnings", warnings},
              {"source", review.source},
              {"cached", false}};
}

std::shared_ptr<const std::vector<std::string>> ChallengeListRenderer::Prefixes(
    const std::shared_ptr<const std::vector<Level>>& global) {
  {
    std::lock_guard lock(mu_);
    if (snapshot_ == global.get() && prefixes_) return prefixes_;
  }
  auto rendered = std::make_shared<std::vector<std::string>>();
  rendered->reserve(global->size());
  for (const Level& level : *global) {
    std::string s = Dump(LevelJson(level));
    s.pop_back();  // the closing brace: status and stars follow
    rendered->push_back(std::move(s));
  }
  std::lock_guard lock(mu_);
  snapshot_ = global.get();
  keep_ = global;
  prefixes_ = std::move(rendered);
  return prefixes_;
}

std::string ChallengeListRenderer::Render(const PlayerMapView& view) {
  std::shared_ptr<const std::vector<std::string>> prefixes = Prefixes(view.global);
  std::size_t size = 2;
  for (const std::string& p : *prefixes) size += p.size() + 40;
  std::string out;
  out.reserve(size);
  out += '[';
  bool first = true;
  for (const PlayerMapView::Entry& e : view.entries) {
    if (!first) out += ',';
    first = false;
    if (e.personal) {
      std::string s = Dump(LevelJson(view.personal[e.index]));
      s.pop_back();
      out += s;
    } else {
      out += (*prefixes)[e.index];
    }
    out += ",\"status\":\"";
    out += LevelStateName(e.state);
    out += "\",\"stars\":";
    out += std::to_string(e.stars);
    out += '}';
  }
  out += ']';
  return out;
}

std::shared_ptr<const std::string> ChallengeListRenderer::RenderPreview(const PlayerMapView& preview) {
  {
    std::lock_guard lock(mu_);
    if (preview_ && preview_of_ == preview.global) return preview_;
  }
  auto body = std::make_shared<const std::string>(Render(preview));
  std::lock_guard lock(mu_);
  preview_of_ = preview.global;
  preview_ = body;
  return body;
}

std::shared_ptr<const std::string> LeaderboardRenderer::Render(
    const std::shared_ptr<const std::vector<LeaderboardEntry>>& board) {
  {
    std::lock_guard lock(mu_);
    if (board_ == board && body_) return body_;
  }
  json out = json::array();
  for (const LeaderboardEntry& e : *board) {
    out.push_back(json{{"rank", e.rank},
                       {"username", e.player.username},
                       {"avatar", e.player.avatar_url.empty() ? json(nullptr) : json(e.player.avatar_url)},
                       {"completed_levels", e.player.completed_levels},
                       {"xp", e.player.xp}});
  }
  auto body = std::make_shared<const std::string>(Dump(out));
  std::lock_guard lock(mu_);
  board_ = board;
  body_ = body;
  return body;
}

}  // namespace clash::host
