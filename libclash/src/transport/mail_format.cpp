#include "transport/mail_format.h"

#include <array>
#include <cstdio>
#include <ctime>

#include "clash/rng.h"

namespace clash::internal {
namespace {

bool HasBreak(std::string_view s) { return s.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos; }

bool IsAscii(std::string_view s) {
  for (unsigned char c : s) {
    if (c >= 0x80) return false;
  }
  return true;
}

std::string Base64(std::string_view in) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    const unsigned v = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8) |
                       static_cast<unsigned char>(in[i + 2]);
    out += {kAlphabet[(v >> 18) & 63], kAlphabet[(v >> 12) & 63], kAlphabet[(v >> 6) & 63], kAlphabet[v & 63]};
  }
  if (i + 1 == in.size()) {
    const unsigned v = static_cast<unsigned char>(in[i]) << 16;
    out += {kAlphabet[(v >> 18) & 63], kAlphabet[(v >> 12) & 63], '=', '='};
  } else if (i + 2 == in.size()) {
    const unsigned v = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8);
    out += {kAlphabet[(v >> 18) & 63], kAlphabet[(v >> 12) & 63], kAlphabet[(v >> 6) & 63], '='};
  }
  return out;
}

// RFC 2047 encoded words (UTF-8, base64), split at character boundaries, folded with CRLF SP.
std::string EncodeWords(std::string_view text) {
  if (IsAscii(text)) return std::string(text);
  std::string out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = std::min(text.size(), start + 39);
    while (end < text.size() && end > start && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
    if (end == start) end = std::min(text.size(), start + 39);
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" + Base64(text.substr(start, end - start)) + "?=";
    start = end;
  }
  return out;
}

// "Name <addr>" with the display name encoded when not ASCII.
std::string EncodeMailbox(std::string_view mailbox) {
  const auto lt = mailbox.find('<');
  if (lt == std::string_view::npos) return std::string(mailbox);
  std::string_view name = mailbox.substr(0, lt);
  while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
  if (name.empty()) return std::string(mailbox.substr(lt));
  return EncodeWords(name) + " " + std::string(mailbox.substr(lt));
}

std::string NormalizeNewlines(std::string_view body) {
  std::string out;
  out.reserve(body.size() + body.size() / 32);
  for (std::size_t i = 0; i < body.size(); ++i) {
    if (body[i] == '\r') {
      out += "\r\n";
      if (i + 1 < body.size() && body[i + 1] == '\n') ++i;
    } else if (body[i] == '\n') {
      out += "\r\n";
    } else {
      out += body[i];
    }
  }
  if (out.size() < 2 || out.compare(out.size() - 2, 2, "\r\n") != 0) out += "\r\n";
  return out;
}

bool NeedsQuotedPrintable(std::string_view crlf_body) {
  if (!IsAscii(crlf_body)) return true;
  std::size_t line_start = 0;
  while (line_start < crlf_body.size()) {
    std::size_t eol = crlf_body.find("\r\n", line_start);
    if (eol == std::string_view::npos) eol = crlf_body.size();
    if (eol - line_start > 998) return true;
    line_start = eol + 2;
  }
  return crlf_body.find('\0') != std::string_view::npos;
}

std::string QuotedPrintable(std::string_view crlf_body) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  std::size_t line_start = 0;
  while (line_start < crlf_body.size()) {
    std::size_t eol = crlf_body.find("\r\n", line_start);
    if (eol == std::string_view::npos) eol = crlf_body.size();
    std::size_t col = 0;
    for (std::size_t i = line_start; i < eol; ++i) {
      const unsigned char c = static_cast<unsigned char>(crlf_body[i]);
      const bool last = i + 1 == eol;
      std::string piece;
      if ((c >= 33 && c <= 126 && c != '=') || ((c == ' ' || c == '\t') && !last)) {
        piece = static_cast<char>(c);
      } else {
        piece = {'=', kHex[c >> 4], kHex[c & 15]};
      }
      if (col + piece.size() > 75) {
        out += "=\r\n";
        col = 0;
      }
      out += piece;
      col += piece.size();
    }
    out += "\r\n";
    line_start = eol + 2;
  }
  return out;
}

std::string Rfc5322Date(Timestamp t) {
  const std::time_t secs = static_cast<std::time_t>(t.unix_seconds());
  std::tm tm{};
  gmtime_r(&secs, &tm);
  std::array<char, 64> buf{};
  std::strftime(buf.data(), buf.size(), "%a, %d %b %Y %H:%M:%S +0000", &tm);
  return buf.data();
}

}  // namespace

std::string AddrSpec(std::string_view mailbox) {
  const auto lt = mailbox.rfind('<');
  const auto gt = mailbox.rfind('>');
  if (lt != std::string_view::npos && gt != std::string_view::npos && gt > lt) {
    return std::string(mailbox.substr(lt + 1, gt - lt - 1));
  }
  while (!mailbox.empty() && mailbox.front() == ' ') mailbox.remove_prefix(1);
  while (!mailbox.empty() && mailbox.back() == ' ') mailbox.remove_suffix(1);
  return std::string(mailbox);
}

Status ValidateMail(const MailMessage& message, std::string_view from) {
  if (HasBreak(from) || HasBreak(message.to) || HasBreak(message.subject)) {
    return Status::InvalidArgument("mail from/to/subject must not contain CR, LF or NUL");
  }
  if (from.empty()) return Status::InvalidArgument("mail has no sender");
  for (std::string_view box : {from, std::string_view(message.to)}) {
    const std::string addr = AddrSpec(box);
    const auto at = addr.find('@');
    if (at == std::string::npos || at == 0 || at + 1 == addr.size() ||
        addr.find_first_of(" <>,;\t") != std::string::npos) {
      return Status::InvalidArgument("not a single mail address: " + std::string(box));
    }
  }
  return Status::Ok();
}

std::string NewMessageId(std::string_view from) {
  const std::string addr = AddrSpec(from);
  const auto at = addr.find('@');
  const std::string domain = at == std::string::npos ? "clash.local" : addr.substr(at + 1);
  return "<" + Rng::Secure().HexToken(16) + "@" + domain + ">";
}

std::string RenderRfc5322(const MailMessage& message, std::string_view from, Timestamp date,
                          std::string_view message_id) {
  const std::string body = NormalizeNewlines(message.text_body);
  const bool qp = NeedsQuotedPrintable(body);
  std::string out;
  out += "Date: " + Rfc5322Date(date) + "\r\n";
  out += "From: " + EncodeMailbox(from) + "\r\n";
  out += "To: " + EncodeMailbox(message.to) + "\r\n";
  out += "Subject: " + EncodeWords(message.subject) + "\r\n";
  out += "Message-ID: " + std::string(message_id) + "\r\n";
  out += "MIME-Version: 1.0\r\n";
  out += "Content-Type: text/plain; charset=UTF-8\r\n";
  out += std::string("Content-Transfer-Encoding: ") + (qp ? "quoted-printable" : "7bit") + "\r\n";
  out += "\r\n";
  out += qp ? QuotedPrintable(body) : body;
  return out;
}

}  // namespace clash::internal
