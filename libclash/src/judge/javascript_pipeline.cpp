// JavaScript submissions (node): each execution in a fresh cold sandbox, stdin/expected-output cases.
//
// Node runs inside the same sandbox and under the same rlimits as any cold execution; its flags,
// not a looser sandbox, make it fit:
//   --jitless --no-expose-wasm  no JIT, so V8 reserves no 512 MiB code range (and there is no
//                               writable-executable memory and no WebAssembly with its
//                               multi-GiB guard regions); the interpreter is still faster than
//                               CPython on the puzzles' kind of code;
//   --single-threaded --v8-pool-size=0  no background GC/compiler threads: node keeps 3 helper
//                               threads of its own (added to the request's `processes`, as the
//                               descriptors node opens at start-up are added to `open_files`);
//   --max-old-space-size        the V8 heap is capped at the request's memory: outgrowing it ends
//                               the run with "JavaScript heap out of memory", a memory limit.
// RLIMIT_AS is the request's memory plus kNodeImage, what node maps before it runs a line (its
// 80 MiB executable, thread stacks, the young generation), with MALLOC_ARENA_MAX=1 so glibc does
// not reserve a 64 MiB arena per helper thread. A failed ArrayBuffer allocation is a memory limit
// too. The first execution checks the syntax first (`node --check`), so a parse error is a
// compile error.
#include <algorithm>

#include "judge/output_compare.h"
#include "judge/sandbox_judge.h"

namespace clash::internal {
namespace {

constexpr std::int64_t kNodeImage = 160LL << 20;
constexpr int kNodeThreads = 3;  // node's own threads besides the main one, with the flags below
constexpr int kNodeFiles = 16;   // descriptors node opens before it runs a line (epoll, eventfds, pipes)
constexpr int kSyntaxErrorExit = 86;

}  // namespace

Result<JudgeResult> SandboxJudge::RunJavaScript(const JudgeRequest& request) {
  JudgeResult r;
  const JudgeLimits& lim = request.limits;
  r.tests_total = request.cases.empty() ? 1 : static_cast<int>(request.cases.size());
  SpawnSpec run;
  run.limits = lim;
  run.limits.memory_bytes = lim.memory_bytes + kNodeImage;
  // RLIMIT_NPROC counts sandbox-init and the program (2) before either forks, and node's helpers
  // must start under it: with max(processes, 2) + 3 a node program can start exactly as many
  // processes and threads as a C++ program under `processes`.
  run.limits.processes = std::max(lim.processes, 2) + kNodeThreads;
  run.nproc_inside = run.limits.processes;
  run.limits.open_files = lim.open_files + kNodeFiles;
  run.files = {{"/work/main.js", request.source, false}};
  // The node path and the heap flag are positional parameters ($0, $1), never parsed by the shell.
  const std::string heap = "--max-old-space-size=" + std::to_string(std::max<std::int64_t>(lim.memory_bytes >> 20, 8));
  // Every node started here gets the same flags: without them V8's worker threads and their malloc
  // arenas do not fit the address space and node hangs at start-up instead of failing.
  const std::string flags = "--jitless --no-expose-wasm --single-threaded --v8-pool-size=0 \"$1\"";
  // Threads take RLIMIT_STACK (64 MiB in a sandbox) as their stack size: 8 MiB is plenty, as V8
  // keeps JavaScript's own stack to --stack-size (984 KiB) anyway.
  const std::string setup = "ulimit -s 8192; export MALLOC_ARENA_MAX=1; ";
  const std::string exec_node = setup + "exec \"$0\" " + flags + " main.js";
  const std::string first = setup + "\"$0\" " + flags + " --check main.js || exit " +
                            std::to_string(kSyntaxErrorExit) + "; exec \"$0\" " + flags + " main.js";
  auto spawn = [&](size_t i) {
    SpawnSpec s = run;
    s.argv = {"/bin/sh", "-c", i == 0 ? first : exec_node, options_.node_path, heap};
    return s;
  };
  return RunEachCase(request, spawn, std::move(r), [](const DriveResult& d, JudgeResult& out) {
    if (ExitCode(d) != kSyntaxErrorExit || d.err.find("SyntaxError") == std::string::npos) return false;
    out.verdict = Verdict::kCompileError;
    out.message = "compile error";
    out.compile_output = Truncate(d.err, 16 << 10);
    return true;
  });
}

}  // namespace clash::internal
