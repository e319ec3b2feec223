#!/usr/bin/env bash
# Boot time and heap after boot of `bin/cairn daemon`, median of N runs (default 5), beside a bare
# Felix framework (no bundles) started the same way in the same run.
#   boot time: from process spawn to the first successful POST /api/v0/id (bare Felix: to "ready")
#   heap:      used heap after a full GC once ready (jcmd GC.run, then GC.heap_info)
# Needs the distribution: ./cairnw mvn -q install -DskipTests -pl platform -am
set -euo pipefail
runs=${1:-5}
root=$(cd "$(dirname "$0")/.." && pwd)
dist=$root/platform/target/cairn
. "$dist/bin/find-java.sh"; cairn_find_java jdk
java=$CAIRN_JAVA_HOME/bin/java; jcmd=$CAIRN_JAVA_HOME/bin/jcmd
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
"$CAIRN_JAVA_HOME/bin/javac" -d "$work/cls" -cp "$dist/lib/*" "$root/bench/boot/BareFelix.java"
port=$(( 20000 + RANDOM % 20000 ))

now_ms() { date +%s%3N; }
used_heap_kib() { # pid
  "$jcmd" "$1" GC.run >/dev/null
  "$jcmd" "$1" GC.heap_info | awk '/used/ { for (i=1;i<=NF;i++) if ($i=="used") { v=$(i+1); sub("K","",v); print v; exit } }'
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2)? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

cairn_ms=(); cairn_heap=(); felix_ms=(); felix_heap=()
for i in $(seq "$runs"); do
  home=$work/home   # the same home each run: run 1 creates the identity, later runs reuse it
  t0=$(now_ms)
  CAIRN_PATH=$home "$dist/bin/cairn" daemon --api-address "127.0.0.1:$port" >"$work/cairn.log" 2>&1 &
  pid=$!
  until curl -s -o /dev/null -X POST "http://127.0.0.1:$port/api/v0/id"; do sleep 0.005; done
  t1=$(now_ms)
  javapid=$(pgrep -P "$pid" java || echo "$pid")
  cairn_ms+=($((t1 - t0))); cairn_heap+=("$(used_heap_kib "$javapid")")
  kill -TERM "$pid"; wait "$pid" || true

  t0=$(now_ms)
  "$java" -cp "$work/cls:$dist/lib/*" BareFelix "$work/felix-cache" >"$work/felix.out" 2>&1 &
  pid=$!
  until grep -q ready "$work/felix.out" 2>/dev/null; do sleep 0.005; done
  t1=$(now_ms)
  felix_ms+=($((t1 - t0))); felix_heap+=("$(used_heap_kib "$pid")")
  kill -TERM "$pid"; wait "$pid" || true
done

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $("$java" -version 2>&1 | head -1)"
echo "bundles: $(ls "$dist/bundle" | wc -l)"
printf 'cairn daemon  boot ms: %s  median %s   heap KiB after GC: %s  median %s\n' "${cairn_ms[*]}" "$(printf '%s\n' "${cairn_ms[@]}" | median)" "${cairn_heap[*]}" "$(printf '%s\n' "${cairn_heap[@]}" | median)"
printf 'bare Felix    boot ms: %s  median %s   heap KiB after GC: %s  median %s\n' "${felix_ms[*]}" "$(printf '%s\n' "${felix_ms[@]}" | median)" "${felix_heap[*]}" "$(printf '%s\n' "${felix_heap[@]}" | median)"
