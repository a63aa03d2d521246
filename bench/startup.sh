#!/usr/bin/env bash
# Start-up time, idle memory and installer size of the desktop app, for the README's
# Performance section.
#
#   bench/startup.sh [-n RUNS] [APP_BINARY]
#
# APP_BINARY defaults to the release build, target/release/signin-doctor-app (build it and the
# installers with scripts/package.sh). Each run starts the app on an empty data folder in a
# private D-Bus session under its own Xvfb display and measures:
#   - window: time from starting the process to the app's window being mapped on the display
#     (polled with xwininfo every 10 ms);
#   - idle memory: 5 s after the window appears, the proportional set size (PSS, shared pages
#     divided among the processes sharing them) of the app and its WebKit helper processes.
# Prints the median of RUNS and the sizes of the installers in target/release/bundle.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=3
while getopts "n:" opt; do
  case $opt in
    n) RUNS=$OPTARG ;;
    *) exit 2 ;;
  esac
done
shift $((OPTIND - 1))
APP=${1:-target/release/signin-doctor-app}
[ -x "$APP" ] || { echo "no $APP: run scripts/package.sh (release) first" >&2; exit 2; }
command -v xwininfo >/dev/null || { echo "needs xwininfo (x11-utils)" >&2; exit 2; }

. bench/display.sh

# One run inside its own D-Bus session: prints "window_seconds idle_pss_kib".
one_run() {
  local home
  home=$(mktemp -d "$work/run.XXXX")
  mkdir -p "$home/data" "$home/config" "$home/run"
  chmod 700 "$home/run"
  XDG_DATA_HOME="$home/data" XDG_CONFIG_HOME="$home/config" XDG_RUNTIME_DIR="$home/run" \
    dbus-run-session -- bash -c '
      app=$1
      start=$(date +%s.%N)
      "$app" >/dev/null 2>&1 &
      pid=$!
      until xwininfo -root -tree 2>/dev/null | grep -q "\"Sign-in Doctor\""; do
        kill -0 "$pid" 2>/dev/null || { echo "the app exited" >&2; exit 1; }
        sleep 0.01
      done
      shown=$(date +%s.%N)
      sleep 5
      # The app and every process it started (WebKit web and network processes).
      pids="$pid $(pgrep -P "$pid" | tr "\n" " ")"
      for child in $pids; do pids="$pids $(pgrep -P "$child" | tr "\n" " ")"; done
      pss=0
      for p in $(echo $pids | tr " " "\n" | sort -u); do
        k=$(awk "/^Pss:/ {print \$2}" "/proc/$p/smaps_rollup" 2>/dev/null || echo 0)
        pss=$((pss + ${k:-0}))
      done
      kill "$pid"
      wait "$pid" 2>/dev/null || true
      echo "$(echo "$shown - $start" | bc -l) $pss"
    ' _ "$APP"
}

for i in $(seq "$RUNS"); do
  one_run 2>/dev/null | tail -1 >>"$work/runs"
done
[ -n "${VERBOSE:-}" ] && cat "$work/runs" >&2
sort -n "$work/runs" | awk -v n="$RUNS" '{t[NR]=$1} END {printf "window shown: %.2f s (median of %d)\n", t[int((n+1)/2)], n}'
sort -k2 -n "$work/runs" | awk -v n="$RUNS" '{m[NR]=$2} END {printf "idle memory: %d MiB PSS, app and WebKit processes (median of %d)\n", m[int((n+1)/2)]/1024, n}'
for f in target/release/bundle/deb/*.deb target/release/bundle/rpm/*.rpm; do
  [ -e "$f" ] && printf 'installer: %s %.1f MiB\n' "$(basename "$f")" "$(echo "$(stat -c %s "$f") / 1048576" | bc -l)"
done
printf 'app binary: %.1f MiB\n' "$(echo "$(stat -c %s "$APP") / 1048576" | bc -l)"
