#!/usr/bin/env bash
# Ten thousand connections and a trim (issue 14, benchmark 1): one bin/cairn daemon holds COUNT concurrent
# Noise + yamux connections from COUNT distinct peer identities (io.cairn.bench.ConnectionsLoad, one
# process, source addresses spread over 127.1.0.0/16), heap per connection measured; then its connection
# manager is retuned live (a .cfg in its conf/, applied by FileInstall: the seed's SetDynamicLimits) to
# HIGH/LOW water, and it trims to at most LOW connections besides its protected peers, which stay.
#
#   bench/connections.sh RESULTS_DIR         COUNT=10000 HIGH=2500 LOW=1000 by default
#   QUICK=1 bench/connections.sh /tmp/conn   smoke test: COUNT=1000 HIGH=250 LOW=100
#
# Steps: the daemon starts with room for COUNT (host maxConnections COUNT + 1000; connection manager high
# water 2 x COUNT, so nothing is trimmed while they connect); PROTECTED (10) of the load's identities are
# made peering peers (at an address nobody listens on: protected, never reached by dialling) before the
# load connects; used heap after a full GC, idle and holding; the load's connections held GRACE (30) s past
# the last dial so every peer is out of its grace period; the retune: highWater=HIGH, lowWater=LOW,
# gracePeriodSeconds=GRACE; the time until the node holds at most LOW + PROTECTED connections, the count
# it settles at, and whether every protected peer is still connected.
# Output: RESULTS_DIR/connections.json, summary.md, machine.txt, the daemon's and the load's logs.
# Environment: QUICK=1, COUNT, HIGH, LOW, GRACE, PROTECTED, SOURCES (256), CONCURRENCY (64), CAIRN_JAVA_OPTS.
# Builds nothing. Build first: ./cairnw mvn -o -q verify -pl platform,bench -am -DskipTests
set -euo pipefail

[ $# -ge 1 ] || { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2; }
results=$1
if [ "${QUICK:-0}" = 1 ]; then
  count=${COUNT:-1000}; high=${HIGH:-250}; low=${LOW:-100}
else
  count=${COUNT:-10000}; high=${HIGH:-2500}; low=${LOW:-1000}
fi
grace=${GRACE:-30}; protected=${PROTECTED:-10}; sources=${SOURCES:-256}; concurrency=${CONCURRENCY:-64}
case $count$high$low$grace$protected$sources$concurrency in *[!0-9]*) echo "COUNT, HIGH, LOW, GRACE, PROTECTED, SOURCES, CONCURRENCY are whole numbers" >&2; exit 2 ;; esac
[ "$low" -lt "$high" ] && [ "$high" -le "$count" ] || { echo "needs LOW < HIGH <= COUNT" >&2; exit 2; }
root=$(cd "$(dirname "$0")/.." && pwd)
dist=$root/platform/target/cairn
jar=$root/bench/target/benchmarks.jar
[ -x "$dist/bin/cairn" ] && unzip -l "$jar" io/cairn/bench/ConnectionsLoad.class >/dev/null 2>&1 \
  || { echo "build first: ./cairnw mvn -o -q verify -pl platform,bench -am -DskipTests" >&2; exit 2; }
. "$dist/bin/find-java.sh"
cairn_find_java jdk || exit 2
java=$CAIRN_JAVA_HOME/bin/java; jcmd=$CAIRN_JAVA_HOME/bin/jcmd
tool_opts=(-Dio.netty.leakDetection.level=disabled --enable-native-access=ALL-UNNAMED)
[ "$(cairn_java_release "$CAIRN_JAVA_HOME")" -ge 24 ] && tool_opts+=(--sun-misc-unsafe-memory-access=allow)
ulimit -n "$(ulimit -Hn)"
# Each process (the node, the load) holds one descriptor per connection, plus its own.
[ "$(ulimit -n)" -ge $((count + 2000)) ] || { echo "needs ulimit -n >= $((count + 2000)), have $(ulimit -n)" >&2; exit 1; }

mkdir -p "$results"
results=$(cd "$results" && pwd)
rm -f "$results"/connections.json "$results"/summary.md
. "$root/bench/lib/processes.sh"
commit="$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$root" diff --quiet 2>/dev/null || echo '+changes')"
{
  echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr), load average $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "java: $("$java" -version 2>&1 | head -1); commit $commit; CAIRN_JAVA_OPTS=${CAIRN_JAVA_OPTS:-}"
  echo "connections: $count from distinct identities over $sources source addresses; retune to high $high / low $low, grace $grace s; $protected protected peers"
  echo "the node and the load share this machine's cores"
} | tee "$results/machine.txt"

conf=$work/conf; mkdir -p "$conf"
cp "$dist"/conf/* "$conf/"
printf 'maxConnections=%d\nmaxPendingUpgrades=4096\n' $((count + 1000)) >"$conf/io.cairn.libp2p.host.cfg"
printf 'highWater=%d\nlowWater=%d\ngracePeriodSeconds=%d\n' $((2 * count)) "$count" "$grace" >"$conf/io.cairn.net.connmgr.cfg"
CAIRN_PATH=$work/home "$dist/bin/cairn" daemon --conf "$conf" --api-address 127.0.0.1:0 --swarm-address /ip4/127.0.0.1/tcp/0 \
  --gateway-address 127.0.0.1:0 >"$results/node.log" 2>&1 &
node=$!; started+=("$node")
wait_for "$results/node.log" 'RPC API +http://' 120 "$node"
api=$(grep -o -E 'RPC API +http://[^ ]+' "$results/node.log" | head -1 | sed -E 's/RPC API +//; s#/api/v0$##')
addr=$(curl -s -f -X POST "$api/api/v0/id" | grep -o '"/ip4/127\.0\.0\.1/tcp/[0-9]*/p2p/[^"]*"' | head -1 | tr -d '"')
used_kib() { "$jcmd" "$node" GC.run >/dev/null; "$jcmd" "$node" GC.heap_info | awk '/used/ {for (i=1;i<=NF;i++) if ($i=="used") {v=$(i+1); sub("K","",v); print v; exit}}'; }
held_now() { curl -s -m 5 "$api/debug/metrics/prometheus" | awk '/^libp2p_rcmgr_connections\{.*scope="system"/ {s += $2} END {print s + 0}'; }
sleep 2
idle_kib=$(used_kib)

# The load, told to go once the protected peers are configured.
mkfifo "$work/go"
"$java" "${tool_opts[@]}" -cp "$jar" io.cairn.bench.ConnectionsLoad --target "$addr" --count "$count" --sources "$sources" \
  --concurrency "$concurrency" --stop-file "$work/stop" --hold-seconds 3600 --print-peers "$protected" \
  <"$work/go" >"$results/load.log" 2>&1 &
load=$!; started+=("$load")
exec 3>"$work/go"
wait_for "$results/load.log" '"peers"' 60 "$load"
ids=$(grep '"peers"' "$results/load.log" | head -1 | grep -o '12D3Koo[A-Za-z0-9]*')
{ printf 'peers='; for id in $ids; do printf '/ip4/127.0.0.1/tcp/1/p2p/%s,' "$id"; done; printf '\ninitialBackoffSeconds=3600\nmaxBackoffSeconds=3600\n'; } \
  >"$conf/io.cairn.net.peering.cfg"
sleep 3   # FileInstall's poll: the peers are protected before they connect
echo go >&3
wait_for "$results/load.log" '"dialled"' 1800 "$load"
dial_line=$(grep '"dialled"' "$results/load.log" | head -1)
echo "load: $dial_line"
sleep 2
holding=$(held_now)
holding_kib=$(used_kib)
per_conn=$(awk -v a="$holding_kib" -v b="$idle_kib" -v n="$holding" 'BEGIN { printf "%.1f", (a - b) / n }')
echo "node holds $holding connections; used heap idle $idle_kib KiB, holding $holding_kib KiB: $per_conn KiB per connection"

# Out of their grace period, then the retune.
sleep "$grace"
retune_at=$(date +%s.%N)
printf 'highWater=%d\nlowWater=%d\ngracePeriodSeconds=%d\n' "$high" "$low" "$grace" >"$conf/io.cairn.net.connmgr.cfg"
target=$((low + protected))
trimmed_after=
for _ in $(seq 600); do
  now=$(held_now)
  if [ "$now" -le "$target" ]; then trimmed_after=$(echo "$(date +%s.%N) - $retune_at" | bc -l); break; fi
  sleep 0.2
done
sleep 12   # a silence period: no second trim, nothing flapping
settled=$(held_now)
peers_json=$(curl -s -f -X POST "$api/api/v0/swarm/peers")
kept=0; for id in $ids; do grep -q "\"Peer\":\"$id\"" <<<"$peers_json" && kept=$((kept + 1)); done
touch "$work/stop"; exec 3>&-
printf '{"connections":%d,"dialled":%s,"heapIdleKib":%s,"heapHoldingKib":%s,"heapPerConnectionKib":%s,"highWater":%d,"lowWater":%d,"graceSeconds":%d,"protected":%d,"trimmedToLowWaterSeconds":%s,"settledConnections":%s,"protectedKept":%d}\n' \
  "$holding" "$(grep -o '"open":[0-9]*' <<<"$dial_line" | cut -d: -f2)" "$idle_kib" "$holding_kib" "$per_conn" "$high" "$low" "$grace" \
  "$protected" "${trimmed_after:-null}" "$settled" "$kept" | tee "$results/connections.json"
{
  echo "| held | heap per connection | retuned to high/low | trimmed to <= low + protected after | settled at | protected kept |"
  echo "|---:|---:|---|---:|---:|---:|"
  printf '| %s | %s KiB | %s / %s (grace %s s) | %s s | %s | %s of %s |\n' "$holding" "$per_conn" "$high" "$low" "$grace" \
    "$(printf '%.1f' "${trimmed_after:-nan}" 2>/dev/null || echo never)" "$settled" "$kept" "$protected"
} | tee "$results/summary.md"
