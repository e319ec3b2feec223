#!/usr/bin/env bash
# The muxer stress of issue 12 at length: itests' MuxerStressTest -- Cairn <-> Cairn in one JVM (both
# directions at once), Cairn -> js-libp2p and js-libp2p -> Cairn -- each for ROUNDS rounds (1,000 by
# default) of 4 connections x (50 echo streams of random sizes in random pieces, 5 streams refused by
# multistream-select, 5 streams reset mid-write), every byte compared, stopping at the first wrong byte.
# CI runs the same tests for 3 rounds.
#
#   bench/muxer-stress.sh                     # 1,000 rounds of each
#   ROUNDS=200 LOAD=2 bench/muxer-stress.sh   # 200 rounds, with 2 busy processes beside (CPU load)
#   TESTS=jsLibp2pDialsCairn bench/muxer-stress.sh
#   PARALLEL=1 bench/muxer-stress.sh          # all three at once (on 2 shared cores: overload, 10 s negotiation timeouts)
#
# Other knobs (system properties of the test, passed through): SEED, CONNECTIONS, STREAMS, REFUSALS,
# RESETS, MAX_BYTES; LEAK sets Netty's leak detection (simple; CI's tests run PARANOID, which is slow).
# Builds what itests needs from this tree (-am); only loopback is used.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
rounds=${ROUNDS:-1000}
load=${LOAD:-0}
tests=${TESTS:-cairnToCairnBothDirectionsAtOnce+cairnDialsJsLibp2p+jsLibp2pDialsCairn}
props=(-Dcairn.stress.rounds="$rounds" -Dio.netty.leakDetection.level="${LEAK:-simple}")
# The three tests at once (JUnit's parallel execution), as the three peers' traffic would meet on a node.
[ "${PARALLEL:-0}" = 1 ] && props+=(-Djunit.jupiter.execution.parallel.enabled=true
  -Djunit.jupiter.execution.parallel.mode.default=concurrent)
[ -n "${SEED:-}" ] && props+=(-Dcairn.stress.seed="$SEED")
props+=(-Dcairn.stress.connections="${CONNECTIONS:-4}" -Dcairn.stress.streams="${STREAMS:-50}")
props+=(-Dcairn.stress.refusals="${REFUSALS:-5}" -Dcairn.stress.resets="${RESETS:-5}")
[ -n "${MAX_BYTES:-}" ] && props+=(-Dcairn.stress.maxBytes="$MAX_BYTES")

burners=()
stop_burners() { for p in "${burners[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap stop_burners EXIT
for _ in $(seq 1 "$load"); do
  # bounded: a minute a round, whatever happens to the test
  timeout $((rounds * 60 + 600)) node -e 'for (;;) {}' &
  burners+=($!)
done

echo "muxer stress: $rounds rounds of $tests, load $load"
./cairnw mvn -o -q test -pl itests -am -Dtest="MuxerStressTest#$tests" -Dsurefire.failIfNoSpecifiedTests=false \
  "${props[@]}" 2>&1 | grep --line-buffered -E "rounds passed|failed|differs|mismatch|Tests run:|ERROR\]   " || true
