#include "transport/tls_context.h"

#include <Poco/Exception.h>
#include <Poco/Net/RejectCertificateHandler.h>
#include <Poco/Net/SSLManager.h>

#include <exception>
#include <filesystem>
#include <mutex>

namespace clash::internal {

void EnsureSslInitialized() {
  static std::once_flag once;
  std::call_once(once, [] { Poco::Net::initializeSSL(); });
}

Result<Poco::Net::Context::Ptr> NewClientTlsContext(const std::string& ca_file, bool use_system_ca) {
  EnsureSslInitialized();
  if (!ca_file.empty()) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(ca_file, ec)) {
      return Status::InvalidArgument("TLS CA file not found: " + ca_file);
    }
  }
  try {
    Poco::Net::Context::Params params;
    params.caLocation = ca_file;
    params.verificationMode = Poco::Net::Context::VERIFY_STRICT;
    params.verificationDepth = 9;
    params.loadDefaultCAs = use_system_ca;
    params.cipherList = "HIGH:!aNULL:!MD5:!RC4";
    Poco::Net::Context::Ptr ctx = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, params);
    ctx->requireMinimumProtocol(Poco::Net::Context::PROTO_TLSV1_2);
    ctx->enableExtendedCertificateVerification(true);
    ctx->setInvalidCertificateHandler(new Poco::Net::RejectCertificateHandler(false));
    return ctx;
  } catch (const Poco::Exception& e) {
    return Status::InvalidArgument("cannot set up TLS: " + e.displayText());
  } catch (const std::exception& e) {
    return Status::InvalidArgument(std::string("cannot set up TLS: ") + e.what());
  }
}

std::string DescribeException() {
  try {
    throw;
  } catch (const Poco::Exception& e) {
    return e.displayText();
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
    return "unknown error";
  }
}

}  // namespace clash::internal
