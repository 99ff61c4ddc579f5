// Engine.tutor: the AI tutor's retrieval from Python (for authors and notebooks that evaluate
// prompts): search(text, k=5, level_id=None) -> [{id, source_kind, source_id, title, text, score}].
#include <optional>
#include <string>
#include <vector>

#include <pybind11/stl.h>

#include "bindings.h"
#include "clash/engine.h"
#include "engine_handle.h"
#include "exceptions.h"

namespace py = pybind11;

namespace clash::python {
namespace {

struct TutorTag {};
using TutorFacet = Facet<TutorTag>;

py::list Hits(const std::vector<ScoredChunk>& hits) {
  py::list out;
  for (const ScoredChunk& h : hits) {
    py::dict d;
    d["id"] = h.chunk.id;
    d["source_kind"] = h.chunk.source_kind;
    d["source_id"] = h.chunk.source_id;
    d["title"] = h.chunk.title;
    d["text"] = h.chunk.text;
    d["score"] = h.score;
    out.append(std::move(d));
  }
  return out;
}

// Runs one search mode on the engine's index; FailedPrecondition when retrieval is off.
template <typename Fn>
py::list Run(TutorFacet& f, Fn&& fn) {
  return Hits(Unwrap(f.Call([&](Engine& e) -> Result<std::vector<ScoredChunk>> {
    RetrievalIndex* index = e.retrieval();
    if (index == nullptr) return Status::FailedPrecondition("retrieval is off (tutor_embedder=off)");
    return fn(*index);
  })));
}

RetrievalQuery Query(const std::string& text, int k, const std::optional<std::string>& level_id) {
  return RetrievalQuery{.text = text, .k = k, .level_id = level_id.value_or("")};
}

}  // namespace

void RegisterTutor(py::module_& m) {
  py::class_<TutorFacet>(m, "Tutor", "The AI tutor of an engine; get it from Engine.tutor.")
      .def(
          "search",
          [](TutorFacet& f, const std::string& text, int k, const std::optional<std::string>& level_id) {
            return Run(f, [&](RetrievalIndex& i) { return i.Search(Query(text, k, level_id)); });
          },
          py::arg("text"), py::arg("k") = 5, py::arg("level_id") = py::none(),
          "The best chunks of the tutor's corpus (levels' statements, public samples and authored hints; "
          "concept notes) for `text`, best first: a list of dicts {id, source_kind, source_id, title, "
          "text, score}. BM25 and vectors fused; chunks of level `level_id` (a slug) are preferred. "
          "Raises InvalidArgumentError unless 1 <= k <= 50.")
      .def(
          "search_lexical",
          [](TutorFacet& f, const std::string& text, int k) {
            return Run(f, [&](RetrievalIndex& i) { return i.SearchLexical(Query(text, k, std::nullopt)); });
          },
          py::arg("text"), py::arg("k") = 5, "Like search(), BM25 alone (for evaluation).")
      .def(
          "search_vectors",
          [](TutorFacet& f, const std::string& text, int k) {
            return Run(f, [&](RetrievalIndex& i) { return i.SearchVectors(Query(text, k, std::nullopt)); });
          },
          py::arg("text"), py::arg("k") = 5, "Like search(), vectors alone (for evaluation).")
      .def(
          "load_notes",
          [](TutorFacet& f, const std::string& directory) {
            return Unwrap(f.Call([&](Engine& e) -> Result<int> {
              if (e.retrieval() == nullptr) return Status::FailedPrecondition("retrieval is off (tutor_embedder=off)");
              return e.retrieval()->LoadNotes(directory);
            }));
          },
          py::arg("directory"),
          "Indexes the concept notes (<slug>.md) under `directory`, replacing changed ones and removing "
          "notes no longer there; returns how many.")
      .def_property_readonly(
          "embedder",
          [](TutorFacet& f) {
            return Unwrap(f.Call([&](Engine& e) -> Result<std::string> {
              if (e.retrieval() == nullptr) return Status::FailedPrecondition("retrieval is off (tutor_embedder=off)");
              return e.retrieval()->embedder().Name();
            }));
          },
          "The name of the embedder of the index's vectors ('hash-v1', 'openai:<model>').");
}

void AddTutorAccessor(EngineClass& engine) {
  engine.def_property_readonly(
      "tutor", [](const Handle& h) { return TutorFacet{h}; }, "The AI tutor (Tutor): retrieval.");
}

}  // namespace clash::python
