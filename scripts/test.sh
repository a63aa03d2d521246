#!/usr/bin/env bash
# Runs every check and test Sign-in Doctor has: formatting, lints, Rust unit and integration
# tests, UI module tests, and the end-to-end tests that click through the real desktop window
# (under Xvfb when there is no display). Installs what is missing first (scripts/setup.sh);
# set SKIP_SETUP=1 to skip that step.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

if [ "${SKIP_SETUP:-0}" != 1 ]; then
  step "Checking what is installed"
  bash scripts/setup.sh
fi
export PATH="$HOME/.cargo/bin:$PATH"

step "Formatting (cargo fmt --check)"
cargo fmt --all --check

step "Lints (cargo clippy, warnings are errors)"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "Rust tests"
cargo test --workspace --locked

step "UI module tests and the release workflow's lint (node --test)"
node --test ui/tests/ tests/workflows/

step "Building the app, the command line and its installers (debug) for the end-to-end tests"
cargo build --locked -p signin-doctor-app -p signin-doctor -p fake-entra
bash scripts/package.sh --debug

step "End-to-end tests in the real window, then the .deb installed, run and removed"
xvfb_pid=""
keyring_home=$(mktemp -d)
cleanup() {
  [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null
  rm -rf "$keyring_home"
  true
}
trap cleanup EXIT
if [ -z "${DISPLAY:-}" ]; then
  fifo=$(mktemp -u)
  mkfifo "$fifo"
  Xvfb -displayfd 5 -screen 0 1280x800x24 -nolisten tcp 5>"$fifo" >/dev/null 2>&1 &
  xvfb_pid=$!
  read -r display_no <"$fifo"
  rm -f "$fifo"
  export DISPLAY=":$display_no"
  echo "started Xvfb on $DISPLAY"
fi
rm -rf target/e2e-screenshots
echo "screenshots of each screen go to target/e2e-screenshots/"
# The app runs as on a desktop: in a D-Bus session (which a single-instance app needs) with an
# unlocked GNOME Keyring, its keyring and settings (the remembered window) in a temporary
# folder, so a developer's own are never touched.
mkdir -p "$keyring_home/data" "$keyring_home/run" "$keyring_home/config"
chmod 700 "$keyring_home/run"
XDG_DATA_HOME="$keyring_home/data" XDG_RUNTIME_DIR="$keyring_home/run" XDG_CONFIG_HOME="$keyring_home/config" \
  dbus-run-session -- sh -c \
  'printf test | gnome-keyring-daemon --unlock --components=secrets >/dev/null && exec node --test --test-concurrency=1 tests/e2e/ tests/install/'
