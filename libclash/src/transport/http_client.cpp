// NewHttpClient: HTTP/1.1 and HTTPS on Poco's HTTPClientSession, one connection per request.
#include <Poco/Exception.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SSLException.h>
#include <Poco/URI.h>

#include <algorithm>
#include <array>
#include <istream>
#include <ostream>
#include <strings.h>

#include "clash/transport.h"
#include "transport/tls_context.h"

namespace clash {

std::optional<std::string_view> HttpClientResponse::Header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (k.size() == name.size() && strncasecmp(k.data(), name.data(), k.size()) == 0) return std::string_view(v);
  }
  return std::nullopt;
}

namespace {

using std::chrono::milliseconds;
using std::chrono::nanoseconds;

bool IsTokenChar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool IsToken(std::string_view s) { return !s.empty() && std::all_of(s.begin(), s.end(), IsTokenChar); }

bool HasControlBreak(std::string_view s) { return s.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos; }

Poco::Timespan ToTimespan(nanoseconds d) {
  auto us = std::chrono::duration_cast<std::chrono::microseconds>(d).count();
  return Poco::Timespan(std::max<std::int64_t>(us, 1000));
}

Status ValidateRequest(const HttpClientRequest& req) {
  if (!IsToken(req.method)) return Status::InvalidArgument("HTTP method is not a token");
  for (const auto& [name, value] : req.headers) {
    if (!IsToken(name)) return Status::InvalidArgument("HTTP header name is not a token");
    if (HasControlBreak(value)) return Status::InvalidArgument("HTTP header value contains CR, LF or NUL");
  }
  if (req.timeout <= milliseconds(0)) return Status::InvalidArgument("HTTP timeout must be positive");
  return Status::Ok();
}

class PocoHttpClient final : public HttpClient {
 public:
  PocoHttpClient(HttpClientOptions options, Poco::Net::Context::Ptr tls)
      : options_(std::move(options)), tls_(std::move(tls)) {}

  Result<HttpClientResponse> Send(const HttpClientRequest& req) override {
    CLASH_RETURN_IF_ERROR(ValidateRequest(req));
    Poco::URI uri;
    try {
      uri = Poco::URI(req.url);
    } catch (const Poco::Exception&) {
      return Status::InvalidArgument("malformed URL");
    }
    const std::string scheme = uri.getScheme();
    if (scheme != "http" && scheme != "https") return Status::InvalidArgument("URL scheme must be http or https");
    if (uri.getHost().empty()) return Status::InvalidArgument("URL has no host");
    std::string target = uri.getPathAndQuery();
    if (target.empty()) target = "/";
    const std::string where = req.method + " " + scheme + "://" + uri.getHost() + ":" + std::to_string(uri.getPort());

    const nanoseconds deadline = options_.clock->Monotonic() + req.timeout;
    try {
      std::unique_ptr<Poco::Net::HTTPClientSession> session;
      if (scheme == "https") {
        session = std::make_unique<Poco::Net::HTTPSClientSession>(uri.getHost(), uri.getPort(), tls_);
      } else {
        session = std::make_unique<Poco::Net::HTTPClientSession>(uri.getHost(), uri.getPort());
      }
      session->setKeepAlive(false);
      session->setTimeout(ToTimespan(std::min<nanoseconds>(options_.connect_timeout, req.timeout)),
                          ToTimespan(req.timeout), ToTimespan(req.timeout));

      Poco::Net::HTTPRequest request(req.method, target, Poco::Net::HTTPMessage::HTTP_1_1);
      for (const auto& [name, value] : req.headers) request.add(name, value);
      if (!request.has("User-Agent") && !options_.user_agent.empty()) request.set("User-Agent", options_.user_agent);
      const bool send_length = !req.body.empty() || req.method == "POST" || req.method == "PUT" || req.method == "PATCH";
      if (send_length) request.setContentLength(static_cast<std::streamsize>(req.body.size()));
      request.setKeepAlive(false);

      std::ostream& out = session->sendRequest(request);
      out.exceptions(std::ios::badbit);
      out.write(req.body.data(), static_cast<std::streamsize>(req.body.size()));
      out.flush();

      Poco::Net::HTTPResponse response;
      session->socket().setReceiveTimeout(ToTimespan(deadline - options_.clock->Monotonic()));
      std::istream& in = session->receiveResponse(response);
      in.exceptions(std::ios::badbit);

      HttpClientResponse result;
      result.status = static_cast<int>(response.getStatus());
      for (const auto& [name, value] : response) result.headers.emplace_back(name, value);
      const bool has_length = response.hasContentLength();
      const auto length = has_length ? response.getContentLength64() : 0;
      if (has_length && static_cast<std::uint64_t>(length) > options_.max_response_bytes) {
        return Status::Unavailable(where + ": response body exceeds " + std::to_string(options_.max_response_bytes) + " bytes");
      }
      std::array<char, 16384> buf{};
      while (true) {
        const nanoseconds left = deadline - options_.clock->Monotonic();
        if (left <= nanoseconds(0)) return Status::DeadlineExceeded(where + ": timed out reading the response");
        session->socket().setReceiveTimeout(ToTimespan(left));
        in.read(buf.data(), buf.size());
        const std::streamsize n = in.gcount();
        if (n <= 0) break;
        if (result.body.size() + static_cast<std::size_t>(n) > options_.max_response_bytes) {
          return Status::Unavailable(where + ": response body exceeds " + std::to_string(options_.max_response_bytes) + " bytes");
        }
        result.body.append(buf.data(), static_cast<std::size_t>(n));
      }
      if (has_length && req.method != "HEAD" && result.body.size() < static_cast<std::uint64_t>(length)) {
        return Status::Unavailable(where + ": connection closed before the response body was complete");
      }
      return result;
    } catch (const Poco::TimeoutException&) {
      return Status::DeadlineExceeded(where + ": timed out after " + std::to_string(req.timeout.count()) + " ms");
    } catch (const Poco::Net::SSLException& e) {
      return Status::Unavailable(where + ": TLS failed: " + e.displayText());
    } catch (const Poco::Exception& e) {
      return Status::Unavailable(where + ": " + e.displayText());
    } catch (const std::exception& e) {
      return Status::Unavailable(where + ": " + e.what());
    }
  }

 private:
  HttpClientOptions options_;
  Poco::Net::Context::Ptr tls_;
};

}  // namespace

Result<std::unique_ptr<HttpClient>> NewHttpClient(HttpClientOptions options) {
  if (options.clock == nullptr) return Status::InvalidArgument("HttpClientOptions.clock is null");
  if (options.connect_timeout <= milliseconds(0)) return Status::InvalidArgument("connect_timeout must be positive");
  CLASH_ASSIGN_OR_RETURN(Poco::Net::Context::Ptr tls, internal::NewClientTlsContext(options.ca_file, options.use_system_ca));
  return std::unique_ptr<HttpClient>(std::make_unique<PocoHttpClient>(std::move(options), std::move(tls)));
}

}  // namespace clash
