// The escape and abuse suite: each attempt ends in the right verdict and leaves the host unharmed.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "judge_test_util.h"
#include "support/test_support.h"

namespace clash::testing {
namespace {

using JudgeEscape = BothPythonPaths;

const std::string kCheck = "assert True\n";

// After every abuse the judge must still work.
void ExpectJudgeHealthy() {
  JudgeResult r = MustRun(PythonSuite("def f():\n    return 1\n", "assert f() == 1\n"));
  EXPECT_EQ(r.verdict, Verdict::kAccepted) << r.message << r.stderr_excerpt;
}

std::string Marker() { return "clash-marker-" + std::to_string(getpid()) + "-" + std::to_string(rand()); }

TEST_P(JudgeEscape, CannotReadHostSecrets) {
  JudgeResult passwd = MustRun(PythonSuite("print(open('/etc/passwd').read())\n", kCheck));
  EXPECT_EQ(passwd.verdict, Verdict::kRuntimeError);
  EXPECT_NE(passwd.message.find("FileNotFoundError"), std::string::npos) << passwd.message;

  // A database file on the host, next to where the server would keep it.
  TempDir dir;
  const std::string db = (dir.path() / "clash.db").string();
  std::ofstream(db) << "secret-row";
  JudgeResult database = MustRun(PythonSuite("print(open(" + std::string("'") + db + "').read())\n", kCheck));
  EXPECT_EQ(database.verdict, Verdict::kRuntimeError);
  EXPECT_NE(database.message.find("FileNotFoundError"), std::string::npos) << database.message;
}

TEST_P(JudgeEscape, ProcShowsNoHostEnvironmentOrProcesses) {
  setenv("CLASH_TEST_CANARY", "hunter2-canary", 1);
  const char* src =
      "import os\n"
      "seen = ''\n"
      "for pid in os.listdir('/proc'):\n"
      "    if pid.isdigit():\n"
      "        for f in ('environ', 'cmdline'):\n"
      "            try:\n"
      "                seen += open('/proc/%s/%s' % (pid, f), 'rb').read().decode('latin-1')\n"
      "            except OSError:\n"
      "                pass\n"
      "pids = sorted(int(p) for p in os.listdir('/proc') if p.isdigit())\n"
      "print('canary' in seen, 'clash_judge_tests' in seen, len(pids) <= 4)\n";
  JudgeResult r = MustRun(PythonCases(src, {{"", "", "False False True"}}));
  EXPECT_EQ(r.verdict, Verdict::kAccepted) << r.message << r.stderr_excerpt
                                           << (r.first_failure ? r.first_failure->actual_output : "");
}

TEST_P(JudgeEscape, CannotWriteOutsideTheWorkDirectory) {
  JudgeResult usr = MustRun(PythonSuite("open('/usr/lib/clash-pwned', 'w').write('x')\n", kCheck));
  EXPECT_EQ(usr.verdict, Verdict::kRuntimeError);
  EXPECT_NE(usr.message.find("Read-only file system"), std::string::npos) << usr.message;
  JudgeResult root = MustRun(PythonSuite("open('/clash-pwned', 'w').write('x')\n", kCheck));
  EXPECT_EQ(root.verdict, Verdict::kRuntimeError);

  // The sandbox's /tmp is private: a file made there never appears on the host.
  TempDir dir;
  const std::string target = (dir.path() / "pwned").string();
  JudgeResult tmp = MustRun(PythonSuite("import os\nos.makedirs('" + dir.path().string() +
                                        "', exist_ok=True)\nopen('" + target + "', 'w').write('x')\n",
                                        kCheck));
  EXPECT_EQ(tmp.verdict, Verdict::kAccepted) << tmp.message;
  EXPECT_FALSE(std::filesystem::exists(target));
  EXPECT_FALSE(std::filesystem::exists("/usr/lib/clash-pwned"));
  EXPECT_FALSE(std::filesystem::exists("/clash-pwned"));
}

TEST_P(JudgeEscape, NoNetwork) {
  int listener = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  ASSERT_GE(listener, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(listen(listener, 4), 0);
  socklen_t len = sizeof addr;
  ASSERT_EQ(getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  const int port = ntohs(addr.sin_port);

  JudgeResult tcp = MustRun(PythonSuite(
      "import socket\nsocket.create_connection(('127.0.0.1', " + std::to_string(port) + "), timeout=2)\n", kCheck));
  EXPECT_EQ(tcp.verdict, Verdict::kRuntimeError);
  EXPECT_NE(tcp.message.find("PermissionError"), std::string::npos) << tcp.message;
  EXPECT_LT(accept(listener, nullptr, nullptr), 0);  // nobody connected
  close(listener);

  JudgeResult dns = MustRun(PythonSuite("import socket\nsocket.getaddrinfo('example.com', 80)\n", kCheck));
  EXPECT_EQ(dns.verdict, Verdict::kRuntimeError);
  EXPECT_NE(dns.message.find("gaierror"), std::string::npos) << dns.message;
}

TEST_P(JudgeEscape, ForkBombIsContained) {
  JudgeRequest req = PythonSuite("import os\nwhile True:\n    os.fork()\n", kCheck);
  req.limits.wall_time = std::chrono::milliseconds(3000);
  JudgeResult r = MustRun(req);
  EXPECT_EQ(r.verdict, Verdict::kRuntimeError) << r.message;
  EXPECT_NE(r.message.find("BlockingIOError"), std::string::npos) << r.message;
  ExpectJudgeHealthy();
}

TEST_P(JudgeEscape, WallClockKillTakesTheWholeProcessTree) {
  const std::string marker = Marker();
  JudgeRequest req = PythonSuite(
      "import os, time\n"
      "for _ in range(3):\n"
      "    if os.fork() == 0:\n"
      "        os.execv('/usr/bin/sleep', ['sleep', '1000', '" + marker + "'])\n"
      "time.sleep(1000)\n", kCheck);
  req.limits.wall_time = std::chrono::milliseconds(1000);
  JudgeResult r = MustRun(req);
  EXPECT_EQ(r.verdict, Verdict::kTimeLimit) << r.message;
  EXPECT_TRUE(NoHostProcessWithMarker(marker));
}

TEST_P(JudgeEscape, DaemonDoesNotSurviveItsParent) {
  const std::string marker = Marker();
  JudgeResult r = MustRun(PythonSuite(
      "import os\n"
      "if os.fork() == 0:\n"
      "    os.setsid()\n"
      "    if os.fork() == 0:\n"
      "        os.execv('/usr/bin/sleep', ['sleep', '1000', '" + marker + "'])\n"
      "    os._exit(0)\n"
      "def f():\n    return 2\n", "assert f() == 2\n"));
  EXPECT_EQ(r.verdict, Verdict::kAccepted) << r.message << r.stderr_excerpt;
  EXPECT_LT(r.wall_time.count(), 3000);
  EXPECT_TRUE(NoHostProcessWithMarker(marker));
}

TEST_P(JudgeEscape, LinkTricksInTheWorkDirectory) {
  // A symlink to a host file resolves inside the sandbox, where the file does not exist.
  JudgeResult sym = MustRun(PythonSuite("import os\nos.symlink('/etc/shadow', 'x')\nopen('x').read()\n", kCheck));
  EXPECT_EQ(sym.verdict, Verdict::kRuntimeError);
  EXPECT_NE(sym.message.find("FileNotFoundError"), std::string::npos) << sym.message;
  // A hard link to a system binary crosses a mount: refused.
  JudgeResult hard = MustRun(PythonSuite("import os\nos.link('/usr/bin/python3', 'py')\n", kCheck));
  EXPECT_EQ(hard.verdict, Verdict::kRuntimeError);
  // chown through a symlink (Judge0 CVE-2024-28185/28189 class): refused, host file untouched.
  struct stat before {};
  ASSERT_EQ(stat("/usr/bin/python3", &before), 0);
  JudgeResult chown = MustRun(PythonSuite(
      "import os\nos.symlink('/usr/bin/python3', 'l')\nos.chown('l', 65534, 65534)\n", kCheck));
  EXPECT_EQ(chown.verdict, Verdict::kRuntimeError);
  EXPECT_NE(chown.message.find("PermissionError"), std::string::npos) << chown.message;
  struct stat after {};
  ASSERT_EQ(stat("/usr/bin/python3", &after), 0);
  EXPECT_EQ(before.st_uid, after.st_uid);
  EXPECT_EQ(before.st_mode, after.st_mode);
  // A C++ program replacing its own binary with a symlink changes nothing outside.
  JudgeResult cpp = MustRun(CppCases(
      "#include <unistd.h>\n#include <cstdio>\nint main() { unlink(\"/work/prog\"); "
      "int rc = symlink(\"/etc/passwd\", \"/work/prog\"); std::printf(\"%d\\n\", rc); }\n",
      {{"", "", "0"}}));
  EXPECT_EQ(cpp.verdict, Verdict::kAccepted) << cpp.message << cpp.compile_output;
  ExpectJudgeHealthy();
}

TEST_P(JudgeEscape, KillingOrSignallingTheParent) {
  // The parent is the sandbox's pid 1 (sandbox-init), which ignores signals from inside; the judge
  // and everything else of the host are invisible. The program carries on and is judged normally.
  const std::pair<const char*, Verdict> attempts[] = {
      {"os.kill(os.getppid(), signal.SIGKILL)\n", Verdict::kAccepted},
      {"os.kill(1, signal.SIGTERM)\n", Verdict::kAccepted},
      {"try:\n    os.kill(-1, signal.SIGKILL)\nexcept ProcessLookupError:\n    pass\n", Verdict::kAccepted},
      {"os.killpg(0, signal.SIGKILL)\n", Verdict::kRuntimeError},  // its own group: suicide
  };
  for (const auto& [kill, verdict] : attempts) {
    JudgeResult r = MustRun(PythonSuite(std::string("import os, signal\n") + kill +
                                        "def f():\n    return 3\n", "assert f() == 3\n"));
    EXPECT_EQ(r.verdict, verdict) << kill << r.message << r.stderr_excerpt;
  }
  JudgeResult host = MustRun(PythonCases("import os\nprint(os.getppid(), len([p for p in os.listdir('/proc') if p.isdigit()]))\n",
                                         {{"", "", "1 2"}}));
  EXPECT_EQ(host.verdict, Verdict::kAccepted) << host.message
                                              << (host.first_failure ? host.first_failure->actual_output : "");
  ExpectJudgeHealthy();
}

TEST_P(JudgeEscape, SetuidAndSetgidAreRefused) {
  JudgeResult uid = MustRun(PythonSuite("import os\nos.setuid(0)\n", kCheck));
  EXPECT_EQ(uid.verdict, Verdict::kRuntimeError);
  EXPECT_NE(uid.message.find("PermissionError"), std::string::npos) << uid.message;
  JudgeResult gid = MustRun(PythonSuite("import os\nos.setgid(0)\n", kCheck));
  EXPECT_EQ(gid.verdict, Verdict::kRuntimeError);
  // A setuid-root binary does not raise privileges (no_new_privs, no mapped root).
  JudgeResult su = MustRun(PythonCases(
      "import subprocess, os\n"
      "r = subprocess.run(['/usr/bin/mount', '-t', 'tmpfs', 'x', '/work'], capture_output=True)\n"
      "print(os.getuid(), r.returncode != 0)\n",
      {{"", "", "65534 True"}}));
  EXPECT_EQ(su.verdict, Verdict::kAccepted) << su.message << su.stderr_excerpt
                                            << (su.first_failure ? su.first_failure->actual_output : "");
}

TEST_P(JudgeEscape, NamespacesAndPtraceAreRefused) {
  JudgeResult r = MustRun(PythonCases(
      "import ctypes, os\n"
      "libc = ctypes.CDLL(None, use_errno=True)\n"
      "print(libc.unshare(0x10000000), libc.ptrace(16, 1, 0, 0), libc.syscall(250, 0, 0, 0, 0))\n",
      {{"", "", "-1 -1 -1"}}));  // unshare(CLONE_NEWUSER), PTRACE_ATTACH, keyctl
  EXPECT_EQ(r.verdict, Verdict::kAccepted) << r.message << r.stderr_excerpt
                                           << (r.first_failure ? r.first_failure->actual_output : "");
}

TEST_P(JudgeEscape, CompileStepCannotReadOrHang) {
  JudgeResult stdin_include = MustRun(CppCases("#include \"/dev/stdin\"\nint main() { return secret; }\n", {{"", "", ""}}));
  EXPECT_EQ(stdin_include.verdict, Verdict::kCompileError) << stdin_include.message;
  EXPECT_LT(stdin_include.wall_time.count(), 1000);
  JudgeResult passwd = MustRun(CppCases("#include \"/etc/passwd\"\nint main() {}\n", {{"", "", ""}}));
  EXPECT_EQ(passwd.verdict, Verdict::kCompileError);
  EXPECT_NE(passwd.compile_output.find("No such file"), std::string::npos) << passwd.compile_output;
  JudgeResult deep = MustRun(CppCases(
      "template <int N> struct F { static const int v = F<N + 1>::v; };\nint main() { return F<0>::v; }\n",
      {{"", "", ""}}));
  EXPECT_EQ(deep.verdict, Verdict::kCompileError);
  EXPECT_NE(deep.compile_output.find("template instantiation depth"), std::string::npos) << deep.compile_output;
}

TEST_P(JudgeEscape, CompileTimeBombHitsTheCompileTimeLimit) {
  SandboxJudgeOptions options;
  options.warm_python_sandboxes = 0;
  options.compile_limits.wall_time = std::chrono::milliseconds(2000);
  options.compile_limits.cpu_time = std::chrono::milliseconds(2000);
  Result<std::unique_ptr<Judge>> judge = NewSandboxJudge(options);
  ASSERT_THAT(judge, IsOk());
  // Constant evaluation that would take minutes: only the compile time limit stops it.
  JudgeRequest req = CppCases(
      "constexpr long f() { long s = 0; for (long i = 0; i < 200000; ++i)\n"
      "  for (long j = 0; j < 200000; ++j) s += i ^ j; return s; }\n"
      "constexpr long v = f();\nint main() { return v & 1; }\n",
      {{"", "", ""}});
  auto start = std::chrono::steady_clock::now();
  Result<JudgeResult> r = (*judge)->Run(req);
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->verdict, Verdict::kCompileError) << r->message << r->compile_output;
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(6));
}

INSTANTIATE_TEST_SUITE_P(Paths, JudgeEscape, ::testing::Values(PythonExecution::kForkServer, PythonExecution::kColdSandbox),
                         PythonPathName);

}  // namespace
}  // namespace clash::testing
