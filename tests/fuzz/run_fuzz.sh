#!/bin/sh
# Runs one libFuzzer target for LFPSE_FUZZ_SECONDS (default 15) over the kept corpus and crash
# reproducers, writing what it finds to ./found (the build tree), never to the source tree.
# usage: run_fuzz.sh TARGET_EXE CORPUS_DIR [REPRODUCERS_DIR]
set -eu
exe=$1
shift
mkdir -p found
for dir in "$@"; do
  [ -d "$dir" ] && set -- "$@" "$dir"  # a folder git has no file in does not exist
  shift
done
exec "$exe" -max_total_time="${LFPSE_FUZZ_SECONDS:-15}" -rss_limit_mb=2048 -timeout=10 \
  -print_final_stats=1 -artifact_prefix=./ found "$@"
