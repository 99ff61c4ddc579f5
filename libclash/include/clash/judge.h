// clash/judge.h — sandboxed execution of untrusted code: verdicts, the judge, the worker pool.
//
// This header provides:
//   Judge          runs one submission and returns a verdict. NewSandboxJudge() is the real one
//                  (bubblewrap namespaces + seccomp + rlimits, see docs/judge.md); NewFakeJudge()
//                  answers from a function, for tests of the modules that call a judge.
//   JudgePool      an in-process worker pool with a bounded queue; a full queue answers
//                  Unavailable with a retry-after hint (the host maps it to 503 + Retry-After).
//   JudgeQueue     implement this to move judge work between machines (a PostgreSQL queue pulled
//                  with SELECT ... FOR UPDATE SKIP LOCKED); application code calls JudgeWorker and
//                  Enqueue/Lookup on it. NewInMemoryJudgeQueue() is the in-process implementation;
//                  NewStorageJudgeQueue() keeps the jobs in a clash::Storage (PostgreSQL, SQLite).
//
// Thread-safety: Judge, JudgePool, JudgeQueue and JudgeWorker are safe for concurrent use.
//
// Example:
//   CLASH_ASSIGN_OR_RETURN(auto judge, clash::NewSandboxJudge({}));
//   clash::JudgeRequest req{.language = "python3", .source = "def add(a, b):\n  return a + b\n",
//                           .test_code = "assert add(1, 2) == 3\n"};
//   CLASH_ASSIGN_OR_RETURN(clash::JudgeResult r, judge->Run(req));
//   if (r.verdict == clash::Verdict::kWrongAnswer) ShowToPlayer(r.first_failure->message);
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "clash/clock.h"
#include "clash/export.h"
#include "clash/judge_cases.h"
#include "clash/rng.h"
#include "clash/status.h"

namespace clash {

// The outcome of judging one submission. Exactly one per run.
enum class Verdict {
  kAccepted,       // every test passed
  kWrongAnswer,    // a test failed; JudgeResult::first_failure says which
  kRuntimeError,   // the program crashed, raised, or exited non-zero; see stderr_excerpt
  kTimeLimit,      // CPU or wall-clock limit exceeded
  kMemoryLimit,    // address-space limit exceeded
  kOutputLimit,    // stdout + stderr exceeded JudgeLimits::output_bytes
  kCompileError,   // the source did not compile (C++) or parse (Python); see compile_output
  kInternalError,  // the judge itself failed (sandbox died unexpectedly); not the player's fault
};

// Returns the stable lower_snake_case name of `v`, e.g. "wrong_answer".
CLASH_EXPORT std::string_view VerdictName(Verdict v);
// Parses a name produced by VerdictName. Returns InvalidArgument for anything else.
CLASH_EXPORT Result<Verdict> ParseVerdict(std::string_view name);

// Resource limits for one execution of the program (each stdin case is one execution).
struct JudgeLimits {
  std::chrono::milliseconds cpu_time{2000};    // CPU seconds of the program (SIGXCPU, then SIGKILL)
  std::chrono::milliseconds wall_time{5000};   // whole sandbox process tree is killed after this
  std::int64_t memory_bytes = 256LL << 20;     // address space (RLIMIT_AS) per process
  std::int64_t output_bytes = 1LL << 20;       // stdout + stderr captured before the run is killed
  std::int64_t file_bytes = 16LL << 20;        // largest file written; also the size of /work and /tmp
  int processes = 32;                          // processes and threads inside the sandbox
  int open_files = 64;                         // file descriptors per process
};

// One stdin/expected-output case. Output matches when equal after removing trailing whitespace
// from every line and trailing empty lines.
struct IoCase {
  std::string name;             // shown in first_failure; "case 3" if empty
  std::string input;            // fed to stdin, then stdin is closed
  std::string expected_output;
};

// What to judge. Give at most one of `test_code` (a test suite), `cases` (stdin/expected output)
// and `data_cases` (cases as data, Python). With none the program only has to run and exit 0.
struct JudgeRequest {
  // "python3" or "cpp17" today; "javascript" is reserved for node. Judge::Languages() lists them.
  std::string language;
  std::string source;
  // Python: statements (typically `assert` lines) run in the same process after `source`; the
  // first failing assert is the wrong answer. C++: appended to `source` before compiling; a failed
  // assert() (abort with "Assertion ... failed") is the wrong answer.
  std::string test_code;
  std::vector<IoCase> cases;
  // Cases as data (clash/judge_cases.h; python3): the player's code runs in its own sandboxed
  // process with a harness that calls `entry` per case and sends each result back as encoded
  // plain data over a channel of its own (not stdout). Expected values never enter that process;
  // the judge compares them with CaseValuesMatch. A result of another type (a subclass of int,
  // an object with its own __eq__, ...) cannot be encoded and is a wrong answer.
  std::optional<DataCases> data_cases;
  JudgeLimits limits;
};

// The first failing test of a wrong answer (data cases: also of a runtime error, time or memory
// limit that happened during a case).
struct FailedCase {
  int index = 0;             // 0-based index among the asserts (suite) or cases
  std::string name;          // the assert statement's source text, or the case name
  // Assertion message, or "expected ... got ..." for stdin cases and public data cases; for
  // hidden data cases it never shows the expected value.
  std::string message;
  int line = 0;              // line in test_code (suite), else 0
  std::string input;         // stdin cases only
  std::string expected_output;
  std::string actual_output; // stdin cases only, truncated to 4 KiB
  // Data cases only. The campaign shows args/expected/actual to players for public cases only
  // (RedactHiddenCase does that).
  bool is_public = false;
  std::string args{};        // encoded (EncodeCaseValueJson) list of arguments, or of [method, args] ops
  std::string expected{};    // encoded expected value
  std::string actual{};      // encoded actual value; empty if the case did not return
};

// One data case of JudgeRequest::data_cases.
struct CaseResult {
  bool passed = false;   // ran, and its result matched
  bool is_public = false;
};

struct JudgeResult {
  Verdict verdict = Verdict::kInternalError;
  std::string message;                      // one line for the player, e.g. "time limit (2 s cpu)"
  std::optional<FailedCase> first_failure;  // set for kWrongAnswer
  std::string stderr_excerpt;               // last 4 KiB of stderr (runtime errors, traceback)
  std::string compile_output;               // compiler diagnostics, at most 16 KiB
  int tests_passed = 0;
  int tests_total = 0;
  std::chrono::milliseconds cpu_time{0};    // summed over executions, compile excluded
  std::chrono::milliseconds wall_time{0};   // summed over executions, compile excluded
  std::int64_t memory_bytes = 0;            // peak resident set of any process
  std::vector<CaseResult> case_results;     // per data case, in order (data_cases requests only)
  std::string stdout_excerpt;               // first 4 KiB of stdout (test_code and data_cases runs)
};

// Clears the first failure's args, expected and actual values (and name) unless its data case is
// public: what a player may see of a verdict.
CLASH_EXPORT void RedactHiddenCase(JudgeResult& result);

// Runs submissions. Implementations must be safe for concurrent Run() calls.
class CLASH_EXPORT Judge {
 public:
  virtual ~Judge() = default;
  Judge(const Judge&) = delete;
  Judge& operator=(const Judge&) = delete;

  // Judges `request` and returns the verdict (every verdict, including kInternalError, is an OK
  // Result). Returns InvalidArgument for an unknown language, more than one kind of test, limits above
  // the judge's maximum, or a source larger than the maximum; Unavailable if the judge is shut down.
  virtual Result<JudgeResult> Run(const JudgeRequest& request) = 0;

  // The language ids Run() accepts, e.g. {"cpp17", "python3"}.
  virtual std::vector<std::string> Languages() const = 0;

  // The largest limits Run() accepts (requests above them are InvalidArgument). Parsers of
  // requests bound limits with it (ParseJudgeRequestJson). Default: DefaultMaxJudgeLimits().
  virtual JudgeLimits MaxLimits() const;

 protected:
  Judge() = default;
};

// The smallest limits a request may set: every time and size positive, memory >= 16 MiB,
// open_files >= 16 (an interpreter needs a few of each to start).
CLASH_EXPORT JudgeLimits MinJudgeLimits();
// The sandbox judge's default maximum (SandboxJudgeOptions::max_limits): 20 s cpu, 60 s wall,
// 1 GiB memory, 64 MiB output, 256 MiB files, 256 processes, 256 open files.
CLASH_EXPORT JudgeLimits DefaultMaxJudgeLimits();
// OK if every field of `limits` lies within [MinJudgeLimits(), max]; InvalidArgument naming the
// first field out of range otherwise.
CLASH_EXPORT Status ValidateJudgeLimits(const JudgeLimits& limits, const JudgeLimits& max);

// Configuration of the sandbox judge. Defaults suit a Debian host with bubblewrap installed.
struct SandboxJudgeOptions {
  // bubblewrap binary. Empty: $CLASH_BWRAP if set, else /usr/bin/bwrap.
  std::string bwrap_path;
  std::string python_path = "/usr/bin/python3";
  std::string gxx_path = "/usr/bin/g++";
  // The clash-sandbox-init helper (built with libclash), the first process inside every sandbox;
  // it measures CPU and memory. Empty: $CLASH_SANDBOX_INIT if set, else the path baked in at build
  // time (the build tree, or CMAKE_INSTALL_FULL_LIBEXECDIR/clash when installed).
  std::string sandbox_init_path;
  // Host directories bound read-only into every sandbox (symlinked top-level dirs such as /lib on
  // merged-/usr systems are recreated as symlinks). Nothing else of the host is visible.
  std::vector<std::string> system_dirs = {"/usr", "/bin", "/lib", "/lib32", "/lib64", "/sbin"};
  // Python sandboxes started ahead of demand so a run skips namespace setup and interpreter start.
  // 0 disables the warm pool (every run starts cold; still sandboxed).
  int warm_python_sandboxes = 2;
  // When the judge runs as root, each sandbox runs as a distinct unprivileged host uid/gid
  // [sandbox_uid_base, sandbox_uid_base + max_sandboxes); as non-root it runs as the caller.
  // Inside the sandbox the program is always uid/gid 65534.
  std::uint32_t sandbox_uid_base = 1'990'000'000;
  int max_sandboxes = 64;
  // Requests whose limits exceed these are InvalidArgument.
  JudgeLimits max_limits = DefaultMaxJudgeLimits();
  // Limits of the compile step (C++). A compile over the time limit is a compile error.
  JudgeLimits compile_limits{std::chrono::milliseconds(15'000), std::chrono::milliseconds(20'000),
                             2LL << 30, 64LL << 10, 128LL << 20, 64, 256};
  std::int64_t max_source_bytes = 256LL << 10;   // source + test_code
  int max_cases = 200;                            // stdin/expected-output cases per request
  Clock* clock = &Clock::Real();                  // must advance: wall limits are measured on it
  Rng* rng = &Rng::Secure();                      // per-run nonces of the Python runner
};

// Creates the sandbox judge. Runs a self-test (starts one sandbox, checks the namespaces and the
// seccomp filter) and returns FailedPrecondition with the reason if the sandbox cannot be set up
// (bwrap missing, user namespaces disabled, ...). There is no unsandboxed fallback.
CLASH_EXPORT Result<std::unique_ptr<Judge>> NewSandboxJudge(SandboxJudgeOptions options);

// A judge that returns `answer(request)` for known languages ("python3", "cpp17", "javascript")
// without running anything. For tests of modules that depend on a Judge.
CLASH_EXPORT std::unique_ptr<Judge> NewFakeJudge(std::function<JudgeResult(const JudgeRequest&)> answer);

// ---------------------------------------------------------------------------------------------
// In-process worker pool.

struct JudgePoolOptions {
  int workers = 2;              // concurrent Run() calls (<= cores is sensible)
  int queue_capacity = 64;      // submissions waiting beyond the ones running
  int retry_after_seconds = 2;  // hint returned with a full queue
};

struct JudgePoolStats {
  std::int64_t submitted = 0;
  std::int64_t rejected = 0;    // refused because the queue was full
  std::int64_t completed = 0;
  int queued = 0;
  int running = 0;
};

// A fixed set of worker threads in front of a Judge, with a bounded FIFO queue.
class CLASH_EXPORT JudgePool {
 public:
  using Callback = std::function<void(Result<JudgeResult>)>;

  // `judge` must outlive the pool. Returns InvalidArgument if workers < 1 or queue_capacity < 0.
  static Result<std::unique_ptr<JudgePool>> Create(Judge& judge, JudgePoolOptions options);
  // Finishes running jobs, then fails queued ones with Unavailable.
  ~JudgePool();
  JudgePool(const JudgePool&) = delete;
  JudgePool& operator=(const JudgePool&) = delete;

  // Queues `request`; `done` is called exactly once on a worker thread with the judge's answer.
  // Returns Unavailable with retry_after_seconds() set if the queue is full (and `done` is not
  // called), Unavailable if the pool is shutting down.
  Status Submit(JudgeRequest request, Callback done);
  // Queues `request` and blocks until it is judged. Same errors as Submit, plus the judge's.
  Result<JudgeResult> Run(JudgeRequest request);

  // Counters; a job is counted as completed before its callback runs.
  JudgePoolStats Stats() const;
  // The judge's MaxLimits(), to validate requests before submitting them.
  JudgeLimits MaxLimits() const;

 private:
  struct Impl;
  explicit JudgePool(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// ---------------------------------------------------------------------------------------------
// Remote judging: a queue shared by hosts (producers) and judge workers (consumers).

struct JudgeJob {
  std::string id;
  JudgeRequest request;
  int attempts = 0;  // claims so far, including this one
};

// Implement this to add a judge queue backend; application code uses Enqueue/Lookup and
// JudgeWorker. All implementations must be safe for concurrent use by many processes.
class CLASH_EXPORT JudgeQueue {
 public:
  virtual ~JudgeQueue() = default;
  JudgeQueue(const JudgeQueue&) = delete;
  JudgeQueue& operator=(const JudgeQueue&) = delete;

  // Stores a pending job and returns its id. Unavailable (with retry-after) when the backlog is at
  // capacity.
  virtual Result<std::string> Enqueue(const JudgeRequest& request) = 0;
  // Atomically claims the oldest pending job, or a running job whose lease expired, for `worker_id`
  // until now + `lease`; returns nullopt if there is none. A job claimed more than the backend's
  // maximum attempts is completed with kInternalError instead of being returned.
  virtual Result<std::optional<JudgeJob>> Claim(std::string_view worker_id,
                                                std::chrono::milliseconds lease) = 0;
  // Stores the verdict of a job claimed by `worker_id`. FailedPrecondition if the job is not
  // (or no longer) claimed by that worker; NotFound for an unknown id.
  virtual Status Complete(std::string_view job_id, std::string_view worker_id,
                          const JudgeResult& result) = 0;
  // The verdict of a finished job, nullopt while pending or running; NotFound for an unknown id.
  virtual Result<std::optional<JudgeResult>> Lookup(std::string_view job_id) = 0;

 protected:
  JudgeQueue() = default;
};

// An in-process JudgeQueue (a single host, and the reference for backend tests). Jobs are lost at
// exit. `capacity` bounds pending jobs.
CLASH_EXPORT std::unique_ptr<JudgeQueue> NewInMemoryJudgeQueue(int capacity = 1024,
                                                               Clock* clock = &Clock::Real());

class Storage;

struct StorageJudgeQueueOptions {
  int capacity = 1024;          // unfinished jobs (pending + running) before Enqueue refuses
  int max_attempts = 3;         // claims per job; past it the job ends with kInternalError
  int retry_after_seconds = 2;  // hint returned with a full queue
};

// A JudgeQueue on the `judge_jobs` table of `storage` (SQLite or PostgreSQL, schema version 3+),
// so hosts and judge workers on other machines share it through one database. Claims take the
// oldest pending job, or a running one whose lease expired, with SELECT ... FOR UPDATE SKIP LOCKED
// on PostgreSQL (concurrent claimers never block on or get the same job). Lease times come from
// `clock`'s Now(): keep the machines' clocks synchronised (NTP), and leases far longer than skew.
// `storage` and `clock` must outlive the queue. InvalidArgument for capacity or max_attempts < 1;
// FailedPrecondition if the storage's schema predates the judge_jobs table. Capacity is checked
// with a count, so concurrent Enqueues on several hosts may overshoot it by a few jobs.
CLASH_EXPORT Result<std::unique_ptr<JudgeQueue>> NewStorageJudgeQueue(Storage& storage, Clock& clock,
                                                                      StorageJudgeQueueOptions options = {});

struct JudgeWorkerOptions {
  std::string worker_id = "worker";
  int concurrency = 2;                                  // jobs judged at once
  std::chrono::milliseconds lease{120'000};             // must exceed the longest judge run
  std::chrono::milliseconds idle_poll{200};             // sleep when the queue is empty
};

// Pulls jobs from a JudgeQueue, judges them and writes the verdicts back, on its own threads.
class CLASH_EXPORT JudgeWorker {
 public:
  // `queue` and `judge` must outlive the worker. Starts the threads at once.
  static Result<std::unique_ptr<JudgeWorker>> Start(JudgeQueue& queue, Judge& judge,
                                                    JudgeWorkerOptions options);
  // Stops claiming, finishes the jobs in hand, joins the threads.
  ~JudgeWorker();
  JudgeWorker(const JudgeWorker&) = delete;
  JudgeWorker& operator=(const JudgeWorker&) = delete;

  // Verdicts this worker stored. Counted after the queue accepted the verdict, so a reader that
  // sees a verdict through Lookup() may see the count a moment later: wait for it, do not assume.
  std::int64_t jobs_completed() const;

 private:
  struct Impl;
  explicit JudgeWorker(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The one decoder and validator of judge requests: HTTP bodies, the Python binding's arguments
// and the queue's stored jobs all go through it, with one set of key names:
//   {"language": "python3",                       required, a non-empty string
//    "source": "def f(): ...",                    required, a non-empty string
//    "test_code": "assert f() == 1",              optional (null = absent)
//    "cases": [["stdin", "expected stdout"],       optional (null = absent); each case a pair or
//              {"name": "", "input": "", "expected_output": ""}],   an object
//    "data_cases": {...},                         optional (null = absent): a cases.json document
//                                                 (ParseCasesJson)
//    "limits": {"cpu_ms": 2000, "wall_ms": 5000, "memory_bytes": ..., "output_bytes": ...,
//               "file_bytes": ..., "processes": 32, "open_files": 64}}   optional, any subset
// Each limit must be an integer within [MinJudgeLimits(), max]; a missing one takes the
// JudgeLimits default, lowered to `max` where the maximum is smaller. Unknown top-level keys are
// ignored; an unknown limit is an error. Returns InvalidArgument with a message for the caller
// (missing or ill-typed field, more than one kind of test, a limit out of range). The language
// itself is checked by Judge::Run.
CLASH_EXPORT Result<JudgeRequest> ParseJudgeRequestJson(std::string_view json, const JudgeLimits& max);

// Stable JSON forms, used by queue backends to store jobs and verdicts. EncodeJudgeRequest writes
// the form ParseJudgeRequestJson reads; DecodeJudgeRequest is ParseJudgeRequestJson without an
// upper bound on the limits (the judge that runs the job checks its own). Decode returns
// InvalidArgument for malformed input.
CLASH_EXPORT std::string EncodeJudgeRequest(const JudgeRequest& request);
CLASH_EXPORT Result<JudgeRequest> DecodeJudgeRequest(std::string_view json);
CLASH_EXPORT std::string EncodeJudgeResult(const JudgeResult& result);
CLASH_EXPORT Result<JudgeResult> DecodeJudgeResult(std::string_view json);

}  // namespace clash
