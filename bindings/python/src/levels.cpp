// Level, LevelSecrets and read_levels(): plain value types, translated field by field.
#include <pybind11/operators.h>
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "bindings.h"
#include "clash/catalogue.h"
#include "exceptions.h"

namespace py = pybind11;

namespace clash::python {
namespace {

py::dict SecretsToDict(const LevelSecrets& s) {
  py::dict d;
  d["cases_json"] = s.cases_json;
  d["solution"] = s.solution;
  d["hints"] = py::cast(s.hints);
  return d;
}

py::dict LevelToDict(const Level& l) {
  py::dict d;
  d["id"] = l.id;
  d["slug"] = l.slug;
  d["order"] = l.order;
  d["title"] = l.title;
  d["description"] = l.description;
  d["initial_code"] = l.initial_code;
  d["test_code"] = l.test_code;
  d["xp_reward"] = l.xp_reward;
  d["time_limit_seconds"] = l.time_limit_seconds;
  d["target_time_seconds"] = l.target_time_seconds;
  d["stage"] = l.stage;
  d["topics"] = py::cast(l.topics);
  d["created_for_user"] = l.created_for_user ? py::object(py::int_(*l.created_for_user)) : py::object(py::none());
  d["secrets"] = SecretsToDict(l.secrets);
  return d;
}

// Secrets are summarised, never printed, so a repr in a log cannot leak a solution.
std::string SecretsRepr(const LevelSecrets& s) {
  return "LevelSecrets(cases_json=<" + std::to_string(s.cases_json.size()) + " chars>, solution=<" +
         std::to_string(s.solution.size()) + " chars>, hints=<" + std::to_string(s.hints.size()) + ">)";
}

std::string LevelRepr(const Level& l) {
  return "Level(id=" + std::to_string(l.id) + ", slug=" + std::string(py::repr(py::str(l.slug))) +
         ", order=" + std::to_string(l.order) + ", title=" + std::string(py::repr(py::str(l.title))) +
         ", xp_reward=" + std::to_string(l.xp_reward) + ")";
}

template <typename T, typename Class>
void AddValueProtocol(Class& cls) {
  cls.def(py::self == py::self)
      .def("__copy__", [](const T& self) { return T(self); })
      .def("__deepcopy__", [](const T& self, py::dict) { return T(self); }, py::arg("memo"));
}

void RegisterSecrets(py::module_& m) {
  const LevelSecrets defaults;
  py::class_<LevelSecrets> cls(m, "LevelSecrets",
                               "What only the server may see of a level: hidden tests, the reference "
                               "solution and the authored hints.");
  cls.def(py::init([](std::string cases_json, std::string solution, std::vector<std::string> hints) {
            LevelSecrets s;
            s.cases_json = std::move(cases_json);
            s.solution = std::move(solution);
            s.hints = std::move(hints);
            return s;
          }),
          py::kw_only(), py::arg("cases_json") = defaults.cases_json,
          py::arg("solution") = defaults.solution, py::arg("hints") = defaults.hints)
      .def_readwrite("cases_json", &LevelSecrets::cases_json,
                     "Every case as data: a cases.json document (level format 2), public and hidden cases.")
      .def_readwrite("solution", &LevelSecrets::solution, "The reference solution.")
      .def_readwrite("hints", &LevelSecrets::hints,
                     "Authored hints of rising strength (a copy: assign a new list to change them).")
      .def("to_dict", &SecretsToDict, "The fields as a dict.")
      .def("__repr__", &SecretsRepr);
  AddValueProtocol<LevelSecrets>(cls);
}

void RegisterLevel(py::module_& m) {
  const Level defaults;
  py::class_<Level> cls(m, "Level",
                        "A level of the campaign. `secrets` is empty unless the level was read with "
                        "Engine.level_for_judging() or read_levels(). test_code is rendered from the public "
                        "cases when the level is stored or read from its folder.");
  cls.def(py::init([](std::int64_t id, std::string slug, int order, std::string title, std::string description,
                      std::string initial_code, std::string test_code, int xp_reward, int time_limit_seconds,
                      int target_time_seconds, int stage, std::vector<std::string> topics,
                      std::optional<std::int64_t> created_for_user, LevelSecrets secrets) {
            Level l;
            l.id = id;
            l.slug = std::move(slug);
            l.order = order;
            l.title = std::move(title);
            l.description = std::move(description);
            l.initial_code = std::move(initial_code);
            l.test_code = std::move(test_code);
            l.xp_reward = xp_reward;
            l.time_limit_seconds = time_limit_seconds;
            l.target_time_seconds = target_time_seconds;
            l.stage = stage;
            l.topics = std::move(topics);
            l.created_for_user = created_for_user;
            l.secrets = std::move(secrets);
            return l;
          }),
          py::kw_only(), py::arg("id") = defaults.id, py::arg("slug") = defaults.slug,
          py::arg("order") = defaults.order, py::arg("title") = defaults.title,
          py::arg("description") = defaults.description, py::arg("initial_code") = defaults.initial_code,
          py::arg("test_code") = defaults.test_code, py::arg("xp_reward") = defaults.xp_reward,
          py::arg("time_limit_seconds") = defaults.time_limit_seconds,
          py::arg("target_time_seconds") = defaults.target_time_seconds, py::arg("stage") = defaults.stage,
          py::arg("topics") = defaults.topics, py::arg("created_for_user") = py::none(),
          py::arg("secrets") = defaults.secrets)
      .def_readwrite("id", &Level::id, "Assigned by storage on first insert; 0 before.")
      .def_readwrite("slug", &Level::slug, "'python-001'; 1-50 characters of [a-z0-9-].")
      .def_readwrite("order", &Level::order, "Position in the campaign, >= 1.")
      .def_readwrite("title", &Level::title)
      .def_readwrite("description", &Level::description, "The statement, Markdown.")
      .def_readwrite("initial_code", &Level::initial_code, "Starter code shown in the editor.")
      .def_readwrite("test_code", &Level::test_code,
                     "Public sample tests (Python asserts), rendered from the public cases when stored.")
      .def_readwrite("xp_reward", &Level::xp_reward, "XP paid on first completion, >= 0.")
      .def_readwrite("time_limit_seconds", &Level::time_limit_seconds, "CPU seconds of a judged run, 1-30.")
      .def_readwrite("target_time_seconds", &Level::target_time_seconds, "Star threshold.")
      .def_readwrite("stage", &Level::stage, "Campaign stage 1-6; 0: none.")
      .def_readwrite("topics", &Level::topics, "Lower-case tags (a copy: assign a new list to change them).")
      .def_readwrite("created_for_user", &Level::created_for_user,
                     "The user a personalised level belongs to (only they see it), or None.")
      .def_readwrite("secrets", &Level::secrets, "LevelSecrets; empty unless read for judging.")
      .def("to_dict", &LevelToDict, "The fields as a dict, secrets as a nested dict.")
      .def("__repr__", &LevelRepr);
  AddValueProtocol<Level>(cls);
}

void RegisterStanding(py::module_& m) {
  py::class_<LevelStanding>(m, "LevelStanding",
                            "One entry of Engine.campaign_map() (read-only): the level without secrets, "
                            "its state ('LOCKED', 'UNLOCKED' or 'COMPLETED') and stars (0-3).")
      .def_readonly("level", &LevelStanding::level)
      .def_property_readonly("state", [](const LevelStanding& s) { return std::string(LevelStateName(s.state)); })
      .def_readonly("stars", &LevelStanding::stars)
      .def("to_dict",
           [](const LevelStanding& s) {
             py::dict d;
             d["level"] = LevelToDict(s.level);
             d["state"] = std::string(LevelStateName(s.state));
             d["stars"] = s.stars;
             return d;
           },
           "The fields as a dict, the level nested as a dict.")
      .def("__iter__",
           [](const LevelStanding& s) {
             return py::iter(py::make_tuple(s.level, std::string(LevelStateName(s.state)), s.stars));
           },
           "Unpacks as (level, state, stars).")
      .def("__repr__", [](const LevelStanding& s) {
        return "LevelStanding(level=" + LevelRepr(s.level) + ", state=" +
               std::string(py::repr(py::str(std::string(LevelStateName(s.state))))) +
               ", stars=" + std::to_string(s.stars) + ")";
      });
}

}  // namespace

void RegisterLevels(py::module_& m) {
  RegisterSecrets(m);
  RegisterLevel(m);
  RegisterStanding(m);
  m.def(
      "read_levels",
      [](const std::filesystem::path& dir) {
        return Unwrap(WithoutGil([&] { return ReadLevelDirectory(dir.string()); }));
      },
      py::arg("directory"),
      "Parses the level folders (format 2) under `directory` (with their secrets) without touching storage. "
      "Raises InvalidArgumentError naming the file that is wrong.");
}

}  // namespace clash::python
