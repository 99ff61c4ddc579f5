#include "judge/seccomp_filter.h"

#include <errno.h>
#include <sched.h>
#include <seccomp.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>
#include <string_view>

#include "judge/unique_fd.h"

namespace clash::internal {
namespace {

constexpr const char* kDenied[] = {
    "ptrace", "process_vm_readv", "process_vm_writev", "kcmp", "pidfd_getfd",
    "mount", "umount", "umount2", "pivot_root", "chroot", "move_mount", "fsopen", "fsconfig",
    "fsmount", "fspick", "open_tree", "mount_setattr",
    "unshare", "setns",
    "keyctl", "add_key", "request_key",
    "bpf", "perf_event_open", "userfaultfd", "fanotify_init", "lookup_dcookie",
    "io_uring_setup", "io_uring_enter", "io_uring_register",
    "init_module", "finit_module", "delete_module", "kexec_load", "kexec_file_load",
    "reboot", "swapon", "swapoff", "acct", "quotactl", "syslog", "iopl", "ioperm", "vhangup",
    "settimeofday", "clock_settime", "clock_adjtime", "adjtimex", "sethostname", "setdomainname",
    "open_by_handle_at", "name_to_handle_at", "mknod", "mknodat",
    "chown", "fchown", "lchown", "fchownat",
    "setuid", "setgid", "setreuid", "setregid", "setresuid", "setresgid", "setgroups",
    "setfsuid", "setfsgid",
};

constexpr unsigned long kNamespaceFlags[] = {
    CLONE_NEWNS, CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET, CLONE_NEWIPC, CLONE_NEWUTS,
    CLONE_NEWCGROUP, 0x00000080 /* CLONE_NEWTIME */,
};

struct CtxDeleter {
  void operator()(scmp_filter_ctx ctx) const { seccomp_release(ctx); }
};

Status Fail(const char* what, int rc) {
  return Status::Internal(std::string("seccomp: ") + what + " failed (" + std::to_string(-rc) + ")");
}

bool ZygoteMayUse(std::string_view name) {
  return name == "unshare" || name == "mount" || name == "umount" || name == "umount2" || name == "sethostname";
}

}  // namespace

Result<std::string> BuildSeccompBpf(SeccompProfile profile) {
  std::unique_ptr<void, CtxDeleter> ctx(seccomp_init(SCMP_ACT_ALLOW));
  if (!ctx) return Status::Internal("seccomp: seccomp_init failed");
  int rc = seccomp_attr_set(ctx.get(), SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS);
  if (rc != 0) return Fail("badarch attribute", rc);
  const std::uint32_t eperm = SCMP_ACT_ERRNO(EPERM);
  for (const char* name : kDenied) {
    if (profile == SeccompProfile::kZygote && ZygoteMayUse(name)) continue;
    int nr = seccomp_syscall_resolve_name(name);
    if (nr == __NR_SCMP_ERROR) continue;  // not on this architecture
    rc = seccomp_rule_add(ctx.get(), eperm, nr, 0);
    if (rc != 0) return Fail(name, rc);
  }
  // The zygote clones its executions straight into new namespaces.
  for (unsigned long flag : kNamespaceFlags) {
    if (profile == SeccompProfile::kZygote) break;
    rc = seccomp_rule_add(ctx.get(), eperm, SCMP_SYS(clone), 1, SCMP_A0(SCMP_CMP_MASKED_EQ, flag, flag));
    if (rc != 0) return Fail("clone", rc);
  }
  rc = seccomp_rule_add(ctx.get(), SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0);
  if (rc != 0) return Fail("clone3", rc);
  for (int sys : {SCMP_SYS(socket), SCMP_SYS(socketpair)}) {
    rc = seccomp_rule_add(ctx.get(), eperm, sys, 1, SCMP_A0(SCMP_CMP_NE, AF_UNIX));
    if (rc != 0) return Fail("socket", rc);
  }

  UniqueFd mem(memfd_create("clash-seccomp", MFD_CLOEXEC));
  if (!mem.valid()) return Status::Internal("seccomp: memfd_create failed");
  rc = seccomp_export_bpf(ctx.get(), mem.get());
  if (rc != 0) return Fail("export", rc);
  off_t size = lseek(mem.get(), 0, SEEK_END);
  if (size <= 0 || lseek(mem.get(), 0, SEEK_SET) != 0) return Status::Internal("seccomp: empty filter");
  std::string bpf(static_cast<size_t>(size), '\0');
  size_t got = 0;
  while (got < bpf.size()) {
    ssize_t n = read(mem.get(), bpf.data() + got, bpf.size() - got);
    if (n <= 0) return Status::Internal("seccomp: reading the exported filter failed");
    got += static_cast<size_t>(n);
  }
  return bpf;
}

}  // namespace clash::internal
