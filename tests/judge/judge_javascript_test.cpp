// JavaScript (node) in the sandbox: verdicts on stdin/expected-output cases, and the escape and
// abuse suite of tests/judge/judge_escape_test.cpp written for node. Same sandbox and limits as
// every cold execution (docs/judge.md).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "judge_test_util.h"
#include "support/test_support.h"

namespace clash::testing {
namespace {

using ::testing::HasSubstr;

JudgeRequest Js(std::string source, std::vector<IoCase> cases = {{"", "", ""}}) {
  JudgeRequest r;
  r.language = "javascript";
  r.source = std::move(source);
  r.cases = std::move(cases);
  return r;
}

void ExpectJavaScriptHealthy() {
  JudgeResult r = MustRun(Js("console.log(6 * 7);\n", {{"", "", "42"}}));
  EXPECT_EQ(r.verdict, Verdict::kAccepted) << Explain(r);
}

constexpr const char* kSum =
    "const [a, b] = require('fs').readFileSync(0, 'utf8').trim().split(/\\s+/).map(BigInt);\n"
    "console.log((a + b).toString());\n";

TEST(JudgeJavaScript, IsALanguageOfTheSandboxJudge) {
  std::vector<std::string> languages = SandboxJudgeForTests().Languages();
  EXPECT_EQ(languages, (std::vector<std::string>{"cpp17", "javascript", "python3"}));
}

TEST(JudgeJavaScript, AcceptsAndFindsTheFirstWrongCase) {
  JudgeResult ok = MustRun(Js(kSum, {{"", "1 2", "3"}, {"", "100000000000000000000 1", "100000000000000000001"}}));
  EXPECT_EQ(ok.verdict, Verdict::kAccepted) << Explain(ok);
  EXPECT_EQ(ok.tests_passed, 2);
  JudgeResult wa = MustRun(Js(kSum, {{"", "1 2", "3"}, {"third", "2 2", "5"}}));
  ASSERT_EQ(wa.verdict, Verdict::kWrongAnswer) << Explain(wa);
  EXPECT_EQ(wa.first_failure->name, "third");
  EXPECT_EQ(wa.first_failure->actual_output, "4\n");
}

TEST(JudgeJavaScript, SyntaxErrorIsCompileErrorAndThrowIsRuntimeError) {
  JudgeResult syntax = MustRun(Js("let x = ;\n"));
  EXPECT_EQ(syntax.verdict, Verdict::kCompileError) << Explain(syntax);
  EXPECT_THAT(syntax.compile_output, HasSubstr("SyntaxError"));
  JudgeResult thrown = MustRun(Js("throw new Error('boom from the player');\n"));
  EXPECT_EQ(thrown.verdict, Verdict::kRuntimeError) << Explain(thrown);
  EXPECT_THAT(thrown.stderr_excerpt, HasSubstr("boom from the player"));
  JudgeResult exit3 = MustRun(Js("process.exit(3);\n"));
  EXPECT_EQ(exit3.verdict, Verdict::kRuntimeError);
  EXPECT_THAT(exit3.message, HasSubstr("exit code 3"));
}

TEST(JudgeJavaScript, LimitsApply) {
  JudgeRequest loop = Js("for (;;) {}\n");
  loop.limits.cpu_time = std::chrono::milliseconds(1000);
  loop.limits.wall_time = std::chrono::milliseconds(20000);
  EXPECT_EQ(MustRun(loop).verdict, Verdict::kTimeLimit);
  JudgeRequest sleep = Js("setTimeout(() => {}, 1000000);\n");
  sleep.limits.wall_time = std::chrono::milliseconds(1000);
  JudgeResult slept = MustRun(sleep);
  EXPECT_EQ(slept.verdict, Verdict::kTimeLimit);
  EXPECT_THAT(slept.message, HasSubstr("wall"));
  JudgeRequest heap = Js("const a = []; for (;;) a.push(new Array(1e6).fill(1));\n");
  heap.limits.memory_bytes = 128LL << 20;
  JudgeResult h = MustRun(heap);
  EXPECT_EQ(h.verdict, Verdict::kMemoryLimit) << Explain(h);
  JudgeResult out = MustRun(Js("const s = 'x'.repeat(1 << 20); for (let i = 0; i < 100; ++i) process.stdout.write(s);\n"));
  EXPECT_EQ(out.verdict, Verdict::kOutputLimit) << Explain(out);
  JudgeRequest suite = Js("console.log(1)\n");
  suite.test_code = "assert(true)";
  suite.cases.clear();
  EXPECT_THAT(SandboxJudgeForTests().Run(suite), StatusIs(StatusCode::kInvalidArgument));
}

TEST(JudgeJavaScript, MemoryOutsideTheHeapIsBoundedToo) {
  // ArrayBuffers live outside the V8 heap: the address-space limit stops them.
  JudgeRequest buffers = Js("const a = []; for (;;) a.push(new ArrayBuffer(16 << 20));\n");
  buffers.limits.memory_bytes = 64LL << 20;
  JudgeResult b = MustRun(buffers);
  EXPECT_EQ(b.verdict, Verdict::kMemoryLimit) << Explain(b);
  EXPECT_THAT(b.message, HasSubstr("64 MiB"));
  JudgeRequest big = Js("const b = Buffer.alloc(1 << 30, 1); console.log(b.length);\n");
  big.limits.memory_bytes = 64LL << 20;
  JudgeResult g = MustRun(big);
  EXPECT_EQ(g.verdict, Verdict::kMemoryLimit) << Explain(g);
  ExpectJavaScriptHealthy();
}

TEST(JudgeJavaScript, RunsAtTheSmallestLimits) {
  // Node's own threads and image are not the program's: the smallest limits a request may ask
  // for still run a program, and a child process is then one too many.
  JudgeRequest req = Js(
      "let spawned;\n"
      "try { require('child_process').execFileSync('/usr/bin/true'); spawned = 'yes'; } catch (e) { spawned = e.code; }\n"
      "console.log(require('fs').readFileSync(0, 'utf8').trim(), spawned);\n",
      {{"", "ok", "ok EAGAIN"}});
  req.limits = MinJudgeLimits();
  req.limits.cpu_time = std::chrono::milliseconds(5000);
  req.limits.wall_time = std::chrono::milliseconds(20000);
  req.limits.output_bytes = 1024;
  req.limits.file_bytes = 64 << 10;  // the source file is written under this limit too
  JudgeResult r = MustRun(req);
  EXPECT_EQ(r.verdict, Verdict::kAccepted) << Explain(r);
}

TEST(JudgeJavaScript, EachCaseStartsInAFreshSandbox) {
  const char* src =
      "const fs = require('fs');\n"
      "const seen = ['/tmp/left', '/work/left', '/dev/shm/left'].filter(p => fs.existsSync(p));\n"
      "for (const p of ['/tmp/left', '/work/left', '/dev/shm/left']) fs.writeFileSync(p, 'x');\n"
      "console.log(seen.length);\n";
  JudgeResult r = MustRun(Js(src, {{"", "", "0"}, {"", "", "0"}, {"", "", "0"}}));
  EXPECT_EQ(r.verdict, Verdict::kAccepted) << Explain(r);
  EXPECT_EQ(r.tests_passed, 3);
}

// The escape suite, for node.
TEST(JudgeJavaScriptEscape, CannotReadHostSecretsOrWriteOutsideItsTmpfs) {
  TempDir dir;
  const std::string db = (dir.path() / "clash.db").string();
  std::ofstream(db) << "secret-row";
  JudgeResult r = MustRun(Js(
      "const fs = require('fs');\n"
      "const tries = ['/etc/passwd', '" + db + "', '/etc/shadow'];\n"
      "const read = tries.filter(p => { try { fs.readFileSync(p); return true; } catch (e) { return false; } });\n"
      "const wrote = ['/usr/lib/clash-pwned', '/clash-pwned'].filter(p => {\n"
      "  try { fs.writeFileSync(p, 'x'); return true; } catch (e) { return false; } });\n"
      "fs.mkdirSync('" + dir.path().string() + "', {recursive: true});\n"
      "fs.writeFileSync('" + (dir.path() / "pwned").string() + "', 'x');\n"
      "console.log(JSON.stringify([read, wrote]));\n",
      {{"", "", "[[],[]]"}}));
  EXPECT_EQ(r.verdict, Verdict::kAccepted) << Explain(r);
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "pwned"));
  EXPECT_FALSE(std::filesystem::exists("/usr/lib/clash-pwned"));
}

TEST(JudgeJavaScriptEscape, ProcShowsNoHostEnvironmentOrProcesses) {
  setenv("CLASH_TEST_CANARY", "hunter2-canary", 1);
  JudgeResult r = MustRun(Js(
      "const fs = require('fs');\n"
      "const pids = fs.readdirSync('/proc').filter(p => /^\\d+$/.test(p));\n"
      "let seen = '';\n"
      "for (const p of pids) for (const f of ['environ', 'cmdline']) {\n"
      "  try { seen += fs.readFileSync(`/proc/${p}/${f}`, 'latin1'); } catch (e) {}\n"
      "}\n"
      "console.log(seen.includes('canary'), seen.includes('clash_judge_tests'), pids.length <= 4);\n",
      {{"", "", "false false true"}}));
  EXPECT_EQ(r.verdict, Verdict::kAccepted) << Explain(r);
}

TEST(JudgeJavaScriptEscape, NoNetwork) {
  int listener = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  ASSERT_GE(listener, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(listen(listener, 4), 0);
  socklen_t len = sizeof addr;
  ASSERT_EQ(getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  JudgeResult r = MustRun(Js(
      "const net = require('net'), dns = require('dns');\n"
      "const s = net.connect(" + std::to_string(ntohs(addr.sin_port)) + ", '127.0.0.1');\n"
      "s.on('connect', () => { console.log('connected'); process.exit(0); });\n"
      "s.on('error', e => dns.lookup('example.com', err => console.log(e.code, err ? 'unresolved' : 'resolved')));\n",
      {{"", "", "EPERM unresolved"}}));
  EXPECT_EQ(r.verdict, Verdict::kAccepted) << Explain(r);
  EXPECT_LT(accept(listener, nullptr, nullptr), 0);  // nobody connected
  close(listener);
}

TEST(JudgeJavaScriptEscape, ProcessBombIsContained) {
  JudgeRequest req = Js(
      "const cp = require('child_process');\n"
      "const next = () => {\n"
      "  const c = cp.spawn('/usr/bin/sleep', ['1000'], {stdio: 'ignore'});\n"
      "  c.on('error', e => { console.log(e.code); process.exit(0); });\n"
      "  c.on('spawn', next);\n"
      "};\n"
      "next();\n",
      {{"", "", "EAGAIN"}});
  req.limits.wall_time = std::chrono::milliseconds(20000);
  JudgeResult r = MustRun(req);
  EXPECT_EQ(r.verdict, Verdict::kAccepted) << Explain(r);
  ExpectJavaScriptHealthy();
}

TEST(JudgeJavaScriptEscape, NoProcessOutlivesTheRun) {
  const std::string marker = "clash-js-marker-" + std::to_string(getpid());
  JudgeRequest req = Js(
      "const cp = require('child_process');\n"
      "cp.spawn('/usr/bin/sleep', ['1000', '" + marker + "'], {detached: true, stdio: 'ignore'}).unref();\n"
      "cp.spawn('/usr/bin/sleep', ['1000', '" + marker + "']);\n"
      "setTimeout(() => {}, 1000000);\n");
  req.limits.wall_time = std::chrono::milliseconds(1000);
  EXPECT_EQ(MustRun(req).verdict, Verdict::kTimeLimit);
  EXPECT_TRUE(NoHostProcessWithMarker(marker));
}

TEST(JudgeJavaScriptEscape, LinkTricksSignalsAndPrivilegesAreRefused) {
  struct stat before {};
  ASSERT_EQ(stat("/usr/bin/node", &before), 0);
  JudgeResult r = MustRun(Js(
      "const fs = require('fs'), cp = require('child_process');\n"
      "const out = [];\n"
      "const t = (name, f) => { try { f(); out.push(name + ':ok'); } catch (e) { out.push(name + ':' + e.code); } };\n"
      "fs.symlinkSync('/etc/shadow', 'x');\n"
      "t('symlink', () => fs.readFileSync('x'));\n"
      "t('hardlink', () => fs.linkSync('/usr/bin/node', 'n'));\n"
      "fs.symlinkSync('/usr/bin/node', 'l');\n"
      "t('chown', () => fs.chownSync('l', 65534, 65534));\n"
      "t('setuid', () => process.setuid(0));\n"
      "t('setgid', () => process.setgid(0));\n"
      "for (const pid of [process.ppid, 1, -1]) t('kill' + pid, () => process.kill(pid, 'SIGKILL'));\n"
      "const mount = cp.spawnSync('/usr/bin/mount', ['-t', 'tmpfs', 'x', '/work']);\n"
      "const unshare = cp.spawnSync('/usr/bin/unshare', ['-U', '/usr/bin/true']);\n"
      "out.push('mount-failed:' + (mount.status !== 0), 'unshare-failed:' + (unshare.status !== 0),\n"
      "         'uid:' + process.getuid(), 'ppid:' + process.ppid);\n"
      "console.log(out.join(' '));\n",
      {{"", "",
        "symlink:ENOENT hardlink:EXDEV chown:EPERM setuid:EPERM setgid:EPERM kill1:ok kill1:ok kill-1:ESRCH "
        "mount-failed:true unshare-failed:true uid:65534 ppid:1"}}));
  EXPECT_EQ(r.verdict, Verdict::kAccepted) << Explain(r);
  struct stat after {};
  ASSERT_EQ(stat("/usr/bin/node", &after), 0);
  EXPECT_EQ(before.st_uid, after.st_uid);
  EXPECT_EQ(before.st_mode, after.st_mode);
}

}  // namespace
}  // namespace clash::testing
