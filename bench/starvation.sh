#!/usr/bin/env bash
# Starvation (issue 13, benchmark 2; boxo#1141): while BUSY peers with WANTS-want wantlists each keep a
# Cairn node saturated, how long does a NEW peer's single want wait? Once per priority strategy, in the
# same run: static (boxo's order: a new peer waits its turn behind the busy ones) and classes (the
# adaptive default: a peer never served or long waiting goes first).
#
#   bench/starvation.sh RESULTS_DIR        e.g. bench/starvation.sh bench/results/$(date +%F)-starvation
#   QUICK=1 bench/starvation.sh /tmp/st    smoke test: 20 tries
#
# Per strategy: a fresh node (memory tier, the distribution's defaults but for the priority reference
# target) holds COUNT raw blocks of SIZE bytes. The load tool (io.cairn.bench.BitswapLoad) saturates it
# from BUSY peer identities with BUSY*WANTS want-blocks in flight (WANTS per peer: each answer sends that
# peer's next want), over ROUNDS passes of the block set. Once it has run SETTLE seconds, a second load
# tool, ONE new peer identity on its own connection, sends TRIES single want-blocks open loop at PROBE_RATE
# per second (want i is due at i/rate whatever the answers, so a stall shows as latency); its p50/p95/p99/max
# from when each want was due is the figure. Bar: p99 < 100 ms. The busy load's own throughput and errors
# are reported beside (a shed want answered DONT_HAVE counts there as an error, by design of the tool).
#
# Output: RESULTS_DIR/STRATEGY-probe.json and -busy.json (the load tool's reports, with PNGs),
# STRATEGY.log (the node), machine.txt, summary.md (the table printed at the end).
#
# Environment: STRATEGIES (default "static classes"), COUNT (20000), SIZE (1024), BUSY (8), WANTS (1024),
# ROUNDS (80: about 30 s of busy load here, past the probe), BUSY_NICE (0: the busy load tool's nice level), SETTLE (3), TRIES (100), PROBE_RATE (10), CAIRN_JAVA_OPTS, LOAD_JAVA_OPTS.
# Builds nothing: ./cairnw mvn -q package -DskipTests -pl platform,bench -am
set -euo pipefail

[ $# -ge 1 ] || { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2; }
results=$1
quick=${QUICK:-0}
strategies=${STRATEGIES:-static classes}
count=${COUNT:-20000}
size=${SIZE:-1024}
busy=${BUSY:-8}
wants=${WANTS:-1024}
rounds=${ROUNDS:-80}
settle=${SETTLE:-3}
tries=${TRIES:-100}
probe_rate=${PROBE_RATE:-10}
[ "$quick" = 1 ] && { tries=${TRIES:-20}; rounds=${ROUNDS:-25}; }
store=memory
root=$(cd "$(dirname "$0")/.." && pwd)
dist=$root/platform/target/cairn
jar=$root/bench/target/benchmarks.jar

[ -x "$dist/bin/cairn" ] || { echo "no distribution at $dist: ./cairnw mvn -q package -DskipTests -pl platform,bench -am" >&2; exit 2; }
[ -f "$jar" ] || { echo "no $jar: ./cairnw mvn -q package -DskipTests -pl platform,bench -am" >&2; exit 2; }
for s in $strategies; do case $s in static|classes) ;; *) echo "STRATEGIES are static and/or classes, not $s" >&2; exit 2 ;; esac; done
# shellcheck source=lib/cairn-node.sh
. "$root/bench/lib/cairn-node.sh"

{
  echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr); node and load tools share it"
  echo "java: $("$java" -version 2>&1 | head -1); commit: $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)"
  echo "blocks: $count x $size B; busy: $busy peers x $wants wants, $rounds rounds; probe: $tries wants at $probe_rate/s after ${settle}s"
  echo "CAIRN_JAVA_OPTS=${CAIRN_JAVA_OPTS:-}; LOAD_JAVA_OPTS=${LOAD_JAVA_OPTS:-}"
} | tee "$results/machine.txt"

# json FILE KEY: a number from the load tool's report
json() { grep -o "\"$2\" *: *[-0-9.eE]*" "$1" | head -1 | sed 's/.*: *//'; }

failed=0
rows=()
for strategy in $strategies; do
  conf=$work/conf-$strategy
  mkdir -p "$conf"
  echo "priority.target=(cairn.strategy=$strategy)" > "$conf/io.cairn.bitswap.server.cfg"
  rm -f "$results/$strategy"-{probe,busy}.{json,png}
  echo "== $strategy: starting the node, putting $count blocks"
  server_pid=
  if ! start_cairn "$count" "$size" "$results/$strategy.log" "$conf"; then
    echo "== $strategy: the node did not start" >&2; failed=1; stop "$server_pid"; continue
  fi
  load fetch --target "$target" --count "$count" --size "$size" --peers "$busy" --concurrency $((busy * wants)) \
    --warmup $((rounds - 1)) --server-pid "$server_pid" --clk-tck "$clk_tck" --out "$results" --name "$strategy-busy" \
    >/dev/null 2>"$work/busy-$strategy.err" &
  busy_pid=$!; started+=("$busy_pid")
  # BUSY_NICE: lower the busy load's CPU priority, so on a small machine the node, not the load tool, is what saturates
  [ "${BUSY_NICE:-0}" = 0 ] || renice -n "$BUSY_NICE" -p "$busy_pid" $(pgrep -P "$busy_pid") >/dev/null
  sleep "$settle"
  kill -0 "$busy_pid" 2>/dev/null || { echo "== $strategy: the busy load ended before the probe:" >&2; tail -5 "$work/busy-$strategy.err" >&2; failed=1; }
  echo "== $strategy: probing with $tries single wants from a new peer"
  sent_before=$(curl -s -f -X POST "$api/api/v0/bitswap/stat" | grep -o '"BlocksSent":[0-9]*' | sed 's/.*://')
  probe_start=$(date +%s.%N)
  load fetch --target "$target" --count "$tries" --size "$size" --peers 1 --rate "$probe_rate" \
    --server-pid "$server_pid" --clk-tck "$clk_tck" --out "$results" --name "$strategy-probe" >/dev/null \
    || { echo "== $strategy: the probe had errors (see $results/$strategy-probe.json)" >&2; failed=1; }
  sent_after=$(curl -s -f -X POST "$api/api/v0/bitswap/stat" | grep -o '"BlocksSent":[0-9]*' | sed 's/.*://')
  served=$(echo "($sent_after - $sent_before) / ($(date +%s.%N) - $probe_start)" | bc -l | xargs printf '%.0f')
  kill -0 "$busy_pid" 2>/dev/null \
    || { echo "== $strategy: the busy load ended before the probe did, so the probe was not measured under load: raise ROUNDS" >&2; failed=1; }
  stop "$busy_pid"
  stop "$server_pid"
  p="$results/$strategy-probe.json"
  rows+=("| $strategy | $(json "$p" p50Ms) | $(json "$p" p95Ms) | $(json "$p" p99Ms) | $(json "$p" maxMs) | $(json "$p" errors) | $served |")
done

{
  echo "| priority strategy | new peer p50 ms | p95 ms | p99 ms (bar < 100) | max ms | probe errors | blocks/s served meanwhile |"
  echo "|---|---:|---:|---:|---:|---:|---:|"
  printf '%s\n' "${rows[@]}"
} | tee "$results/summary.md"
exit $failed
