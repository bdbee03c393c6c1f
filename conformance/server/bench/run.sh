#!/bin/sh
# Benchmark of lfpse-server (issue 4, Performance): durable creates/s of ~5 KB events at 1, 16
# and 64 connections with p50/p99, the metadata ceiling, and the server's peak RSS.
# Usage: conformance/server/bench/run.sh [path/to/lfpse-server] [seconds per run]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
server=${1:-$here/../../../build/conformance/server/lfpse-server}
secs=${2:-10}
work=$(mktemp -d /tmp/lfpse-bench-XXXXXX)
command -v wrk >/dev/null || { echo "wrk is needed (apt-get install wrk)"; exit 2; }

"$server" --demo --listen 127.0.0.1:0 --db "$work/bench.db" --no-rate-limit --log-level warn \
  >"$work/stdout" 2>"$work/stderr" &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; [ -n "${BENCH_KEEP:-}" ] || rm -rf "$work"' EXIT
for _ in $(seq 1 100); do [ -s "$work/stdout" ] && break; sleep 0.1; done
first=$(head -n 1 "$work/stdout")
url=$(printf '%s' "$first" | python3 -c 'import json,sys; print(json.load(sys.stdin)["url"])')
key=$(printf '%s' "$first" | python3 -c 'import json,sys; print(json.load(sys.stdin)["organisations"][0]["api_key"])')
admin=$(printf '%s' "$first" | python3 -c 'import json,sys; print(json.load(sys.stdin)["admin_key"])')

# The body: the SDK's own mapping of a real example (through the admin endpoint), with the
# identifier made a local id the Lua script fills in per request.
python3 "$here/make_body.py" "$url" "$admin" \
  "$here/../../../examples/events/v5-01-incident-medication.json" "$work/body.json"
echo "body: $(wc -c <"$work/body.json") bytes; server pid $pid; $(nproc) cores; ${secs}s per run"

run=0
for conns in 1 16 64; do
  run=$((run + 1))
  threads=$([ "$conns" -eq 1 ] && echo 1 || echo 2)
  printf 'creates    c=%-3s ' "$conns"
  BENCH_BODY="$work/body.json" BENCH_KEY="$key" BENCH_RUN="$run$$" \
    wrk -t"$threads" -c"$conns" -d"${secs}s" --timeout 10s -s "$here/create.lua" "$url" | grep RESULT
done
for conns in 16 64; do
  printf 'metadata   c=%-3s ' "$conns"
  wrk -t2 -c"$conns" -d"${secs}s" -s "$here/metadata.lua" "$url" | grep RESULT
done
echo "peak RSS: $(grep VmHWM /proc/$pid/status | awk '{print $2, $3}')"
echo "events stored: $(sqlite3 "file:$work/bench.db?mode=ro" 'SELECT count(*) FROM events')"
kill -TERM $pid
wait $pid 2>/dev/null || true
grep -h "writes in" "$work/stderr" || true
