#include "support/test_support.h"

#include <cstdlib>
#include <random>

namespace clash::testing {

TempDir::TempDir() {
  std::random_device rd;
  path_ = std::filesystem::temp_directory_path() / ("clash-test-" + std::to_string(rd()) + std::to_string(rd()));
  std::filesystem::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::optional<std::string> PostgresUrl() {
  const char* url = std::getenv("CLASH_TEST_POSTGRES_URL");
  if (url == nullptr || *url == '\0') return std::nullopt;
  return std::string(url);
}

bool PostgresRequired() {
  const char* v = std::getenv("CLASH_REQUIRE_POSTGRES");
  return v != nullptr && std::string(v) == "1";
}

}  // namespace clash::testing
