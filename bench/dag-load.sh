#!/usr/bin/env bash
# DAG-level load (issue 6): recursive pin of a UnixFS DAG over bitswap from another Cairn node, and
# `add` of a large file, each beside its same-run baseline.
#
#   bench/dag-load.sh RESULTS_DIR
#
# 1. pin: node A adds PIN_MIB (default 256) MiB of deterministic bytes (256 KiB chunks, Kubo's defaults);
#    node B connects to A and pins the root recursively (pin/add?progress=true), fetching every block
#    over bitswap. A first pin of another DAG of the same shape warms both JVMs up (reported as "cold"),
#    as the baseline's load tool warms up with a round of its own. Baseline, same run: bench/bitswap-load.sh's 256 KiB case against a Cairn node
#    (SERVERS=cairn), the block-level bitswap figure the pin is held to (goal: pin >= 80% of it).
# 2. add: a fresh node adds ADD_MIB (default 1024) MiB through POST /api/v0/add (pin=true, file tier,
#    every batch forced to disk), then again with pin=false and with only-hash=true (a node each), which
#    split add's cost into HTTP + chunking + hashing, storing, and pinning. Baselines, same run: Java's
#    SHA-256 (MessageDigest) over the same file (goal: add >= 50% of it), coreutils sha256sum, and the
#    disk's durable write ceiling (dd of the same file, conv=fdatasync).
# Both nodes use the distribution's default store (memory tier over the ssd file tier).
# Writes RESULTS_DIR/summary.md, the JSON lines of every step, and the nodes' logs.
#
# Environment: PIN_MIB, ADD_MIB, CAIRN_JAVA_OPTS (the nodes' JVM), WORK_DIR (where the test files go;
# default a temp dir under /tmp).
# Builds nothing. Build first: ./cairnw mvn -q package -DskipTests -pl platform,bench -am
set -euo pipefail

[ $# -ge 1 ] || { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2; }
results=$1
pin_mib=${PIN_MIB:-256}
add_mib=${ADD_MIB:-1024}
root=$(cd "$(dirname "$0")/.." && pwd)
dist=$root/platform/target/cairn
jar=$root/bench/target/benchmarks.jar
[ -x "$dist/bin/cairn" ] || { echo "no distribution at $dist: ./cairnw mvn -q package -DskipTests -pl platform,bench -am" >&2; exit 2; }
[ -f "$jar" ] || { echo "no $jar" >&2; exit 2; }
# shellcheck source=../platform/src/main/dist/bin/find-java.sh
. "$dist/bin/find-java.sh"
cairn_find_java jdk || exit 2
java=$CAIRN_JAVA_HOME/bin/java

mkdir -p "$results"
results=$(cd "$results" && pwd)
# shellcheck source=lib/processes.sh
. "$root/bench/lib/processes.sh"

step() { "$java" -Dio.netty.leakDetection.level=disabled -cp "$jar" io.cairn.bench.DagLoad "$@"; }

# start NAME: a daemon on a fresh home, free ports; sets pid, api, addr
start() {
  local home=$work/$1 log=$results/$1.log
  mkdir -p "$home/conf"
  cp "$dist"/conf/* "$home/conf/"
  CAIRN_PATH=$home/home "$dist/bin/cairn" daemon --conf "$home/conf" --api-address 127.0.0.1:0 \
    --swarm-address /ip4/127.0.0.1/tcp/0 --gateway-address 127.0.0.1:0 >"$log" 2>&1 &
  pid=$!; started+=("$pid")
  local deadline=$((SECONDS + 120))
  until grep -q -E 'RPC API +http://' "$log"; do
    kill -0 "$pid" 2>/dev/null && [ $SECONDS -lt $deadline ] || { echo "$1 did not start:" >&2; tail -30 "$log" >&2; return 1; }
    sleep 0.2
  done
  api=$(grep -o -E 'RPC API +http://[^ ]+' "$log" | head -1 | sed -E 's/RPC API +//; s#/api/v0$##')
  addr=$(curl -s -f -X POST "$api/api/v0/id" | grep -o '"/ip4/127\.0\.0\.1/tcp/[0-9]*/p2p/[^"]*"' | head -1 | tr -d '"')
}

{
  echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr)"
  echo "java: $("$java" -version 2>&1 | head -1); CAIRN_JAVA_OPTS=${CAIRN_JAVA_OPTS:-}"
  echo "pin: $pin_mib MiB; add: $add_mib MiB"
} | tee "$results/machine.txt"

# --- 1. recursive pin over bitswap
step file --out "$work/pin.bin" --mib "$pin_mib" >/dev/null
step file --out "$work/warm.bin" --mib "$pin_mib" --seed 1 >/dev/null
start node-a; api_a=$api; addr_a=$addr; pid_a=$pid
start node-b; api_b=$api; pid_b=$pid
step add --api "$api_a" --file "$work/warm.bin" > "$results/warm-add.json"
step add --api "$api_a" --file "$work/pin.bin" | tee "$results/pin-add.json"
warm=$(grep -o '"root":"[^"]*' "$results/warm-add.json" | sed 's/.*:"//')
cid=$(grep -o '"root":"[^"]*' "$results/pin-add.json" | sed 's/.*:"//')
curl -s -f -X POST "$api_b/api/v0/swarm/connect?arg=$addr_a" >/dev/null
step pin --api "$api_b" --cid "$warm" --bytes $((pin_mib << 20)) | tee "$results/pin-cold.json"
step pin --api "$api_b" --cid "$cid" --bytes $((pin_mib << 20)) | tee "$results/pin.json"
stop "$pid_b"; stop "$pid_a"
rm -f "$work/warm.bin"
# bitswap-load.sh's table exits non-zero without a Helia column; the case's own report says whether it ran clean
SERVERS=cairn CAIRN_STORE=file "$root/bench/bitswap-load.sh" "$results/bitswap" 2-256kib:1024:262144:32 >/dev/null || true
grep -q '"ok":true' "$results/bitswap/2-256kib-cairn.json" || { echo "the bitswap baseline failed: $results/bitswap" >&2; exit 1; }
mb_per_sec() { grep -o '"mbPerSec" *: *[0-9.]*' "$1" | head -1 | sed 's/.*: *//'; }
bitswap_mb=$(mb_per_sec "$results/bitswap/2-256kib-cairn.json")

# --- 2. add
rm -f "$work/pin.bin"
step file --out "$work/add.bin" --mib "$add_mib" >/dev/null
start node-c
step add --api "$api" --file "$work/add.bin" | tee "$results/add.json"
stop "$pid"
start node-d
step add --api "$api" --file "$work/add.bin" --query pin=false | tee "$results/add-nopin.json"
stop "$pid"
start node-e
step add --api "$api" --file "$work/add.bin" --query 'only-hash=true&pin=false' | tee "$results/add-onlyhash.json"
stop "$pid"
step sha256 --file "$work/add.bin" | tee "$results/sha256.json"
sum_start=$(date +%s.%N); sha256sum "$work/add.bin" >/dev/null; sum_end=$(date +%s.%N)
dd_start=$(date +%s.%N); dd if="$work/add.bin" of="$work/dd.bin" bs=4M conv=fdatasync 2>/dev/null; dd_end=$(date +%s.%N)
rm -f "$work/dd.bin"

pin_mb=$(mb_per_sec "$results/pin.json")
cold_mb=$(mb_per_sec "$results/pin-cold.json")
add_mb=$(mb_per_sec "$results/add.json")
sha_mb=$(mb_per_sec "$results/sha256.json")
sum_mb=$(echo "($add_mib * 1048576 / 1000000) / ($sum_end - $sum_start)" | bc -l)
dd_mb=$(echo "($add_mib * 1048576 / 1000000) / ($dd_end - $dd_start)" | bc -l)
nopin_mb=$(mb_per_sec "$results/add-nopin.json")
onlyhash_mb=$(mb_per_sec "$results/add-onlyhash.json")
{
  echo "| step | Cairn MB/s | baseline (same run) | MB/s | ratio |"
  echo "|---|---|---|---|---|"
  printf '| recursive pin of %s MiB over bitswap (warm; cold: %s) | %s | bitswap 256 KiB blocks, 8 peers (bitswap-load.sh) | %s | %s |\n' \
    "$pin_mib" "$cold_mb" "$pin_mb" "$bitswap_mb" "$(echo "$pin_mb / $bitswap_mb" | bc -l 2>/dev/null | cut -c1-4)"
  printf '| add of %s MiB | %s | SHA-256 (MessageDigest) | %s | %s |\n' \
    "$add_mib" "$add_mb" "$sha_mb" "$(echo "$add_mb / $sha_mb" | bc -l | cut -c1-4)"
  printf '| add, pin=false | %s | disk, durable (dd conv=fdatasync) | %.1f | %s |\n' \
    "$nopin_mb" "$dd_mb" "$(echo "$nopin_mb / $dd_mb" | bc -l | cut -c1-4)"
  printf '| add, only-hash=true | %s | sha256sum (coreutils) | %.1f | |\n' "$onlyhash_mb" "$sum_mb"
} | tee "$results/summary.md"
