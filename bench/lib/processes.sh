# Process housekeeping for the bench scripts: sourced, not run. Sets work (a scratch dir: under
# $WORK_DIR if set, else the system's temp dir) and started (append every process the script starts);
# on exit, stops those and removes work. Defines stop and wait_for.

work=$(mktemp -d "${WORK_DIR:-${TMPDIR:-/tmp}}/cairn-bench.XXXX")
started=()

stop() { # pid: SIGTERM, then SIGKILL after 15 s
  [ -n "$1" ] && kill -TERM "$1" 2>/dev/null || return 0
  for _ in $(seq 150); do kill -0 "$1" 2>/dev/null || { wait "$1" 2>/dev/null || true; return 0; }; sleep 0.1; done
  kill -KILL "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true
}

cleanup() {
  for pid in "${started[@]}"; do stop "$pid"; done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# wait_for FILE PATTERN SECONDS PID: until a line of FILE matches, or fail if PID ends or time runs out
wait_for() {
  local deadline=$((SECONDS + $3))
  until grep -q -E "$2" "$1" 2>/dev/null; do
    kill -0 "$4" 2>/dev/null || { echo "the server exited before '$2'; its output:" >&2; tail -50 "$1" >&2; return 1; }
    [ $SECONDS -lt $deadline ] || { echo "no '$2' within $3 s; output:" >&2; tail -50 "$1" >&2; return 1; }
    sleep 0.1
  done
}
