# Shared by the node-level load scripts (bitswap-load.sh, starvation.sh): sourced, not run.
# Expects: dist (the distribution), work (a scratch dir removed on exit), store (memory|file),
# started (an array: every process started here is appended, for the caller's cleanup), and a
# function load (the load tool: io.cairn.bench.BitswapLoad with its JVM options).

stop() { # pid: SIGTERM, then SIGKILL after 15 s
  [ -n "$1" ] && kill -TERM "$1" 2>/dev/null || return 0
  for _ in $(seq 150); do kill -0 "$1" 2>/dev/null || { wait "$1" 2>/dev/null || true; return 0; }; sleep 0.1; done
  kill -KILL "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true
}

# wait_for FILE PATTERN SECONDS PID: until a line of FILE matches, or fail if PID ends or time runs out
wait_for() {
  local deadline=$((SECONDS + $3))
  until grep -q -E "$2" "$1" 2>/dev/null; do
    kill -0 "$4" 2>/dev/null || { echo "the server exited before '$2'; its output:" >&2; tail -50 "$1" >&2; return 1; }
    [ $SECONDS -lt $deadline ] || { echo "no '$2' within $3 s; output:" >&2; tail -50 "$1" >&2; return 1; }
    sleep 0.1
  done
}

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
