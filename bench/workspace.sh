#!/usr/bin/env bash
# The workspace at scale: imports an export into a fresh workspace (time, peak memory, the
# workspace file's size against the export's), then asks the bench kit's four questions of the
# workspace (Q1 a user in a time window, Q2 a correlation ID, Q3 failures by error code, Q4
# Conditional Access failures per policy for one app), each a whole `signin-doctor` process,
# and checks the answers against the same questions asked of the file itself.
#
#   bench/workspace.sh [-n RUNS] [-w WORKSPACE] DATAFILE
#
# With -w, the questions are asked of that workspace (the import of DATAFILE into it, made
# by an earlier run with -w, is kept and not timed again).
#
# Needs GNU time and a release build of the command line (cargo build --release -p
# signin-doctor). Make the data with the bench kit ("$SIGNIN_BENCH_KIT"/make_data.sh, or
# gen_signins.py -n 1000000 --format ndjson). Warm page cache, median of RUNS after one untimed
# run. Run it on a quiet machine.
set -euo pipefail
cd "$(dirname "$0")/.."
CLI=${SIGNIN_DOCTOR_CLI:-target/release/signin-doctor}
RUNS=3
KEEP=""
while getopts "n:w:" opt; do
  case $opt in
    n) RUNS=$OPTARG ;;
    w) KEEP=$OPTARG ;;
    *) exit 2 ;;
  esac
done
shift $((OPTIND - 1))
[ $# -eq 1 ] || { echo "usage: $0 [-n RUNS] [-w WORKSPACE] DATAFILE" >&2; exit 2; }
[ -x "$CLI" ] || { echo "no $CLI: run cargo build --release -p signin-doctor" >&2; exit 2; }
data=$1

UPN=pat.odonnell@contoso.com
FROM=2025-10-01T00:00:00Z
TO=2025-10-30T23:59:59Z
CORR=11111111-2222-3333-4444-555555555555
TEAMS=1fec8e78-bce4-4aaf-ab1b-5451cc387264
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
ws=${KEEP:-$work/workspace.sqlite}

# The question's arguments after `search`/`stats` and the source (a file or --workspace W).
question() {
  case $1 in
    Q1) echo "search --user $UPN --from $FROM --to $TO --tsv" ;;
    Q2) echo "search --correlation-id $CORR --tsv" ;;
    Q3) echo "stats --by code --top 10" ;;
    Q4) echo "stats --by policy --app $TEAMS --top 0" ;;
  esac
}

# Runs a command RUNS times after one untimed run; prints "median_seconds peak_MiB".
timed() {
  "$@" >/dev/null
  for _ in $(seq "$RUNS"); do
    /usr/bin/time -f '%e %M' -o "$work/t" "$@" >/dev/null
    cat "$work/t"
  done | sort -n | awk '{ s[NR] = $1; m[NR] = $2 } END { i = int((NR + 1) / 2); printf "%s %.0f\n", s[i], m[i] / 1024 }'
}

if [ -n "$KEEP" ] && [ -s "$KEEP" ]; then
  seconds="(kept)" peak=0
else
  echo "importing $data ..."
  /usr/bin/time -f '%e %M' -o "$work/import" "$CLI" import --workspace "$ws" "$data" >/dev/null
  read -r seconds peak <"$work/import"
fi
export_bytes=$(stat -c %s "$data")
ws_bytes=$(stat -c %s "$ws")
records=$("$CLI" search --workspace "$ws" --json --limit 1 | sed -n 's/^ *"count": *\([0-9]*\).*/\1/p' | head -1)
printf '| import | %s sign-ins | %s s · %.0f MiB peak | workspace %.0f MB for a %.0f MB export (%.2f×) |\n' \
  "$records" "$seconds" "$(echo "$peak / 1024" | bc -l)" \
  "$(echo "$ws_bytes / 1000000" | bc -l)" "$(echo "$export_bytes / 1000000" | bc -l)" \
  "$(echo "$ws_bytes / $export_bytes" | bc -l)"

for q in Q1 Q2 Q3 Q4; do
  # shellcheck disable=SC2046 # the question's words are meant to split
  set -- $(question $q)
  from_ws=$("$CLI" "$1" --workspace "$ws" "${@:2}")
  from_file=$("$CLI" "$1" "$data" "${@:2}")
  same=yes
  [ "$from_ws" = "$from_file" ] || same=NO
  read -r t m < <(timed "$CLI" "$1" --workspace "$ws" "${@:2}")
  printf '| %s | from the workspace | %s s · %s MiB | same answer as from the file: %s |\n' "$q" "$t" "$m" "$same"
done
