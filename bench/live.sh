#!/usr/bin/env bash
# Times a live fetch at Microsoft Graph's throttle limit: fake-entra (crates/fake-entra) serves
# N sign-ins on loopback and throttles as Graph does for sign-in logs (5 requests per 10 s, then
# HTTP 429 with Retry-After); signin-doctor signs in with a device code and fetches all of them.
# Prints a Markdown table for the README's Performance section: requests, pages and 429s (counted
# by fake-entra), the wall time, the throttle bound and their ratio, and the time from the first
# page leaving the server to the command line reporting it stored ("page 1: ..." on its terminal).
#
#   bench/live.sh [-n EVENTS] [-v]     (default 50000; -v lists every request's times)
#
# Binaries: SIGNIN_DOCTOR_CLI and FAKE_ENTRA when set; otherwise built with
# `cargo build --profile $BUILD` (BUILD=release by default; BUILD=dev uses target/debug: the
# fetch is throttle-bound, so the debug build measures nearly the same).
# Needs: python3, dbus-run-session and gnome-keyring-daemon (signin-doctor keeps sign-ins only in
# an OS keyring and refuses without one, so the script runs itself inside a private D-Bus session
# with a throw-away unlocked GNOME Keyring, as scripts/test.sh does; scripts/setup.sh installs
# both). Everything (profiles, vault, keyring) lives in a temporary folder that is removed after.
# Takes about a minute and a half for 50,000 sign-ins (the throttle sets the pace, not the CPU).
set -euo pipefail
cd "$(dirname "$0")/.."
EVENTS=50000
VERBOSE=""
while getopts "n:v" opt; do
  case $opt in
    n) EVENTS=$OPTARG ;;
    v) VERBOSE=-v ;;
    *) echo "usage: $0 [-n EVENTS] [-v]" >&2; exit 2 ;;
  esac
done

# Inside a D-Bus session with an unlocked keyring of our own (re-run from below).
if [ -z "${SIGNIN_LIVE_BENCH_SESSION:-}" ]; then
  BUILD=${BUILD:-release}
  label=""
  if [ -z "${SIGNIN_DOCTOR_CLI:-}" ] || [ -z "${FAKE_ENTRA:-}" ]; then
    cargo build --quiet --profile "$BUILD" -p signin-doctor -p fake-entra
    label="$BUILD build"
    dir=target/$([ "$BUILD" = dev ] && echo debug || echo "$BUILD")
    SIGNIN_DOCTOR_CLI=${SIGNIN_DOCTOR_CLI:-$PWD/$dir/signin-doctor}
    FAKE_ENTRA=${FAKE_ENTRA:-$PWD/$dir/fake-entra}
  fi
  for tool in python3 dbus-run-session gnome-keyring-daemon; do
    command -v "$tool" >/dev/null || { echo "$0 needs $tool (scripts/setup.sh installs it)" >&2; exit 2; }
  done
  home=$(mktemp -d)
  trap 'rm -rf "$home"' EXIT
  mkdir -p "$home/data" "$home/run" "$home/config" "$home/signin-doctor"
  chmod 700 "$home/run"
  status=0
  env -u DBUS_SESSION_BUS_ADDRESS HOME="$home" XDG_DATA_HOME="$home/data" XDG_RUNTIME_DIR="$home/run" \
    XDG_CONFIG_HOME="$home/config" SIGNIN_DOCTOR_DATA_DIR="$home/signin-doctor" \
    SIGNIN_DOCTOR_CLI="$SIGNIN_DOCTOR_CLI" FAKE_ENTRA="$FAKE_ENTRA" BENCH_HOME="$home" BENCH_LABEL="$label" \
    SIGNIN_LIVE_BENCH_SESSION=1 dbus-run-session -- sh -c \
    'printf bench | gnome-keyring-daemon --unlock --components=secrets >/dev/null && exec "$0" "$@"' \
    "$PWD/bench/live.sh" -n "$EVENTS" $VERBOSE || status=$?
  exit "$status"
fi

CLI=$SIGNIN_DOCTOR_CLI
work=$BENCH_HOME
fake_pid=""
trap '[ -n "$fake_pid" ] && kill "$fake_pid" 2>/dev/null || true' EXIT

# The fake tenant: the demo's sign-ins repeated to N, Graph's throttle, a device code that
# approves itself after one poll, one log line per request.
"$FAKE_ENTRA" --demo --events "$EVENTS" --throttle 5 --throttle-window 10 \
  --device-code-polls 1 --device-code-interval 1 --log-requests \
  >"$work/fake.out" 2>"$work/fake.log" &
fake_pid=$!
for _ in $(seq 1 600); do
  [ -s "$work/fake.out" ] && break
  kill -0 "$fake_pid" 2>/dev/null || { cat "$work/fake.log" >&2; exit 1; }
  sleep 0.1
done
url=$(head -n 1 "$work/fake.out")
[ -n "$url" ] || { echo "fake-entra printed no address" >&2; exit 1; }

"$CLI" login --device-code --authority "$url" --graph "$url" --profile Bench >/dev/null 2>"$work/login.err" \
  || { cat "$work/login.err" >&2; exit 1; }
# The sign-in's permission check used one request of the budget; let it leave the window.
sleep 11
before=$(wc -l <"$work/fake.log")

# The fetch, its standard error on a terminal (so it reports each page as it stores it), timed.
# The demo covers the seven days before the last midnight (UTC).
from=$(date -u -d '9 days ago' +%Y-%m-%dT00:00:00Z)
to=$(date -u +%Y-%m-%dT%H:%M:%SZ)
python3 - "$work/fetch.json" "$work/fetch.times" "$CLI" fetch --profile Bench --from "$from" --to "$to" \
  --json --limit 1 <<'EOF'
import os, pty, subprocess, sys, time
out_path, times_path, *command = sys.argv[1:]
master, slave = pty.openpty()
start = time.time()
with open(out_path, "wb") as out:
    child = subprocess.Popen(command, stdout=out, stderr=slave, stdin=subprocess.DEVNULL)
os.close(slave)
first_page, seen = None, b""
while True:
    try:
        chunk = os.read(master, 4096)
    except OSError:
        break
    if not chunk:
        break
    seen = (seen + chunk)[-4096:]
    if first_page is None and b"page 1:" in seen:
        first_page = time.time()
code = child.wait()
end = time.time()
with open(times_path, "w") as f:
    f.write(f"{start} {end} {first_page or 0} {code}\n")
sys.exit(code)
EOF

python3 - "$EVENTS" "$work/fetch.json" "$work/fetch.times" "$before" "$work/fake.log" "${BENCH_LABEL:-}" "$VERBOSE" <<'EOF'
import json, math, sys
events, out_path, times_path, before, log_path, label, verbose = sys.argv[1:]
events, before = int(events), int(before)
start, end, first_seen, _ = (float(x) for x in open(times_path).read().split())
lines = open(log_path).read().splitlines()[before:]
graph = [l.split() for l in lines if "/auditLogs/signIns" in l]
# fake-entra: ARRIVED ANSWERED METHOD PATH STATUS [EVENTS]
pages = [g for g in graph if g[5] == "200"]
throttled = sum(1 for g in graph if g[5] == "429")
other = [g[5] for g in graph if g[5] not in ("200", "429")]
fetched = sum(int(g[6]) for g in pages if len(g) > 6)
count = json.load(open(out_path))["count"]
wall = end - start
minimum = math.ceil(events / 1000)
# Graph admits 5 requests per 10 s: the first 5 at once, then 5 more each 10 s.
bound = 10.0 * ((minimum - 1) // 5)
# With 5 requests or fewer there is no pause to wait for, and so no ratio.
ratio = wall / bound if bound else None
first = first_seen - float(pages[0][2]) if pages and first_seen else float("nan")
last_answer = float(pages[-1][2]) - start if pages else float("nan")
if verbose:
    print("request  sent(s)  answered(s)  status  sign-ins   (seconds since the fetch started)")
    for i, g in enumerate(graph, 1):
        print(f"{i:7}  {float(g[1]) - start:7.2f}  {float(g[2]) - start:11.2f}  {g[5]:>6}  {g[6] if len(g) > 6 else '':>8}")
paced = len(graph) == minimum and fetched == events and count == events and (ratio is None or ratio <= 1.10)
quick = first < 1.0
print(f"\n{events:,} sign-ins fetched live from fake-entra at 5 requests per 10 s"
      + (f" ({label})" if label else "") + "\n")
print("| Measure | Result | Target |")
print("|---|---|---|")
print(f"| Requests to Graph | {len(graph)} ({len(pages)} pages, {throttled} answered 429"
      + (f", {len(other)} other" if other else "") + f") | {minimum} (⌈N/1000⌉) |")
print(f"| Sign-ins stored | {count:,} (pages held {fetched:,}) | {events:,} |")
print(f"| Wall time (process start to exit) | {wall:.1f} s (last page answered at {last_answer:.1f} s) | |")
print(f"| Throttle bound ({minimum} requests at 5 per 10 s) | {bound:.0f} s | |")
print(f"| Ratio to the bound | {'-' if ratio is None else f'{ratio:.3f}'} | ≤ 1.10 |")
print(f"| First page: answer sent → stored and reported | {first * 1000:.0f} ms | < 1 s |")
print(f"\nall sign-ins in the fewest requests within 10% of the bound: {'yes' if paced else 'NO'}")
print(f"first page stored within 1 s of its answer: {'yes' if quick else 'NO'}")
sys.exit(0 if paced and quick else 1)
EOF
