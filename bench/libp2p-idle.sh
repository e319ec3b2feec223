#!/usr/bin/env bash
# Heap per idle libp2p connection (Noise + yamux + identify done) on a bin/cairn daemon holding N
# loopback connections (default 10,000) from the load tool: (used heap holding N - used heap idle) / N,
# both after a full GC. Build first: ./cairnw mvn -q install -DskipTests
set -euo pipefail
count=${1:-10000}
root=$(cd "$(dirname "$0")/.." && pwd)
dist=$root/platform/target/cairn
. "$dist/bin/find-java.sh"; cairn_find_java jdk
java=$CAIRN_JAVA_HOME/bin/java; jcmd=$CAIRN_JAVA_HOME/bin/jcmd
# Two file descriptors per loopback connection (one in each process), plus the JVMs' own.
ulimit -n "$(ulimit -Hn)"
[ "$(ulimit -n)" -ge $((count + 1000)) ] || { echo "needs ulimit -n >= $((count + 1000)), have $(ulimit -n)" >&2; exit 1; }
work=$(mktemp -d); trap 'kill $daemon 2>/dev/null || true; rm -rf "$work"' EXIT
mkdir -p "$work/conf"
cp "$dist"/conf/*.properties "$dist"/conf/*.cfg "$work/conf/" 2>/dev/null || true
# The load tool is one peer identity: allow it every connection.
# It dials 256 at a time from 127.0.0.1: lift that address's share of the pending upgrades too.
printf 'maxConnectionsPerPeer=%d\nmaxConnections=%d\nmaxPendingUpgrades=4096\nmaxPendingUpgradesPerIp=4096\nmaxPendingUpgradesPerSubnet=4096\n' \
  $((count + 100)) $((count + 100)) > "$work/conf/io.cairn.libp2p.host.cfg"
port=$(( 20000 + RANDOM % 20000 ))
CAIRN_PATH=$work/home "$dist/bin/cairn" daemon --conf "$work/conf" --api-address 127.0.0.1:0 \
  --swarm-address "/ip4/127.0.0.1/tcp/$port" --gateway-address 127.0.0.1:0 >"$work/daemon.log" 2>&1 &
daemon=$!
until grep -q "Peer ID" "$work/daemon.log"; do sleep 0.1; done
peer=$(awk '/Peer ID/ {print $3}' "$work/daemon.log")
used_kib() { "$jcmd" "$1" GC.run >/dev/null; "$jcmd" "$1" GC.heap_info | awk '/used/ {for (i=1;i<=NF;i++) if ($i=="used") {v=$(i+1); sub("K","",v); print v; exit}}'; }
sleep 2
before=$(used_kib "$daemon")
"$java" --enable-native-access=ALL-UNNAMED -cp "$root/bench/target/benchmarks.jar" io.cairn.bench.Libp2pLoad idle \
  "/ip4/127.0.0.1/tcp/$port/p2p/$peer" "$count" 120 > "$work/load.log" 2>&1 &
load=$!
until grep -q HOLDING "$work/load.log" || ! kill -0 $load 2>/dev/null; do sleep 0.5; done
cat "$work/load.log"
held=$(awk '/HOLDING/ {print $2}' "$work/load.log")
after=$(used_kib "$daemon")
kill $load 2>/dev/null || true
echo "daemon used heap: idle ${before} KiB, holding ${held} connections ${after} KiB"
awk -v b="$before" -v a="$after" -v n="$held" 'BEGIN { printf "heap per idle connection: %.1f KiB (bar: 40 KiB)\n", (a - b) / n }'
