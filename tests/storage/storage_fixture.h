// Backends the storage contract runs against, each giving a fresh, empty database per test.
#pragma once

#include <functional>
#include <memory>
#include <ostream>
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

// Test logs name the backend instead of dumping the struct's bytes.
inline void PrintTo(const BackendParam& p, std::ostream* os) { *os << p.name; }

// SQLite file, SQLite :memory:, and PostgreSQL when CLASH_TEST_POSTGRES_URL is set.
std::vector<BackendParam> AllBackends();

}  // namespace clash
