// The seccomp filter every sandboxed process runs under (loaded by bubblewrap before exec).
#pragma once

#include <string>

#include "clash/status.h"

namespace clash::internal {

// Returns the compiled BPF program (struct sock_filter[] bytes) for the native architecture.
// The filter allows by default and fails with EPERM: ptrace and process_vm_*, mount and every
// new-mount-API call, namespace creation (unshare, setns, clone with CLONE_NEW*), keyctl/add_key/
// request_key, bpf, perf_event_open, userfaultfd, io_uring, module and kexec calls, reboot, swap,
// clock and hostname changes, chown and set*id calls, mknod, and socket()/socketpair() for any
// family other than AF_UNIX. clone3 fails with ENOSYS so libc falls back to the checked clone.
// Foreign-architecture syscalls kill the process. Internal on libseccomp failure.
//
// kZygote is the filter of a fork-server sandbox (fork_server.h): the same, except that clone with
// namespace flags, unshare, mount/umount and sethostname are allowed, so the zygote can fork its
// executions into fresh namespaces that mount their own tmpfs and /proc and name their UTS
// namespace. Each child loads the kPlayer filter on top (filters stack) before the
// player's code runs.
enum class SeccompProfile { kPlayer, kZygote };
Result<std::string> BuildSeccompBpf(SeccompProfile profile = SeccompProfile::kPlayer);

}  // namespace clash::internal
