#!/usr/bin/env bash
# The desktop app opened on a large workspace: time until the results table shows the count and
# the newest sign-in (bench/open.mjs), on its own Xvfb display and in a private D-Bus session.
#
#   bench/open.sh [-n RUNS] WORKSPACE [APP_BINARY]
#
# Make the workspace with the command line (signin-doctor import --workspace W FILE, or
# bench/workspace.sh, which keeps it with -w). Needs tauri-driver and WebKitWebDriver (as the
# end-to-end tests do) and a release build of the app (scripts/package.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v tauri-driver >/dev/null || { echo "needs tauri-driver (cargo install tauri-driver)" >&2; exit 2; }
. bench/display.sh
mkdir -p "$work/data" "$work/config" "$work/run"
chmod 700 "$work/run"
XDG_DATA_HOME="$work/data" XDG_CONFIG_HOME="$work/config" XDG_RUNTIME_DIR="$work/run" \
  dbus-run-session -- node bench/open.mjs "$@"
