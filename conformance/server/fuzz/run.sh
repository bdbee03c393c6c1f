#!/bin/sh
# Runs the handler fuzz target: 15 s by default (CI), longer with FUZZ_SECONDS.
# Usage: conformance/server/fuzz/run.sh BUILD_DIR   (configured with clang and -DLFPSE_BUILD_FUZZ=ON)
set -eu
build=${1:?build directory}
secs=${FUZZ_SECONDS:-15}
corpus=$(mktemp -d /tmp/lfpse-fuzz-corpus-XXXXXX)
trap 'rm -rf "$corpus"' EXIT
"$build/conformance/server/fuzz_server_handlers" -max_total_time="$secs" -max_len=65536 "$corpus"
