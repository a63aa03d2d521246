#!/usr/bin/env bash
# Times signin-doctor against the peer tools on the same files and the same four questions
# (Q1 a user in a time window, Q2 a correlation ID, Q3 failures by error code, Q4 Conditional
# Access failures per policy for one app), checks that the answers are identical, and prints
# the ratio table for the README's Performance section.
#
#   bench/compare.sh [-n RUNS] [-t "duckdb jq"] DATAFILE...
#
# Needs the bench kit (shared/bench: data generator and the peers' query scripts; set
# SIGNIN_BENCH_KIT, default ../shared/bench beside this checkout), GNU time, python3, a release
# build of the command line (cargo build --release -p signin-doctor), and the peers you ask for:
# DuckDB from the kit's .venv (see its README) or on PATH, jq on PATH. Make the data with
# `"$SIGNIN_BENCH_KIT"/make_data.sh`. Whole processes are timed, load included, warm page cache,
# median of RUNS after one untimed run. Run it on a quiet machine.
set -euo pipefail
cd "$(dirname "$0")/.."
KIT=${SIGNIN_BENCH_KIT:-$(cd .. && pwd)/shared/bench}
CLI=${SIGNIN_DOCTOR_CLI:-target/release/signin-doctor}
RUNS=3
TOOLS="duckdb"
while getopts "n:t:" opt; do
  case $opt in
    n) RUNS=$OPTARG ;;
    t) TOOLS=$OPTARG ;;
    *) exit 2 ;;
  esac
done
shift $((OPTIND - 1))
[ $# -gt 0 ] || { echo "usage: $0 [-n RUNS] [-t \"duckdb jq\"] DATAFILE..." >&2; exit 2; }
[ -x "$CLI" ] || { echo "no $CLI: run cargo build --release -p signin-doctor" >&2; exit 2; }
[ -d "$KIT/anchors" ] || { echo "no bench kit at $KIT (set SIGNIN_BENCH_KIT)" >&2; exit 2; }

UPN=pat.odonnell@contoso.com
FROM=2025-10-01T00:00:00Z
TO=2025-10-31T00:00:00Z
CORR=11111111-2222-3333-4444-555555555555
APP="Microsoft Teams"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export CLI KIT UPN FROM TO CORR APP

# "count<TAB>N", then the rows given (one per line).
canonical() {
  if [ -z "$1" ]; then
    printf 'count\t0\n'
  else
    printf 'count\t%s\n%s\n' "$(printf '%s\n' "$1" | wc -l)" "$1"
  fi
}

# signin-doctor's answer to question $1 on file $2, in the kit's canonical lines.
ours() {
  local q=$1 f=$2
  case $q in
    # The kit's canonical lines from `search --tsv` (time, id, correlation, user, app, status,
    # code), with awk and sort only, so no interpreter's start-up is counted. `--to` includes
    # its second; the kit's window excludes it.
    Q1) canonical "$("$CLI" search "$f" --user "$UPN" --from "$FROM" --to "$TO" --tsv |
      awk -F'\t' -v to="$TO" 'NR > 1 && $1 < to { print $1 "\t" $7 }' | LC_ALL=C sort)" ;;
    Q2) canonical "$("$CLI" search "$f" --correlation-id "$CORR" --tsv |
      awk -F'\t' 'NR > 1 { print $1 "\t" $2 "\t" $7 }' | LC_ALL=C sort)" ;;
    Q3) "$CLI" stats "$f" --by code --top 10 ;;
    # `--app` matches a name or its beginning ("Microsoft Teams Web Client" too); the app ID
    # asks exactly for Microsoft Teams, as Q4 does.
    Q4) "$CLI" stats "$f" --by policy --app 1fec8e78-bce4-4aaf-ab1b-5451cc387264 --top 0 ;;
  esac
}

# A peer's answer: the kit's script for the tool and question.
peer() {
  local tool=$1 q=$2 f=$3
  local n=${q#Q}
  case $tool in
    duckdb | jq) APP="$APP" bash "$KIT/anchors/${tool}_q$n.sh" "$f" ;;
  esac
}

export -f ours peer canonical

# Runs "$@" RUNS times after one warm-up; prints "median_seconds peak_MiB" and keeps the answer.
timed() {
  local answer=$1
  shift
  bash -c '"$@"' _ "$@" >"$answer" 2>/dev/null || true
  local i
  for i in $(seq "$RUNS"); do
    /usr/bin/time -f "%e %M" -o "$work/t.$i" bash -c '"$@"' _ "$@" >"$answer" 2>/dev/null || true
  done
  cat "$work"/t.* | sort -n | awk -v n="$RUNS" '{t[NR]=$1; m[NR]=$2} END {print t[int((n+1)/2)], int(m[int((n+1)/2)]/1024)}'
  rm -f "$work"/t.*
}

# The issue's targets, as a speed-up over the first peer (DuckDB): Q1/Q2 4x on the 100k portal
# JSON, 3x on the 1M NDJSON, 2x on the CSV; Q3/Q4 2x everywhere. A file is known by what it
# holds, whatever its name: a JSON array (the portal's download), one record a line (the target
# is on the 1M file, so on files above 1 GB), or else CSV.
target() {
  local q=$1 f=$2 first
  case $q in Q3 | Q4) echo 2; return ;; esac
  # The first byte that is not white space or part of a byte-order mark.
  first=$(head -c 4096 "$f" | LC_ALL=C tr -d '\357\273\277 \t\r\n' | head -c 1)
  case $first in
    '[') echo 4 ;;
    '{') if [ "$(stat -c %s "$f")" -gt 1000000000 ]; then echo 3; else echo 1; fi ;;
    *) echo 2 ;;
  esac
}

printf '| file | query | signin-doctor | %s | target | same answer |\n' "$(echo "$TOOLS" | sed 's/ / | /g')"
printf '|---|---|---|%s---|---|\n' "$(for _ in $TOOLS; do printf -- '---|'; done)"
for f in "$@"; do
  cat "$f" >/dev/null
  name=$(basename "$f")
  for q in Q1 Q2 Q3 Q4; do
    case "$f" in *.csv) [ $q = Q4 ] && continue ;; esac
    read -r ot om < <(timed "$work/ours" ours $q "$f")
    row="| $name | $q | ${ot} s · ${om} MiB"
    same=yes
    first=""
    for tool in $TOOLS; do
      read -r pt pm < <(timed "$work/peer" peer "$tool" $q "$f")
      ratio=$(python3 -c "import sys; o, p = float(sys.argv[1]), float(sys.argv[2]); print(f'{p/o:.1f}× faster' if o > 0 and p >= o else f'{o/p:.1f}× slower')" "$ot" "$pt")
      row="$row | ${pt} s · ${pm} MiB (ours $ratio)"
      [ -n "$first" ] || first=$pt
      cmp -s "$work/ours" "$work/peer" || same="NO ($tool differs)"
    done
    want=$(target $q "$f")
    met=$(python3 -c "import sys; o, p, w = map(float, sys.argv[1:]); print('no target' if w <= 1 else f'{w:g}× faster: ' + ('met' if o * w <= p else 'not met'))" "$ot" "${first:-0}" "$want")
    echo "$row | $met | $same |"
  done
done
