// Backends the storage contract runs against, each giving a fresh, empty database per test.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace clash {

// A scratch database that exists for the fixture's lifetime.
class ScratchBackend {
 public:
  virtual ~ScratchBackend() = default;
  virtual std::string url() const = 0;
};

struct BackendParam {
  std::string name;          // test-name suffix
  std::string backend_name;  // Storage::backend_name()
  bool persistent;           // data survives closing and reopening the URL
  std::function<std::unique_ptr<ScratchBackend>()> make;
};

// SQLite file, SQLite :memory:, and PostgreSQL when CLASH_TEST_POSTGRES_URL is set.
std::vector<BackendParam> AllBackends();

}  // namespace clash
