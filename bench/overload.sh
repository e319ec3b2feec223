#!/usr/bin/env bash
# Overload (issue 13, benchmark 3): the bitswap engine asked FACTOR times what it serves by 200 peers of
# three classes: 10 critical peers (the priority strategy's criticalPeers) sending want-blocks, 60 peers
# sending want-haves (high), 130 sending want-blocks (normal); every want asks for DONT_HAVE. Per
# strategy, in the same run, interleaved RUNS times: static (boxo's order, fixed limits, no batching) and
# adaptive (priority classes, adaptive limits with their queue-delay shedding, batching).
#
#   bench/overload.sh RESULTS_DIR        e.g. bench/overload.sh bench/results/$(date +%F)-overload
#   QUICK=1 bench/overload.sh /tmp/ov    smoke test: one run, 3 s measured
#
# Each run is io.cairn.bench.OverloadRun in its own JVM: the real engine over the real tiered store whose
# tier reads as a device of queue depth TIER_DEPTH with TIER_MS reads (disk-bound: at most
# TIER_DEPTH/TIER_MS reads per second), peers joined in memory; it measures its own capacity (the wants it
# serves per second when offered far more), then offers FACTOR x that, open loop, and reports per class
# the p50/p95/p99 of the wants it answered (a want never answered within the drain counts above every
# percentile), the wants shed (DONT_HAVE), and all admitted wants together. Bars: critical p95 < 10 ms,
# high p95 < 50 ms, admitted p95 < 100 ms.
#
# Output: RESULTS_DIR/STRATEGY-N.json (the run's report), machine.txt, summary.md (the table printed at the end).
# Environment: RUNS (3), FACTOR (3), MEASURE (10: seconds measured), WARMUP (3), TIER_MS (1), TIER_DEPTH (16), JAVA_OPTS.
# Builds nothing: ./cairnw mvn -q package -DskipTests -pl bench -am
set -euo pipefail

[ $# -ge 1 ] || { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2; }
results=$1
runs=${RUNS:-3}
seconds=${MEASURE:-10}
[ "${QUICK:-0}" = 1 ] && { runs=1; seconds=3; }
root=$(cd "$(dirname "$0")/.." && pwd)
jar=$root/bench/target/benchmarks.jar
[ -f "$jar" ] || { echo "no $jar: ./cairnw mvn -q package -DskipTests -pl bench -am" >&2; exit 2; }
dist=$root/platform/src/main/dist
# shellcheck source=../platform/src/main/dist/bin/find-java.sh
. "$dist/bin/find-java.sh"
cairn_find_java jdk || exit 2
java=$CAIRN_JAVA_HOME/bin/java
mkdir -p "$results"
results=$(cd "$results" && pwd)
{
  echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr); engine and peers share it"
  echo "java: $("$java" -version 2>&1 | head -1); commit: $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)"
  echo "factor ${FACTOR:-3}, ${seconds}s measured after ${WARMUP:-3}s, tier ${TIER_MS:-1} ms x depth ${TIER_DEPTH:-16}; JAVA_OPTS=${JAVA_OPTS:-}"
} | tee "$results/machine.txt"

# value FILE PATH...: a number (or "never") from a report, by a dotted path such as classes.critical.p95Ms
value() { python3 -c 'import json,sys
v=json.load(open(sys.argv[1]))
for k in sys.argv[2].split("."): v=v.get(k) if isinstance(v,dict) else None
print("-" if v is None else v)' "$1" "$2"; }

failed=0
for run in $(seq 1 "$runs"); do
  for strategy in static adaptive; do
    echo "== run $run, $strategy"
    # shellcheck disable=SC2086
    if ! "$java" -Xmx4g ${JAVA_OPTS:-} -cp "$jar" io.cairn.bench.OverloadRun --strategy "$strategy" \
        --factor "${FACTOR:-3}" --seconds "$seconds" --warmup "${WARMUP:-3}" --tier-ms "${TIER_MS:-1}" \
        --tier-depth "${TIER_DEPTH:-16}" --out "$results" --name "$strategy-$run" >/dev/null 2>"$results/$strategy-$run.err"; then
      echo "== run $run, $strategy failed:" >&2; tail -5 "$results/$strategy-$run.err" >&2; failed=1
    fi
  done
done

{
  echo "| run | strategy | capacity /s | offered /s | served /s | critical p95 ms | high p95 ms | normal p95 ms | normal shed | admitted p50 / p95 / p99 ms |"
  echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---|"
  for run in $(seq 1 "$runs"); do
    for strategy in static adaptive; do
      f=$results/$strategy-$run.json
      [ -f "$f" ] || { echo "| $run | $strategy | (no report) |"; continue; }
      echo "| $run | $strategy | $(value "$f" capacityMeasured) | $(value "$f" offeredPerSec) | $(value "$f" servedPerSec) | $(value "$f" classes.critical.p95Ms) | $(value "$f" classes.high.p95Ms) | $(value "$f" classes.normal.p95Ms) | $(value "$f" classes.normal.shed) of $(value "$f" classes.normal.due) | $(value "$f" admitted.p50Ms) / $(value "$f" admitted.p95Ms) / $(value "$f" admitted.p99Ms) |"
    done
  done
} | tee "$results/summary.md"
exit "$failed"
