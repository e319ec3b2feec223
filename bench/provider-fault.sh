#!/usr/bin/env bash
# A provider goes bad mid-fetch (issue 14, benchmarks 2 and 3): a fetching node pins a DAG two providers
# hold, one reached directly, the other through a fault proxy; when half of the DAG's bytes have arrived
# the proxied path turns bad. FAULT=slow (default, benchmark 2): 300 ms RTT and 512 KB/s; bar: the pin's
# rate is back to 80% of the healthy provider's own rate within 5 s. FAULT=vanish (benchmark 3): the path
# is blackholed with the connection left open; bars: the fetcher lets the peer go within 40 s (its
# keep-alive), and the pin finishes from the other provider. The route optimizer (quality) beside the
# static routing, in the same run.
#
#   bench/provider-fault.sh RESULTS_DIR        e.g. bench/provider-fault.sh bench/results/$(date +%F)-provider-fault
#   QUICK=1 bench/provider-fault.sh /tmp/pf     smoke test: 32 MiB, 1 run
#
# Setup: two provider daemons P1 and P2 add the same file of FILE_MIB MiB (the bench's AES-CTR stream,
# cid-version=1: 256 KiB chunks, raw leaves), so they hold the same DAG under the same root. Each run, in
# this order (runs interleave):
#   healthy  a fresh fetching daemon connected to P1 only pins the DAG: the healthy provider's own rate
#            (DagLoad pin), the yardstick of the recovery;
#   static   a fresh fetching daemon with routeOptimizer.target=(cairn.strategy=static) (bitswap asks
#            peers in the order they answered and never moves a want) connects to P1 directly and to P2
#            through an in-process FaultProxy (io.cairn.bench.ProviderFault), pins the root, and the proxy
#            turns bad at half the bytes: DELAY_MS each way, RATE bytes/s each way, a BUFFER-byte link
#            (slow), or blackholed (vanish);
#   quality  the same with the defaults (the route optimizer: slow peers bypassed, their wants moved).
# Reported per run and as medians: total MB/s, MB/s before and after the fault, and the recovery time
# (fault to the end of the first one-second window at 80% of the healthy rate; none: the fetch ended first);
# with FAULT=vanish also the time from the fault until the fetcher no longer lists the provider.
#
# Output: RESULTS_DIR/{static,quality}-runN.{json,png}, runs.tsv, summary.md, machine.txt, the daemons' logs.
#
# Environment: QUICK=1; FAULT (slow); FILE_MIB (default 256); RUNS (default 3); DELAY_MS (150); RATE (512000);
# BUFFER (1048576); CAIRN_JAVA_OPTS (the daemons' JVM options); WORK_DIR.
#
# Builds nothing. Build first, from the checkout's root:
#   ./cairnw mvn -o -q verify -pl platform,bench -am -DskipTests
set -euo pipefail

[ $# -ge 1 ] || { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2; }
results=$1
if [ "${QUICK:-0}" = 1 ]; then
  file_mib=${FILE_MIB:-32}; runs=${RUNS:-1}
else
  file_mib=${FILE_MIB:-256}; runs=${RUNS:-3}
fi
delay_ms=${DELAY_MS:-150}; rate=${RATE:-512000}; buffer=${BUFFER:-1048576}; fault=${FAULT:-slow}
case $fault in slow|vanish) ;; *) echo "FAULT is slow or vanish, not $fault" >&2; exit 2 ;; esac
case $file_mib$runs$delay_ms$rate$buffer in *[!0-9]*) echo "FILE_MIB, RUNS, DELAY_MS, RATE, BUFFER are whole numbers" >&2; exit 2 ;; esac
root=$(cd "$(dirname "$0")/.." && pwd)
dist=$root/platform/target/cairn
jar=$root/bench/target/benchmarks.jar
build="./cairnw mvn -o -q verify -pl platform,bench -am -DskipTests"
[ -x "$dist/bin/cairn" ] || { echo "no distribution at $dist: $build" >&2; exit 2; }
for c in io/cairn/bench/ProviderFault io/cairn/bench/DagLoad; do
  unzip -l "$jar" "$c.class" >/dev/null 2>&1 || { echo "no $c in $jar: $build" >&2; exit 2; }
done
# shellcheck source=../platform/src/main/dist/bin/find-java.sh
. "$dist/bin/find-java.sh"
cairn_find_java jdk || exit 2
java=$CAIRN_JAVA_HOME/bin/java
tool_opts=(-Dio.netty.leakDetection.level=disabled --enable-native-access=ALL-UNNAMED)
[ "$(cairn_java_release "$CAIRN_JAVA_HOME")" -ge 24 ] && tool_opts+=(--sun-misc-unsafe-memory-access=allow)

mkdir -p "$results"
results=$(cd "$results" && pwd)
rm -f "$results"/*.json "$results"/*.png "$results"/runs.tsv "$results"/summary.md
# shellcheck source=lib/processes.sh
. "$root/bench/lib/processes.sh"

step() { "$java" "${tool_opts[@]}" -cp "$jar" io.cairn.bench.DagLoad "$@"; }
field() { grep -o "\"$2\" *: *[0-9.]*" <<<"$1" | head -1 | sed 's/.*: *//'; }

# start_daemon NAME [CONF_FILE...]: a daemon on a fresh home and free ports; sets pid, api, addr, peer
start_daemon() {
  local name=$1 home=$work/$1 log=$results/$1.log; shift
  rm -rf "$home"; mkdir -p "$home/conf"
  cp "$dist"/conf/* "$home/conf/"
  for f in "$@"; do cp "$f" "$home/conf/"; done
  CAIRN_PATH=$home/home "$dist/bin/cairn" daemon --conf "$home/conf" --api-address 127.0.0.1:0 \
    --swarm-address /ip4/127.0.0.1/tcp/0 --gateway-address 127.0.0.1:0 >"$log" 2>&1 &
  pid=$!; started+=("$pid")
  local deadline=$((SECONDS + 120))
  until grep -q -E 'RPC API +http://' "$log" 2>/dev/null; do
    kill -0 "$pid" 2>/dev/null && [ $SECONDS -lt $deadline ] || { echo "$name did not start:" >&2; tail -30 "$log" >&2; return 1; }
    sleep 0.2
  done
  api=$(grep -o -E 'RPC API +http://[^ ]+' "$log" | head -1 | sed -E 's/RPC API +//; s#/api/v0$##')
  addr=$(curl -s -f -X POST "$api/api/v0/id" | grep -o '"/ip4/127\.0\.0\.1/tcp/[0-9]*/p2p/[^"]*"' | head -1 | tr -d '"')
  [ -n "$addr" ] || { echo "$name has no /ip4/127.0.0.1 address" >&2; return 1; }
  peer=${addr##*/p2p/}
}

bytes=$((file_mib << 20))
commit="$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$root" diff --quiet 2>/dev/null || echo '+changes')"
{
  echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr), load average $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "java: $("$java" -version 2>&1 | head -1); commit $commit; CAIRN_JAVA_OPTS=${CAIRN_JAVA_OPTS:-}"
  if [ "$fault" = slow ]; then
    echo "DAG: $file_mib MiB, cid-version=1; runs: $runs; fault at half the bytes: +$delay_ms ms each way, $rate B/s each way, $buffer B link buffer"
  else
    echo "DAG: $file_mib MiB, cid-version=1; runs: $runs; fault at half the bytes: the path blackholed, the connection left open"
  fi
} | tee "$results/machine.txt"

printf 'routeOptimizer.target=(cairn.strategy=static)\n' >"$work/io.cairn.bitswap.client.cfg"

step file --out "$work/dag.bin" --mib "$file_mib" --seed 7 >/dev/null
start_daemon provider-1; api_p1=$api; addr_p1=$addr
start_daemon provider-2; api_p2=$api; addr_p2=$addr; peer_p2=$peer
port_p2=$(sed -E 's#^/ip4/[^/]+/tcp/([0-9]+)/.*#\1#' <<<"$addr_p2")
cid1=$(step add --api "$api_p1" --file "$work/dag.bin" --query 'cid-version=1&pin=true' | grep -o '"root":"[^"]*' | sed 's/.*:"//')
cid2=$(step add --api "$api_p2" --file "$work/dag.bin" --query 'cid-version=1&pin=true' | grep -o '"root":"[^"]*' | sed 's/.*:"//')
[ -n "$cid1" ] && [ "$cid1" = "$cid2" ] || { echo "the providers' roots differ: $cid1 $cid2" >&2; exit 1; }
rm -f "$work/dag.bin"
echo "providers: $addr_p1, $addr_p2; root $cid1"

: >"$results/runs.tsv"
for run in $(seq "$runs"); do
  echo "== run $run of $runs"
  start_daemon "healthy-run$run"
  curl -s -f -X POST "$api/api/v0/swarm/connect?arg=$addr_p1" >/dev/null
  healthy=$(field "$(step pin --api "$api" --cid "$cid1" --bytes "$bytes")" mbPerSec)
  stop "$pid"; rm -rf "$work/healthy-run$run"
  echo "   healthy provider alone: $healthy MB/s"
  for label in static quality; do
    if [ "$label" = static ]; then start_daemon "$label-run$run" "$work/io.cairn.bitswap.client.cfg"; else start_daemon "$label-run$run"; fi
    "$java" "${tool_opts[@]}" -cp "$jar" io.cairn.bench.ProviderFault --fetcher "$api" --healthy "$addr_p1" \
      --faulty-port "$port_p2" --faulty-peer "$peer_p2" --cid "$cid1" --bytes "$bytes" --healthy-rate "$healthy" \
      --out "$results" --label "$label-run$run" --fault "$fault" --delay-ms "$delay_ms" --rate "$rate" --buffer "$buffer" >/dev/null
    j=$(cat "$results/$label-run$run.json")
    recovery=$(grep -o '"recoverySeconds" *: *[0-9.a-z]*' <<<"$j" | sed 's/.*: *//')
    detected=$(grep -o '"detectedSeconds" *: *[0-9.a-z]*' <<<"$j" | sed 's/.*: *//')
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$run" "$label" "$healthy" "$(field "$j" mbPerSec)" \
      "$(field "$j" mbPerSecBeforeFault)" "$(field "$j" mbPerSecAfterFault)" "$recovery" "$detected" >>"$results/runs.tsv"
    echo "   $label: $(field "$j" mbPerSec) MB/s overall, $(field "$j" mbPerSecBeforeFault) before the fault, $(field "$j" mbPerSecAfterFault) after; recovered in ${recovery} s; provider let go after ${detected} s"
    stop "$pid"; rm -rf "$work/$label-run$run"
  done
done

# --- the summary: medians per routing
median() { sort -g | awk '{ a[NR] = $1 } END { if (NR == 0) { print "n/a"; exit } printf "%.1f\n", (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
{
  echo "| routing | healthy provider alone MB/s | overall MB/s | before the fault MB/s | after the fault MB/s | recovery to 80% of healthy, s (bar 5) | runs recovered | provider let go after, s (bar 40, vanish) |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|"
  for label in static quality; do
    rows=$(awk -F'\t' -v l="$label" '$2 == l' "$results/runs.tsv")
    recovered=$(awk -F'\t' '$7 != "null" && $7 != "" && $7 != "NaN"' <<<"$rows" | wc -l)
    printf '| %s | %s | %s | %s | %s | %s | %s of %s | %s |\n' "$label" \
      "$(cut -f3 <<<"$rows" | median)" "$(cut -f4 <<<"$rows" | median)" "$(cut -f5 <<<"$rows" | median)" \
      "$(cut -f6 <<<"$rows" | median)" "$(awk -F'\t' '$7 != "null" && $7 != "" { print $7 }' <<<"$rows" | median)" \
      "$recovered" "$runs" "$(awk -F'\t' '$8 != "null" && $8 != "" { print $8 }' <<<"$rows" | median)"
  done
} | tee "$results/summary.md"
echo "(runs.tsv, the JSON and PNG of each run, and the logs in $results)"
