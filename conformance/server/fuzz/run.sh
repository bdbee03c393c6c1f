#!/bin/sh
# Runs a fuzz target: 15 s by default (CI), longer with FUZZ_SECONDS.
# Usage: conformance/server/fuzz/run.sh BUILD_DIR [handlers|http]
#   (configured with clang and -DLFPSE_BUILD_FUZZ=ON; `http` fuzzes the HTTP layer's parsing)
# It starts from the committed seeds (corpus/ or http-corpus/, only read); new inputs and crash
# reproducers go to BUILD_DIR/conformance/server/fuzz-found/ (fuzz-found-http/).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:?build directory}" && pwd)
secs=${FUZZ_SECONDS:-${LFPSE_FUZZ_SECONDS:-15}}
target=fuzz_server_handlers seeds="$here/corpus" found="$build/conformance/server/fuzz-found"
if [ "${2:-handlers}" = http ]; then
  target=fuzz_server_http seeds="$here/http-corpus" found="$build/conformance/server/fuzz-found-http"
fi
mkdir -p "$found"
cd "$found"
exec "$build/conformance/server/$target" -max_total_time="$secs" -max_len=65536 \
  -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 -artifact_prefix="$found/" \
  "$found" "$seeds"
