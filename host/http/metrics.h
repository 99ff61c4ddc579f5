// host/http/metrics.h — Prometheus metrics of the host, rendered as text for GET /metrics.
//
//   clash_http_requests_total{route,method,code}          counter
//   clash_http_request_duration_seconds{route}            histogram
//   clash_http_requests_in_flight                         gauge
//   clash_websocket_connections                           gauge (open sockets)
//   clash_websocket_connections_total                     counter (accepted)
//   plus the lines of SetExtraMetrics (chat and pub/sub: see chat_routes.h)
//
// Thread-safety: safe for concurrent use.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <tuple>

namespace clash::host {

class Metrics {
 public:
  // Records one finished request. `route` is the route pattern and `method` a known method or
  // "OTHER" (bounded cardinality), never the raw path or an arbitrary client token.
  void ObserveRequest(const std::string& route, const std::string& method, int status, double seconds);
  void InFlightDelta(int delta) { in_flight_ += delta; }
  // Read at render time (e.g. the WebSocket hub's open count and accepted total).
  void SetWebSocketGauges(std::function<std::uint64_t()> open, std::function<std::uint64_t()> accepted_total);
  // Appended to the rendering (already in the text format, each line ending in '\n').
  void SetExtraMetrics(std::function<std::string()> render);
  std::string Render() const;

 private:
  static constexpr std::array<double, 12> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                      0.05,   0.1,   0.25,   0.5,   1.0,  2.5};
  struct Histogram {
    std::array<std::uint64_t, kBuckets.size()> counts{};
    std::uint64_t count = 0;
    double sum = 0;
  };
  // Orders (route, method, status) keys as string_views, so a lookup need not build the strings.
  // (std::less<> over a tuple of strings and one of string_views compiles with GCC but not clang 15,
  // the fuzz build's compiler.)
  struct KeyLess {
    using is_transparent = void;
    template <class A, class B>
    bool operator()(const A& a, const B& b) const {
      return std::tuple<std::string_view, std::string_view, int>(std::get<0>(a), std::get<1>(a), std::get<2>(a)) <
             std::tuple<std::string_view, std::string_view, int>(std::get<0>(b), std::get<1>(b), std::get<2>(b));
    }
  };
  mutable std::mutex mu_;
  std::map<std::tuple<std::string, std::string, int>, std::uint64_t, KeyLess> requests_;
  std::map<std::string, Histogram, std::less<>> latency_;
  std::atomic<std::int64_t> in_flight_{0};
  std::function<std::uint64_t()> ws_open_;
  std::function<std::uint64_t()> ws_total_;
  std::function<std::string()> extra_;
};

}  // namespace clash::host
