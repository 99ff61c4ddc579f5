#include "judge/python_runner.h"

#include <nlohmann/json.hpp>

namespace clash::internal {
namespace {

// Kept short and dependency-free: it runs before every Python submission. Names are bound as
// default arguments so the player's code cannot swap the builtins the reporter uses.
constexpr const char* kRunner = R"PY(
import os, sys, resource
def _clash_job(os=os, sys=sys, resource=resource):
    buf = bytearray()
    while True:
        chunk = os.read(3, 1 << 16)
        if not chunk:
            break
        buf += chunk
    head, _, body = bytes(buf).partition(b'\n\n')
    del buf
    job = dict(line.split(' ', 1) for line in head.decode().split('\n'))
    n_code = int(job['code'])
    code = body[:n_code].decode('utf-8', 'replace')
    tests = body[n_code:].decode('utf-8', 'replace')
    del body
    table = {i: '\\u%04x' % i for i in range(32)}
    table.update({34: '\\"', 92: '\\\\'})
    def report(fields, _n=job.pop('nonce'), _pid=os.getpid(), _getpid=os.getpid, _w=os.write,
               _table=table, _str=str, _int=int, _isinstance=isinstance):
        if _getpid() != _pid:
            return
        parts = ['"nonce":"' + _n + '"']
        for k, v in fields.items():
            parts.append('"' + k + '":' + ('"' + v.translate(_table) + '"' if _isinstance(v, _str) else _str(_int(v))))
        _w(3, ('{' + ','.join(parts) + '}\n').encode('utf-8', 'replace'))
    def finish(fields, _exit=os._exit, _flush=sys.stdout.flush, _eflush=sys.stderr.flush):
        try:
            _flush()
            _eflush()
        except BaseException:
            pass
        report(fields)
        _exit(0)
    def excerpt(e):
        try:
            return ('%s: %s' % (type(e).__name__, e))[-2000:]
        except BaseException:
            return type(e).__name__
    def print_tb(e):
        try:
            import linecache, traceback
            linecache.cache['main.py'] = (len(code), None, code.splitlines(True), 'main.py')
            linecache.cache['tests.py'] = (len(tests), None, tests.splitlines(True), 'tests.py')
            traceback.print_exception(type(e), e, e.__traceback__)
        except BaseException:
            pass
    ru = resource.getrusage(resource.RUSAGE_SELF)
    base = ru.ru_utime + ru.ru_stime
    cpu = int(base + int(job['cpu_ms']) / 1000.0 + 0.999)
    for res, key in ((resource.RLIMIT_AS, 'memory'), (resource.RLIMIT_NPROC, 'nproc'),
                     (resource.RLIMIT_FSIZE, 'fsize'), (resource.RLIMIT_NOFILE, 'nofile')):
        resource.setrlimit(res, (int(job[key]), int(job[key])))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    report({'event': 'start', 'cpu_ms': int(base * 1000)})
    suite = job['mode'] == 'suite'
    try:
        compiled = compile(code, 'main.py', 'exec')
    except (SyntaxError, ValueError) as e:
        finish({'event': 'result', 'status': 'compile_error', 'message': excerpt(e)})
    try:
        compiled_tests = compile(tests, 'tests.py', 'exec') if suite else None
    except (SyntaxError, ValueError) as e:
        finish({'event': 'result', 'status': 'bad_tests', 'message': excerpt(e)})
    lines = tests.split('\n')
    asserts = [i + 1 for i, l in enumerate(lines) if l.startswith('assert') and l[6:7] in (' ', '(')]
    total = len(asserts)
    g = {'__name__': '__main__', '__builtins__': __builtins__, '__file__': 'main.py'}
    try:
        exec(compiled, g)
    except SystemExit as e:
        if not suite and (e.code is None or e.code == 0):
            finish({'event': 'result', 'status': 'ok'})
        finish({'event': 'result', 'status': 'runtime_error',
                'message': 'the program exited (code %r) before its tests ran' % (e.code,) if suite
                           else 'the program exited with code %r' % (e.code,)})
    except MemoryError:
        finish({'event': 'result', 'status': 'memory_limit', 'message': 'MemoryError'})
    except BaseException as e:
        print_tb(e)
        finish({'event': 'result', 'status': 'runtime_error', 'message': excerpt(e)})
    if not suite:
        finish({'event': 'result', 'status': 'ok'})
    try:
        exec(compiled_tests, g)
    except BaseException as e:
        tb, line, last_in_tests = e.__traceback__, 0, False
        while tb is not None:
            if tb.tb_frame.f_code.co_filename == 'tests.py':
                line = tb.tb_lineno
                last_in_tests = tb.tb_next is None
            tb = tb.tb_next
        passed = sum(1 for a in asserts if a < line)
        if isinstance(e, AssertionError) and line in asserts and last_in_tests:
            finish({'event': 'result', 'status': 'wrong_answer', 'index': passed, 'line': line,
                    'test': lines[line - 1].strip(), 'message': excerpt(e)[len('AssertionError: '):],
                    'passed': passed, 'total': total})
        if isinstance(e, MemoryError):
            finish({'event': 'result', 'status': 'memory_limit', 'message': 'MemoryError',
                    'passed': passed, 'total': total})
        if isinstance(e, SystemExit):
            finish({'event': 'result', 'status': 'runtime_error', 'passed': passed, 'total': total,
                    'message': 'the program exited (code %r) during its tests' % (e.code,)})
        print_tb(e)
        finish({'event': 'result', 'status': 'runtime_error', 'message': excerpt(e),
                'passed': passed, 'total': total})
    finish({'event': 'result', 'status': 'ok', 'passed': total, 'total': total})
_clash_job()
)PY";

}  // namespace

std::vector<std::string> PythonRunnerArgv(const std::string& python_path) {
  // -I: no environment, no user site, no script dir on sys.path. -S: no site (third-party packages
  // are not offered to submissions; it also trims interpreter start). -B: no .pyc writes.
  return {python_path, "-I", "-S", "-B", "-c", kRunner};
}

std::string EncodePythonJob(PythonMode mode, std::string_view source, std::string_view tests,
                            const JudgeLimits& limits, std::string_view nonce) {
  // "key value" header lines, a blank line, then the code and test bytes back to back.
  std::string job;
  job.reserve(256 + source.size() + tests.size());
  auto field = [&job](std::string_view key, const std::string& value) {
    job.append(key).append(" ").append(value).append("\n");
  };
  field("nonce", std::string(nonce));
  field("mode", mode == PythonMode::kSuite ? "suite" : "stdin");
  field("cpu_ms", std::to_string(limits.cpu_time.count()));
  field("memory", std::to_string(limits.memory_bytes));
  field("nproc", std::to_string(limits.processes));
  field("fsize", std::to_string(limits.file_bytes));
  field("nofile", std::to_string(limits.open_files));
  job.append("code ").append(std::to_string(source.size())).append("\n\n");
  job.append(source).append(tests);
  return job;
}

RunnerReport ParseRunnerReport(std::string_view control, std::string_view nonce) {
  RunnerReport r;
  size_t pos = 0;
  while (pos < control.size()) {
    size_t end = control.find('\n', pos);
    if (end == std::string_view::npos) break;  // an incomplete last line is never trusted
    std::string_view line = control.substr(pos, end - pos);
    pos = end + 1;
    nlohmann::json j = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (!j.is_object() || j.value("nonce", std::string()) != nonce) continue;
    std::string event = j.value("event", std::string());
    if (event == "start" && !r.started) {
      r.started = true;
      r.base_cpu_ms = j.value("cpu_ms", std::int64_t{0});
    } else if (event == "result" && r.started && !r.finished) {
      r.finished = true;
      r.status = j.value("status", std::string());
      r.message = j.value("message", std::string());
      r.index = j.value("index", 0);
      r.line = j.value("line", 0);
      r.test = j.value("test", std::string());
      r.passed = j.value("passed", 0);
      r.total = j.value("total", 0);
    }
  }
  return r;
}

}  // namespace clash::internal
