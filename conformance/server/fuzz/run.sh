#!/bin/sh
# Runs the handler fuzz target: 15 s by default (CI), longer with FUZZ_SECONDS.
# Usage: conformance/server/fuzz/run.sh BUILD_DIR   (configured with clang and -DLFPSE_BUILD_FUZZ=ON)
# It starts from the committed seeds (corpus/, only read); new inputs and crash reproducers go
# to BUILD_DIR/conformance/server/fuzz-found/.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:?build directory}" && pwd)
secs=${FUZZ_SECONDS:-${LFPSE_FUZZ_SECONDS:-15}}
found="$build/conformance/server/fuzz-found"
mkdir -p "$found"
cd "$found"
exec "$build/conformance/server/fuzz_server_handlers" -max_total_time="$secs" -max_len=65536 \
  -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 -artifact_prefix="$found/" \
  "$found" "$here/corpus"
