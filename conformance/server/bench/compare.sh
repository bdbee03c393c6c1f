#!/bin/sh
# Compares two lfpse-server builds on a shared, noisy machine: both serve at once, and short
# create runs alternate between them, so that both meet the same load; the medians are the
# figures to compare. Usage: bench/compare.sh OLD_SERVER NEW_SERVER [rounds] [seconds] [conns]
# [create|metadata]
set -u
here=$(cd "$(dirname "$0")" && pwd)
old=${1:?old lfpse-server}; new=${2:?new lfpse-server}
rounds=${3:-5}; secs=${4:-5}; conns=${5:-16}; what=${6:-create}
threads=$([ "$conns" -eq 1 ] && echo 1 || echo 2)
work=$(mktemp -d /tmp/lfpse-compare-XXXXXX)
"$old" --demo --listen 127.0.0.1:0 --db "$work/old.db" --no-rate-limit --log-level warn \
  >"$work/old.out" 2>"$work/old.err" &
pid_old=$!
"$new" --demo --listen 127.0.0.1:0 --db "$work/new.db" --no-rate-limit --log-level warn \
  >"$work/new.out" 2>"$work/new.err" &
pid_new=$!
trap 'kill $pid_old $pid_new 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do [ -s "$work/old.out" ] && [ -s "$work/new.out" ] && break; sleep 0.1; done
for n in old new; do
  # The same body as run.sh: the SDK's mapping of a real example, with a local id per request.
  url=$(python3 -c 'import json,sys; print(json.loads(open(sys.argv[1]).readline())["url"])' "$work/$n.out")
  admin=$(python3 -c 'import json,sys; print(json.loads(open(sys.argv[1]).readline())["admin_key"])' "$work/$n.out")
  key=$(python3 -c 'import json,sys; print(json.loads(open(sys.argv[1]).readline())["organisations"][0]["api_key"])' "$work/$n.out")
  python3 "$here/make_body.py" "$url" "$admin" \
    "$here/../../../examples/events/v5-01-incident-medication.json" "$work/$n.body"
  echo "$url $key" >"$work/$n.env"
done
for r in $(seq 1 "$rounds"); do
  for n in old new; do
    read -r url key <"$work/$n.env"
    rps=$(BENCH_BODY="$work/$n.body" BENCH_KEY="$key" BENCH_RUN="$r$$" \
      wrk -t"$threads" -c"$conns" -d"${secs}s" --timeout 10s -s "$here/$what.lua" "$url" |
      grep RESULT)
    echo "$n round $r load $(cut -d' ' -f1 /proc/loadavg) $rps" | tee -a "$work/$n.results"
  done
done
for n in old new; do
  printf '%s median %s/s at c=%s: ' "$n" "$what" "$conns"
  sed 's/.*rps=\([0-9]*\).*/\1/' "$work/$n.results" | sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'
done
