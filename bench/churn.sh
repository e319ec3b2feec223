#!/usr/bin/env bash
# Churn soak (issue 14, benchmark 4): peers connect and leave at RATE a second (each a new identity, about
# CONCURRENT connected at any moment: io.cairn.bench.ChurnLoad) for MINUTES; the node's connections,
# streams, threads, used heap after a full GC and resident set size are sampled, and their growth after
# the warm-up (the first fifth of the run) is reported. Bar: no growth in connections, streams, threads,
# direct memory or heap after warm-up. (Direct memory is not exported by the JVM for Netty's pools: the
# resident set size stands for heap and direct memory together.)
#
#   bench/churn.sh RESULTS_DIR          MINUTES=10 RATE=200 CONCURRENT=200
#   QUICK=1 bench/churn.sh /tmp/churn    smoke test: 1 minute
#
# Output: RESULTS_DIR/churn.json (samples and the verdicts), samples.tsv, summary.md, machine.txt, logs.
# Builds nothing. Build first: ./cairnw mvn -o -q verify -pl platform,bench -am -DskipTests
set -euo pipefail

[ $# -ge 1 ] || { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2; }
results=$1
minutes=${MINUTES:-$([ "${QUICK:-0}" = 1 ] && echo 1 || echo 10)}
rate=${RATE:-200}; concurrent=${CONCURRENT:-200}
case $minutes$rate$concurrent in *[!0-9]*) echo "MINUTES, RATE, CONCURRENT are whole numbers" >&2; exit 2 ;; esac
root=$(cd "$(dirname "$0")/.." && pwd)
dist=$root/platform/target/cairn
jar=$root/bench/target/benchmarks.jar
[ -x "$dist/bin/cairn" ] && unzip -l "$jar" io/cairn/bench/ChurnLoad.class >/dev/null 2>&1 \
  || { echo "build first: ./cairnw mvn -o -q verify -pl platform,bench -am -DskipTests" >&2; exit 2; }
. "$dist/bin/find-java.sh"
cairn_find_java jdk || exit 2
java=$CAIRN_JAVA_HOME/bin/java; jcmd=$CAIRN_JAVA_HOME/bin/jcmd
tool_opts=(-Dio.netty.leakDetection.level=disabled --enable-native-access=ALL-UNNAMED)
[ "$(cairn_java_release "$CAIRN_JAVA_HOME")" -ge 24 ] && tool_opts+=(--sun-misc-unsafe-memory-access=allow)
ulimit -n "$(ulimit -Hn)"

mkdir -p "$results"
results=$(cd "$results" && pwd)
. "$root/bench/lib/processes.sh"
commit="$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$root" diff --quiet 2>/dev/null || echo '+changes')"
{
  echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr), load average $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "java: $("$java" -version 2>&1 | head -1); commit $commit; CAIRN_JAVA_OPTS=${CAIRN_JAVA_OPTS:-}"
  echo "churn: $rate connects and $rate disconnects a second, about $concurrent connected, $minutes min; node defaults; node and load share the cores"
} | tee "$results/machine.txt"

CAIRN_PATH=$work/home "$dist/bin/cairn" daemon --api-address 127.0.0.1:0 --swarm-address /ip4/127.0.0.1/tcp/0 \
  --gateway-address 127.0.0.1:0 >"$results/node.log" 2>&1 &
node=$!; started+=("$node")
wait_for "$results/node.log" 'RPC API +http://' 120 "$node"
api=$(grep -o -E 'RPC API +http://[^ ]+' "$results/node.log" | head -1 | sed -E 's/RPC API +//; s#/api/v0$##')
addr=$(curl -s -f -X POST "$api/api/v0/id" | grep -o '"/ip4/127\.0\.0\.1/tcp/[0-9]*/p2p/[^"]*"' | head -1 | tr -d '"')

metric() { curl -s -m 5 "$api/debug/metrics/prometheus" | awk -v m="$1" '$1 ~ "^"m"(\\{.*scope=\"system\".*\\})?$" {s += $2} END {print s + 0}'; }
sample() {   # t: connections streams threads heap_after_gc_kib rss_kib
  "$jcmd" "$node" GC.run >/dev/null
  local heap; heap=$("$jcmd" "$node" GC.heap_info | awk '/used/ {for (i=1;i<=NF;i++) if ($i=="used") {v=$(i+1); sub("K","",v); print v; exit}}')
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$(metric libp2p_rcmgr_connections)" "$(metric libp2p_rcmgr_streams)" \
    "$(awk '/^Threads:/ {print $2}' "/proc/$node/status")" "$heap" "$(awk '/^VmRSS:/ {print $2}' "/proc/$node/status")"
}
printf 't\tconnections\tstreams\tthreads\theap_kib\trss_kib\n' >"$results/samples.tsv"
"$java" "${tool_opts[@]}" -cp "$jar" io.cairn.bench.ChurnLoad --target "$addr" --rate "$rate" --concurrent "$concurrent" \
  --seconds $((minutes * 60)) >"$results/load.log" 2>&1 &
load=$!; started+=("$load")
start=$SECONDS
while kill -0 "$load" 2>/dev/null; do
  sleep 15
  sample $((SECONDS - start)) >>"$results/samples.tsv"
done
sleep 5
sample $((SECONDS - start)) >>"$results/samples.tsv"
tail -1 "$results/load.log"
# Growth after the warm-up: the mean of the last fifth of the samples against the mean of the second fifth.
awk -F'\t' -v warm="$((minutes * 60 / 5))" '
  NR == 1 { next }
  { n++; t[n] = $1; for (c = 2; c <= 6; c++) v[n, c] = $c }
  END {
    names[2] = "connections"; names[3] = "streams"; names[4] = "threads"; names[5] = "heap_kib"; names[6] = "rss_kib"
    k = int(n / 5); if (k < 1) k = 1
    printf "{\"samples\":%d", n
    for (c = 2; c <= 6; c++) {
      a = 0; b = 0
      for (i = k + 1; i <= 2 * k; i++) a += v[i, c]
      for (i = n - k + 1; i <= n; i++) b += v[i, c]
      printf ",\"%sAfterWarmup\":%.0f,\"%sAtEnd\":%.0f", names[c], a / k, names[c], b / k
    }
    printf ",\"finalConnections\":%d,\"finalStreams\":%d}\n", v[n, 2], v[n, 3]
  }' "$results/samples.tsv" | tee "$results/churn.json"
