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
#include "clash/engine.h"
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

// The economy's options of open(); None keeps the library's default.
struct EconomyArgs {
  std::optional<std::string> time_zone;
  std::optional<int> max_streak_freezes;
  std::optional<std::string> razorpay_key_id, razorpay_key_secret, razorpay_webhook_secret, razorpay_api_base;
};

Handle Open(const std::string& url, const std::optional<std::filesystem::path>& data_dir,
            const std::optional<std::string>& secret_key, const std::shared_ptr<FakeClock>& clock,
            const EconomyArgs& economy) {
  EngineOptions options;
  options.storage_url = url;
  options.data_dir = (data_dir ? *data_dir : DefaultDataDir(url)).string();
  if (secret_key) {
    // An empty key would silently mean "read or create secret.key"; refuse it instead.
    if (secret_key->empty()) ThrowStatus(Status::InvalidArgument("secret_key must not be empty"));
    options.auth.secret_key = *secret_key;
  }
  if (clock) options.clock = clock.get();
  if (economy.time_zone) {
    options.check_in.time_zone = Unwrap(WithoutGil([&] { return TimeZone::Load(*economy.time_zone); }));
  }
  if (economy.max_streak_freezes) {
    if (*economy.max_streak_freezes < 0) ThrowStatus(Status::InvalidArgument("max_streak_freezes must be >= 0"));
    options.check_in.max_freezes = *economy.max_streak_freezes;
  }
  if (economy.razorpay_key_id) options.razorpay.key_id = *economy.razorpay_key_id;
  if (economy.razorpay_key_secret) options.razorpay.key_secret = *economy.razorpay_key_secret;
  if (economy.razorpay_webhook_secret) options.razorpay.webhook_secret = *economy.razorpay_webhook_secret;
  if (economy.razorpay_api_base) options.razorpay.api_base = *economy.razorpay_api_base;
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
  AddShopAccessors(engine);
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

  m.def(
      "open",
      [](const std::string& url, const std::optional<std::filesystem::path>& data_dir,
         const std::optional<std::string>& secret_key, const std::shared_ptr<FakeClock>& clock,
         std::optional<std::string> time_zone, std::optional<int> max_streak_freezes,
         std::optional<std::string> razorpay_key_id, std::optional<std::string> razorpay_key_secret,
         std::optional<std::string> razorpay_webhook_secret, std::optional<std::string> razorpay_api_base) {
        EconomyArgs economy{std::move(time_zone), max_streak_freezes, std::move(razorpay_key_id),
                            std::move(razorpay_key_secret), std::move(razorpay_webhook_secret),
                            std::move(razorpay_api_base)};
        return Open(url, data_dir, secret_key, clock, economy);
      },
      py::arg("url"), py::kw_only(), py::arg("data_dir") = py::none(), py::arg("secret_key") = py::none(),
      py::arg("clock") = py::none(), py::arg("time_zone") = py::none(), py::arg("max_streak_freezes") = py::none(),
      py::arg("razorpay_key_id") = py::none(), py::arg("razorpay_key_secret") = py::none(),
      py::arg("razorpay_webhook_secret") = py::none(), py::arg("razorpay_api_base") = py::none(),
        "Opens storage at `url` (applying migrations) and returns an Engine.\n"
        "data_dir: where token keys (keys/), secret.key and the mail outbox (outbox/) are kept; default "
        "'<sqlite file>-data' for a SQLite file, else ./clash-data. secret_key: the key of OTP hashes "
        "(>= 32 characters); default: read or create <data_dir>/secret.key.\n"
        "clock: a clash.FakeClock the engine reads time from (default: the real clock). time_zone: the "
        "zone of check-in dates ('Asia/Kolkata', 'UTC', '+05:30'; default UTC); max_streak_freezes: "
        "freezes a player can hold (default 2). razorpay_key_id/_key_secret/_webhook_secret/_api_base: "
        "Razorpay (without keys the payment calls raise UnavailableError).\n"
        "URLs: sqlite:///abs/path.db, sqlite://relative/path.db, sqlite::memory:, "
        "postgresql://user:pass@host:port/db. Raises InvalidArgumentError for a malformed URL, "
        "UnavailableError if the server cannot be reached.");
}

}  // namespace clash::python
