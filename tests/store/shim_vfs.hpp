// What the tests' VFSes share: each sits over SQLite's default VFS, keeps state of its own in
// front of every real file (szOsFile), and replaces xOpen and xDelete; every other method of
// the VFS object passes straight through to the default one.
#pragma once

#include <sqlite3.h>

namespace shim {

using OpenFn = int (*)(sqlite3_vfs*, sqlite3_filename, sqlite3_file*, int, int*);
using DeleteFn = int (*)(sqlite3_vfs*, const char*, int);

/// SQLite's default VFS, the one every shim passes through to.
sqlite3_vfs* real_vfs();

/// A VFS named `name` whose files are `own_file_bytes` of the shim's followed by the default
/// VFS's file, opened by `open` and deleted by `del`. The caller registers it.
sqlite3_vfs make(const char* name, int own_file_bytes, OpenFn open, DeleteFn del);

}  // namespace shim
