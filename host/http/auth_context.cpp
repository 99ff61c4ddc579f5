#include "http/auth_context.h"

#include <algorithm>
#include <cctype>

namespace clash::host {
namespace {

std::string Trim(std::string_view s) {
  std::size_t b = s.find_first_not_of(" \t");
  if (b == std::string_view::npos) return "";
  std::size_t e = s.find_last_not_of(" \t");
  return std::string(s.substr(b, e - b + 1));
}

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

// "https://a.b:8443/path?x" -> "https://a.b:8443"
std::string OriginOf(const std::string& url) {
  std::size_t scheme = url.find("://");
  if (scheme == std::string::npos) return "";
  std::size_t end = url.find_first_of("/?#", scheme + 3);
  return Lower(url.substr(0, end));
}

bool IsUnsafe(const std::string& method) {
  return method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE";
}

std::string CookieAttributes(const CallerOptions& o) {
  std::string attrs = "; Path=/; HttpOnly; SameSite=" + o.cookie_samesite;
  if (o.cookie_secure) attrs += "; Secure";
  return attrs;
}

}  // namespace

std::optional<std::string> CookieValue(const HttpRequest& request, const std::string& name) {
  for (const auto& [k, v] : request.headers) {
    if (k != "cookie") continue;
    std::string_view rest(v);
    while (!rest.empty()) {
      std::size_t semi = rest.find(';');
      std::string_view pair = rest.substr(0, semi);
      std::size_t eq = pair.find('=');
      if (eq != std::string_view::npos && Trim(pair.substr(0, eq)) == name) return Trim(pair.substr(eq + 1));
      if (semi == std::string_view::npos) break;
      rest.remove_prefix(semi + 1);
    }
  }
  return std::nullopt;
}

Result<Caller> ResolveCaller(const HttpRequest& request, Engine& engine) {
  Caller caller;
  if (auto header = request.Header("authorization")) {
    std::string h = Trim(*header);
    std::size_t space = h.find(' ');
    if (space == std::string::npos || Lower(h.substr(0, space)) != "bearer" ||
        h.find(' ', space + 1) != std::string::npos) {
      return Status::Unauthenticated("Invalid authorization header.");
    }
    CLASH_ASSIGN_OR_RETURN(User user, engine.auth().Authenticate(h.substr(space + 1)));
    caller.user = std::move(user);
    caller.via_bearer = true;
    caller.access_token = h.substr(space + 1);
    return caller;
  }
  if (auto cookie = CookieValue(request, "access_token"); cookie && !cookie->empty()) {
    Result<User> user = engine.auth().Authenticate(*cookie);
    if (user.ok()) {
      caller.user = std::move(user).value();
      caller.via_cookie = true;
      caller.access_token = *cookie;
    } else if (user.status().StringDetail("reason") == kAccountDisabled) {
      return user.status();
    }
  }
  return caller;
}

namespace {
bool OriginMatches(const std::string& origin, const std::string& host, const CallerOptions& options) {
  std::string want = Lower(origin);
  if (options.allowed_origins.empty()) {
    std::string h = Lower(host);
    return want == "http://" + h || want == "https://" + h;
  }
  for (const std::string& allowed : options.allowed_origins) {
    if (Lower(allowed) == want) return true;
  }
  return false;
}
}  // namespace

bool WebSocketOriginAllowed(const std::optional<std::string>& origin, const std::string& host,
                            const CallerOptions& options) {
  if (!origin || origin->empty()) return true;
  return OriginMatches(*origin, host, options);
}

Status CheckOrigin(const HttpRequest& request, const Caller& caller, const CallerOptions& options) {
  if (!IsUnsafe(request.method) || caller.via_bearer) return Status::Ok();
  std::optional<std::string> origin = request.Header("origin");
  if (!origin || *origin == "null") {
    if (auto referer = request.Header("referer")) origin = OriginOf(*referer);
  }
  bool has_cookies = CookieValue(request, "access_token").has_value() ||
                     CookieValue(request, "refresh_token").has_value();
  if (!origin || origin->empty()) {
    if (has_cookies) return Status::PermissionDenied("CSRF check failed: Origin header required.");
    return Status::Ok();
  }
  if (OriginMatches(*origin, request.Header("host").value_or(""), options)) return Status::Ok();
  return Status::PermissionDenied("CSRF check failed: origin not allowed.");
}

void SetSessionCookies(HttpResponse& response, const Session& session, const CallerOptions& options) {
  auto max_age = [&](Timestamp expires) {
    return std::to_string(std::max<std::int64_t>(0, (expires - session.issued_at).count() / 1'000'000));
  };
  response.SetHeader("Set-Cookie", "access_token=" + session.access_token + "; Max-Age=" +
                                       max_age(session.access_expires_at) + CookieAttributes(options));
  response.SetHeader("Set-Cookie", "refresh_token=" + session.refresh_token + "; Max-Age=" +
                                       max_age(session.refresh_expires_at) + CookieAttributes(options));
}

void ClearSessionCookies(HttpResponse& response, const CallerOptions& options) {
  response.SetHeader("Set-Cookie", "access_token=; Max-Age=0" + CookieAttributes(options));
  response.SetHeader("Set-Cookie", "refresh_token=; Max-Age=0" + CookieAttributes(options));
}

std::string ClientKey(const HttpRequest& request) {
  std::string addr = request.remote_address;
  std::size_t colon = addr.rfind(':');
  return colon == std::string::npos ? addr : addr.substr(0, colon);
}

std::string ClientIp(const HttpRequest& request, const CallerOptions& options) {
  auto trusted = [&options](std::string_view addr) {
    return std::find(options.trusted_proxies.begin(), options.trusted_proxies.end(), addr) !=
           options.trusted_proxies.end();
  };
  std::string peer = ClientKey(request);
  if (peer.starts_with("[") && peer.ends_with("]")) peer = peer.substr(1, peer.size() - 2);
  if (!trusted(peer)) return peer;
  std::optional<std::string> forwarded = request.Header("x-forwarded-for");
  if (!forwarded) return peer;
  std::string_view list = *forwarded;
  while (!list.empty()) {
    std::size_t comma = list.rfind(',');
    std::string_view item = comma == std::string_view::npos ? list : list.substr(comma + 1);
    list = comma == std::string_view::npos ? std::string_view() : list.substr(0, comma);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (item.empty() || item.size() > 45) return peer;
    for (char c : item) {
      if (!std::isxdigit(static_cast<unsigned char>(c)) && c != '.' && c != ':') return peer;
    }
    if (!trusted(item)) return std::string(item);
  }
  return peer;
}

}  // namespace clash::host
