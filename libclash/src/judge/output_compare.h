// Comparing a program's stdout with the expected output of a case.
#pragma once

#include <string>
#include <string_view>

namespace clash::internal {

// Drops trailing spaces, tabs and carriage returns from every line and trailing empty lines.
std::string NormalizeOutput(std::string_view text);

// True if the two texts are equal after NormalizeOutput.
bool OutputMatches(std::string_view actual, std::string_view expected);

// At most `max` bytes of `text`, with "..." appended when cut. Never splits a UTF-8 sequence.
std::string Truncate(std::string_view text, size_t max);
// The last `max` bytes of `text`, with "..." prepended when cut.
std::string Tail(std::string_view text, size_t max);

}  // namespace clash::internal
