#!/usr/bin/env bash
# Kill -9 during batched writes, many rounds: the file tier's CrashTest with N rounds (default 1,000;
# CI runs 50). Each round starts a child JVM writing group commits into one store, SIGKILLs it at a
# random moment, reopens the store and checks every acknowledged block byte for byte.
#   bench/crash.sh [rounds] [seed]
set -euo pipefail
rounds=${1:-1000}
seed=${2:-7}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
start=$(date +%s)
./cairnw mvn -q verify -pl bundles/io.cairn.blockstore.file -Dtest=CrashTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dcairn.crash.rounds="$rounds" -Dcairn.crash.seed="$seed"
echo "crash: $rounds rounds (seed $seed) passed in $(( $(date +%s) - start )) s"
