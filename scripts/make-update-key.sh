#!/usr/bin/env bash
# Makes the key pair that signs Sign-in Doctor's updates, and puts its public key in the app's
# config. Run it once, on a maintainer's machine; see docs/releasing.md.
#
#   scripts/make-update-key.sh [--key PATH] [--config PATH] [--no-password] [--force]
#
#   --key PATH     where to write the private key (default ~/.tauri/signin-doctor-updater.key;
#                  the public key goes beside it as PATH.pub). Never inside the repository.
#   --config PATH  the Tauri config whose plugins.updater.pubkey gets the new public key
#                  (default src-tauri/tauri.conf.json)
#   --no-password  make a key without a password (not recommended)
#   --force        replace an existing key. Apps already installed only accept updates signed
#                  with the key their public key belongs to: replacing the key strands them.
#
# The password is asked for twice, or taken from TAURI_SIGNING_PRIVATE_KEY_PASSWORD when that
# is set (for scripts). Needs Node.js and the repository's npm packages (npm ci).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd -P)
key="${HOME:?HOME is not set}/.tauri/signin-doctor-updater.key"
config="$repo/src-tauri/tauri.conf.json"
force=0
no_password=0

die() { printf 'make-update-key: %s\n' "$*" >&2; exit 1; }

while [ $# -gt 0 ]; do
  case "$1" in
    --key) [ $# -ge 2 ] || die "--key needs a path"; key=$2; shift 2 ;;
    --key=*) key=${1#--key=}; shift ;;
    --config) [ $# -ge 2 ] || die "--config needs a path"; config=$2; shift 2 ;;
    --config=*) config=${1#--config=}; shift ;;
    --no-password) no_password=1; shift ;;
    --force) force=1; shift ;;
    -h | --help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument: $1 (see --help)" ;;
  esac
done

command -v node > /dev/null || die "Node.js is needed (https://nodejs.org, or apt-get install nodejs)"
[ -x "$repo/node_modules/.bin/tauri" ] || die "the Tauri CLI is not installed: run 'npm ci' in $repo first"

# Where the key would really land, with symbolic links resolved, even if its folder is not
# there yet: the private key must never be written inside the repository.
key=$(node -e '
  const fs = require("node:fs"), path = require("node:path");
  let dir = path.resolve(process.argv[1], ".."), rest = [path.basename(process.argv[1])];
  while (!fs.existsSync(dir)) { rest.unshift(path.basename(dir)); dir = path.dirname(dir); }
  process.stdout.write(path.join(fs.realpathSync(dir), ...rest));
' "$key")
case "$key/" in
  "$repo"/*) die "refusing to write the private key inside the repository ($key). Keep it outside, e.g. ~/.tauri/" ;;
esac

if [ -e "$key" ] && [ "$force" != 1 ]; then
  die "$key already exists. Its public key may already be in released apps: keep it. To replace it anyway, run again with --force."
fi

password=""
if [ "$no_password" = 1 ]; then
  :
elif [ -n "${TAURI_SIGNING_PRIVATE_KEY_PASSWORD:-}" ]; then
  password=$TAURI_SIGNING_PRIVATE_KEY_PASSWORD
elif [ -t 0 ]; then
  read -r -s -p "Password for the new key: " password; echo
  read -r -s -p "The same password again: " again; echo
  [ "$password" = "$again" ] || die "the passwords differ"
  [ -n "$password" ] || die "empty password; use --no-password if you really want a key without one"
else
  die "no terminal to ask for a password: set TAURI_SIGNING_PRIVATE_KEY_PASSWORD, or pass --no-password"
fi

mkdir -p "$(dirname "$key")"
chmod 700 "$(dirname "$key")" 2> /dev/null || true
args=(signer generate --ci --write-keys "$key")
[ "$force" = 1 ] && args+=(--force)
# The Tauri CLI takes the password only as an argument (-p), so it is briefly visible to other
# users' `ps` on a shared machine: make the key on your own computer.
[ -n "$password" ] && args+=(--password "$password")
(cd "$repo" && node_modules/.bin/tauri "${args[@]}") > /dev/null
chmod 600 "$key"
[ -s "$key" ] && [ -s "$key.pub" ] || die "the Tauri CLI did not write $key and $key.pub"
pubkey=$(tr -d '\r\n' < "$key.pub")

echo "Made the update signing key pair:"
echo "  private key: $key   (secret: back it up somewhere safe, e.g. a password manager)"
echo "  public key:  $key.pub"
echo

# Put the public key in plugins.updater.pubkey, changing nothing else in the file.
config_status=0
node - "$config" "$pubkey" << 'EOF' || config_status=$?
const fs = require('node:fs');
const [file, pubkey] = process.argv.slice(2);
if (!fs.existsSync(file)) {
  console.log(`${file} does not exist.`);
  process.exit(3);
}
const text = fs.readFileSync(file, 'utf8');
const config = JSON.parse(text);
const updater = config.plugins && config.plugins.updater;
if (!updater || typeof updater !== 'object') {
  console.log(`${file} has no plugins.updater section yet.`);
  process.exit(3);
}
if (updater.pubkey === pubkey) {
  console.log(`${file} already has this public key.`);
  process.exit(0);
}
const expected = structuredClone(config);
expected.plugins.updater.pubkey = pubkey;
// Replace the value in place when "pubkey" occurs once in the file; rewrite the file otherwise.
let updated;
const matches = text.match(/"pubkey"\s*:\s*"(?:[^"\\]|\\.)*"/g) || [];
if (matches.length === 1) {
  updated = text.replace(/("pubkey"\s*:\s*)"(?:[^"\\]|\\.)*"/, (_, head) => head + JSON.stringify(pubkey));
}
if (updated === undefined || JSON.stringify(JSON.parse(updated)) !== JSON.stringify(expected)) {
  const indent = (/\n([ \t]+)"/.exec(text) || [, '  '])[1];
  updated = JSON.stringify(expected, null, indent) + '\n';
}
fs.writeFileSync(file, updated);
console.log(`Wrote the public key to plugins.updater.pubkey in ${file}.`);
EOF
if [ "$config_status" = 3 ]; then
  cat << EOF
Add the updater to the Tauri config by hand, with this public key:

  "plugins": {
    "updater": {
      "pubkey": "$pubkey",
      "endpoints": ["https://github.com/signin-doctor/signin-doctor/releases/latest/download/latest.json"]
    }
  }

EOF
elif [ "$config_status" != 0 ]; then
  die "could not update $config (see above); put this public key in plugins.updater.pubkey: $pubkey"
fi

cat << EOF

Now store two repository secrets (GitHub: Settings > Secrets and variables > Actions), for
example with the GitHub CLI:

  gh secret set TAURI_SIGNING_PRIVATE_KEY --repo signin-doctor/signin-doctor < "$key"
  gh secret set TAURI_SIGNING_PRIVATE_KEY_PASSWORD --repo signin-doctor/signin-doctor
      (it asks for the password; with --no-password set it to an empty value, or leave it unset)

TAURI_SIGNING_PRIVATE_KEY is the content of $key,
TAURI_SIGNING_PRIVATE_KEY_PASSWORD the password you chose. Then commit the config change.
Keep the private key and its password: without them no update can reach installed apps.
EOF
