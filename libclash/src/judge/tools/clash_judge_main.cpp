// clash-judge: judge a file from the command line, serve a judge on a Unix socket, or measure
// throughput. Used by bench/judge.sh; see docs/judge.md.
//
//   clash-judge run    --lang python3 --source main.py [--tests tests.py] [--cases cases.json]
//                      [--cpu-ms N] [--wall-ms N] [--processes N] [--memory-bytes N] [--open-files N]
//   clash-judge serve  --socket /tmp/judge.sock [--workers 2] [--warm 2]
// Every command takes --cold (Python in a fresh sandbox per execution instead of the fork server;
// --warm N then keeps N started ahead) and --max-sandboxes N (sandboxes at once; as root, the size
// of the process's sandbox uid range).
//   clash-judge submit --socket /tmp/judge.sock --lang python3 --source main.py [--tests tests.py]
//   clash-judge bench  --lang python3 --source main.py --tests tests.py [-n 200] [--workers 2]
//
// Exit status: 0 accepted, 1 any other verdict, 2 usage or judge errors.
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <thread>

#include "clash/judge.h"

namespace {

using clash::JudgeRequest;
using clash::JudgeResult;

std::map<std::string, std::string> ParseFlags(int argc, char** argv) {
  std::map<std::string, std::string> flags;
  for (int i = 2; i < argc; ++i) {
    std::string key = argv[i];
    if (key == "--json" || key == "--cold" || i + 1 >= argc) {
      flags[key] = "1";
    } else {
      flags[key] = argv[++i];
    }
  }
  return flags;
}

bool ReadFile(const std::string& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  out = ss.str();
  return true;
}

int Fail(const std::string& msg) {
  std::cerr << "clash-judge: " << msg << "\n";
  return 2;
}

bool BuildRequest(std::map<std::string, std::string>& f, JudgeRequest& req, std::string& err) {
  req.language = f.count("--lang") ? f["--lang"] : "python3";
  if (!f.count("--source") || !ReadFile(f["--source"], req.source)) {
    err = "--source FILE is required and must be readable";
    return false;
  }
  if (f.count("--tests") && !ReadFile(f["--tests"], req.test_code)) {
    err = "cannot read --tests";
    return false;
  }
  if (f.count("--cases")) {
    std::string text;
    if (!ReadFile(f["--cases"], text)) {
      err = "cannot read --cases";
      return false;
    }
    // A cases file is a request JSON fragment: {"cases":[{"input":..,"expected_output":..}]}.
    auto parsed = clash::DecodeJudgeRequest(R"({"language":"x","source":"",)" + text.substr(text.find('{') + 1));
    if (!parsed.ok()) {
      err = parsed.status().message();
      return false;
    }
    req.cases = parsed->cases;
  }
  if (f.count("--cpu-ms")) req.limits.cpu_time = std::chrono::milliseconds(std::stoll(f["--cpu-ms"]));
  if (f.count("--wall-ms")) req.limits.wall_time = std::chrono::milliseconds(std::stoll(f["--wall-ms"]));
  if (f.count("--processes")) req.limits.processes = std::stoi(f["--processes"]);
  if (f.count("--memory-bytes")) req.limits.memory_bytes = std::stoll(f["--memory-bytes"]);
  if (f.count("--open-files")) req.limits.open_files = std::stoi(f["--open-files"]);
  return true;
}

int Report(const JudgeResult& r, bool json) {
  if (json) {
    std::cout << clash::EncodeJudgeResult(r) << "\n";
  } else {
    std::cout << clash::VerdictName(r.verdict) << ": " << r.message << " (cpu " << r.cpu_time.count()
              << " ms, wall " << r.wall_time.count() << " ms, memory " << (r.memory_bytes >> 10) << " KiB)\n";
  }
  return r.verdict == clash::Verdict::kAccepted ? 0 : 1;
}

clash::Result<std::unique_ptr<clash::Judge>> MakeJudge(std::map<std::string, std::string>& f) {
  clash::SandboxJudgeOptions o;
  if (f.count("--warm")) o.warm_python_sandboxes = std::stoi(f["--warm"]);
  if (f.count("--cold")) o.python_execution = clash::PythonExecution::kColdSandbox;
  if (f.count("--max-sandboxes")) o.max_sandboxes = std::stoi(f["--max-sandboxes"]);
  return clash::NewSandboxJudge(o);
}

bool WriteAll(int fd, const std::string& s) {
  size_t off = 0;
  while (off < s.size()) {
    ssize_t n = send(fd, s.data() + off, s.size() - off, MSG_NOSIGNAL);
    if (n <= 0) return false;
    off += static_cast<size_t>(n);
  }
  return true;
}

std::string ReadAll(int fd) {
  std::string s;
  char buf[65536];
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0) s.append(buf, static_cast<size_t>(n));
  return s;
}

int Connect(const std::string& path) {
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, path.c_str(), sizeof addr.sun_path - 1);
  if (fd < 0 || connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) return -1;
  return fd;
}

int Serve(std::map<std::string, std::string>& f) {
  auto judge = MakeJudge(f);
  if (!judge.ok()) return Fail(judge.status().ToString());
  clash::JudgePoolOptions po;
  if (f.count("--workers")) po.workers = std::stoi(f["--workers"]);
  auto pool = clash::JudgePool::Create(**judge, po);
  if (!pool.ok()) return Fail(pool.status().ToString());
  std::string path = f["--socket"];
  unlink(path.c_str());
  int lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, path.c_str(), sizeof addr.sun_path - 1);
  if (bind(lfd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || listen(lfd, 64) != 0) {
    return Fail("cannot listen on " + path);
  }
  std::cerr << "clash-judge: serving on " << path << "\n";
  for (;;) {
    int cfd = accept4(lfd, nullptr, nullptr, SOCK_CLOEXEC);
    if (cfd < 0) continue;
    // One request per connection: the request JSON, then the client shuts down its write side.
    std::thread([cfd, p = pool->get()] {
      auto req = clash::DecodeJudgeRequest(ReadAll(cfd));
      std::string reply;
      if (!req.ok()) {
        reply = "{\"error\":\"bad request\"}";
      } else {
        auto r = p->Run(std::move(req).value());
        reply = r.ok() ? clash::EncodeJudgeResult(*r) : "{\"error\":\"" + std::string(clash::StatusCodeName(r.status().code())) + "\"}";
      }
      WriteAll(cfd, reply);
      close(cfd);
    }).detach();
  }
}

int Submit(std::map<std::string, std::string>& f) {
  JudgeRequest req;
  std::string err;
  if (!BuildRequest(f, req, err)) return Fail(err);
  int fd = Connect(f["--socket"]);
  if (fd < 0) return Fail("cannot connect to " + f["--socket"]);
  if (!WriteAll(fd, clash::EncodeJudgeRequest(req))) return Fail("send failed");
  shutdown(fd, SHUT_WR);
  std::string reply = ReadAll(fd);
  close(fd);
  auto r = clash::DecodeJudgeResult(reply);
  if (!r.ok()) return Fail("judge answered: " + reply);
  return Report(*r, f.count("--json") != 0);
}

int Bench(std::map<std::string, std::string>& f) {
  JudgeRequest req;
  std::string err;
  if (!BuildRequest(f, req, err)) return Fail(err);
  int n = f.count("-n") ? std::stoi(f["-n"]) : 200;
  auto judge = MakeJudge(f);
  if (!judge.ok()) return Fail(judge.status().ToString());
  clash::JudgePoolOptions po;
  po.workers = f.count("--workers") ? std::stoi(f["--workers"]) : 2;
  po.queue_capacity = n;
  auto pool = clash::JudgePool::Create(**judge, po);
  if (!pool.ok()) return Fail(pool.status().ToString());
  std::atomic<int> accepted{0}, done{0};
  clash::Clock& clock = clash::Clock::Real();
  auto start = clock.Monotonic();
  for (int i = 0; i < n; ++i) {
    clash::Status s = (*pool)->Submit(req, [&](clash::Result<JudgeResult> r) {
      if (r.ok() && r->verdict == clash::Verdict::kAccepted) ++accepted;
      ++done;
    });
    if (!s.ok()) return Fail(s.ToString());
  }
  while (done.load() < n) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  double secs = std::chrono::duration<double>(clock.Monotonic() - start).count();
  std::printf("%d submissions, %d accepted, %d workers: %.2f s, %.1f submissions/s, %.1f ms each\n", n,
              accepted.load(), po.workers, secs, n / secs, secs * 1000 / n);
  return accepted.load() == n ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return Fail("usage: clash-judge run|serve|submit|bench [flags]");
  std::string cmd = argv[1];
  auto f = ParseFlags(argc, argv);
  if (cmd == "serve") return Serve(f);
  if (cmd == "submit") return Submit(f);
  if (cmd == "bench") return Bench(f);
  if (cmd != "run") return Fail("unknown command " + cmd);
  JudgeRequest req;
  std::string err;
  if (!BuildRequest(f, req, err)) return Fail(err);
  auto judge = MakeJudge(f);
  if (!judge.ok()) return Fail(judge.status().ToString());
  auto r = (*judge)->Run(req);
  if (!r.ok()) return Fail(r.status().ToString());
  return Report(*r, f.count("--json") != 0);
}
