// A stand-in for `clash-host serve --enable-test-routes` that serves only GET /ws/test/echo.
// Accepts (and ignores) --storage and --enable-test-routes so the pytest runs against either.
//   clash_ws_echo_server serve --port 0 [--loop-threads N] [--http-threads N]
// Prints "listening on http://127.0.0.1:PORT" and runs until SIGINT/SIGTERM.
#include <signal.h>
#include <sys/resource.h>

#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <string>

#include "ws_test_support.h"

int main(int argc, char** argv) {
  int port = 0;
  int loop_threads = 1;
  int http_threads = 16;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    const bool has_value = i + 1 < argc;
    if (a == "--port" && has_value) {
      port = std::atoi(argv[++i]);
    } else if (a == "--loop-threads" && has_value) {
      loop_threads = std::atoi(argv[++i]);
    } else if (a == "--http-threads" && has_value) {
      http_threads = std::atoi(argv[++i]);
    } else if (a == "--storage" && has_value) {
      ++i;
    }
  }
  rlimit rl{};
  if (::getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
    rl.rlim_cur = rl.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &rl);
  }
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);  // before any thread starts

  clash::host::WsOptions options;
  options.loop_threads = loop_threads;
  clash::host::testing::TestServer server(options, {}, http_threads, static_cast<std::uint16_t>(port));
  std::cout << "listening on http://127.0.0.1:" << server.port() << std::endl;
  int sig = 0;
  sigwait(&set, &sig);
  return 0;
}
