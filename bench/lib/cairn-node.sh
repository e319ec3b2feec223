# Shared by the node-level load scripts (bitswap-load.sh, starvation.sh): sourced, not run.
# Expects dist (the distribution), jar (bench/target/benchmarks.jar), results (the results dir) and
# store (memory|file). Sources processes.sh (work, started, stop, wait_for, the cleanup on exit). Sets
# java (a JDK: the load tool asks the node for its heap with jcmd), load_opts (LOAD_JAVA_OPTS last),
# clk_tck and results (made absolute). Defines load (the load tool, io.cairn.bench.BitswapLoad) and
# start_cairn.

# shellcheck source=processes.sh
. "$(dirname "${BASH_SOURCE[0]}")/processes.sh"

# shellcheck source=../../platform/src/main/dist/bin/find-java.sh
. "$dist/bin/find-java.sh"
cairn_find_java jdk || exit 2
java=$CAIRN_JAVA_HOME/bin/java
load_opts=(-Dio.netty.leakDetection.level=disabled --enable-native-access=ALL-UNNAMED)
[ "$(cairn_java_release "$CAIRN_JAVA_HOME")" -ge 24 ] && load_opts+=(--sun-misc-unsafe-memory-access=allow)
# shellcheck disable=SC2206
load_opts+=(${LOAD_JAVA_OPTS:-})
clk_tck=$(getconf CLK_TCK)

mkdir -p "$results"
results=$(cd "$results" && pwd)

load() { "$java" "${load_opts[@]}" -cp "$jar" io.cairn.bench.BitswapLoad "$@"; }

# start_cairn COUNT SIZE LOG [CONF_DIR]: starts bin/cairn daemon on a fresh home and free ports (the files
# of CONF_DIR copied over the distribution's conf/), puts the blocks through the RPC API (every CID
# checked); sets server_pid, target, api, cids_sha256
start_cairn() {
  local home; home=$(mktemp -d "$work/cairn.XXXX")
  mkdir -p "$home/conf"
  cp "$dist"/conf/* "$home/conf/"
  [ "$store" = file ] || rm -f "$home/conf"/io.cairn.blockstore.file-*.cfg
  # The load tool's peers all dial from 127.0.0.1 at once: more than one address's share (8) of the
  # pending upgrades when PEERS is raised.
  printf 'maxPendingUpgradesPerIp=4096\nmaxPendingUpgradesPerSubnet=4096\n' > "$home/conf/io.cairn.libp2p.host.cfg"
  [ -z "${4:-}" ] || cp "$4"/* "$home/conf/"
  CAIRN_PATH=$home/home "$dist/bin/cairn" daemon --conf "$home/conf" --api-address 127.0.0.1:0 \
    --swarm-address /ip4/127.0.0.1/tcp/0 --gateway-address 127.0.0.1:0 >"$3" 2>&1 &
  server_pid=$!; started+=("$server_pid")   # bin/cairn execs the JVM: this is the node's pid
  wait_for "$3" 'RPC API +http://' 120 "$server_pid" || return 1
  local id
  api=$(grep -o -E 'RPC API +http://[^ ]+' "$3" | head -1 | sed -E 's/RPC API +//; s#/api/v0$##')
  id=$(curl -s -f -X POST "$api/api/v0/id") || { echo "POST $api/api/v0/id failed" >&2; return 1; }
  target=$(echo "$id" | grep -o '"/ip4/127\.0\.0\.1/tcp/[0-9]*/p2p/[^"]*"' | head -1 | tr -d '"')
  [ -n "$target" ] || { echo "no /ip4/127.0.0.1 address in $id" >&2; return 1; }
  if ! echo "$id" | grep -q '"/ipfs/bitswap/1.2.0"'; then
    echo "the Cairn node does not announce /ipfs/bitswap/1.2.0 in identify, so no peer would send it a want:" >&2
    echo "  $id" >&2
    echo "  (its log: $3)" >&2
    return 1
  fi
  cids_sha256=$(load put --api "$api" --count "$1" --size "$2") || return 1
}
