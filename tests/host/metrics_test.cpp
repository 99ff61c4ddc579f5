#include "http/metrics.h"

#include <gtest/gtest.h>

namespace clash::host {
namespace {

TEST(MetricsTest, CountsRequestsAndBucketsLatency) {
  Metrics m;
  m.ObserveRequest("/api/challenges/", "GET", 200, 0.0007);
  m.ObserveRequest("/api/challenges/", "GET", 200, 0.3);
  m.ObserveRequest("/api/challenges/", "GET", 404, 0.002);
  m.SetWebSocketGauges([] { return 7u; }, [] { return 9u; });
  std::string text = m.Render();
  EXPECT_NE(text.find("clash_http_requests_total{route=\"/api/challenges/\",method=\"GET\",code=\"200\"} 2\n"),
            std::string::npos);
  EXPECT_NE(text.find("code=\"404\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("clash_http_request_duration_seconds_bucket{route=\"/api/challenges/\",le=\"0.001\"} 1\n"),
            std::string::npos);
  EXPECT_NE(text.find("clash_http_request_duration_seconds_bucket{route=\"/api/challenges/\",le=\"0.25\"} 2\n"),
            std::string::npos);
  EXPECT_NE(text.find("clash_http_request_duration_seconds_bucket{route=\"/api/challenges/\",le=\"+Inf\"} 3\n"),
            std::string::npos);
  EXPECT_NE(text.find("clash_http_request_duration_seconds_count{route=\"/api/challenges/\"} 3\n"), std::string::npos);
  EXPECT_NE(text.find("clash_websocket_connections 7\n"), std::string::npos);
  EXPECT_NE(text.find("clash_websocket_connections_total 9\n"), std::string::npos);
}

TEST(MetricsTest, LabelValuesAreEscaped) {
  Metrics m;
  m.ObserveRequest("a\"b", "GET", 200, 0.1);
  EXPECT_NE(m.Render().find("route=\"a\\\"b\""), std::string::npos);
}

TEST(MetricsTest, ControlCharactersNeverReachTheExposition) {
  Metrics m;
  m.ObserveRequest(std::string("a\0b\x01", 4), "GET", 200, 0.1);
  std::string text = m.Render();
  EXPECT_EQ(text.find('\0'), std::string::npos);
  EXPECT_NE(text.find("route=\"a?b?\""), std::string::npos);
}

}  // namespace
}  // namespace clash::host
