#include "judge/sandbox_judge.h"

#include "judge/python_runner.h"

namespace clash::internal {
namespace {

// Checks, from inside a fresh sandbox, that the isolation the judge promises is in place.
constexpr const char* kSelfTest = R"PY(
import os, socket
assert os.getuid() == 65534 and os.getgid() == 65534, 'uid'
assert not os.path.exists('/etc/passwd'), 'host /etc visible'
assert os.getpid() <= 3, 'pid namespace'
try:
    socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    raise AssertionError('AF_INET socket allowed')
except PermissionError:
    pass
for line in open('/proc/self/status'):
    if line.startswith(('CapEff:', 'CapPrm:')):
        assert int(line.split()[1], 16) == 0, 'capabilities'
    if line.startswith('NoNewPrivs:'):
        assert line.split()[1] == '1', 'no_new_privs'
    if line.startswith('Seccomp:'):
        assert line.split()[1] == '2', 'seccomp'
try:
    open('/x', 'w')
    raise AssertionError('root is writable')
except OSError:
    pass
print('clash-sandbox-ok')
)PY";

}  // namespace

Result<std::unique_ptr<Judge>> SandboxJudge::Create(SandboxJudgeOptions options) {
  if (options.clock == nullptr || options.rng == nullptr) {
    return Status::InvalidArgument("judge options need a clock and an rng");
  }
  std::unique_ptr<SandboxJudge> judge(new SandboxJudge(std::move(options)));
  CLASH_ASSIGN_OR_RETURN(judge->launcher_, SandboxLauncher::Create(judge->options_));
  CLASH_RETURN_IF_ERROR(judge->SelfTest());
  SandboxJudge* self = judge.get();
  judge->python_pool_ = std::make_unique<WarmPool>([self] { return self->SpawnPython(); },
                                                   judge->options_.warm_python_sandboxes);
  return std::unique_ptr<Judge>(std::move(judge));
}

SandboxJudge::~SandboxJudge() { python_pool_.reset(); }

Status SandboxJudge::SelfTest() {
  SpawnSpec spec;
  spec.argv = {options_.python_path, "-I", "-S", "-c", kSelfTest};
  spec.limits = JudgeLimits{};
  Result<std::unique_ptr<SandboxProcess>> proc = launcher_->Spawn(spec);
  if (!proc.ok()) {
    return Status::FailedPrecondition("judge sandbox unavailable: " + proc.status().message());
  }
  DriveSpec drive;
  drive.wall = std::chrono::seconds(10);
  DriveResult d = Drive(**proc, drive, *options_.clock);
  if (ExitCode(d) != 0 || d.out.find("clash-sandbox-ok") == std::string::npos) {
    std::string why = d.err.empty() ? "exit status " + std::to_string(d.exit.wait_status) : d.err;
    if (why.size() > 600) why = why.substr(why.size() - 600);
    return Status::FailedPrecondition(
        "judge sandbox unavailable: the sandbox self-test failed (are unprivileged user namespaces "
        "enabled?): " + why);
  }
  return Status::Ok();
}

Status SandboxJudge::Validate(const JudgeRequest& request) const {
  if (request.language != "python3" && request.language != "cpp17") {
    return Status::InvalidArgument("judge: unsupported language '" + request.language + "'");
  }
  if (!request.test_code.empty() + !request.cases.empty() + request.data_cases.has_value() > 1) {
    return Status::InvalidArgument("judge: give only one of test_code, cases and data_cases");
  }
  if (request.data_cases) {
    if (request.language != "python3") {
      return Status::InvalidArgument("judge: cases as data are judged for python3 only");
    }
    if (request.data_cases->cases.empty() || static_cast<int>(request.data_cases->cases.size()) > options_.max_cases) {
      return Status::InvalidArgument("judge: data cases must number 1 to " + std::to_string(options_.max_cases));
    }
    if (static_cast<std::int64_t>(EncodeCasesJson(*request.data_cases).size()) > options_.max_limits.output_bytes * 4) {
      return Status::InvalidArgument("judge: case data too large");
    }
  }
  if (static_cast<std::int64_t>(request.source.size() + request.test_code.size()) > options_.max_source_bytes) {
    return Status::InvalidArgument("judge: source too large (max " + std::to_string(options_.max_source_bytes) + " bytes)");
  }
  if (static_cast<int>(request.cases.size()) > options_.max_cases) {
    return Status::InvalidArgument("judge: too many cases (max " + std::to_string(options_.max_cases) + ")");
  }
  std::int64_t case_bytes = 0;
  for (const IoCase& c : request.cases) case_bytes += static_cast<std::int64_t>(c.input.size() + c.expected_output.size());
  if (case_bytes > options_.max_limits.output_bytes * 4) {
    return Status::InvalidArgument("judge: case data too large");
  }
  return ValidateJudgeLimits(request.limits, options_.max_limits);
}

Result<JudgeResult> SandboxJudge::Run(const JudgeRequest& request) {
  CLASH_RETURN_IF_ERROR(Validate(request));
  if (request.language == "python3") return RunPython(request);
  return RunCpp(request);
}

}  // namespace clash::internal

namespace clash {

Result<std::unique_ptr<Judge>> NewSandboxJudge(SandboxJudgeOptions options) {
  return internal::SandboxJudge::Create(std::move(options));
}

}  // namespace clash
