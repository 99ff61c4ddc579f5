// The _clash extension module. The package `clash` (clash/__init__.py) re-exports it.
#include <pybind11/pybind11.h>

#include "bindings.h"
#include "exceptions.h"

namespace py = pybind11;

PYBIND11_MODULE(_clash, m) {
  m.doc() = "Native part of the clash package; import `clash` instead.";
  m.attr("__version__") = CLASH_VERSION_STRING;
#if CLASH_BINDINGS_WITH_POSTGRES
  m.attr("BACKENDS") = py::make_tuple("sqlite", "postgresql");
#else
  m.attr("BACKENDS") = py::make_tuple("sqlite");
#endif
  clash::python::RegisterExceptions(m);
  clash::python::RegisterLevels(m);
  clash::python::RegisterAuth(m);
  clash::python::RegisterClock(m);
  clash::python::RegisterEconomy(m);
  clash::python::RegisterShop(m);
  clash::python::RegisterCampaign(m);
  clash::python::RegisterChat(m);
  clash::python::RegisterRating(m);
  clash::python::RegisterAdmin(m);
  clash::python::RegisterTutor(m);
  clash::python::RegisterEngine(m);
  clash::python::RegisterCampaignFunctions(m);
  clash::python::RegisterJudge(m);
}
