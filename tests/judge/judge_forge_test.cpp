// The forge suite (issue 12): attempts to get a wrong solution accepted on cases as data. Each
// must end in a verdict other than accepted; none may find the expected values in its process.
#include <gtest/gtest.h>

#include "judge_test_util.h"
#include "support/test_support.h"

namespace clash::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// The hidden answers carry a marker the attacks look for; the player's code never computes them.
constexpr const char* kSecretCases = R"json({"mode": "function", "entry": "secret", "cases": [
    {"args": [1], "expected": 8, "public": true},
    {"args": [2], "expected": "zq-secret-5813"},
    {"args": [3], "expected": [16, "zq-secret-4242"]}]})json";

JudgeResult Attack(const std::string& source) { return MustRun(PythonData(source, kSecretCases)); }

TEST(JudgeForge, TheLevelIsSolvable) {
  JudgeResult r = Attack(
      "def secret(x):\n    return {1: 8, 2: 'zq-secret-' + '5813', 3: [16, 'zq-secret-' + '4242']}[x]\n");
  EXPECT_EQ(r.verdict, Verdict::kAccepted) << r.message << r.stderr_excerpt;
}

TEST(JudgeForge, ForgedEqualityAndHashSubclassesCannotBeEncoded) {
  const std::pair<const char*, const char*> forged[] = {
      {"class Yes(int):\n    def __eq__(self, o):\n        return True\n    __hash__ = int.__hash__\n"
       "def secret(x):\n    return Yes(0)\n", "type Yes"},
      {"class Yes(str):\n    def __eq__(self, o):\n        return True\n    def __hash__(self):\n        return 0\n"
       "def secret(x):\n    return Yes('')\n", "type Yes"},
      {"class Yes(list):\n    def __eq__(self, o):\n        return True\n"
       "def secret(x):\n    return Yes()\n", "type Yes"},
      {"class Yes:\n    def __eq__(self, o):\n        return True\n    def __hash__(self):\n        return 0\n"
       "def secret(x):\n    return Yes()\n", "type Yes"},
      // Hidden inside a container, or as a dict key.
      {"class Yes(int):\n    def __eq__(self, o):\n        return True\n    __hash__ = int.__hash__\n"
       "def secret(x):\n    return [16, Yes(1)] if x == 3 else {Yes(1): 1}\n", "type Yes"},
      {"class Meta(type):\n    __name__ = property(lambda c: 'int')\n"
       "class Yes(int, metaclass=Meta):\n    def __eq__(self, o):\n        return True\n    __hash__ = int.__hash__\n"
       "def secret(x):\n    return Yes(8)\n", "type "},
  };
  for (const auto& [source, why] : forged) {
    JudgeResult r = Attack(source);
    EXPECT_EQ(r.verdict, Verdict::kWrongAnswer) << source << r.message << r.stderr_excerpt;
    EXPECT_THAT(r.message, HasSubstr(why)) << source;
    EXPECT_THAT(r.message, HasSubstr("return plain int/float/str/bool/None/list/tuple/dict/set")) << source;
  }
}

TEST(JudgeForge, ExitingEarlyIsNeverAccepted) {
  for (const char* exit_call : {"import os\nos._exit(0)\n", "import sys\nsys.exit(0)\n", "raise SystemExit\n"}) {
    JudgeResult r = Attack(std::string("def secret(x):\n    return 8\n") + exit_call);
    EXPECT_EQ(r.verdict, Verdict::kRuntimeError) << exit_call << r.message;
  }
  for (const char* in_call : {"import os\ndef secret(x):\n    if x == 2:\n        os._exit(0)\n    return 8\n",
                              "import sys\ndef secret(x):\n    if x == 2:\n        sys.exit(0)\n    return 8\n",
                              "def secret(x):\n    if x == 2:\n        raise SystemExit(0)\n    return 8\n"}) {
    JudgeResult r = Attack(in_call);
    EXPECT_EQ(r.verdict, Verdict::kRuntimeError) << in_call << r.message;
    ASSERT_EQ(r.case_results.size(), 3u);
    EXPECT_TRUE(r.case_results[0].passed);
    EXPECT_FALSE(r.case_results[1].passed) << in_call;
    ASSERT_TRUE(r.first_failure.has_value()) << in_call;
    EXPECT_EQ(r.first_failure->index, 1) << in_call;
  }
}

TEST(JudgeForge, PatchedBuiltinsAndModulesChangeNothing) {
  JudgeResult r = Attack(
      "import builtins, json, sys\n"
      "builtins.type = lambda *a: int\n"
      "builtins.isinstance = lambda *a: True\n"
      "builtins.repr = lambda o: '8'\n"
      "builtins.len = lambda o: 0\n"
      "json.dumps = lambda *a, **k: '[8, \"zq\", [16, \"zq\"]]'\n"
      "json.loads = lambda *a, **k: {'mode': 'function', 'entry': 'secret', 'calls': []}\n"
      "sys.modules['json'] = None\n"
      "def secret(x):\n    return 0\n");
  EXPECT_NE(r.verdict, Verdict::kAccepted) << r.message;
  EXPECT_EQ(r.verdict, Verdict::kWrongAnswer) << r.message << r.stderr_excerpt;
}

TEST(JudgeForge, TheExpectedValuesAreNowhereInThePlayersProcess) {
  // Looks through every object the collector knows, every frame, the job's bytes and the whole
  // address space (/proc/self/mem) for a hidden answer, and returns what it finds.
  const std::string scanner = (
      "import gc, sys, os, re\n"
      "PREFIX = b'zq-' + b'secret-'\n"
      "ANSWER = re.compile(PREFIX.decode() + '[0-9]{4}')\n"
      "def scan_memory():\n"
      "    found = []\n"
      "    with open('/proc/self/maps') as maps, open('/proc/self/mem', 'rb', 0) as mem:\n"
      "        for line in maps:\n"
      "            addr, perms = line.split()[:2]\n"
      "            if perms[0] != 'r':\n"
      "                continue\n"
      "            lo, hi = (int(x, 16) for x in addr.split('-'))\n"
      "            try:\n"
      "                mem.seek(lo)\n"
      "                chunk = mem.read(hi - lo)\n"
      "            except OSError:\n"
      "                continue\n"
      "            at = chunk.find(PREFIX)\n"
      "            while at >= 0:\n"
      "                tail = chunk[at + len(PREFIX):at + len(PREFIX) + 4]\n"
      "                if tail.isdigit():\n"
      "                    found.append((PREFIX + tail).decode())\n"
      "                at = chunk.find(PREFIX, at + 1)\n"
      "    return found\n"
      "def scan_objects():\n"
      "    found = []\n"
      "    values = []\n"
      "    for o in gc.get_objects():\n"
      "        values += o if isinstance(o, (list, tuple)) else o.values() if isinstance(o, dict) else ()\n"
      "    f = sys._getframe()\n"
      "    while f is not None:\n"
      "        values += list(f.f_locals.values()) + list(f.f_globals.values())\n"
      "        f = f.f_back\n"
      "    return [m for v in values if isinstance(v, (str, bytes))\n"
      "            for m in ANSWER.findall(v if isinstance(v, str) else v.decode('latin-1'))]\n"
      "def secret(x):\n"
      "    hits = scan_memory() + scan_objects()\n"
      "    print('FOUND' if hits else 'nothing', hits[:3])\n"
      "    return hits[0] if hits else 0\n");
  JudgeResult r = Attack(scanner);
  EXPECT_EQ(r.verdict, Verdict::kWrongAnswer) << r.message << r.stderr_excerpt;
  EXPECT_THAT(r.stdout_excerpt, HasSubstr("nothing"));
  EXPECT_THAT(r.stdout_excerpt, Not(HasSubstr("FOUND"))) << r.stdout_excerpt;

  // The scanner's control: what does enter the process (a hidden case's arguments) is found;
  // the expected value of the same case is not.
  JudgeResult control = MustRun(PythonData(scanner, R"json({"mode": "function", "entry": "secret", "cases": [
      {"args": ["zq-secret-7777"], "expected": "zq-secret-1111"}]})json"));
  EXPECT_EQ(control.verdict, Verdict::kWrongAnswer) << control.message << control.stderr_excerpt;
  EXPECT_THAT(control.stdout_excerpt, HasSubstr("FOUND ['zq-secret-7777'")) << control.stdout_excerpt;
  EXPECT_THAT(control.stdout_excerpt, Not(HasSubstr("1111"))) << control.stdout_excerpt;
}

TEST(JudgeForge, FakeResultLinesOnStdoutAndStderrAreJustOutput) {
  JudgeResult r = Attack(
      "import sys\n"
      "for s in (sys.stdout, sys.stderr):\n"
      "    s.write('{\"event\":\"case\",\"index\":1,\"value\":\"zq-secret-5813\"}\\n')\n"
      "    s.write('{\"event\":\"result\",\"status\":\"ok\"}\\naccepted\\n')\n"
      "def secret(x):\n    print('{\"event\":\"result\",\"status\":\"ok\"}')\n    return 8\n");
  EXPECT_EQ(r.verdict, Verdict::kWrongAnswer) << r.message;
  EXPECT_EQ(r.first_failure->index, 1);
}

// Finds the harness's reporter through the collector: its nonce and the channel's fd.
constexpr const char* kFindReporter =
    "import gc, os\n"
    "def reporter():\n"
    "    for o in gc.get_objects():\n"
    "        if type(o).__name__ == 'function' and o.__name__ == 'report' and o.__defaults__:\n"
    "            return [d for d in o.__defaults__ if isinstance(d, str) and len(d) == 32][0]\n"
    "nonce = reporter()\n"
    "assert nonce, 'no reporter found'\n"
    "def forge(line):\n"
    "    os.write(3, ('{\"nonce\":\"%s\",%s}\\n' % (nonce, line)).encode())\n";

TEST(JudgeForge, FakeRecordsOnTheResultChannelAreNotAccepted) {
  // Without the nonce: ignored.
  JudgeResult blind = Attack(
      "import os\n"
      "os.write(3, b'{\"event\":\"case\",\"index\":0,\"value\":8}\\n{\"event\":\"result\",\"status\":\"ok\"}\\n')\n"
      "def secret(x):\n    return 8\n");
  EXPECT_EQ(blind.verdict, Verdict::kWrongAnswer) << blind.message;

  // With the nonce, a complete forged stream, then a silent exit: the claimed values are still
  // compared with the expected ones, which the forger does not have.
  JudgeResult complete = Attack(std::string(kFindReporter) +
                                "forge('\"event\":\"case\",\"index\":0,\"value\":8')\n"
                                "forge('\"event\":\"case\",\"index\":1,\"value\":\"zq-secret-0000\"')\n"
                                "forge('\"event\":\"case\",\"index\":2,\"value\":[16,\"zq-secret-0000\"]')\n"
                                "forge('\"event\":\"result\",\"status\":\"ok\"')\n"
                                "os._exit(0)\n");
  EXPECT_EQ(complete.verdict, Verdict::kWrongAnswer) << complete.message << complete.stderr_excerpt;
  EXPECT_EQ(complete.first_failure->index, 1);

  // Records beside the harness's own: out of order or repeated, so the stream is corrupt.
  JudgeResult extra = Attack(std::string(kFindReporter) +
                             "def secret(x):\n"
                             "    forge('\"event\":\"case\",\"index\":%d,\"value\":8' % (x - 1))\n"
                             "    return 8\n");
  EXPECT_EQ(extra.verdict, Verdict::kRuntimeError) << extra.message;
  EXPECT_THAT(extra.message, HasSubstr("result channel"));

  // Closing the channel: nothing is reported.
  JudgeResult closed = Attack("import os\nos.close(3)\ndef secret(x):\n    return 8\n");
  EXPECT_EQ(closed.verdict, Verdict::kRuntimeError) << closed.message;
}

TEST(JudgeForge, KillingTheCheckerOrTheParentChangesNothing) {
  JudgeResult r = Attack(
      "import os, signal\n"
      "for pid in (os.getppid(), 1, -1, 0):\n"
      "    for sig in (signal.SIGKILL, signal.SIGSTOP, signal.SIGTERM):\n"
      "        try:\n"
      "            os.kill(pid, sig) if pid != 0 else None\n"
      "        except OSError:\n"
      "            pass\n"
      "def secret(x):\n    return 8\n");
  EXPECT_EQ(r.verdict, Verdict::kWrongAnswer) << r.message << r.stderr_excerpt;
  JudgeResult healthy = Attack(
      "def secret(x):\n    return {1: 8, 2: 'zq-secret-' + '5813', 3: [16, 'zq-secret-' + '4242']}[x]\n");
  EXPECT_EQ(healthy.verdict, Verdict::kAccepted) << healthy.message;
}

}  // namespace
}  // namespace clash::testing
