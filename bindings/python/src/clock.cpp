// FakeClock: a clock that stands still until advanced, for tests of time rules (check-in streaks,
// freezes, token expiry). Pass it to clash.open(url, clock=...).
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "bindings.h"
#include "clash/clock.h"
#include "values.h"

namespace py = pybind11;

namespace clash::python {

void RegisterClock(py::module_& m) {
  py::class_<FakeClock, std::shared_ptr<FakeClock>>(
      m, "FakeClock",
      "A clock that stands still until advance() or set() is called. Give it to clash.open(url, clock=...) "
      "to control every time rule of that engine (dates of check-ins, token and OTP expiry).")
      .def(py::init([](const py::object& start) {
             if (start.is_none()) return std::make_shared<FakeClock>();
             return std::make_shared<FakeClock>(FromDatetime(start));
           }),
           py::arg("start") = py::none(), "start: a datetime (naive = UTC); default 2023-11-14 22:13:20 UTC.")
      .def(
          "now", [](const FakeClock& c) { return ToDatetime(c.Now()); }, "The current time (aware, UTC).")
      .def(
          "advance",
          [](FakeClock& c, const py::object& by) {
            std::int64_t micros = 0;
            if (py::hasattr(by, "total_seconds")) {  // datetime.timedelta
              micros = (py::cast<std::int64_t>(by.attr("days")) * 86'400 + py::cast<std::int64_t>(by.attr("seconds"))) *
                           1'000'000 +
                       py::cast<std::int64_t>(by.attr("microseconds"));
            } else {
              micros = static_cast<std::int64_t>(py::cast<double>(by) * 1e6);
            }
            c.Advance(std::chrono::microseconds(micros));
          },
          py::arg("by"), "Moves the clock forward (or back) by a timedelta or a number of seconds.")
      .def(
          "set", [](FakeClock& c, const py::object& when) { c.Set(FromDatetime(when)); }, py::arg("when"),
          "Sets the clock to a datetime (naive = UTC).")
      .def("__repr__",
           [](const FakeClock& c) { return "FakeClock(" + std::string(py::repr(ToDatetime(c.Now()))) + ")"; });
}

}  // namespace clash::python
