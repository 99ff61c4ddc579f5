// clash.rating: Weng-Lin (OpenSkill, Plackett-Luce) ratings for free-for-all matches (clash/rating.h).
#include <pybind11/operators.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <string>
#include <utility>
#include <vector>

#include "bindings.h"
#include "clash/rating.h"
#include "exceptions.h"

namespace py = pybind11;

namespace clash::python {
namespace {

// A Rating, or a (mu, sigma) pair.
Rating ToRating(const py::handle& item) {
  if (py::isinstance<Rating>(item)) return item.cast<Rating>();
  auto pair = item.cast<std::pair<double, double>>();
  return Rating{pair.first, pair.second};
}

std::string Repr(const Rating& r) {
  return "Rating(mu=" + std::string(py::repr(py::float_(r.mu))) + ", sigma=" + std::string(py::repr(py::float_(r.sigma))) +
         ")";
}

}  // namespace

void RegisterRating(py::module_& m) {
  py::module_ sub = m.def_submodule("rating", "Weng-Lin (OpenSkill) ratings, Plackett-Luce model, free-for-all.");
  py::class_<Rating>(sub, "Rating", "A player's skill belief: mean mu and deviation sigma.")
      .def(py::init([](double mu, double sigma) { return Rating{mu, sigma}; }), py::arg("mu") = 25.0,
           py::arg("sigma") = 25.0 / 3.0)
      .def_readwrite("mu", &Rating::mu)
      .def_readwrite("sigma", &Rating::sigma)
      .def(
          "ordinal", [](const Rating& r, double z) { return r.mu - z * r.sigma; }, py::arg("z") = 3.0,
          "The display value mu - z*sigma.")
      .def(py::self == py::self)
      .def("__iter__", [](const Rating& r) { return py::iter(py::make_tuple(r.mu, r.sigma)); })
      .def("__repr__", &Repr);
  sub.def(
      "rate",
      [](const py::sequence& ratings, const std::vector<int>& ranks, double mu, double sigma, double beta, double kappa,
         double tau, bool limit_sigma) {
        std::vector<Rating> players;
        players.reserve(ratings.size());
        for (const py::handle& item : ratings) players.push_back(ToRating(item));
        RatingOptions options;
        options.mu = mu;
        options.sigma = sigma;
        options.beta = beta;
        options.kappa = kappa;
        options.tau = tau;
        options.limit_sigma = limit_sigma;
        return Unwrap(Rate(players, ranks, options));
      },
      py::arg("ratings"), py::arg("ranks"), py::kw_only(), py::arg("mu") = 25.0, py::arg("sigma") = 25.0 / 3.0,
      py::arg("beta") = 25.0 / 6.0, py::arg("kappa") = 1e-4, py::arg("tau") = 25.0 / 300.0,
      py::arg("limit_sigma") = false,
      "New ratings after one free-for-all match: ratings[i] (a Rating or a (mu, sigma) pair) finished with "
      "ranks[i] (lower is better, equal ranks tie). Returns a list of Rating in the same order. Raises "
      "InvalidArgumentError for 2 > len > 256, different lengths, a non-finite mu, a sigma <= 0 or a bad option.");
  sub.def(
      "ordinal",
      [](const py::handle& rating, double z) {
        RatingOptions options;
        options.z = z;
        return Ordinal(ToRating(rating), options);
      },
      py::arg("rating"), py::arg("z") = 3.0, "mu - z*sigma of a Rating or (mu, sigma) pair.");
}

}  // namespace clash::python
