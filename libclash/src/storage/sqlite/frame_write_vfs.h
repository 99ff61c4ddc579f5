// Internal: an SQLite VFS over the platform's default one that writes each WAL frame with one
// system call instead of two.
//
// SQLite appends a WAL frame as two writes, its 24-byte header and then the page right after it.
// Under a steady stream of small transactions those header writes are a third of all the writer's
// system calls. This VFS holds a frame header back until the write that follows it and, when that
// write is the frame's page, writes both at once. Anything else (another write, a read, a sync, a
// truncate, a size query, close) first writes the header out, so no other operation ever sees the
// file without it; other connections only read frames after the commit that wrote them, which
// ends with the page write. All other files and operations go straight to the default VFS.
// Not part of the public API.
#pragma once

namespace clash::internal {

// The name to pass to sqlite3_open_v2 (the VFS is registered on the first call).
const char* FrameWriteVfsName();

}  // namespace clash::internal
