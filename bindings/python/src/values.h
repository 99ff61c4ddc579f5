// Read-only Python classes for the library's value structs, declared field by field, plus the
// conversions of time values they share (Timestamp -> aware datetime in UTC, CivilDate -> date).
//
//   ValueClass<LedgerEntry>(m, "LedgerEntry", "One XP change.")
//       .Field("id", [](const LedgerEntry& e) { return e.id; })
//       .Field("created_at", [](const LedgerEntry& e) { return ToDatetime(e.created_at); });
// Every class gets to_dict() (nested values as dicts, lists as lists), a repr of its fields, and ==
// comparing the fields (objects of another class compare unequal; instances are unhashable).
#pragma once

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "clash/clock.h"
#include "clash/timezone.h"

namespace clash::python {

// A timezone-aware datetime in UTC, exact to the microsecond.
pybind11::object ToDatetime(Timestamp t);
// datetime.date.
pybind11::object ToDate(const CivilDate& d);
// The inverse of ToDatetime: an aware datetime (naive ones are taken as UTC).
Timestamp FromDatetime(const pybind11::handle& datetime);

// `value` with every object that has to_dict() replaced by its dict (recursively through lists).
pybind11::object ToPlain(const pybind11::handle& value);

template <typename T>
class ValueClass {
 public:
  ValueClass(pybind11::module_& m, const char* name, const char* doc)
      : cls_(m, name, doc), fields_(std::make_shared<std::vector<std::string>>()) {
    auto fields = fields_;
    std::string type_name = name;
    cls_.def(
        "to_dict",
        [fields](const pybind11::object& self) {
          pybind11::dict d;
          for (const std::string& f : *fields) d[pybind11::str(f)] = ToPlain(self.attr(f.c_str()));
          return d;
        },
        "The fields as a dict (nested values as dicts).");
    cls_.def("__eq__", [](const pybind11::object& self, const pybind11::object& other) -> pybind11::object {
      if (!pybind11::type::of(self).is(pybind11::type::of(other)))
        return pybind11::reinterpret_borrow<pybind11::object>(Py_NotImplemented);
      return pybind11::bool_(self.attr("to_dict")().equal(other.attr("to_dict")()));
    });
    cls_.attr("__hash__") = pybind11::none();
    cls_.def("__repr__", [fields, type_name](const pybind11::object& self) {
      std::string out = type_name + "(";
      for (std::size_t i = 0; i < fields->size(); ++i) {
        if (i > 0) out += ", ";
        out += (*fields)[i] + "=" + std::string(pybind11::repr(self.attr((*fields)[i].c_str())));
      }
      return out + ")";
    });
  }

  template <typename Getter>
  ValueClass& Field(const char* field, Getter&& getter, const char* doc = "") {
    cls_.def_property_readonly(field, std::forward<Getter>(getter), doc);
    fields_->push_back(field);
    return *this;
  }

 private:
  pybind11::class_<T> cls_;
  std::shared_ptr<std::vector<std::string>> fields_;
};

}  // namespace clash::python
