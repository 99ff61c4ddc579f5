// The one place where a clash::Status becomes a Python exception.
//
// Every binding calls the library, then hands the Status or Result<T> to Check()/Unwrap(), which
// raise through ThrowStatus(). The exception classes (clash.Error and one subclass per StatusCode)
// are created by RegisterExceptions() when the module is imported.
//
// All functions here need the GIL.
#pragma once

#include <pybind11/pybind11.h>

#include <utility>

#include "clash/status.h"

namespace clash::python {

// Creates clash.Error and its subclasses and adds them to `m`.
void RegisterExceptions(pybind11::module_& m);

// Raises the Python exception for `status` (precondition: !status.ok()). The exception carries
// .code (StatusCodeName), .details (dict) and .retry_after (int seconds or None).
[[noreturn]] void ThrowStatus(const Status& status);

inline void Check(const Status& status) {
  if (!status.ok()) ThrowStatus(status);
}

template <typename T>
T Unwrap(Result<T>&& result) {
  if (!result.ok()) ThrowStatus(result.status());
  return std::move(result).value();
}

}  // namespace clash::python
