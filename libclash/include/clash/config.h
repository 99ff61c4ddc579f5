// clash/config.h — configuration from a file, environment variables and command-line flags.
//
// A program declares its options (key, default, help). Values come from, lowest precedence first:
// the defaults, a config file (`--config PATH` or CLASH_CONFIG; lines `key = value`, `#` comments),
// environment variables (CLASH_ + the key in upper case: storage_url -> CLASH_STORAGE_URL), and
// flags (`--storage-url=URL` or `--storage-url URL`; dashes and underscores are the same; a
// repeatable option given several times on the command line collects its values as a list). Unknown
// keys in the file or in flags are errors, so typos do not pass silently. docs/configuration.md
// lists the host's options.
//
// Thread-safety: a loaded Config is immutable and safe to share.
//
// Example:
//   CLASH_ASSIGN_OR_RETURN(clash::Config cfg, clash::Config::Load(kOptions, args, clash::Config::ProcessEnv()));
//   CLASH_ASSIGN_OR_RETURN(std::int64_t port, cfg.GetInt("port"));
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "clash/export.h"
#include "clash/status.h"

namespace clash {

struct ConfigOption {
  std::string key;            // snake_case
  std::string default_value;
  std::string help;
  bool is_flag = false;       // a boolean that may be given as a bare `--key`
  bool repeatable = false;    // a list: repeated flags join with ',' (`--x a --x b` is "a,b")
};

class CLASH_EXPORT Config {
 public:
  // InvalidArgument for an unknown key, a flag without a value, or an unreadable config file.
  static Result<Config> Load(const std::vector<ConfigOption>& options, const std::vector<std::string>& args,
                             const std::map<std::string, std::string>& env);
  // The process environment as a map (read once by the caller, so tests can pass their own).
  static std::map<std::string, std::string> ProcessEnv();

  // The value of `key`. Precondition: `key` was declared.
  const std::string& Get(const std::string& key) const;
  // InvalidArgument naming the key if the value is not an integer.
  Result<std::int64_t> GetInt(const std::string& key) const;
  // true for 1/true/yes/on, false for 0/false/no/off/""; InvalidArgument otherwise.
  Result<bool> GetBool(const std::string& key) const;
  // The value as a comma-separated list: "a, b,,c" is {"a", "b", "c"} (items trimmed, empty ones
  // dropped).
  std::vector<std::string> GetList(const std::string& key) const;
  // Where a key's value came from: "default", "file", "env" or "flag".
  const std::string& SourceOf(const std::string& key) const;
  // Arguments that are not flags, in order (e.g. the sub-command).
  const std::vector<std::string>& positional() const { return positional_; }
  // Usage text listing every option with its default and help.
  static std::string Usage(const std::vector<ConfigOption>& options);

 private:
  std::map<std::string, std::string> values_;
  std::map<std::string, std::string> sources_;
  std::vector<std::string> positional_;
};

}  // namespace clash
