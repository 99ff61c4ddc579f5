// Status -> Python exception. See exceptions.h.
#include "exceptions.h"

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <variant>

namespace py = pybind11;

namespace clash::python {
namespace {

struct ErrorClass {
  StatusCode code;
  const char* name;      // the class name in module `clash`
  PyObject* extra_base;  // a builtin exception the class also derives from, or nullptr
  const char* doc;
};

// kDeadlineExceeded is the last code: a new StatusCode must get a class below (and in docs/python.md).
static_assert(static_cast<int>(StatusCode::kDeadlineExceeded) == 13, "map the new StatusCode to a class");

// Every non-OK StatusCode.
std::array<ErrorClass, 13> ErrorClasses() {
  return {{
      {StatusCode::kInvalidArgument, "InvalidArgumentError", PyExc_ValueError,
       "The request is malformed or a value is out of range."},
      {StatusCode::kUnauthenticated, "UnauthenticatedError", nullptr, "No valid credentials."},
      {StatusCode::kInsufficientFunds, "InsufficientFundsError", nullptr,
       "Not enough XP for a spend; .details holds current_xp and shortage when known."},
      {StatusCode::kPermissionDenied, "PermissionDeniedError", nullptr, "Authenticated but not allowed."},
      {StatusCode::kNotFound, "NotFoundError", PyExc_LookupError, "The named thing does not exist."},
      {StatusCode::kAlreadyExists, "AlreadyExistsError", nullptr, "A create collided with an existing thing."},
      {StatusCode::kFailedPrecondition, "FailedPreconditionError", nullptr,
       "The system is not in a state where the call can run."},
      {StatusCode::kAborted, "AbortedError", nullptr, "A concurrent change won; the call may be retried."},
      {StatusCode::kPayloadTooLarge, "PayloadTooLargeError", nullptr, "An input exceeds a size limit."},
      {StatusCode::kResourceExhausted, "ResourceExhaustedError", nullptr,
       "A rate limit or quota was hit; see .retry_after."},
      {StatusCode::kInternal, "InternalError", nullptr, "A bug or an unexpected backend failure."},
      {StatusCode::kUnavailable, "UnavailableError", nullptr,
       "A dependency is down or a queue is full; retry later (see .retry_after)."},
      {StatusCode::kDeadlineExceeded, "DeadlineExceededError", nullptr, "The operation ran out of time."},
  }};
}

// Class objects indexed by StatusCode value; they live as long as the process (never released, so
// no Python object is touched during static destruction).
std::array<PyObject*, 14> g_classes{};

PyObject* ClassFor(StatusCode code) {
  auto index = static_cast<std::size_t>(code);
  if (index < g_classes.size() && g_classes[index] != nullptr) return g_classes[index];
  return g_classes[static_cast<std::size_t>(StatusCode::kInternal)];
}

py::object NewClass(const char* name, py::tuple bases, const char* doc, py::dict attrs) {
  std::string qualified = std::string("clash.") + name;
  PyObject* cls = PyErr_NewExceptionWithDoc(qualified.c_str(), doc, bases.ptr(), attrs.ptr());
  if (cls == nullptr) throw py::error_already_set();
  return py::reinterpret_steal<py::object>(cls);
}

}  // namespace

void RegisterExceptions(py::module_& m) {
  py::dict base_attrs;
  base_attrs["code"] = "unknown";
  // A read-only empty mapping for instances created in Python; the library's errors carry a dict.
  base_attrs["details"] = py::module_::import("types").attr("MappingProxyType")(py::dict());
  base_attrs["retry_after"] = py::none();
  py::object error = NewClass(
      "Error", py::make_tuple(py::handle(PyExc_Exception)),
      "Base class of every error raised by clash. Attributes: code (str, e.g. 'not_found'), "
      "details (dict of extra fields), retry_after (seconds or None).",
      base_attrs);
  m.attr("Error") = error;
  g_classes[static_cast<std::size_t>(StatusCode::kInternal)] = error.inc_ref().ptr();

  for (const ErrorClass& c : ErrorClasses()) {
    py::dict attrs;
    attrs["code"] = py::str(std::string(StatusCodeName(c.code)));
    py::tuple bases = c.extra_base ? py::make_tuple(error, py::handle(c.extra_base)) : py::make_tuple(error);
    py::object cls = NewClass(c.name, bases, c.doc, attrs);
    m.attr(c.name) = cls;
    g_classes[static_cast<std::size_t>(c.code)] = cls.inc_ref().ptr();
  }
}

void ThrowStatus(const Status& status) {
  py::handle cls = ClassFor(status.code());
  py::dict details;
  for (const StatusDetail& d : status.details()) {
    details[py::str(d.key)] = std::visit([](const auto& v) { return py::cast(v); }, d.value);
  }
  py::object exc = cls(py::str(status.message()));
  exc.attr("code") = py::str(std::string(StatusCodeName(status.code())));
  exc.attr("details") = details;
  std::optional<int> retry_after = status.retry_after_seconds();
  exc.attr("retry_after") = retry_after ? py::object(py::int_(*retry_after)) : py::object(py::none());
  PyErr_SetObject(cls.ptr(), exc.ptr());
  throw py::error_already_set();
}

}  // namespace clash::python
