#!/bin/sh
# Runs the handler fuzz target: 15 s by default (CI), longer with FUZZ_SECONDS.
# Usage: conformance/server/fuzz/run.sh BUILD_DIR   (configured with clang and -DLFPSE_BUILD_FUZZ=ON)
set -eu
build=$(cd "${1:?build directory}" && pwd)
secs=${FUZZ_SECONDS:-${LFPSE_FUZZ_SECONDS:-15}}
corpus=$(mktemp -d /tmp/lfpse-fuzz-corpus-XXXXXX)
# Crash reproducers are written next to the corpus and kept when the run fails.
trap '[ $? -eq 0 ] && rm -rf "$corpus"' EXIT
cd "$corpus"
"$build/conformance/server/fuzz_server_handlers" -max_total_time="$secs" -max_len=65536 \
  -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 "$corpus"
