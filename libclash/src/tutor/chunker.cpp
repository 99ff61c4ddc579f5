// Cutting levels and concept notes into overlapping chunks (chunker.h).
#include "tutor/chunker.h"

#include <algorithm>
#include <sstream>

namespace clash::tutor {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r'; }

// The [begin, end) byte ranges of the whitespace-separated words of `text`.
std::vector<std::pair<std::size_t, std::size_t>> Words(std::string_view text) {
  std::vector<std::pair<std::size_t, std::size_t>> words;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && IsSpace(text[i])) ++i;
    std::size_t begin = i;
    while (i < text.size() && !IsSpace(text[i])) ++i;
    if (i > begin) words.emplace_back(begin, i);
  }
  return words;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// "[a, b, c]" -> "a, b, c".
std::string ListValue(std::string_view value) {
  value = Trim(value);
  if (value.size() >= 2 && value.front() == '[' && value.back() == ']') value = value.substr(1, value.size() - 2);
  return std::string(Trim(value));
}

}  // namespace

Document LevelDocument(const Level& level) {
  Document doc;
  doc.source_kind = "level";
  doc.source_id = level.slug;
  doc.title = level.title;
  doc.context = "Level " + level.slug + " · " + level.title;
  std::string statement = level.description;
  if (!level.topics.empty()) {
    statement += "\nTopics:";
    for (std::size_t i = 0; i < level.topics.size(); ++i) statement += (i ? ", " : " ") + level.topics[i];
  }
  doc.sections.push_back({"Statement", statement});
  if (!level.test_code.empty()) doc.sections.push_back({"Public samples", level.test_code});
  for (std::size_t i = 0; i < level.secrets.hints.size(); ++i) {
    doc.sections.push_back({"Hint " + std::to_string(i + 1), level.secrets.hints[i]});
  }
  return doc;
}

Result<Document> ParseNote(std::string_view markdown) {
  std::istringstream in{std::string(markdown)};
  std::string line;
  if (!std::getline(in, line) || Trim(line) != "---") return Status::InvalidArgument("note: no front matter");
  Document doc;
  doc.source_kind = "note";
  std::string topics, levels;
  bool closed = false;
  while (std::getline(in, line)) {
    if (Trim(line) == "---") {
      closed = true;
      break;
    }
    std::size_t colon = line.find(':');
    if (colon == std::string::npos) return Status::InvalidArgument("note: malformed front matter line: " + line);
    std::string key(Trim(std::string_view(line).substr(0, colon)));
    std::string value(Trim(std::string_view(line).substr(colon + 1)));
    if (key == "slug") doc.source_id = value;
    if (key == "title") {
      if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
      doc.title = value;
    }
    if (key == "topics") topics = ListValue(value);
    if (key == "levels") levels = ListValue(value);
  }
  if (!closed) return Status::InvalidArgument("note: front matter is not closed");
  if (doc.source_id.empty() || doc.title.empty()) return Status::InvalidArgument("note: slug and title are required");
  for (char c : doc.source_id) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
      return Status::InvalidArgument("note: slug must be lower-case words joined by '-': " + doc.source_id);
    }
  }
  doc.context = "Note · " + doc.title;
  Section current{"Overview", ""};
  if (!topics.empty()) current.text += "Topics: " + topics + "\n";
  if (!levels.empty()) current.text += "Levels: " + levels + "\n";
  while (std::getline(in, line)) {
    if (line.rfind("## ", 0) == 0) {
      if (!Trim(current.text).empty()) doc.sections.push_back(std::move(current));
      current = Section{std::string(Trim(std::string_view(line).substr(3))), ""};
    } else if (line.rfind("# ", 0) == 0) {
      continue;  // the title, already in the context line
    } else {
      current.text += line + "\n";
    }
  }
  if (!Trim(current.text).empty()) doc.sections.push_back(std::move(current));
  return doc;
}

std::vector<Chunk> ChunkDocument(const Document& doc, const ChunkingOptions& options) {
  const std::size_t size = static_cast<std::size_t>(std::max(options.chunk_words, 8));
  const std::size_t overlap = static_cast<std::size_t>(std::clamp(options.overlap_words, 0, options.chunk_words / 2));
  std::vector<Chunk> chunks;
  for (const Section& section : doc.sections) {
    std::vector<std::pair<std::size_t, std::size_t>> words = Words(section.text);
    if (words.empty()) continue;
    std::string head = doc.context + " · " + section.heading + "\n";
    for (std::size_t start = 0;; start += size - overlap) {
      std::size_t end = std::min(words.size(), start + size);
      Chunk c;
      c.id = doc.source_kind + ":" + doc.source_id + "#" + std::to_string(chunks.size());
      c.source_kind = doc.source_kind;
      c.source_id = doc.source_id;
      c.title = doc.title;
      // The original text of the words (line breaks of code kept).
      c.text = head + section.text.substr(words[start].first, words[end - 1].second - words[start].first);
      chunks.push_back(std::move(c));
      if (end == words.size()) break;
    }
  }
  return chunks;
}

}  // namespace clash::tutor
