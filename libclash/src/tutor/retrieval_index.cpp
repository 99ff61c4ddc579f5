// clash::RetrievalIndex: opening (vectors rebuilt from storage), keeping the corpus current (the
// catalogue's LevelIndexer hooks, concept notes, level sync). Searching: retrieval_search.cpp.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "tutor/retrieval_internal.h"

namespace clash {
namespace {

bool SameTexts(const std::vector<IndexedChunk>& stored, const std::vector<Chunk>& chunks, const std::string& embedder) {
  if (stored.size() != chunks.size()) return false;
  for (std::size_t i = 0; i < chunks.size(); ++i) {
    if (!(stored[i].chunk == chunks[i]) || stored[i].embedder != embedder || stored[i].vector.empty()) return false;
  }
  return true;
}

}  // namespace

Status RetrievalIndex::Impl::WriteDocument(StorageTransaction& tx, const tutor::Document& doc) {
  std::vector<Chunk> chunks = tutor::ChunkDocument(doc, chunking());
  CLASH_ASSIGN_OR_RETURN(std::vector<IndexedChunk> stored, tx.retrieval().Document(doc.source_kind, doc.source_id));
  const std::string name = embedder->Name();
  std::map<std::string, const std::vector<float>*> known;  // text -> stored vector of this embedder
  for (const IndexedChunk& s : stored) {
    if (s.embedder == name && !s.vector.empty()) known[s.chunk.text] = &s.vector;
  }
  std::vector<IndexedChunk> rows(chunks.size());
  std::vector<std::string> to_embed;
  std::vector<std::size_t> slots;
  for (std::size_t i = 0; i < chunks.size(); ++i) {
    rows[i].chunk = chunks[i];
    rows[i].seq = static_cast<int>(i);
    auto it = known.find(chunks[i].text);
    if (it != known.end()) {
      rows[i].embedder = name;
      rows[i].vector = *it->second;
    } else {
      to_embed.push_back(chunks[i].text);
      slots.push_back(i);
    }
  }
  if (!to_embed.empty()) {
    Result<std::vector<std::vector<float>>> embedded = embedder->Embed(to_embed);
    if (embedded.ok() && embedded->size() == to_embed.size()) {
      for (std::size_t j = 0; j < slots.size(); ++j) {
        rows[slots[j]].embedder = name;
        rows[slots[j]].vector = std::move((*embedded)[j]);
      }
    } else {
      logger.Warn("retrieval: embedding failed; chunks stored without vectors until the next start",
                  {{"document", doc.source_kind + ":" + doc.source_id},
                   {"error", embedded.ok() ? std::string("wrong count") : std::string(embedded.status().message())}});
    }
  }
  CLASH_RETURN_IF_ERROR(tx.retrieval().ReplaceDocument(doc.source_kind, doc.source_id, rows));
  std::vector<tutor::VectorEntry> entries;
  for (IndexedChunk& r : rows) {
    if (!r.vector.empty()) entries.push_back({std::move(r.chunk), std::move(r.vector)});
  }
  auto shared = std::make_shared<std::vector<tutor::VectorEntry>>(std::move(entries));
  tx.OnCommit([this, kind = doc.source_kind, id = doc.source_id, shared] {
    vectors.ReplaceDocument(kind, id, std::move(*shared));
  });
  return Status::Ok();
}

Status RetrievalIndex::Impl::RemoveDocument(StorageTransaction& tx, const std::string& kind, const std::string& id) {
  CLASH_RETURN_IF_ERROR(tx.retrieval().ReplaceDocument(kind, id, {}));
  tx.OnCommit([this, kind, id] { vectors.ReplaceDocument(kind, id, {}); });
  return Status::Ok();
}

Status RetrievalIndex::Impl::SyncDocument(const tutor::Document& doc) {
  std::vector<Chunk> chunks = tutor::ChunkDocument(doc, chunking());
  bool same = false;
  CLASH_RETURN_IF_ERROR(storage.Read([&](StorageTransaction& tx) -> Status {
    CLASH_ASSIGN_OR_RETURN(std::vector<IndexedChunk> stored, tx.retrieval().Document(doc.source_kind, doc.source_id));
    same = SameTexts(stored, chunks, embedder->Name());
    return Status::Ok();
  }));
  if (same) return Status::Ok();
  return storage.Transact([&](StorageTransaction& tx) { return WriteDocument(tx, doc); });
}

RetrievalIndex::RetrievalIndex(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
RetrievalIndex::~RetrievalIndex() = default;

Result<std::unique_ptr<RetrievalIndex>> RetrievalIndex::Open(Storage& storage, std::shared_ptr<Embedder> embedder,
                                                            Logger& logger, RetrievalOptions options) {
  if (!embedder) return Status::InvalidArgument("retrieval index needs an embedder");
  if (options.candidates < 1 || options.rrf_k < 1 || options.lexical_weight < 0 || options.vector_weight < 0 ||
      options.level_weight < 0 || options.max_per_document < 1 || options.chunk_words < 8 ||
      options.overlap_words < 0 || options.overlap_words * 2 > options.chunk_words) {
    return Status::InvalidArgument("retrieval options out of range");
  }
  std::vector<IndexedChunk> all;
  CLASH_RETURN_IF_ERROR(storage.Read([&](StorageTransaction& tx) -> Status {
    CLASH_ASSIGN_OR_RETURN(all, tx.retrieval().All());
    return Status::Ok();
  }));
  const std::string name = embedder->Name();
  // Vectors of another embedder (or none yet) are recomputed and stored.
  std::vector<std::size_t> stale;
  for (std::size_t i = 0; i < all.size(); ++i) {
    if (all[i].embedder != name || all[i].vector.empty()) stale.push_back(i);
  }
  const std::size_t kBatch = 256;
  for (std::size_t from = 0; from < stale.size(); from += kBatch) {
    std::size_t to = std::min(stale.size(), from + kBatch);
    std::vector<std::string> texts;
    for (std::size_t j = from; j < to; ++j) texts.push_back(all[stale[j]].chunk.text);
    CLASH_ASSIGN_OR_RETURN(std::vector<std::vector<float>> vs, embedder->Embed(texts));
    if (vs.size() != texts.size()) return Status::Internal("embedder returned the wrong number of vectors");
    for (std::size_t j = from; j < to; ++j) {
      all[stale[j]].embedder = name;
      all[stale[j]].vector = std::move(vs[j - from]);
    }
    Status stored = storage.Transact([&](StorageTransaction& tx) -> Status {
      for (std::size_t j = from; j < to; ++j) {
        const IndexedChunk& c = all[stale[j]];
        CLASH_RETURN_IF_ERROR(tx.retrieval().SetVector(c.chunk.id, c.embedder, c.vector));
      }
      return Status::Ok();
    });
    CLASH_RETURN_IF_ERROR(stored);
  }
  if (!stale.empty()) logger.Info("retrieval: vectors recomputed", {{"chunks", static_cast<std::int64_t>(stale.size())}, {"embedder", name}});
  int dims = embedder->Dimensions();
  if (dims <= 0 && !all.empty()) dims = static_cast<int>(all.front().vector.size());
  if (dims <= 0) {
    CLASH_ASSIGN_OR_RETURN(std::vector<std::vector<float>> probe, embedder->Embed({"dimensions"}));
    if (probe.size() != 1 || probe[0].empty()) return Status::Internal("embedder returned no vector");
    dims = static_cast<int>(probe[0].size());
  }
  auto impl = std::make_unique<Impl>(storage, std::move(embedder), logger, options, dims);
  std::vector<tutor::VectorEntry> entries;
  entries.reserve(all.size());
  for (IndexedChunk& c : all) entries.push_back({std::move(c.chunk), std::move(c.vector)});
  impl->vectors.Reset(std::move(entries));
  std::unique_ptr<RetrievalIndex> index(new RetrievalIndex(std::move(impl)));
  CLASH_RETURN_IF_ERROR(index->SyncLevels());
  return index;
}

Status RetrievalIndex::SyncLevels() {
  std::vector<Level> levels;
  std::set<std::string> indexed;
  CLASH_RETURN_IF_ERROR(impl_->storage.Read([&](StorageTransaction& tx) -> Status {
    CLASH_ASSIGN_OR_RETURN(levels, tx.levels().List(/*with_secrets=*/true));
    CLASH_ASSIGN_OR_RETURN(std::vector<IndexedChunk> all, tx.retrieval().All());
    for (const IndexedChunk& c : all) {
      if (c.chunk.source_kind == "level") indexed.insert(c.chunk.source_id);
    }
    return Status::Ok();
  }));
  for (const Level& level : levels) {
    indexed.erase(level.slug);
    CLASH_RETURN_IF_ERROR(impl_->SyncDocument(tutor::LevelDocument(level)));
  }
  for (const std::string& gone : indexed) {
    CLASH_RETURN_IF_ERROR(impl_->storage.Transact(
        [&](StorageTransaction& tx) { return impl_->RemoveDocument(tx, "level", gone); }));
  }
  return Status::Ok();
}

Status RetrievalIndex::IndexNote(std::string_view markdown) {
  CLASH_ASSIGN_OR_RETURN(tutor::Document doc, tutor::ParseNote(markdown));
  return impl_->SyncDocument(doc);
}

Result<int> RetrievalIndex::LoadNotes(const std::string& dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) return Status::InvalidArgument("notes directory not found: " + dir);
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (entry.is_regular_file() && entry.path().extension() == ".md") files.push_back(entry.path());
  }
  if (ec) return Status::Unavailable("cannot list " + dir);
  std::sort(files.begin(), files.end());
  std::vector<tutor::Document> docs;
  for (const auto& path : files) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    Result<tutor::Document> doc = tutor::ParseNote(text.str());
    if (!doc.ok()) return Status::InvalidArgument(path.filename().string() + ": " + std::string(doc.status().message()));
    if (doc->source_id != path.stem().string()) {
      return Status::InvalidArgument(path.filename().string() + ": slug differs from the file name");
    }
    docs.push_back(std::move(*doc));
  }
  std::set<std::string> stored_notes;
  CLASH_RETURN_IF_ERROR(impl_->storage.Read([&](StorageTransaction& tx) -> Status {
    CLASH_ASSIGN_OR_RETURN(std::vector<IndexedChunk> all, tx.retrieval().All());
    for (const IndexedChunk& c : all) {
      if (c.chunk.source_kind == "note") stored_notes.insert(c.chunk.source_id);
    }
    return Status::Ok();
  }));
  for (const tutor::Document& doc : docs) {
    stored_notes.erase(doc.source_id);
    CLASH_RETURN_IF_ERROR(impl_->SyncDocument(doc));
  }
  for (const std::string& gone : stored_notes) {
    CLASH_RETURN_IF_ERROR(impl_->storage.Transact(
        [&](StorageTransaction& tx) { return impl_->RemoveDocument(tx, "note", gone); }));
  }
  return static_cast<int>(docs.size());
}

Status RetrievalIndex::LevelWritten(StorageTransaction& tx, const Level& level) {
  return impl_->WriteDocument(tx, tutor::LevelDocument(level));
}

Status RetrievalIndex::LevelRemoved(StorageTransaction& tx, std::string_view slug) {
  return impl_->RemoveDocument(tx, "level", std::string(slug));
}

std::size_t RetrievalIndex::size() const { return impl_->vectors.size(); }
const Embedder& RetrievalIndex::embedder() const { return *impl_->embedder; }

}  // namespace clash
