// Unit tests of judge internals: output comparison, the runner protocol, the seccomp filter.
#include <gtest/gtest.h>

#include "judge/output_compare.h"
#include "judge/python_runner.h"
#include "judge/seccomp_filter.h"
#include "support/test_support.h"

namespace clash::internal {
namespace {

TEST(OutputCompare, IgnoresTrailingWhitespaceOnly) {
  EXPECT_TRUE(OutputMatches("3\n", "3"));
  EXPECT_TRUE(OutputMatches("a  \r\nb\t\n\n\n", "a\nb"));
  EXPECT_FALSE(OutputMatches(" 3", "3"));
  EXPECT_FALSE(OutputMatches("a\n\nb", "a\nb"));
  EXPECT_FALSE(OutputMatches("", "0"));
  EXPECT_EQ(Truncate("h\xc3\xa9llo", 2), "h...");
  EXPECT_EQ(Tail("abcdef", 3), "...def");
}

TEST(RunnerReport, KeepsOnlyLinesWithTheNonce) {
  std::string control =
      "{\"nonce\":\"abc\",\"event\":\"start\",\"cpu_ms\":12}\n"
      "{\"nonce\":\"zzz\",\"event\":\"result\",\"status\":\"ok\"}\n"
      "garbage\n"
      "{\"nonce\":\"abc\",\"event\":\"result\",\"status\":\"wrong_answer\",\"index\":2,\"line\":4}\n"
      "{\"nonce\":\"abc\",\"event\":\"result\",\"status\":\"ok\"}\n";
  RunnerReport r = ParseRunnerReport(control, "abc");
  EXPECT_TRUE(r.started);
  EXPECT_EQ(r.base_cpu_ms, 12);
  EXPECT_TRUE(r.finished);
  EXPECT_EQ(r.status, "wrong_answer");
  EXPECT_EQ(r.line, 4);
  // A result without a preceding start, or an unterminated line, does not count.
  EXPECT_FALSE(ParseRunnerReport("{\"nonce\":\"abc\",\"event\":\"result\",\"status\":\"ok\"}\n", "abc").finished);
  EXPECT_FALSE(ParseRunnerReport("{\"nonce\":\"abc\",\"event\":\"start\"}", "abc").started);
}

TEST(Seccomp, FilterCompiles) {
  Result<std::string> bpf = BuildSeccompBpf();
  ASSERT_THAT(bpf, clash::testing::IsOk());
  EXPECT_EQ(bpf->size() % 8, 0u);  // struct sock_filter is 8 bytes
  EXPECT_GT(bpf->size(), 8u * 40);
}

}  // namespace
}  // namespace clash::internal
