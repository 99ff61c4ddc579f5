// Shared TLS set-up for the Poco-based transports.
#pragma once

#include <Poco/Net/Context.h>

#include <string>

#include "clash/status.h"

namespace clash::internal {

// Initialises Poco's SSL layer once per process (never uninitialised).
void EnsureSslInitialized();

// A client context that verifies the peer's chain and host name (VERIFY_STRICT, so even localhost
// names are checked), trusting `ca_file` (PEM, may be empty) and, if `use_system_ca`, the system store.
// Rejects invalid certificates without consulting SSLManager's global configuration.
// Returns InvalidArgument if the CA file cannot be loaded.
Result<Poco::Net::Context::Ptr> NewClientTlsContext(const std::string& ca_file, bool use_system_ca);

// The text of the exception being handled; call only inside a catch block.
std::string DescribeException();

}  // namespace clash::internal
