// Time conversions and to_dict() support shared by the value classes. See values.h.
#include "values.h"

#include <cstdint>

namespace py = pybind11;

namespace clash::python {

py::object ToDatetime(Timestamp t) {
  py::module_ dt = py::module_::import("datetime");
  py::object utc = dt.attr("timezone").attr("utc");
  py::object epoch = dt.attr("datetime")(1970, 1, 1, py::arg("tzinfo") = utc);
  return epoch + dt.attr("timedelta")(py::arg("microseconds") = t.unix_micros());
}

py::object ToDate(const CivilDate& d) {
  return py::module_::import("datetime").attr("date")(d.year, d.month, d.day);
}

Timestamp FromDatetime(const py::handle& value) {
  py::module_ dt = py::module_::import("datetime");
  py::object utc = dt.attr("timezone").attr("utc");
  py::object when = py::reinterpret_borrow<py::object>(value);
  if (when.attr("tzinfo").is_none()) when = when.attr("replace")(py::arg("tzinfo") = utc);
  py::object epoch = dt.attr("datetime")(1970, 1, 1, py::arg("tzinfo") = utc);
  py::object delta = when - epoch;
  std::int64_t micros = (py::cast<std::int64_t>(delta.attr("days")) * 86'400 +
                         py::cast<std::int64_t>(delta.attr("seconds"))) *
                            1'000'000 +
                        py::cast<std::int64_t>(delta.attr("microseconds"));
  return Timestamp::FromUnixMicros(micros);
}

py::object ToPlain(const py::handle& value) {
  if (py::isinstance<py::list>(value) || py::isinstance<py::tuple>(value)) {
    py::list out;
    for (py::handle item : value) out.append(ToPlain(item));
    return out;
  }
  if (py::hasattr(value, "to_dict")) return value.attr("to_dict")();
  return py::reinterpret_borrow<py::object>(value);
}

}  // namespace clash::python
