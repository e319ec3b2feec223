#!/usr/bin/env bash
# Node-level bitswap load, Helia 7 and Cairn as servers in the same run (issue 5, ARCHITECTURE §5).
# For each case and each server, a fresh server process holds the case's deterministic raw blocks
# (bitswap-spec "Test data shared by Java and JS"), and the load tool (io.cairn.bench.BitswapLoad,
# Cairn's own libp2p stack: TCP + Noise + yamux) fetches all of them over bitswap 1.2.0 from PEERS peer
# identities at the case's concurrency, re-hashing every block. Then a table of both figures and the
# ratio per case. Any error (DONT_HAVE, timeout, hash mismatch, disconnect...) fails the run.
#
#   bench/bitswap-load.sh RESULTS_DIR [CASE ...]      e.g. bench/bitswap-load.sh bench/results/$(date +%F)
#
#   CASE is name:count:size:concurrency; default the issue's three cases:
#     1-1kib:10000:1024:64  2-256kib:2000:262144:32  3-1mib:200:1048576:8
#   RESULTS_DIR gets per case and server NAME-SERVER.json (the load tool's report: throughput, p50/p95/p99,
#   errors, CPU of both processes, server RSS and heap), NAME-SERVER.png (throughput and p95 over time),
#   NAME-SERVER.log (the server's output), and summary.md (the table printed at the end).
#
# Environment:
#   SERVERS      which servers, in order (default "helia cairn")
#   PEERS        peer identities (connections) of the load tool (default 8)
#   WARMUP       unmeasured rounds of the whole set before the measured one, over the same connections,
#                so that both JITs (the server's and the load tool's) are warm (default 1)
#   CAIRN_STORE  memory (default): the Cairn node keeps blocks in its memory tier only, as Helia's
#                MemoryBlockstore does; file: the distribution's ssd file tier (memory tier as read cache)
#   CAIRN_JAVA_OPTS  JVM options of the Cairn node (bin/cairn reads them); LOAD_JAVA_OPTS: of the load tool
#   INTEROP_DIR  where helia-peer.mjs and its node_modules are (default itests/interop)
#
# Builds nothing. Build first, from the checkout's root:
#   ./cairnw mvn -q package -DskipTests -pl platform,bench -am     (platform/target/cairn, bench/target/benchmarks.jar)
#   (cd itests/interop && npm ci)                                   (Helia 7, pinned by the lockfile)
set -euo pipefail

[ $# -ge 1 ] || { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2; }
results=$1; shift
cases=("$@")
[ ${#cases[@]} -gt 0 ] || cases=(1-1kib:10000:1024:64 2-256kib:2000:262144:32 3-1mib:200:1048576:8)
servers=${SERVERS:-helia cairn}
peers=${PEERS:-8}
warmup=${WARMUP:-1}
store=${CAIRN_STORE:-memory}
root=$(cd "$(dirname "$0")/.." && pwd)
dist=$root/platform/target/cairn
jar=$root/bench/target/benchmarks.jar
interop=${INTEROP_DIR:-$root/itests/interop}

[ -x "$dist/bin/cairn" ] || { echo "no distribution at $dist: ./cairnw mvn -q package -DskipTests -pl platform,bench -am" >&2; exit 2; }
[ -f "$jar" ] && unzip -l "$jar" io/cairn/bench/BitswapLoad.class >/dev/null 2>&1 \
  || { echo "no BitswapLoad in $jar: ./cairnw mvn -q package -DskipTests -pl platform,bench -am" >&2; exit 2; }
[ -f "$interop/helia-peer.mjs" ] || { echo "no $interop/helia-peer.mjs (set INTEROP_DIR)" >&2; exit 2; }
[ -d "$interop/node_modules" ] || { echo "no $interop/node_modules: (cd $interop && npm ci)" >&2; exit 2; }
case $store in memory|file) ;; *) echo "CAIRN_STORE is memory or file, not $store" >&2; exit 2 ;; esac
for s in $servers; do case $s in helia|cairn) ;; *) echo "SERVERS are helia and/or cairn, not $s" >&2; exit 2 ;; esac; done
# shellcheck source=lib/cairn-node.sh
. "$root/bench/lib/cairn-node.sh"

# start_helia COUNT SIZE LOG: starts helia-peer.mjs serve (its JSON lines in $work, its log in LOG);
# sets server_pid, target, cids_sha256
start_helia() {
  local out; out=$(mktemp "$work/helia.XXXX")
  (cd "$interop" && exec node helia-peer.mjs serve --kind raw --count "$1" --size "$2" --port 0 --quiet --ignore-stdin \
    --timeout 7200) >"$out" 2>"$3" &
  server_pid=$!; started+=("$server_pid")
  wait_for "$out" '"event":"listening"' 300 "$server_pid" || return 1
  target=$(grep -o '"addrs":\["[^"]*' "$out" | head -1 | sed 's/.*\["//')
  cids_sha256=$(grep -o '"cidsSha256":"[0-9a-f]*' "$out" | head -1 | sed 's/.*:"//')
  [ -n "$target" ] && [ -n "$cids_sha256" ] || { echo "helia-peer.mjs said: $(cat "$out")" >&2; return 1; }
}

{
  echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr)"
  echo "java: $("$java" -version 2>&1 | head -1); node: $(node --version)"
  echo "load tool: $peers peers, $warmup warm-up round(s); Cairn store: $store; CAIRN_JAVA_OPTS=${CAIRN_JAVA_OPTS:-}; LOAD_JAVA_OPTS=${LOAD_JAVA_OPTS:-}"
  echo "cases: ${cases[*]}; servers: $servers"
} | tee "$results/machine.txt"

failed=0
for c in "${cases[@]}"; do
  IFS=: read -r name count size concurrency <<<"$c"
  [ -n "$concurrency" ] || { echo "a case is name:count:size:concurrency, not $c" >&2; exit 2; }
  for server in $servers; do
    log=$results/$name-$server.log
    server_pid=
    rm -f "$results/$name-$server.json" "$results/$name-$server.png"   # never table an earlier run's figures
    echo "== $name: $count x $size B at concurrency $concurrency from $server"
    if ! "start_$server" "$count" "$size" "$log"; then
      echo "== $name: $server did not start" >&2; failed=1; stop "$server_pid"; continue
    fi
    if ! load fetch --target "$target" --count "$count" --size "$size" --concurrency "$concurrency" --peers "$peers" \
        --warmup "$warmup" --server-pid "$server_pid" --clk-tck "$clk_tck" --expect-cids-sha256 "$cids_sha256" \
        --out "$results" --name "$name-$server" >/dev/null; then
      echo "== $name: FAILED against $server (see $results/$name-$server.json)" >&2
      failed=1
    fi
    stop "$server_pid"
  done
done

echo
load table "$results" || failed=1
echo "(JSON and PNG per run in $results)"
exit $failed
