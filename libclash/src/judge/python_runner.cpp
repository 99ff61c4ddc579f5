#include "judge/python_runner.h"

#include <nlohmann/json.hpp>

namespace clash::internal {
namespace {

// Kept short and dependency-free: it runs before every Python submission. Names are bound as
// default arguments so the player's code cannot swap the builtins the reporter uses.
constexpr const char* kRunner = R"PY(
import os, sys, json, json.encoder, resource, ast, traceback, linecache, gc
def _clash_job(os=os, sys=sys, json=json, resource=resource, ast=ast, traceback=traceback, linecache=linecache):
    buf = bytearray()
    while True:
        chunk = os.read(3, 1 << 16)
        if not chunk:
            break
        buf += chunk
    job = json.loads(bytes(buf))
    del buf
    esc = json.encoder.encode_basestring_ascii
    def report(fields, _n=job.pop('nonce'), _pid=os.getpid(), _getpid=os.getpid, _w=os.write,
               _esc=esc, _str=str, _int=int, _isinstance=isinstance):
        if _getpid() != _pid:
            return
        parts = ['"nonce":' + _esc(_n)]
        for k, v in fields.items():
            parts.append(_esc(k) + ':' + (_esc(v) if _isinstance(v, _str) else _str(_int(v))))
        _w(3, ('{' + ','.join(parts) + '}\n').encode())
    def finish(fields, _exit=os._exit, _flush=sys.stdout.flush, _eflush=sys.stderr.flush):
        try:
            _flush()
            _eflush()
        except BaseException:
            pass
        report(fields)
        _exit(0)
    def excerpt(e):
        return ''.join(traceback.format_exception_only(type(e), e)).strip()[-2000:]
    ru = resource.getrusage(resource.RUSAGE_SELF)
    base = ru.ru_utime + ru.ru_stime
    cpu = int(base + job['cpu_ms'] / 1000.0 + 0.999)
    for res, val in ((resource.RLIMIT_CPU, (cpu, cpu + 1)),
                     (resource.RLIMIT_AS, (job['memory'], job['memory'])),
                     (resource.RLIMIT_NPROC, (job['nproc'], job['nproc'])),
                     (resource.RLIMIT_FSIZE, (job['fsize'], job['fsize'])),
                     (resource.RLIMIT_NOFILE, (job['nofile'], job['nofile']))):
        resource.setrlimit(res, val)
    report({'event': 'start', 'cpu_ms': int(base * 1000)})
    suite = job['mode'] == 'suite'
    code, tests = job.pop('code'), job.pop('tests')
    linecache.cache['main.py'] = (len(code), None, code.splitlines(True), 'main.py')
    try:
        compiled = compile(code, 'main.py', 'exec')
    except (SyntaxError, ValueError) as e:
        finish({'event': 'result', 'status': 'compile_error', 'message': excerpt(e)})
    try:
        tree = ast.parse(tests, 'tests.py') if suite else None
    except (SyntaxError, ValueError) as e:
        finish({'event': 'result', 'status': 'bad_tests', 'message': excerpt(e)})
    total = sum(1 for s in tree.body if isinstance(s, ast.Assert)) if suite else 0
    del code, job
    g = {'__name__': '__main__', '__builtins__': __builtins__, '__file__': 'main.py'}
    gc.collect()
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
        traceback.print_exc()
        finish({'event': 'result', 'status': 'runtime_error', 'message': excerpt(e)})
    if not suite:
        finish({'event': 'result', 'status': 'ok'})
    linecache.cache['tests.py'] = (len(tests), None, tests.splitlines(True), 'tests.py')
    index = 0
    for stmt in tree.body:
        is_assert = isinstance(stmt, ast.Assert)
        try:
            exec(compile(ast.Module([stmt], []), 'tests.py', 'exec'), g)
        except AssertionError as e:
            frames = traceback.extract_tb(e.__traceback__)
            if is_assert and frames and frames[-1].filename == 'tests.py':
                finish({'event': 'result', 'status': 'wrong_answer', 'index': index,
                        'line': stmt.lineno, 'test': ast.get_source_segment(tests, stmt) or '',
                        'message': str(e)[:2000], 'passed': index, 'total': total})
            traceback.print_exc()
            finish({'event': 'result', 'status': 'runtime_error', 'message': excerpt(e),
                    'passed': index, 'total': total})
        except MemoryError:
            finish({'event': 'result', 'status': 'memory_limit', 'message': 'MemoryError',
                    'passed': index, 'total': total})
        except SystemExit as e:
            finish({'event': 'result', 'status': 'runtime_error', 'passed': index, 'total': total,
                    'message': 'the program exited (code %r) during its tests' % (e.code,)})
        except BaseException as e:
            traceback.print_exc()
            finish({'event': 'result', 'status': 'runtime_error', 'message': excerpt(e),
                    'passed': index, 'total': total})
        if is_assert:
            index += 1
    finish({'event': 'result', 'status': 'ok', 'passed': index, 'total': total})
_clash_job()
)PY";

}  // namespace

std::vector<std::string> PythonRunnerArgv(const std::string& python_path) {
  return {python_path, "-I", "-B", "-c", kRunner};
}

std::string EncodePythonJob(PythonMode mode, std::string_view source, std::string_view tests,
                            const JudgeLimits& limits, std::string_view nonce) {
  nlohmann::json j = {
      {"nonce", nonce},
      {"mode", mode == PythonMode::kSuite ? "suite" : "stdin"},
      {"code", source},
      {"tests", tests},
      {"cpu_ms", limits.cpu_time.count()},
      {"memory", limits.memory_bytes},
      {"nproc", limits.processes},
      {"fsize", limits.file_bytes},
      {"nofile", limits.open_files},
  };
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
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
