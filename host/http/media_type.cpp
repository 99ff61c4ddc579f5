#include "http/media_type.h"

namespace clash::host {
namespace {

bool IsTchar(char c) {
  if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool IsOws(char c) { return c == ' ' || c == '\t'; }

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  return out;
}

class Cursor {
 public:
  explicit Cursor(std::string_view s) : s_(s) {}
  bool done() const { return p_ >= s_.size(); }
  char peek() const { return s_[p_]; }
  void SkipOws() {
    while (!done() && IsOws(peek())) ++p_;
  }
  bool Eat(char c) {
    if (done() || peek() != c) return false;
    ++p_;
    return true;
  }
  std::string_view Token() {
    std::size_t start = p_;
    while (!done() && IsTchar(peek())) ++p_;
    return s_.substr(start, p_ - start);
  }
  // quoted-string with quoted-pairs; nullopt if unterminated or holding a control character.
  std::optional<std::string> Quoted() {
    std::string out;
    ++p_;  // the opening quote
    while (!done()) {
      char c = s_[p_++];
      if (c == '"') return out;
      if (c == '\\') {
        if (done()) return std::nullopt;
        c = s_[p_++];
      }
      if ((static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == 0x7f) return std::nullopt;
      out.push_back(c);
    }
    return std::nullopt;
  }

 private:
  std::string_view s_;
  std::size_t p_ = 0;
};

}  // namespace

std::optional<MediaType> ParseMediaType(std::string_view text) {
  Cursor in(text);
  in.SkipOws();
  MediaType m;
  std::string_view type = in.Token();
  if (type.empty() || !in.Eat('/')) return std::nullopt;
  std::string_view subtype = in.Token();
  if (subtype.empty()) return std::nullopt;
  m.type = Lower(type);
  m.subtype = Lower(subtype);
  for (;;) {
    in.SkipOws();
    if (in.done()) return m;
    if (!in.Eat(';')) return std::nullopt;
    in.SkipOws();
    if (in.done() || in.peek() == ';') continue;  // empty parameter
    std::string_view name = in.Token();
    if (name.empty() || !in.Eat('=') || in.done()) return std::nullopt;
    std::string value;
    if (in.peek() == '"') {
      std::optional<std::string> quoted = in.Quoted();
      if (!quoted) return std::nullopt;
      value = std::move(*quoted);
    } else {
      std::string_view token = in.Token();
      if (token.empty()) return std::nullopt;
      value = std::string(token);
    }
    m.parameters.emplace_back(Lower(name), std::move(value));
  }
}

bool IsJsonMediaType(std::string_view content_type) {
  std::optional<MediaType> m = ParseMediaType(content_type);
  return m && m->type == "application" && m->subtype == "json";
}

}  // namespace clash::host
