#!/usr/bin/env bash
# kill -9 at random points of a bundle, then a rerun: the rerun must give the clean run's
# manifest.json, zip and checksum, byte for byte (issue 9, item 2). Not a timed test: it
# reports, and exits 1 if any rerun differs.
#
#   benches/kill9.sh                    # 2,000 records, 20 kills
#   KILL9_N=200 KILL9_RUNS=5 benches/kill9.sh
#
# It builds the release binary, generates N records of one month (benches/gen_records.py),
# makes the clean bundle (the reference) and an older bundle of the same month (one record in
# ten edited, so its manifest and zip differ). Each kill starts from a fresh copy of a state:
# odd runs from an empty folder, even runs from the older bundle (the state in which a stale
# zip could survive). The delay is drawn from a seeded generator, uniformly over the time of
# the same run uninterrupted (measured first): the clean run for odd runs, the update of the
# older bundle for even runs. After the kill it records what the folder holds (the phase
# reached), reruns to completion and compares.
#
# Environment: KILL9_N, KILL9_RUNS, KILL9_SEED (default 9), KILL9_DIR (work folder, removed at
# the end unless KILL9_KEEP=1), KILL9_NO_BUILD=1, KILL9_BIN (another binary, e.g. an older build).
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
N=${KILL9_N:-2000}
RUNS=${KILL9_RUNS:-20}
SEED=${KILL9_SEED:-9}
MONTH=2022-11
export SOURCE_DATE_EPOCH=1668384000

if [ "${KILL9_NO_BUILD:-0}" != 1 ]; then
  cargo build --release --quiet
fi
BIN=${KILL9_BIN:-$ROOT/target/release/vanthu}
WORK=${KILL9_DIR:-$(mktemp -d /tmp/vanthu-kill9.XXXXXX)}
mkdir -p "$WORK"
[ "${KILL9_KEEP:-0}" = 1 ] || trap 'rm -rf "$WORK"' EXIT

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

python3 "$ROOT/benches/gen_records.py" "$N" "$WORK/records" --month "$MONTH" >/dev/null
cp -r "$WORK/records" "$WORK/old-records"
# The older month: one record in ten with another notice number.
for f in "$WORK"/old-records/r*0.yaml; do
  sed -i '0,/number: \([0-9]*\)/s//number: 9\1/' "$f"
done

t0=$(now)
"$BIN" bundle "$WORK/records" --month "$MONTH" --out "$WORK/clean" 2>"$WORK/clean.log"
t1=$(now)
CLEAN=$(secs "$t0" "$t1")
"$BIN" bundle "$WORK/old-records" --month "$MONTH" --out "$WORK/old" 2>"$WORK/old.log"
# The time of an update run (the older bundle brought up to date): the even runs' span.
cp -a "$WORK/old" "$WORK/update"
t0=$(now)
"$BIN" bundle "$WORK/records" --month "$MONTH" --out "$WORK/update" 2>"$WORK/update.log"
t1=$(now)
UPDATE=$(secs "$t0" "$t1")
rm -rf "$WORK/update"
REF=$WORK/clean/$MONTH
OLD=$WORK/old/$MONTH
if cmp -s "$REF/manifest.json" "$OLD/manifest.json"; then
  echo "kill9: the older bundle equals the clean one; nothing to test" >&2
  exit 2
fi
echo "kill9: $N records: clean bundle in $CLEAN s, update of the older bundle in $UPDATE s"
echo "kill9: run start  delay_s  phase_at_kill                          rerun                      equal"

# What the folder holds after the kill: the phase the run reached.
phase() {
  local dir=$1/$MONTH
  if [ ! -e "$dir/manifest.json" ]; then
    local n
    n=$(find "$dir" -mindepth 2 -name '*.pdf' 2>/dev/null | wc -l)
    echo "render ($n record PDFs, no manifest)"
  elif ! cmp -s "$dir/manifest.json" "$REF/manifest.json"; then
    echo "render/report (old manifest)"
  elif ! cmp -s "$dir/$MONTH.zip" "$REF/$MONTH.zip"; then
    echo "manifest written, zip not"
  elif ! cmp -s "$dir/$MONTH.zip.sha256" "$REF/$MONTH.zip.sha256"; then
    echo "zip written, checksum not"
  else
    echo "zip and checksum written"
  fi
}

RANDOM=$SEED
failures=0
for run in $(seq 1 "$RUNS"); do
  out=$WORK/run
  rm -rf "$out"
  if [ $((run % 2)) = 1 ]; then
    start=empty
    mkdir -p "$out"
    # Uniform over the whole clean run.
    delay=$(awk -v t="$CLEAN" -v r=$RANDOM 'BEGIN { printf "%.3f", t * 1.05 * r / 32767 }')
  else
    start=older
    cp -a "$WORK/old" "$out"
    # Uniform over the update run.
    delay=$(awk -v t="$UPDATE" -v r=$RANDOM 'BEGIN { printf "%.3f", t * 1.05 * r / 32767 }')
  fi
  "$BIN" bundle "$WORK/records" --month "$MONTH" --out "$out" 2>"$WORK/killed.log" &
  pid=$!
  sleep "$delay"
  if kill -9 "$pid" 2>/dev/null; then
    wait "$pid" 2>/dev/null || true
    at=$(phase "$out")
  else
    wait "$pid" 2>/dev/null || true
    at="finished before the kill"
  fi
  set +e
  "$BIN" bundle "$WORK/records" --month "$MONTH" --out "$out" 2>"$WORK/rerun.log"
  code=$?
  set -e
  summary=$(grep -o '[0-9]* rendered, [0-9]* reused' "$WORK/rerun.log" | tail -1)
  equal=yes
  for f in manifest.json "$MONTH.zip" "$MONTH.zip.sha256"; do
    cmp -s "$out/$MONTH/$f" "$REF/$f" || equal="NO ($f differs)"
  done
  [ "$code" = 0 ] || equal="NO (rerun exit $code)"
  [ "$equal" = yes ] || failures=$((failures + 1))
  printf 'kill9: %3d %-6s %7s  %-38s %-26s %s\n' "$run" "$start" "$delay" "$at" "$summary" "$equal"
done
echo "kill9: $RUNS kills, $((RUNS - failures)) reruns equal to the clean run byte for byte, $failures differ"
[ "$failures" = 0 ]
