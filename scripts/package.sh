#!/usr/bin/env bash
# Builds Sign-in Doctor's installers for this system with the Tauri CLI: on Linux a .deb and an
# .rpm (each with the desktop app, its menu entry and icons, and the `signin-doctor` command
# line); on macOS a .dmg; on Windows an .msi and an NSIS setup.exe. Output goes to
# target/<profile>/bundle/. The tree is left as it was: nothing is generated outside target/.
#
#   scripts/package.sh            release build (what ships; about 12 minutes cold on 2 cores)
#   scripts/package.sh --debug    debug build, quicker; what the install test uses
#
# With TAURI_SIGNING_PRIVATE_KEY (and _PASSWORD) set, the update bundles and their signatures
# are made too (see docs/releasing.md); without it they are skipped.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

profile=release
tauri_flags=()
cargo_flags=(--release)
if [ "${1:-}" = "--debug" ]; then
  profile=debug
  tauri_flags+=(--debug)
  cargo_flags=()
fi

case "$(uname -s)" in
  Linux) bundles=deb,rpm ;;
  Darwin) bundles=app,dmg ;;
  *) bundles=msi,nsis ;;
esac

[ -x node_modules/.bin/tauri ] || npm ci --no-audit --no-fund

# The command line goes into the Linux packages beside the app.
cargo build --locked "${cargo_flags[@]}" -p signin-doctor

updater=false
[ -n "${TAURI_SIGNING_PRIVATE_KEY:-}" ] && updater=true
cli="../target/$profile/signin-doctor"
override=$(printf '{"bundle":{"createUpdaterArtifacts":%s,"linux":{"deb":{"files":{"/usr/bin/signin-doctor":"%s"}},"rpm":{"files":{"/usr/bin/signin-doctor":"%s"}}}}}' \
  "$updater" "$cli" "$cli")

npx tauri build "${tauri_flags[@]}" --bundles "$bundles" --config "$override"

echo "Installers:"
find "target/$profile/bundle" -maxdepth 2 -type f \( -name '*.deb' -o -name '*.rpm' -o -name '*.dmg' -o -name '*.msi' -o -name '*.exe' \) -print
