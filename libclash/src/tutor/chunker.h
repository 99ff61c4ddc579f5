// Internal to the tutor module: the retrieval corpus cut into chunks. A document (a level or a
// concept note) is a list of sections; each section is cut into windows of `chunk_words` words
// that share `overlap_words` with their neighbour, and each chunk starts with a context line
// naming its document and section (so a chunk read alone says where it comes from).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "clash/catalogue.h"
#include "clash/retrieval.h"
#include "clash/status.h"

namespace clash::tutor {

struct Section {
  std::string heading;  // "Statement", "Public samples", "Hint 1", "Example", ...
  std::string text;
};

struct Document {
  std::string source_kind;  // "level" or "note"
  std::string source_id;    // level slug or note slug
  std::string title;
  std::string context;      // the context line's document part: "Level python-001 · Greeting"
  std::vector<Section> sections;
};

struct ChunkingOptions {
  int chunk_words = 90;
  int overlap_words = 25;
};

// The corpus document of a level: its statement (with its topics), its public samples (the
// rendered public asserts, test_code) and its authored hints. Never the hidden cases or the
// reference solution.
Document LevelDocument(const Level& level);

// A concept note (docs/tutor-corpus.md): front matter, `# Title`, `## Section`s. InvalidArgument
// for a missing or malformed front matter.
Result<Document> ParseNote(std::string_view markdown);

// The chunks of `doc`, ids "<kind>:<id>#<n>" numbered from 0 in document order.
std::vector<Chunk> ChunkDocument(const Document& doc, const ChunkingOptions& options);

}  // namespace clash::tutor
