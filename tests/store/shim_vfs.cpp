#include "shim_vfs.hpp"

namespace shim {

namespace {

int v_access(sqlite3_vfs*, const char* name, int flags, int* out) {
  return real_vfs()->xAccess(real_vfs(), name, flags, out);
}
int v_full(sqlite3_vfs*, const char* name, int n, char* out) {
  return real_vfs()->xFullPathname(real_vfs(), name, n, out);
}
int v_random(sqlite3_vfs*, int n, char* out) { return real_vfs()->xRandomness(real_vfs(), n, out); }
int v_sleep(sqlite3_vfs*, int us) { return real_vfs()->xSleep(real_vfs(), us); }
int v_time(sqlite3_vfs*, double* out) { return real_vfs()->xCurrentTime(real_vfs(), out); }
int v_error(sqlite3_vfs*, int n, char* out) {
  return real_vfs()->xGetLastError(real_vfs(), n, out);
}
int v_time64(sqlite3_vfs*, sqlite3_int64* out) {
  return real_vfs()->xCurrentTimeInt64(real_vfs(), out);
}

}  // namespace

sqlite3_vfs* real_vfs() {
  // Found before any shim is registered; shims never register as the default.
  static sqlite3_vfs* const real = sqlite3_vfs_find(nullptr);
  return real;
}

sqlite3_vfs make(const char* name, int own_file_bytes, OpenFn open, DeleteFn del) {
  sqlite3_vfs vfs{};
  vfs.iVersion = 2;
  vfs.szOsFile = own_file_bytes + real_vfs()->szOsFile;
  vfs.mxPathname = real_vfs()->mxPathname;
  vfs.zName = name;
  vfs.xOpen = open;
  vfs.xDelete = del;
  vfs.xAccess = v_access;
  vfs.xFullPathname = v_full;
  vfs.xRandomness = v_random;
  vfs.xSleep = v_sleep;
  vfs.xCurrentTime = v_time;
  vfs.xGetLastError = v_error;
  vfs.xCurrentTimeInt64 = v_time64;
  return vfs;
}

}  // namespace shim
