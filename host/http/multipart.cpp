// multipart/form-data parsing. See multipart.h.
#include "http/multipart.h"

#include <algorithm>
#include <cctype>
#include <optional>
#include <string_view>

namespace clash::host {
namespace {

const Status kMalformed = Status::InvalidArgument("Malformed multipart body.");

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// The value of parameter `name` in a header value such as `form-data; name="a"; filename="b"`.
std::optional<std::string> Param(std::string_view header, std::string_view name) {
  std::size_t at = header.find(';');
  while (at != std::string_view::npos) {
    std::string_view rest = header.substr(at + 1);
    std::size_t eq = rest.find('=');
    if (eq == std::string_view::npos) return std::nullopt;
    std::string key = Lower(Trim(rest.substr(0, eq)));
    rest = rest.substr(eq + 1);
    while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
    std::string value;
    std::size_t consumed = 0;
    if (!rest.empty() && rest.front() == '"') {
      std::size_t i = 1;
      for (; i < rest.size() && rest[i] != '"'; ++i) {
        if (rest[i] == '\\' && i + 1 < rest.size()) ++i;
        value.push_back(rest[i]);
      }
      consumed = std::min(rest.size(), i + 1);
    } else {
      consumed = std::min(rest.find(';'), rest.size());
      value = std::string(Trim(rest.substr(0, consumed)));
    }
    if (key == name) return value;
    std::size_t next = rest.substr(consumed).find(';');
    if (next == std::string_view::npos) return std::nullopt;
    at = static_cast<std::size_t>(rest.data() - header.data()) + consumed + next;
  }
  return std::nullopt;
}

}  // namespace

bool IsMultipart(const HttpRequest& request) {
  std::optional<std::string> ct = request.Header("content-type");
  return ct && Lower(*ct).starts_with("multipart/form-data");
}

Result<FormData> ParseMultipart(const HttpRequest& request) {
  std::optional<std::string> ct = request.Header("content-type");
  if (!ct) return kMalformed;
  std::optional<std::string> boundary = Param(*ct, "boundary");
  if (!boundary || boundary->empty() || boundary->size() > 200) return kMalformed;
  const std::string delim = "--" + *boundary;
  std::string_view body = request.body;
  std::size_t at = body.find(delim);
  if (at == std::string_view::npos) return kMalformed;
  FormData out;
  while (true) {
    at += delim.size();
    if (body.substr(at, 2) == "--") return out;  // closing delimiter
    if (body.substr(at, 2) != "\r\n") return kMalformed;
    at += 2;
    const std::size_t head_end = body.find("\r\n\r\n", at);
    if (head_end == std::string_view::npos) return kMalformed;
    std::string_view head = body.substr(at, head_end - at);
    const std::size_t next = body.find("\r\n" + delim, head_end + 4);
    if (next == std::string_view::npos) return kMalformed;
    std::string_view content = body.substr(head_end + 4, next - head_end - 4);
    std::optional<std::string> disposition, type;
    while (!head.empty()) {
      std::size_t eol = head.find("\r\n");
      std::string_view line = head.substr(0, eol);
      head = eol == std::string_view::npos ? std::string_view() : head.substr(eol + 2);
      std::size_t colon = line.find(':');
      if (colon == std::string_view::npos) return kMalformed;
      std::string name = Lower(Trim(line.substr(0, colon)));
      std::string value(Trim(line.substr(colon + 1)));
      if (name == "content-disposition") disposition = value;
      if (name == "content-type") type = value;
    }
    if (!disposition || !Lower(*disposition).starts_with("form-data")) return kMalformed;
    std::optional<std::string> name = Param(*disposition, "name");
    if (!name || name->empty()) return kMalformed;
    if (std::optional<std::string> filename = Param(*disposition, "filename")) {
      out.files[*name] = FormFile{.filename = *filename, .content_type = type.value_or(""), .bytes = std::string(content)};
    } else {
      out.fields[*name] = std::string(content);
    }
    at = next + 2;
  }
}

}  // namespace clash::host
