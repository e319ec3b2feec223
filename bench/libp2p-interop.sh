#!/usr/bin/env bash
# 64 MiB through one libp2p stream, MB/s, median of 3, in one run:
#   js-libp2p -> js-libp2p       (itests/interop/baseline.mjs: the baseline)
#   js-libp2p -> Cairn, Cairn -> js-libp2p   (Libp2pInteropIT, which prints its figures)
# Build first: ./cairnw mvn -q install -DskipTests
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root/itests/interop"
[ -d node_modules ] || npm ci --no-audit --no-fund --loglevel=error
echo "js -> js:"
node baseline.mjs --runs 3 --mib 64 2>/dev/null | grep -i -E "sink|median" | tail -4
cd "$root"
for i in 1 2 3; do
  ./cairnw mvn -q -o surefire:test -pl itests -Dtest=Libp2pInteropIT -Dsurefire.failIfNoSpecifiedTests=false \
    -Dio.netty.leakDetection.level=disabled 2>&1 | grep -E "64 MiB sink" | sed "s/^/run $i: /"
done
