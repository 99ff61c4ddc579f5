// host/routes/campaign_json.h — the campaign's JSON shapes on the wire, and the challenge list's
// renderer that keeps the rendered levels of a catalogue snapshot.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "clash/campaign.h"

namespace clash::host {

// The reference's ChallengePublicSerializer fields (client-contract.md section 4). No secret: the
// cases, the solution and the hints are never part of it.
nlohmann::json LevelJson(const Level& level);

// A level as GET /api/challenges/{slug}/ shows it.
nlohmann::json PlayerLevelJson(const PlayerLevel& p);

// The certificate as the client reads it (UserCertificateSerializer) plus the signature fields.
nlohmann::json CertificateJson(const Certificate& c, const std::string& verification_url);

// The review of ai-analyze/: `review` (Markdown the client shows) and the structured findings.
nlohmann::json ReviewJson(const CodeReview& review);

// Renders GET /api/challenges/: the levels' fixed part is rendered once per catalogue snapshot and
// reused while the snapshot lasts; per request only status and stars are spliced in (personalised
// levels, rare, are rendered per request).
class ChallengeListRenderer {
 public:
  std::string Render(const PlayerMapView& view);
  // The preview's rendering (Campaign::PreviewView / CachedPreviewView), made once per catalogue
  // snapshot and then shared: every anonymous visitor gets the same bytes.
  std::shared_ptr<const std::string> RenderPreview(const PlayerMapView& preview);

 private:
  // Each global level's JSON object without its closing brace.
  std::shared_ptr<const std::vector<std::string>> Prefixes(const std::shared_ptr<const std::vector<Level>>& global);

  std::mutex mu_;
  const std::vector<Level>* snapshot_ = nullptr;      // the snapshot `prefixes_` were rendered from
  std::shared_ptr<const std::vector<Level>> keep_;    // keeps that address from being reused
  std::shared_ptr<const std::vector<std::string>> prefixes_;
  std::shared_ptr<const std::vector<Level>> preview_of_;  // the snapshot preview_ was rendered from
  std::shared_ptr<const std::string> preview_;
};

// Renders the leaderboard once per board the campaign returns (it returns the same board until XP
// or completions change).
class LeaderboardRenderer {
 public:
  std::shared_ptr<const std::string> Render(const std::shared_ptr<const std::vector<LeaderboardEntry>>& board);

 private:
  std::mutex mu_;
  std::shared_ptr<const std::vector<LeaderboardEntry>> board_;
  std::shared_ptr<const std::string> body_;
};

}  // namespace clash::host
