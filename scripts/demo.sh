#!/usr/bin/env bash
# Installs what is missing (scripts/setup.sh), builds Sign-in Doctor and opens it on the bundled
# demo data: a week of sign-ins at a fictional firm.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PATH"
cargo run --locked -p signin-doctor-app -- --demo
