// The trusted Python prelude of every Python execution (see python_runner.h for the protocol).
#include "judge/python_runner.h"

namespace clash::internal {
namespace {

// Kept dependency-light: it is imported before every submission (cold path) or once per zygote.
// Names are bound as default arguments, so the player's code cannot swap the builtins the
// reporter uses by patching the builtins module. The player's code shares this process and can
// still rewrite anything here; nothing it can do turns into an accepted verdict: a run counts only
// with a complete, well-formed result stream, and data cases are compared by the judge against
// expected values this process never receives.
constexpr const char* kHarness = R"PY(
import os, sys, resource, json
class _ClashUnencodable(Exception):
    pass
def _clash_encode(v, d=0, _type=type, _bool=bool, _int=int, _float=float, _str=str, _list=list,
                  _tuple=tuple, _dict=dict, _set=set, _frozenset=frozenset, _none=type(None),
                  _repr=int.__repr__, _items=dict.items, _isnan=float.__ne__, _Bad=_ClashUnencodable):
    if d > 100:
        raise _Bad('a value nested deeper than 100 levels')
    t = _type(v)
    if t is _none or t is _bool:
        return v
    if t is _int:
        if -9223372036854775808 <= v <= 9223372036854775807:
            return v
        try:
            return {'$int': _repr(v)}
        except ValueError:
            raise _Bad('an int with more than 4300 digits')
    if t is _float:
        if _isnan(v, v):
            return {'$float': 'nan'}
        if v in (1e400, -1e400):
            return {'$float': 'inf' if v > 0 else '-inf'}
        return v
    if t is _str:
        try:
            v.encode('utf-8')
        except UnicodeError:
            raise _Bad('a str with lone surrogates')
        return v
    if t is _list:
        return [_clash_encode(x, d + 1) for x in v]
    if t is _tuple:
        return {'$tuple': [_clash_encode(x, d + 1) for x in v]}
    if t is _dict:
        return {'$dict': [[_clash_encode(k, d + 1), _clash_encode(x, d + 1)] for k, x in _items(v)]}
    if t is _set or t is _frozenset:
        return {'$set' if t is _set else '$frozenset': [_clash_encode(x, d + 1) for x in v]}
    try:
        name = _str(t.__name__)
    except BaseException:
        name = '?'
    raise _Bad('type ' + name[:100])
def _clash_decode(x, _type=type, _list=list, _dict=dict, _int=int, _float=float, _tuple=tuple,
                  _frozenset=frozenset):
    t = _type(x)
    if t is _list:
        return [_clash_decode(i) for i in x]
    if t is not _dict:
        return x
    (k, v), = x.items()
    if k == '$int':
        return _int(v)
    if k == '$float':
        return _float(v)
    if k == '$tuple':
        return _tuple(_clash_decode(i) for i in v)
    if k == '$dict':
        return {_clash_decode(a): _clash_decode(b) for a, b in v}
    if k == '$set':
        return {_clash_decode(i) for i in v}
    return _frozenset(_clash_decode(i) for i in v)
def _clash_job(fd=3, os=os, sys=sys, resource=resource, json=json, encode=_clash_encode,
               decode=_clash_decode, Bad=_ClashUnencodable):
    buf = bytearray()
    while True:
        chunk = os.read(fd, 1 << 16)
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
    def report(fields, raw='', _n=job.pop('nonce'), _pid=os.getpid(), _getpid=os.getpid, _w=os.write,
               _table=table, _str=str, _int=int, _isinstance=isinstance):
        if _getpid() != _pid:
            return
        parts = ['"nonce":"' + _n + '"']
        for k, v in fields.items():
            parts.append('"' + k + '":' + ('"' + v.translate(_table) + '"' if _isinstance(v, _str) else _str(_int(v))))
        data = ('{' + ','.join(parts) + raw + '}\n').encode('utf-8', 'replace')
        while data:
            data = data[_w(fd, data):]
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
    mode = job['mode']
    suite = mode == 'suite'
    try:
        compiled = compile(code, 'main.py', 'exec')
    except (SyntaxError, ValueError) as e:
        finish({'event': 'result', 'status': 'compile_error', 'message': excerpt(e)})
    try:
        compiled_tests = compile(tests, 'tests.py', 'exec') if suite else None
        spec = json.loads(tests) if mode == 'data' else None
    except (SyntaxError, ValueError) as e:
        finish({'event': 'result', 'status': 'bad_tests', 'message': excerpt(e)})
    if mode == 'data':
        tests = ''
    lines = tests.split('\n')
    asserts = [i + 1 for i, l in enumerate(lines) if l.startswith('assert') and l[6:7] in (' ', '(')]
    total = len(asserts)
    g = {'__name__': '__main__', '__builtins__': __builtins__, '__file__': 'main.py'}
    try:
        exec(compiled, g)
    except SystemExit as e:
        if mode == 'stdin' and (e.code is None or e.code == 0):
            finish({'event': 'result', 'status': 'ok'})
        finish({'event': 'result', 'status': 'runtime_error',
                'message': 'the program exited with code %r' % (e.code,) if mode == 'stdin'
                           else 'the program exited (code %r) before its tests ran' % (e.code,)})
    except MemoryError:
        finish({'event': 'result', 'status': 'memory_limit', 'message': 'MemoryError'})
    except BaseException as e:
        print_tb(e)
        finish({'event': 'result', 'status': 'runtime_error', 'message': excerpt(e)})
    if mode == 'stdin':
        finish({'event': 'result', 'status': 'ok'})
    if mode == 'data':
        try:
            run_cases(spec, g, report, print_tb, excerpt, encode, decode, Bad, json.dumps)
        except SystemExit as e:
            finish({'event': 'result', 'status': 'runtime_error',
                    'message': 'the program exited (code %r) during its cases' % (e.code,)})
        except MemoryError:
            finish({'event': 'result', 'status': 'memory_limit', 'message': 'MemoryError'})
        except BaseException as e:
            print_tb(e)
            finish({'event': 'result', 'status': 'runtime_error', 'message': excerpt(e)})
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
def run_cases(spec, g, report, print_tb, excerpt, encode, decode, Bad, dumps, _type=type,
              _str=str, _getattr=getattr, _enumerate=enumerate, _get=dict.get, _callable=callable):
    # One "case" record per case, in order, written as soon as the case has run: {"index": k,
    # "value": <encoded result>} (class mode: the list of per-op results), a raising call as
    # {"$raises": "Name"} with "error" (its message), an unencodable result as "unencodable"
    # (the type's name) and "op" (class mode).
    entry = spec['entry']
    target = _get(g, entry)
    if target is None or not _callable(target):
        raise NameError("name '%s' is not defined: the code must define %s" % (entry, entry))
    shown = [False]
    def failed(e):
        if isinstance(e, MemoryError):
            raise e
        if not shown[0]:
            shown[0] = True
            print_tb(e)
        try:
            name = _str(_type(e).__name__)
        except BaseException:
            name = 'Exception'
        return {'$raises': name}, excerpt(e)
    def call(f, args):
        try:
            return encode(f(*decode(args))), None, None
        except Bad as e:
            return None, None, _str(e.args[0])
        except Exception as e:
            v, msg = failed(e)
            return v, msg, None
    for k, item in _enumerate(spec['calls']):
        fields = {'event': 'case', 'index': k}
        if spec['mode'] == 'function':
            value, error, bad = call(target, item)
        else:
            value, error, bad, obj = [], None, None, None
            for j, (method, args) in _enumerate(item):
                if j == 0:
                    try:
                        obj = target(*decode(args))
                        v, msg = None, None
                    except Exception as e:
                        v, msg = failed(e)
                        value.append(v)
                        error = msg
                        break
                else:
                    v, msg, bad = call(lambda *a, _o=obj, _m=method: _getattr(_o, _m)(*a), args)
                    if bad is not None:
                        fields['op'] = j
                        break
                value.append(v)
                if msg is not None and error is None:
                    error = msg
        if error is not None:
            fields['error'] = error
        if bad is not None:
            fields['unencodable'] = bad
            report(fields)
        else:
            report(fields, ',"value":' + dumps(value))
)PY";

}  // namespace

const char* PythonHarness() { return kHarness; }

}  // namespace clash::internal
