#include "storage/sqlite/frame_write_vfs.h"

#include <sqlite3.h>

#include <cstring>
#include <mutex>
#include <new>
#include <vector>

namespace clash::internal {
namespace {

constexpr int kFrameHeaderBytes = 24;  // WAL_FRAME_HDRSIZE in SQLite's wal.c

sqlite3_vfs* g_default = nullptr;  // the VFS this one forwards to
sqlite3_vfs g_vfs;

// A WAL file: this struct, then the default VFS's own file object.
struct WalFile {
  sqlite3_file base;  // must come first: SQLite sees a WalFile as an sqlite3_file
  sqlite3_file* real = nullptr;
  bool pending = false;  // header holds a frame header not yet written
  sqlite3_int64 header_offset = 0;
  unsigned char header[kFrameHeaderBytes] = {};
  std::vector<unsigned char> frame;  // header + page, written together
};

constexpr int RealFileOffset() { return static_cast<int>((sizeof(WalFile) + 7) & ~std::size_t{7}); }

WalFile* Self(sqlite3_file* file) { return reinterpret_cast<WalFile*>(file); }
const sqlite3_io_methods& Real(WalFile* f) { return *f->real->pMethods; }

int Flush(WalFile* f) {
  if (!f->pending) return SQLITE_OK;
  f->pending = false;
  return Real(f).xWrite(f->real, f->header, kFrameHeaderBytes, f->header_offset);
}

int Close(sqlite3_file* file) {
  WalFile* f = Self(file);
  int flushed = Flush(f);
  int closed = Real(f).xClose(f->real);
  f->~WalFile();
  return flushed != SQLITE_OK ? flushed : closed;
}

int Read(sqlite3_file* file, void* out, int amount, sqlite3_int64 offset) {
  WalFile* f = Self(file);
  if (int rc = Flush(f); rc != SQLITE_OK) return rc;
  return Real(f).xRead(f->real, out, amount, offset);
}

int Write(sqlite3_file* file, const void* data, int amount, sqlite3_int64 offset) {
  WalFile* f = Self(file);
  if (f->pending) {
    if (offset == f->header_offset + kFrameHeaderBytes) {
      // The page of the frame whose header is held: one write for both.
      f->pending = false;
      f->frame.resize(static_cast<std::size_t>(kFrameHeaderBytes + amount));
      std::memcpy(f->frame.data(), f->header, kFrameHeaderBytes);
      std::memcpy(f->frame.data() + kFrameHeaderBytes, data, static_cast<std::size_t>(amount));
      return Real(f).xWrite(f->real, f->frame.data(), kFrameHeaderBytes + amount, f->header_offset);
    }
    if (int rc = Flush(f); rc != SQLITE_OK) return rc;
  }
  if (amount == kFrameHeaderBytes) {
    std::memcpy(f->header, data, kFrameHeaderBytes);
    f->header_offset = offset;
    f->pending = true;
    return SQLITE_OK;
  }
  return Real(f).xWrite(f->real, data, amount, offset);
}

int Truncate(sqlite3_file* file, sqlite3_int64 size) {
  WalFile* f = Self(file);
  if (int rc = Flush(f); rc != SQLITE_OK) return rc;
  return Real(f).xTruncate(f->real, size);
}

int Sync(sqlite3_file* file, int flags) {
  WalFile* f = Self(file);
  if (int rc = Flush(f); rc != SQLITE_OK) return rc;
  return Real(f).xSync(f->real, flags);
}

int FileSize(sqlite3_file* file, sqlite3_int64* size) {
  WalFile* f = Self(file);
  if (int rc = Flush(f); rc != SQLITE_OK) return rc;
  return Real(f).xFileSize(f->real, size);
}

int Lock(sqlite3_file* file, int level) { return Real(Self(file)).xLock(Self(file)->real, level); }
int Unlock(sqlite3_file* file, int level) { return Real(Self(file)).xUnlock(Self(file)->real, level); }
int CheckReservedLock(sqlite3_file* file, int* out) {
  return Real(Self(file)).xCheckReservedLock(Self(file)->real, out);
}

int FileControl(sqlite3_file* file, int op, void* arg) {
  WalFile* f = Self(file);
  if (int rc = Flush(f); rc != SQLITE_OK) return rc;
  return Real(f).xFileControl(f->real, op, arg);
}

int SectorSize(sqlite3_file* file) { return Real(Self(file)).xSectorSize(Self(file)->real); }
int DeviceCharacteristics(sqlite3_file* file) { return Real(Self(file)).xDeviceCharacteristics(Self(file)->real); }

// Version 1: SQLite maps shared memory and pages through the database file, never the WAL file.
const sqlite3_io_methods kWalMethods = {
    1,        Close,         Read, Write, Truncate, Sync, FileSize, Lock, Unlock, CheckReservedLock, FileControl,
    SectorSize, DeviceCharacteristics, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr};

int Open(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* file, int flags, int* out_flags) {
  if ((flags & SQLITE_OPEN_WAL) == 0) return g_default->xOpen(g_default, name, file, flags, out_flags);
  auto* f = new (file) WalFile();
  f->base.pMethods = nullptr;
  f->real = reinterpret_cast<sqlite3_file*>(reinterpret_cast<char*>(file) + RealFileOffset());
  f->real->pMethods = nullptr;
  int rc = g_default->xOpen(g_default, name, f->real, flags, out_flags);
  if (rc != SQLITE_OK) {
    if (f->real->pMethods != nullptr) f->real->pMethods->xClose(f->real);
    f->~WalFile();
    file->pMethods = nullptr;
    return rc;
  }
  f->base.pMethods = &kWalMethods;
  return SQLITE_OK;
}

}  // namespace

const char* FrameWriteVfsName() {
  static std::once_flag once;
  std::call_once(once, [] {
    g_default = sqlite3_vfs_find(nullptr);
    // Everything but opening files is the default VFS's own (same functions, same app data).
    g_vfs = *g_default;
    g_vfs.pNext = nullptr;
    g_vfs.zName = "clash-frame-write";
    g_vfs.szOsFile = RealFileOffset() + g_default->szOsFile;
    g_vfs.xOpen = Open;
    sqlite3_vfs_register(&g_vfs, /*makeDflt=*/0);
  });
  return g_vfs.zName;
}

}  // namespace clash::internal
