// host/http/multipart.h — multipart/form-data bodies (RFC 7578): the text fields and the files of
// a form, as the web client's FormData sends them (profile update, posts, store upload).
#pragma once

#include <map>
#include <string>

#include "clash/status.h"
#include "http/http_types.h"

namespace clash::host {

struct FormFile {
  std::string filename;
  std::string content_type;            // the part's declared type ("" if none)
  std::string bytes;
};

struct FormData {
  std::map<std::string, std::string> fields;   // text parts (last one wins)
  std::map<std::string, FormFile> files;       // parts with a filename (last one wins)
};

// True if the request's Content-Type is multipart/form-data.
bool IsMultipart(const HttpRequest& request);

// Parses the request body. InvalidArgument("Malformed multipart body.") for a missing boundary, a
// part without a name, or a body that does not end with the closing boundary.
Result<FormData> ParseMultipart(const HttpRequest& request);

}  // namespace clash::host
