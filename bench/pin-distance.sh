#!/usr/bin/env bash
# Pin across distance (issue 13, benchmark 1): how fast a Cairn node pins a DAG from another Cairn node
# over paths of growing RTT, beside the load tool's one-connection figure from the same server.
#
#   bench/pin-distance.sh RESULTS_DIR          e.g. bench/pin-distance.sh bench/results/$(date +%F)-pin-distance
#   QUICK=1 bench/pin-distance.sh /tmp/pd      smoke test: 16 MiB, 1 run
#
# Setup: one serving daemon A (its own CAIRN_PATH, the distribution's store: memory tier over the ssd
# file tier) adds two files of FILE_MIB MiB of pseudo-random bytes (the bench's AES-CTR test stream;
# seeds 0 and 1, so they share no chunk) with cid-version=1 (256 KiB chunks, raw leaves). It also
# holds FILE_MIB*4 raw 256 KiB blocks for the load tool.
# Each run, in this order (runs interleave: run 1 of everything, then run 2 ...):
#   load   the load tool (io.cairn.bench.BitswapLoad fetch, as bench/bitswap-load.sh runs it) with ONE
#          connection (--peers 1) fetches the FILE_MIB*4 blocks of 256 KiB from A, directly, at
#          LOAD_CONCURRENCY wants in flight, after one unmeasured warm-up round over the same connection.
#   per path, a FRESH fetching daemon B (own CAIRN_PATH, own JVM, nothing cached, no connection yet)
#          whose only connection to A goes through the path's own FaultProxy (io.cairn.testing.net.FaultProxy,
#          swarm/connect to /ip4/127.0.0.1/tcp/<proxy port>/p2p/<A's id>; checked afterwards with swarm/peers):
#     ping   libp2p ping (RPC ping, PING_COUNT pings) B -> A over that connection: the median is recorded,
#            so the added RTT is measured, not assumed;
#     fresh  "first pin of a fresh node": B's first pin/add (recursive) ever: the seed-1 file's root, on a
#            cold JVM with nothing learned about A or the path (window, RTT, rate);
#     warm   the pin right after, on the same B and connection: the seed-0 file's root (same size and
#            shape, no block in common), with B's JVM and connection warmed by the fresh pin.
#   then B and its proxy are stopped. Throughput = FILE_MIB MiB / wall time of pin/add (MB = 10^6 bytes).
# Paths (PATHS, space-separated name[:one-way-delay-ms[:rate-bytes-per-sec[:buffer-bytes]]]; "direct" = no proxy):
#   direct                               B dials A's own address: no proxy at all
#   rtt50:25                             +50 ms RTT (25 ms each way), uncapped
#   rtt100:50                            +100 ms RTT, uncapped
#   rtt100-cap100:50:100000000:1048576   +100 ms RTT, capped at 100 MB/s each way with a 1 MiB link buffer
# An uncapped path's link buffer is 64 MiB (it bounds only the delay line; see FaultProxy's Direction).
# Add e.g. "proxy0:0" to measure what the proxy itself costs.
# Reported per path: medians of the fresh and warm runs, warm as a share of the first path's warm (direct),
# of the load tool and of the cap, and fresh as a share of warm.
#
# Output: RESULTS_DIR/pin-distance.json (every run, medians, ratios, the settings), pin-distance.png,
# summary.md (the table printed at the end), machine.txt, runs.tsv, the daemons' and proxies' logs, and the
# load tool's reports (load/).
#
# Environment:
#   QUICK=1           FILE_MIB=16 and RUNS=1 unless they are set
#   FILE_MIB          size of each file (default 128)
#   RUNS              interleaved runs whose medians are reported (default 3)
#   PATHS             see above
#   CONF_DIR          files copied into BOTH daemons' conf/ over the distribution's (e.g. a bitswap strategy's
#                     io.cairn.bitswap.server.cfg with limits.target=(cairn.strategy=static)), so runs with
#                     different strategies can be compared; CONF_DIR_A / CONF_DIR_B for one side only (they
#                     replace CONF_DIR for that side)
#   LABEL             a name for this configuration in the report (default: CONF_DIR's name, or "default")
#   LOAD_CONCURRENCY  the load tool's wants in flight (default 32, as bench/dag-load.sh's baseline)
#   PING_COUNT        pings per path and run (default 5)
#   CAIRN_JAVA_OPTS   the daemons' JVM options; PROXY_JAVA_OPTS, LOAD_JAVA_OPTS: the proxy's and the load tool's
#   WORK_DIR          where the files and homes go (default /tmp); needs about FILE_MIB * (2 + 2 * paths) MiB
#   SAMPLE_METRICS=1  during each warm pin, both daemons' cairn_bitswap_* and ipfs_bitswap_* metrics every 0.5 s
#                     into RESULTS_DIR/metrics-PATH-runN.txt (the serving limits, the client's window and RTT)
#
# Builds nothing. Build first, from the checkout's root:
#   ./cairnw mvn -o -q verify -pl platform,bench -am -DskipTests    (platform/target/cairn, bench/target/benchmarks.jar)
set -euo pipefail

[ $# -ge 1 ] || { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2; }
results=$1
if [ "${QUICK:-0}" = 1 ]; then
  file_mib=${FILE_MIB:-16}; runs=${RUNS:-1}
else
  file_mib=${FILE_MIB:-128}; runs=${RUNS:-3}
fi
paths=${PATHS:-direct rtt50:25 rtt100:50 rtt100-cap100:50:100000000:1048576}
load_concurrency=${LOAD_CONCURRENCY:-32}
ping_count=${PING_COUNT:-5}
conf_a=${CONF_DIR_A:-${CONF_DIR:-}}
conf_b=${CONF_DIR_B:-${CONF_DIR:-}}
label=${LABEL:-$([ -n "${CONF_DIR:-}" ] && basename "$CONF_DIR" || echo default)}
uncapped_buffer=$((64 << 20))
root=$(cd "$(dirname "$0")/.." && pwd)
dist=$root/platform/target/cairn
jar=$root/bench/target/benchmarks.jar
build="./cairnw mvn -o -q verify -pl platform,bench -am -DskipTests"

[ -x "$dist/bin/cairn" ] || { echo "no distribution at $dist: $build" >&2; exit 2; }
for c in io/cairn/bench/PinDistance io/cairn/bench/BitswapLoad io/cairn/bench/DagLoad io/cairn/testing/net/FaultProxy; do
  unzip -l "$jar" "$c.class" >/dev/null 2>&1 || { echo "no $c in $jar: $build" >&2; exit 2; }
done
for d in "$conf_a" "$conf_b"; do
  [ -z "$d" ] || [ -d "$d" ] || { echo "CONF_DIR* must name a directory, not $d" >&2; exit 2; }
done
case $file_mib$runs$load_concurrency$ping_count in *[!0-9]*) echo "FILE_MIB, RUNS, LOAD_CONCURRENCY, PING_COUNT are whole numbers" >&2; exit 2 ;; esac
[ "$file_mib" -ge 1 ] && [ "$runs" -ge 1 ] || { echo "FILE_MIB and RUNS must be at least 1" >&2; exit 2; }
# shellcheck source=../platform/src/main/dist/bin/find-java.sh
. "$dist/bin/find-java.sh"
cairn_find_java jdk || exit 2
java=$CAIRN_JAVA_HOME/bin/java
tool_opts=(-Dio.netty.leakDetection.level=disabled --enable-native-access=ALL-UNNAMED)
[ "$(cairn_java_release "$CAIRN_JAVA_HOME")" -ge 24 ] && tool_opts+=(--sun-misc-unsafe-memory-access=allow)
# shellcheck disable=SC2206
load_opts=("${tool_opts[@]}" ${LOAD_JAVA_OPTS:-})
# shellcheck disable=SC2206
proxy_opts=("${tool_opts[@]}" ${PROXY_JAVA_OPTS:-})

# Parse the paths up front, so a typo fails before anything starts.
declare -A delay_of rate_of buffer_of
names=()
for spec in $paths; do
  IFS=: read -r name delay rate buffer <<<"$spec"
  if [ "$name" = direct ]; then
    [ "$spec" = direct ] || { echo "direct takes no settings (it has no proxy): $spec" >&2; exit 2; }
  else
    delay=${delay:-0}; rate=${rate:-0}
    [ -n "$buffer" ] || buffer=$([ "$rate" = 0 ] && echo $uncapped_buffer || echo $((1 << 20)))
    case $delay$rate$buffer in *[!0-9]*) echo "a path is name[:delay-ms[:rate[:buffer]]] in whole numbers, not $spec" >&2; exit 2 ;; esac
    delay_of[$name]=$delay; rate_of[$name]=$rate; buffer_of[$name]=$buffer
  fi
  names+=("$name")
done

mkdir -p "$results"
results=$(cd "$results" && pwd)
rm -f "$results"/pin-distance.json "$results"/pin-distance.png "$results"/runs.tsv "$results"/summary.md
# shellcheck source=lib/processes.sh
. "$root/bench/lib/processes.sh"

step() { "$java" "${tool_opts[@]}" -cp "$jar" io.cairn.bench.DagLoad "$@"; }
load() { "$java" "${load_opts[@]}" -cp "$jar" io.cairn.bench.BitswapLoad "$@"; }
field() { grep -o "\"$2\" *: *[0-9.]*" <<<"$1" | head -1 | sed 's/.*: *//'; }   # JSON, NAME: the first number under NAME

# start_daemon NAME CONF_OVERLAY: a daemon on a fresh home and free ports; sets pid, api, addr, peer
start_daemon() {
  local home=$work/$1 log=$results/$1.log
  rm -rf "$home"; mkdir -p "$home/conf"
  cp "$dist"/conf/* "$home/conf/"
  [ -z "$2" ] || cp "$2"/* "$home/conf/"
  CAIRN_PATH=$home/home "$dist/bin/cairn" daemon --conf "$home/conf" --api-address 127.0.0.1:0 \
    --swarm-address /ip4/127.0.0.1/tcp/0 --gateway-address 127.0.0.1:0 >"$log" 2>&1 &
  pid=$!; started+=("$pid")   # bin/cairn execs the JVM: this is the node's pid
  local deadline=$((SECONDS + 120))
  until grep -q -E 'RPC API +http://' "$log" 2>/dev/null; do
    kill -0 "$pid" 2>/dev/null && [ $SECONDS -lt $deadline ] || { echo "$1 did not start:" >&2; tail -30 "$log" >&2; return 1; }
    sleep 0.2
  done
  api=$(grep -o -E 'RPC API +http://[^ ]+' "$log" | head -1 | sed -E 's/RPC API +//; s#/api/v0$##')
  addr=$(curl -s -f -X POST "$api/api/v0/id" | grep -o '"/ip4/127\.0\.0\.1/tcp/[0-9]*/p2p/[^"]*"' | head -1 | tr -d '"')
  [ -n "$addr" ] || { echo "$1 has no /ip4/127.0.0.1 address" >&2; return 1; }
  peer=${addr##*/p2p/}
}

# start_proxy NAME TARGET_PORT: the path's FaultProxy in its own JVM; sets proxy_pid, proxy_port
start_proxy() {
  local out=$work/$1.proxy-port
  "$java" "${proxy_opts[@]}" -cp "$jar" io.cairn.testing.net.FaultProxy --listen 127.0.0.1:0 --target "127.0.0.1:$2" \
    --delay-ms "${delay_of[$1]}" --rate-bytes-per-sec "${rate_of[$1]}" --buffer-bytes "${buffer_of[$1]}" \
    >"$out" 2>>"$results/$1.proxy.log" &
  proxy_pid=$!; started+=("$proxy_pid")
  local deadline=$((SECONDS + 30))
  until [ -s "$out" ] && proxy_port=$(head -1 "$out") && [ -n "$proxy_port" ]; do
    kill -0 "$proxy_pid" 2>/dev/null && [ $SECONDS -lt $deadline ] || { echo "the $1 proxy did not start:" >&2; cat "$results/$1.proxy.log" >&2; return 1; }
    sleep 0.1
  done
}

# ping_ms API PEER: the median of PING_COUNT libp2p pings, in ms
ping_ms() {
  curl -s -f -X POST "$1/api/v0/ping?arg=$2&count=$ping_count" | grep -o '"Success":true,"Time":[0-9]*' \
    | sed 's/.*://' | awk '$1 > 0 { print $1 / 1e6 }' | sort -n \
    | awk '{ a[NR] = $1 } END { if (NR == 0) exit 1; printf "%.2f\n", (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

# sample_metrics FILE API_A PID_A API_B PID_B: both daemons' bitswap metrics and CPU seconds (user+system, from
# /proc) every 0.5 s, each line prefixed with the time and the side
sample_metrics() {
  local file=$1 tck; tck=$(getconf CLK_TCK)
  sample_one() {   # NAME API PID
    echo "$t $1 process_cpu_seconds $(awk -v tck="$tck" '{ print ($14 + $15) / tck }' "/proc/$3/stat" 2>/dev/null)"
    curl -s -m 1 "$2/debug/metrics/prometheus" | grep -E '^(cairn|ipfs)_bitswap' | sed "s/^/$t $1 /"
  }
  while true; do
    local t; t=$(date +%s.%N | cut -c1-14)
    { sample_one A "$2" "$3"; sample_one B "$4" "$5"; } >>"$file"
    sleep 0.5
  done
}

bytes=$((file_mib << 20))
load_count=$((file_mib * 4))
commit="$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$root" diff --quiet 2>/dev/null || echo '+changes')"
{
  echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr), load average $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "java: $("$java" -version 2>&1 | head -1); commit $commit; CAIRN_JAVA_OPTS=${CAIRN_JAVA_OPTS:-}"
  echo "pin: $file_mib MiB, cid-version=1; runs: $runs; paths: $paths; load tool: 1 connection, concurrency $load_concurrency"
  echo "configuration: $label; A's overlay: ${conf_a:-none} $( [ -n "$conf_a" ] && ls "$conf_a" | tr '\n' ' '); B's overlay: ${conf_b:-none} $( [ -n "$conf_b" ] && ls "$conf_b" | tr '\n' ' ')"
} | tee "$results/machine.txt"

# --- A: the two files and the load tool's blocks
step file --out "$work/measured.bin" --mib "$file_mib" --seed 0 >/dev/null
step file --out "$work/fresh.bin" --mib "$file_mib" --seed 1 >/dev/null
start_daemon node-a "$conf_a"; api_a=$api; addr_a=$addr; pid_a=$pid; peer_a=$peer
port_a=$(sed -E 's#^/ip4/[^/]+/tcp/([0-9]+)/.*#\1#' <<<"$addr_a")
measured_cid=$(step add --api "$api_a" --file "$work/measured.bin" --query 'cid-version=1&pin=true' | grep -o '"root":"[^"]*' | sed 's/.*:"//')
fresh_cid=$(step add --api "$api_a" --file "$work/fresh.bin" --query 'cid-version=1&pin=true' | grep -o '"root":"[^"]*' | sed 's/.*:"//')
[ -n "$measured_cid" ] && [ -n "$fresh_cid" ] || { echo "add on A gave no root" >&2; exit 1; }
rm -f "$work/measured.bin" "$work/fresh.bin"
load_sha=$(load put --api "$api_a" --count "$load_count" --size 262144)
echo "A: $addr_a; files $measured_cid (warm) and $fresh_cid (fresh); $load_count blocks of 256 KiB for the load tool"

: >"$results/runs.tsv"
for run in $(seq "$runs"); do
  echo "== run $run of $runs"
  load fetch --target "$addr_a" --count "$load_count" --size 262144 --concurrency "$load_concurrency" --peers 1 \
    --warmup 1 --server-pid "$pid_a" --clk-tck "$(getconf CLK_TCK)" --expect-cids-sha256 "$load_sha" \
    --out "$results/load" --name "load-run$run" >/dev/null 2>>"$results/load.log" \
    || { echo "the load tool failed (see $results/load/load-run$run.json)" >&2; exit 1; }
  mb=$(field "$(cat "$results/load/load-run$run.json")" mbPerSec)
  seconds=$(echo "$(field "$(cat "$results/load/load-run$run.json")" durationMs) / 1000" | bc -l)
  printf '%s\tload\tload\t%s\t%.3f\t-\n' "$run" "$mb" "$seconds" >>"$results/runs.tsv"
  echo "   load tool, 1 connection: $mb MB/s"

  for name in "${names[@]}"; do
    proxy_pid=
    if [ "$name" = direct ]; then
      dial=$addr_a; via=/tcp/$port_a
    else
      start_proxy "$name" "$port_a"
      dial=/ip4/127.0.0.1/tcp/$proxy_port/p2p/$peer_a; via=/tcp/$proxy_port
    fi
    start_daemon "node-b-$name-run$run" "$conf_b"; api_b=$api; pid_b=$pid
    curl -s -f -X POST "$api_b/api/v0/swarm/connect?arg=$dial" >/dev/null \
      || { echo "B ($name) could not connect to $dial" >&2; exit 1; }
    ping=$(ping_ms "$api_b" "$peer_a") || { echo "B ($name) could not ping A" >&2; exit 1; }
    fresh=$(step pin --api "$api_b" --cid "$fresh_cid" --bytes "$bytes")
    sampler=
    if [ "${SAMPLE_METRICS:-0}" = 1 ]; then
      sample_metrics "$results/metrics-$name-run$run.txt" "$api_a" "$pid_a" "$api_b" "$pid_b" &
      sampler=$!
    fi
    warm=$(step pin --api "$api_b" --cid "$measured_cid" --bytes "$bytes")
    [ -z "$sampler" ] || { kill "$sampler"; wait "$sampler" 2>/dev/null || true; }
    # B's only connection to A is the path's: no second one dialled around the proxy.
    conns=$(curl -s -f -X POST "$api_b/api/v0/swarm/peers" | grep -o "\"Addr\":\"[^\"]*\",\"Peer\":\"$peer_a\"" || true)
    [ "$(grep -c . <<<"$conns")" = 1 ] && grep -q "$via\"" <<<"$conns" \
      || { echo "B ($name) is connected to A other than through $via only: $conns" >&2; exit 1; }
    printf '%s\t%s\tfresh\t%s\t%s\t%s\n' "$run" "$name" "$(field "$fresh" mbPerSec)" "$(field "$fresh" seconds)" "$ping" >>"$results/runs.tsv"
    printf '%s\t%s\twarm\t%s\t%s\t%s\n' "$run" "$name" "$(field "$warm" mbPerSec)" "$(field "$warm" seconds)" "$ping" >>"$results/runs.tsv"
    echo "   $name: ping $ping ms; fresh $(field "$fresh" mbPerSec) MB/s, warm $(field "$warm" mbPerSec) MB/s"
    stop "$pid_b"; stop "$proxy_pid"
    rm -rf "$work/node-b-$name-run$run"
  done
done
stop "$pid_a"

# --- the report
{
  for name in "${names[@]}"; do
    if [ "$name" = direct ]; then
      printf 'direct\tno\t0\t0\t0\n'
    else
      printf '%s\tyes\t%s\t%s\t%s\n' "$name" "${delay_of[$name]}" "${rate_of[$name]}" "${buffer_of[$name]}"
    fi
  done
} >"$work/paths.tsv"
{
  echo "date=$(date -u +%FT%TZ)"
  echo "commit=$commit"
  echo "machine=$(head -1 "$results/machine.txt" | sed 's/^machine: //')"
  echo "java=$("$java" -version 2>&1 | head -1)"
  echo "configuration=$label"
  echo "confA=${conf_a:+$conf_a: $(ls "$conf_a" | tr '\n' ' ')}"
  echo "confB=${conf_b:+$conf_b: $(ls "$conf_b" | tr '\n' ' ')}"
  echo "cairnJavaOpts=${CAIRN_JAVA_OPTS:-}"
  echo "fileBytes=$bytes"
  echo "runs=$runs"
  echo "loadConcurrency=$load_concurrency"
  echo "fresh=B's first pin after it started (cold JVM, new connection), of another file of the same size and shape"
  echo "warm=B's second pin, right after the fresh one, on the same connection"
  echo "direct=B dials A's own address, no proxy"
  echo "title=Pin across distance: $file_mib MiB (cid-version=1), median of $runs run(s), configuration: $label"
  echo "subtitle=$(head -1 "$results/machine.txt" | sed 's/^machine: //'); commit $commit"
} >"$work/meta.txt"
"$java" "${tool_opts[@]}" -cp "$jar" io.cairn.bench.PinDistance report --runs "$results/runs.tsv" --paths "$work/paths.tsv" \
  --meta "$work/meta.txt" --out "$results" | tee "$results/summary.md"
echo "(pin-distance.json, pin-distance.png and the logs in $results)"
