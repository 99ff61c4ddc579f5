// Engine and open(): one Python object owning a clash::Engine, every call made without the GIL.
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "bindings.h"
#include "clash/config.h"
#include "clash/engine.h"
#include "clash/engine_config.h"
#include "engine_handle.h"
#include "exceptions.h"

namespace py = pybind11;

namespace clash::python {
namespace {

// Where generated files live when open() gets no data_dir: next to a SQLite file ("<file>-data", as
// SQLite names its own "-wal"/"-journal" companions), so each database keeps its own keys and
// outbox; otherwise (sqlite::memory:, PostgreSQL) the library's default, ./clash-data.
std::filesystem::path DefaultDataDir(std::string_view url) {
  constexpr std::string_view kSqlite = "sqlite://";
  if (url.starts_with(kSqlite) && url.size() > kSqlite.size()) {
    return std::filesystem::path(std::string(url.substr(kSqlite.size())) + "-data");
  }
  return std::filesystem::path("clash-data");
}

// open()'s keyword options as a Config over EngineConfigOptions(): the host's options, defaults and
// validation (clash/engine_config.h). None keeps the default; bools, ints and paths become text.
Result<Config> OptionsConfig(const std::string& url, const py::kwargs& kwargs) {
  std::vector<std::string> args = {"--storage=" + url};
  for (auto [key, value] : kwargs) {
    std::string name = py::cast<std::string>(key);
    if (name == "clock" || value.is_none()) continue;
    if (name == "storage") return Status::InvalidArgument("pass the storage URL as open()'s first argument");
    std::string text;
    if (py::isinstance<py::bool_>(value)) {
      text = py::cast<bool>(value) ? "true" : "false";
    } else if (py::isinstance<py::str>(value) || py::isinstance<py::int_>(value)) {
      text = py::cast<std::string>(py::str(value));
    } else if (py::hasattr(value, "__fspath__")) {
      text = py::cast<std::string>(py::module_::import("os").attr("fspath")(value));
    } else {
      return Status::InvalidArgument("option " + name + " must be a str, int, bool or path");
    }
    if (name == "secret_key" && text.empty()) return Status::InvalidArgument("secret_key must not be empty");
    args.push_back("--" + name + "=" + text);
  }
  return Config::Load(EngineConfigOptions(), args, /*env=*/{});
}

Handle Open(const std::string& url, const py::kwargs& kwargs) {
  std::shared_ptr<FakeClock> clock;
  if (kwargs.contains("clock") && !kwargs["clock"].is_none()) clock = py::cast<std::shared_ptr<FakeClock>>(kwargs["clock"]);
  Config cfg = Unwrap(OptionsConfig(url, kwargs));
  EngineOptions options = Unwrap(WithoutGil([&] { return EngineOptionsFromConfig(cfg); }));
  if (cfg.SourceOf("data_dir") == "default") options.data_dir = DefaultDataDir(url).string();
  if (clock) options.clock = clock.get();
  return std::make_shared<EngineHandle>(Unwrap(WithoutGil([&] { return Engine::Open(std::move(options)); })),
                                        std::shared_ptr<const void>(clock));
}

py::dict Health(EngineHandle& h) {
  auto checks = Unwrap(h.Call([](Engine& e) -> Result<std::vector<HealthCheck>> { return e.CheckHealth(); }));
  py::dict out;
  for (const HealthCheck& c : checks) out[py::str(c.name)] = c.detail;
  return out;
}

std::vector<LevelStanding> CampaignMap(EngineHandle& h) {
  return Unwrap(h.Call([](Engine& e) { return e.catalogue().MapForNewPlayer(); }));
}

}  // namespace

void RegisterEngine(py::module_& m) {
  EngineClass engine(m, "Engine",
                     "An open Clash engine. Create one with clash.open(url); close it with close() or a `with` "
                     "block. Safe to share between threads.");
  AddEconomyAccessors(engine);
  AddAdminAccessors(engine);
  AddTutorAccessor(engine);
  AddShopAccessors(engine);
  AddChatAccessor(engine);
  AddJudgeMethod(engine);
  AddCampaignAccessor(engine);
  engine
      .def("levels", [](EngineHandle& h) { return Unwrap(h.Call([](Engine& e) { return e.catalogue().List(); })); },
           "All levels ordered by `order` then slug, without secrets.")
      .def(
          "level",
          [](EngineHandle& h, const std::string& slug) {
            return Unwrap(h.Call([&](Engine& e) { return e.catalogue().Get(slug); }));
          },
          py::arg("slug"), "One level without secrets. Raises NotFoundError if `slug` is unknown.")
      .def(
          "level_for_judging",
          [](EngineHandle& h, const std::string& slug) {
            return Unwrap(h.Call([&](Engine& e) { return e.catalogue().GetForJudging(slug); }));
          },
          py::arg("slug"), "One level with its secrets. Raises NotFoundError if `slug` is unknown.")
      .def(
          "upsert_levels",
          [](EngineHandle& h, const std::vector<Level>& levels) {
            Check(h.Call([&](Engine& e) { return e.catalogue().Upsert(levels); }));
          },
          py::arg("levels"),
          "Inserts or replaces levels by slug in one transaction: on error nothing changes. Raises "
          "InvalidArgumentError if a level is invalid or two share a slug.")
      .def(
          "load_levels",
          [](EngineHandle& h, const std::filesystem::path& dir) {
            return Unwrap(h.Call([&](Engine& e) { return e.catalogue().LoadFromDirectory(dir.string()); }));
          },
          py::arg("directory"),
          "Reads every level folder under `directory` and upserts them atomically; returns how many. "
          "Raises InvalidArgumentError naming the file that is wrong.")
      .def("campaign_map", &CampaignMap,
           "The campaign as a new player sees it: a list of LevelStanding (level, state, stars), the "
           "first level UNLOCKED and the rest LOCKED.")
      .def_property_readonly(
          "auth", [](const Handle& h) { return MakeAuth(h); },
          "The Auth object of this engine: OTP login, tokens, accounts and roles.")
      .def("health", &Health, "Each dependency's state, e.g. {'database': 'ok'}.")
      .def("schema_version",
           [](EngineHandle& h) { return Unwrap(h.Call([](Engine& e) { return e.storage().SchemaVersion(); })); },
           "The highest storage migration applied.")
      .def_property_readonly("backend", &EngineHandle::backend, "The storage backend: 'sqlite' or 'postgresql'.")
      .def_property_readonly("closed", &EngineHandle::closed, "True after close().")
      .def("close", &EngineHandle::Close,
           "Releases storage (waits for calls in flight). Later calls raise FailedPreconditionError.")
      .def("__enter__", [](Handle h) { return h; })
      .def("__exit__", [](EngineHandle& h, const py::args&) { h.Close(); })
      .def("__repr__", [](EngineHandle& h) {
        return "<clash.Engine backend=" + std::string(py::repr(py::str(h.backend()))) +
               (h.closed() ? " closed>" : ">");
      });

  m.def("open", &Open, py::arg("url"),
        "open(url, **options) -> Engine: opens storage at `url` (applying migrations) and builds every module.\n"
        "Options are clash-host's engine options with the same names, defaults and checks "
        "(clash.engine_options() lists them; docs/configuration.md): e.g. data_dir, secret_key, time_zone "
        "(default UTC), max_streak_freezes, razorpay_key_id, rate_limit ('otp=100/10m,...'), judge "
        "(False: no sandbox), judge_workers. Values may be str, int, bool or paths; None keeps the default. "
        "clock: a clash.FakeClock the engine reads time from (default: the real clock). data_dir defaults "
        "to '<sqlite file>-data' for a SQLite file, else ./clash-data.\n"
        "URLs: sqlite:///abs/path.db, sqlite://relative/path.db, sqlite::memory:, "
        "postgresql://user:pass@host:port/db. Raises InvalidArgumentError for an unknown option, a bad "
        "value or a malformed URL, UnavailableError if the server cannot be reached.");
  m.def(
      "engine_options",
      [] {
        py::list out;
        for (const ConfigOption& o : EngineConfigOptions()) {
          py::dict d;
          d["name"] = o.key;
          d["default"] = o.default_value;
          d["help"] = o.help;
          out.append(d);
        }
        return out;
      },
      "The options open() takes (the same as clash-host's engine options): a list of dicts with name, default "
      "and help.");
}

}  // namespace clash::python
