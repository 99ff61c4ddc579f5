#include "http/metrics.h"

#include <cstdio>
#include <sstream>

namespace clash::host {
namespace {

std::string Escape(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') out.push_back('\\');
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    // No other control character (a NUL would cut the exposition for some scrapers).
    out.push_back(static_cast<unsigned char>(c) < 0x20 || c == 0x7f ? '?' : c);
  }
  return out;
}

std::string Num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

}  // namespace

void Metrics::ObserveRequest(const std::string& route, const std::string& method, int status, double seconds) {
  std::lock_guard<std::mutex> lock(mu_);
  // Look up without building the key's strings: they are only copied the first time.
  auto key = std::make_tuple(std::string_view(route), std::string_view(method), status);
  auto it = requests_.find(key);
  if (it == requests_.end()) it = requests_.emplace(std::make_tuple(route, method, status), 0).first;
  ++it->second;
  auto h_it = latency_.find(std::string_view(route));
  if (h_it == latency_.end()) h_it = latency_.emplace(route, Histogram{}).first;
  Histogram& h = h_it->second;
  for (std::size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) ++h.counts[i];
  }
  ++h.count;
  h.sum += seconds;
}

void Metrics::SetWebSocketGauges(std::function<std::uint64_t()> open, std::function<std::uint64_t()> accepted_total) {
  std::lock_guard<std::mutex> lock(mu_);
  ws_open_ = std::move(open);
  ws_total_ = std::move(accepted_total);
}

std::string Metrics::Render() const {
  std::ostringstream out;
  std::lock_guard<std::mutex> lock(mu_);
  out << "# HELP clash_http_requests_total HTTP requests by route pattern, method and status code.\n"
      << "# TYPE clash_http_requests_total counter\n";
  for (const auto& [key, n] : requests_) {
    const auto& [route, method, code] = key;
    out << "clash_http_requests_total{route=\"" << Escape(route) << "\",method=\"" << Escape(method)
        << "\",code=\"" << code << "\"} " << n << "\n";
  }
  out << "# HELP clash_http_request_duration_seconds HTTP request latency by route pattern.\n"
      << "# TYPE clash_http_request_duration_seconds histogram\n";
  for (const auto& [route, h] : latency_) {
    std::string label = "route=\"" + Escape(route) + "\"";
    for (std::size_t i = 0; i < kBuckets.size(); ++i) {
      out << "clash_http_request_duration_seconds_bucket{" << label << ",le=\"" << Num(kBuckets[i]) << "\"} "
          << h.counts[i] << "\n";
    }
    out << "clash_http_request_duration_seconds_bucket{" << label << ",le=\"+Inf\"} " << h.count << "\n";
    out << "clash_http_request_duration_seconds_sum{" << label << "} " << Num(h.sum) << "\n";
    out << "clash_http_request_duration_seconds_count{" << label << "} " << h.count << "\n";
  }
  out << "# HELP clash_http_requests_in_flight HTTP requests being served now.\n"
      << "# TYPE clash_http_requests_in_flight gauge\n"
      << "clash_http_requests_in_flight " << in_flight_.load() << "\n";
  out << "# HELP clash_websocket_connections Open WebSocket connections.\n"
      << "# TYPE clash_websocket_connections gauge\n"
      << "clash_websocket_connections " << (ws_open_ ? ws_open_() : 0) << "\n";
  out << "# HELP clash_websocket_connections_total WebSocket connections accepted since start.\n"
      << "# TYPE clash_websocket_connections_total counter\n"
      << "clash_websocket_connections_total " << (ws_total_ ? ws_total_() : 0) << "\n";
  return out.str();
}

}  // namespace clash::host
