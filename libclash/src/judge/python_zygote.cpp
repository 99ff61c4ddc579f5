// The Python fork server's own code (see fork_server.h for the design and the protocol).
#include "judge/fork_server.h"

#include "judge/python_runner.h"

namespace clash::internal {
namespace {

// Runs after the harness's definitions, in a sandbox started with SpawnSpec::zygote: uid 0 with
// CAP_SYS_ADMIN in the sandbox's own user namespace, the kZygote seccomp filter, fd 3 a
// SOCK_SEQPACKET channel to the judge. After its imports it enters the C loop of
// libclash-zygote.so for good; only the player process of an execution comes back to Python,
// after it has left every namespace and capability behind.
constexpr const char* kZygote = R"PY(
import ctypes, gc
def _clash_zygote(os=os):
    helper = ctypes.PyDLL('/clash-zygote.so')
    helper.clash_zygote_serve.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_size_t]
    with open('/tmp/clash-player.bpf', 'rb') as f:
        bpf = f.read()
    os.unlink('/tmp/clash-player.bpf')
    gc.collect()
    gc.freeze()  # the players' collections then leave the zygote's objects (and their pages) alone
    os.write(3, b'ready')
    # Returns only in an execution's player process (tools/zygote_helper.cpp), everything in place.
    if helper.clash_zygote_serve(3, bpf, len(bpf)) != 0:
        os._exit(1)
    ctypes.pythonapi.PyOS_AfterFork_Child()
    _clash_job(3)
_clash_zygote()
)PY";

}  // namespace

std::vector<std::string> PythonZygoteArgv(const std::string& python_path) {
  return {python_path, "-I", "-S", "-B", "-c", std::string(PythonHarness()) + kZygote};
}

}  // namespace clash::internal
