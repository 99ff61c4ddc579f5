#include "clash/config.h"

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <fstream>

extern char** environ;

namespace clash {
namespace {

std::string Normalize(std::string key) {
  std::replace(key.begin(), key.end(), '-', '_');
  return key;
}

std::string Trim(const std::string& s) {
  auto b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return "";
  auto e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

std::string EnvName(const std::string& key) {
  std::string out = "CLASH_";
  for (char c : key) out.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  return out;
}

}  // namespace

std::map<std::string, std::string> Config::ProcessEnv() {
  std::map<std::string, std::string> env;
  for (char** e = environ; e && *e; ++e) {
    std::string entry(*e);
    auto eq = entry.find('=');
    if (eq != std::string::npos) env[entry.substr(0, eq)] = entry.substr(eq + 1);
  }
  return env;
}

Result<Config> Config::Load(const std::vector<ConfigOption>& options, const std::vector<std::string>& args,
                            const std::map<std::string, std::string>& env) {
  Config cfg;
  std::map<std::string, const ConfigOption*> known;
  for (const ConfigOption& o : options) {
    known[o.key] = &o;
    cfg.values_[o.key] = o.default_value;
    cfg.sources_[o.key] = "default";
  }

  // Flags first into a side table: they win, but --config must be known before the file is read.
  std::map<std::string, std::string> flags;
  std::string config_path;
  if (auto it = env.find("CLASH_CONFIG"); it != env.end()) config_path = it->second;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (!arg.starts_with("--")) {
      cfg.positional_.push_back(arg);
      continue;
    }
    std::string body = arg.substr(2);
    std::string key, value;
    bool has_value = false;
    if (auto eq = body.find('='); eq != std::string::npos) {
      key = Normalize(body.substr(0, eq));
      value = body.substr(eq + 1);
      has_value = true;
    } else {
      key = Normalize(body);
    }
    if (key == "config") {
      if (!has_value) {
        if (i + 1 >= args.size()) return Status::InvalidArgument("--config needs a path");
        value = args[++i];
      }
      config_path = value;
      continue;
    }
    auto opt = known.find(key);
    if (opt == known.end()) return Status::InvalidArgument("unknown option --" + body.substr(0, body.find('=')));
    if (!has_value) {
      bool next_is_value = i + 1 < args.size() && !args[i + 1].starts_with("--");
      if (opt->second->is_flag && (!next_is_value || (args[i + 1] != "true" && args[i + 1] != "false" &&
                                                       args[i + 1] != "1" && args[i + 1] != "0"))) {
        value = "true";
      } else if (next_is_value) {
        value = args[++i];
      } else {
        return Status::InvalidArgument("option --" + body + " needs a value");
      }
    }
    if (opt->second->repeatable && flags.count(key) != 0) {
      flags[key] += "," + value;
    } else {
      flags[key] = value;
    }
  }

  if (!config_path.empty()) {
    std::ifstream in(config_path);
    if (!in) return Status::InvalidArgument("cannot read config file '" + config_path + "'");
    std::string line;
    int line_no = 0;
    while (std::getline(in, line)) {
      ++line_no;
      std::string t = Trim(line);
      if (t.empty() || t[0] == '#') continue;
      auto eq = t.find('=');
      if (eq == std::string::npos) {
        return Status::InvalidArgument(config_path + ":" + std::to_string(line_no) + ": expected key = value");
      }
      std::string key = Normalize(Trim(t.substr(0, eq)));
      if (!known.count(key)) {
        return Status::InvalidArgument(config_path + ":" + std::to_string(line_no) + ": unknown key '" + key + "'");
      }
      cfg.values_[key] = Trim(t.substr(eq + 1));
      cfg.sources_[key] = "file";
    }
  }
  for (const ConfigOption& o : options) {
    if (auto it = env.find(EnvName(o.key)); it != env.end()) {
      cfg.values_[o.key] = it->second;
      cfg.sources_[o.key] = "env";
    }
  }
  for (auto& [key, value] : flags) {
    cfg.values_[key] = value;
    cfg.sources_[key] = "flag";
  }
  return cfg;
}

const std::string& Config::Get(const std::string& key) const {
  static const std::string kEmpty;
  auto it = values_.find(key);
  return it == values_.end() ? kEmpty : it->second;
}

const std::string& Config::SourceOf(const std::string& key) const {
  static const std::string kUnknown = "unknown";
  auto it = sources_.find(key);
  return it == sources_.end() ? kUnknown : it->second;
}

Result<std::int64_t> Config::GetInt(const std::string& key) const {
  const std::string& v = Get(key);
  std::int64_t out = 0;
  auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
  if (ec != std::errc() || ptr != v.data() + v.size() || v.empty()) {
    return Status::InvalidArgument("option " + key + " must be an integer, got '" + v + "'");
  }
  return out;
}

Result<bool> Config::GetBool(const std::string& key) const {
  std::string v = Get(key);
  std::transform(v.begin(), v.end(), v.begin(), [](unsigned char c) { return std::tolower(c); });
  if (v == "1" || v == "true" || v == "yes" || v == "on") return true;
  if (v == "0" || v == "false" || v == "no" || v == "off" || v.empty()) return false;
  return Status::InvalidArgument("option " + key + " must be true or false, got '" + v + "'");
}

std::vector<std::string> Config::GetList(const std::string& key) const {
  const std::string& list = Get(key);
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= list.size()) {
    std::size_t comma = list.find(',', start);
    std::string item = Trim(list.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (!item.empty()) out.push_back(item);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

std::string Config::Usage(const std::vector<ConfigOption>& options) {
  std::string out;
  for (const ConfigOption& o : options) {
    std::string flag = o.key;
    std::replace(flag.begin(), flag.end(), '_', '-');
    out += "  --" + flag + (o.is_flag ? "" : " VALUE") + "\n      " + o.help + " (env " + EnvName(o.key) +
           ", default '" + o.default_value + "')\n";
  }
  return out;
}

}  // namespace clash
