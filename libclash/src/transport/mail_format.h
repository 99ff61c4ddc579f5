// RFC 5322 rendering and header-injection checks shared by the file outbox and the SMTP mailer.
#pragma once

#include <string>
#include <string_view>

#include "clash/clock.h"
#include "clash/status.h"
#include "clash/transport.h"

namespace clash::internal {

// Returns InvalidArgument if from/to/subject contain CR, LF or NUL, or an address has no '@'.
// `from` is the effective sender (the message's, or the mailer's default).
Status ValidateMail(const MailMessage& message, std::string_view from);

// The bare address of "Name <user@host>" or "user@host".
std::string AddrSpec(std::string_view mailbox);

// The complete message (headers, blank line, body) with CRLF line endings, not dot-stuffed.
std::string RenderRfc5322(const MailMessage& message, std::string_view from, Timestamp date,
                          std::string_view message_id);

// "<32 hex chars@domain-of-from>".
std::string NewMessageId(std::string_view from);

}  // namespace clash::internal
