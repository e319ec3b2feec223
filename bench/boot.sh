#!/usr/bin/env bash
# Boot time and heap after boot of `bin/cairn daemon`, median of N runs (default 5), in three variants
# interleaved run by run (so that a machine whose load changes treats them alike):
#   cairn        the distribution as shipped (CDS archive, kept bundle cache, Jetty not woven by SPI Fly,
#                C2 thresholds raised)
#   cairn, old   the same build with those four off: CAIRN_CDS=off, -Dorg.osgi.framework.storage.clean=onFirstInit,
#                -Dcairn.spifly.unwoven=, the JDK's C2 thresholds (how every boot ran before issue 12)
#   bare Felix   the Felix framework alone (no bundles), started the same way (the baseline)
# For each: from process spawn to
#   first answer  the first 200 from POST /api/v0/version
#   ready         the banner is printed and none of the commands below answers 404 or 503 any more
#                 (the banner comes once the node is ready; bare Felix: it prints "ready")
# and, at ready, the CPU the JVM has used (user+sys, all threads: comparable on a loaded machine where
# wall time is not) and the used heap after a full GC (jcmd GC.run, then GC.heap_info).
# Every run uses the same home (run 1 creates the identity: a warm home, as an operator restarts a node).
# Needs the distribution: ./cairnw mvn -o -q package -pl platform -am -DskipTests
set -euo pipefail
runs=${1:-5}
root=$(cd "$(dirname "$0")/.." && pwd)
dist=$root/platform/target/cairn
. "$dist/bin/find-java.sh"; cairn_find_java jdk
java=$CAIRN_JAVA_HOME/bin/java; jcmd=$CAIRN_JAVA_HOME/bin/jcmd
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
"$CAIRN_JAVA_HOME/bin/javac" -d "$work/cls" -cp "$dist/lib/*" "$root/bench/boot/BareFelix.java"
port=$(( 20000 + RANDOM % 20000 ))
# The JDK's own C2 thresholds, which bin/cairn raises tenfold.
default_jit="-XX:Tier4InvocationThreshold=5000 -XX:Tier4MinInvocationThreshold=600 -XX:Tier4CompileThreshold=15000 -XX:Tier4BackEdgeThreshold=40000"
commands=(version id block/put pin/add add dag/import refs cat)

now_ms() { date +%s%3N; }
cpu_ms() { awk '{ print ($14 + $15) * 1000 / '"$(getconf CLK_TCK)"' }' "/proc/$1/stat"; }
used_heap_kib() { # pid
  "$jcmd" "$1" GC.run >/dev/null
  "$jcmd" "$1" GC.heap_info | awk '/used/ { for (i=1;i<=NF;i++) if ($i=="used") { v=$(i+1); sub("K","",v); print v; exit } }'
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2)? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
status() { curl -s -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:$port/api/v0/$1" || true; }

declare -A first ready cpu heap
boot_cairn() { # variant, extra args...
  local variant=$1; shift
  local t0 t1 t2 pid c answered all
  rm -f "$work/cairn.log"
  t0=$(now_ms)
  CAIRN_PATH=$work/home "$dist/bin/cairn" daemon --api-address "127.0.0.1:$port" --swarm-address /ip4/127.0.0.1/tcp/0 \
    --gateway-address 127.0.0.1:0 "$@" >"$work/cairn.log" 2>&1 </dev/null &
  pid=$!
  until [ "$(status version)" = 200 ]; do kill -0 "$pid" || { cat "$work/cairn.log"; exit 1; }; sleep 0.005; done
  t1=$(now_ms)
  while true; do
    all=1
    grep -q "ready in" "$work/cairn.log" || all=0
    if [ $all = 1 ]; then
      for c in "${commands[@]}"; do
        answered=$(status "$c"); case $answered in 404|503|000) all=0; break ;; esac
      done
    fi
    [ $all = 1 ] && break
    kill -0 "$pid" || { cat "$work/cairn.log"; exit 1; }
    sleep 0.005
  done
  t2=$(now_ms)
  cpu[$variant]+="$(cpu_ms "$pid") "; first[$variant]+="$((t1 - t0)) "; ready[$variant]+="$((t2 - t0)) "
  heap[$variant]+="$(used_heap_kib "$pid") "
  kill -TERM "$pid"; wait "$pid" || true
}

for i in $(seq "$runs"); do
  boot_cairn cairn
  CAIRN_CDS=off CAIRN_JAVA_OPTS="$default_jit" boot_cairn old -Dorg.osgi.framework.storage.clean=onFirstInit -Dcairn.spifly.unwoven=

  rm -f "$work/felix.out"
  t0=$(now_ms)
  "$java" -cp "$work/cls:$dist/lib/*" BareFelix "$work/felix-cache" >"$work/felix.out" 2>&1 &
  pid=$!
  until grep -q ready "$work/felix.out" 2>/dev/null; do sleep 0.005; done
  t1=$(now_ms)
  cpu[felix]+="$(cpu_ms "$pid") "; ready[felix]+="$((t1 - t0)) "; heap[felix]+="$(used_heap_kib "$pid") "
  kill -TERM "$pid"; wait "$pid" || true
done

m() { tr ' ' '\n' | grep . | median; }
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $("$java" -version 2>&1 | head -1), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "commit: $(git -C "$root" rev-parse --short HEAD)$(git -C "$root" diff --quiet || echo '+changes'), bundles: $(ls "$dist/bundle" | wc -l), runs: $runs"
for v in cairn old; do
  printf '%-12s first answer ms: %s median %s | ready ms: %s median %s | CPU ms at ready: %s median %s | heap KiB: median %s\n' \
    "$([ $v = cairn ] && echo cairn || echo 'cairn, old')" "${first[$v]}" "$(m <<<"${first[$v]}")" "${ready[$v]}" "$(m <<<"${ready[$v]}")" \
    "${cpu[$v]}" "$(m <<<"${cpu[$v]}")" "$(m <<<"${heap[$v]}")"
done
printf '%-12s ready ms: %s median %s | CPU ms at ready: %s median %s | heap KiB: median %s\n' "bare Felix" \
  "${ready[felix]}" "$(m <<<"${ready[felix]}")" "${cpu[felix]}" "$(m <<<"${cpu[felix]}")" "$(m <<<"${heap[felix]}")"
