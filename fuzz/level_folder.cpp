// Fuzz target: level folders (clash/catalogue.h ReadLevelFolder: level.json, cases.json, the
// level's fields and its cases). Input: the level.json text, a line "%%", then the cases.json
// text. They are written into a scratch folder "fuzz-level" with a fixed statement, starter and
// solution, and read as the catalogue loader and the level validator read them.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include "clash/catalogue.h"

namespace fs = std::filesystem;

namespace {

void Write(const fs::path& path, std::string_view text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  if (!out) std::abort();
}

const fs::path& Folder() {
  static const fs::path* folder = [] {
    // tmpfs when there is one: rewriting a truncated file on ext4 flushes it (auto_da_alloc), which
    // made this target I/O-bound at ~100 executions/s.
    std::error_code ec;
    const fs::path base = fs::is_directory("/dev/shm", ec) ? fs::path("/dev/shm") : fs::temp_directory_path();
    auto* p = new fs::path(base / ("clash-fuzz-level-" + std::to_string(getpid())) / "fuzz-level");
    fs::create_directories(*p);
    Write(*p / "statement.md", "# Fuzz\n\nAdd two numbers.\n");
    Write(*p / "starter.py", "def solve(a, b):\n    pass\n");
    Write(*p / "solution.py", "def solve(a, b):\n    return a + b\n");
    std::atexit([] { fs::remove_all(Folder().parent_path()); });
    return p;
  }();
  return *folder;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::size_t sep = input.find("\n%%\n");
  if (sep == std::string_view::npos) return 0;
  Write(Folder() / "level.json", input.substr(0, sep));
  Write(Folder() / "cases.json", input.substr(sep + 4));
  auto level = clash::ReadLevelFolder(Folder().string());
  if (!level.ok() && level.status().code() != clash::StatusCode::kInvalidArgument) __builtin_trap();
  if (level.ok() && level->slug != "fuzz-level") __builtin_trap();
  return 0;
}
