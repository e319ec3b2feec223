#!/usr/bin/env bash
# Package step (platform/pom.xml): boots the freshly assembled distribution once with the building JDK,
# so that bin/cairn's AutoCreateSharedArchive writes the class-data sharing archive into lib/ as the node
# stops. The boot runs in a scratch home on loopback with free ports (nothing the machine runs is
# touched) and waits for the banner, which the launcher prints once the node is ready (every RPC command
# registered), then stops the node with SIGTERM: the archive then holds the classes of a whole boot.
# A distribution without the archive still runs (the first real run writes one), so a training boot
# that fails warns and does not fail the build; skip it with -Dcairn.cds.skip=true.
set -uo pipefail
dist=$1
home=$(mktemp -d "${TMPDIR:-/tmp}/cairn-cds.XXXXXX")
log=$home/boot.log
trap 'rm -rf "$home"' EXIT
rm -f "$dist"/lib/cairn-jdk-*.jsa
CAIRN_PATH=$home/node "$dist/bin/cairn" daemon --api-address 127.0.0.1:0 --swarm-address /ip4/127.0.0.1/tcp/0 \
  --gateway-address 127.0.0.1:0 --start-timeout 300 </dev/null >"$log" 2>&1 &
pid=$!
api=
for _ in $(seq 3000); do  # up to 300 s on a loaded build machine
  api=$(sed -n 's|^RPC API *\(http://[^ ]*\)/api/v0.*|\1|p' "$log")
  [ -n "$api" ] && break
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.1
done
if [ -z "$api" ]; then
  echo "cds-archive: WARNING: the training boot did not come up; the distribution has no CDS archive (the first run makes one):" >&2
  tail -20 "$log" >&2
  kill -KILL "$pid" 2>/dev/null
  exit 0
fi
# The node is ready: call a command once, so that the request path is in the archive too.
curl -s -o /dev/null -X POST "$api/api/v0/id" || true
kill -TERM "$pid"
wait "$pid"
ls "$dist"/lib/cairn-jdk-*.jsa >/dev/null 2>&1 \
  && echo "cds-archive: $(basename "$dist"/lib/cairn-jdk-*.jsa) ($(du -h "$dist"/lib/cairn-jdk-*.jsa | cut -f1))" \
  || echo "cds-archive: WARNING: the training boot wrote no archive (the first run makes one)" >&2
exit 0
