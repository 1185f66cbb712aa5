#!/usr/bin/env bash
# Side-by-side speed of two builds of vanthu on the same records, runs alternated so that a
# noisy machine slows both alike (issue 10: "within 10 % of the previous commit").
#
#   benches/compare.sh OLD_BIN NEW_BIN [N] [ROUNDS]     # default N=1000, ROUNDS=3
#
# Generates N records of one month (benches/gen_records.py, four documents each), then runs
# `bundle` with each binary ROUNDS times, old and new in turn, each into a fresh folder, and
# prints the wall and CPU seconds of every run, the medians and new/old ratios.
set -euo pipefail
cd "$(dirname "$0")/.."
OLD=${1:?old binary}; NEW=${2:?new binary}; N=${3:-1000}; ROUNDS=${4:-3}
MONTH=2022-11
WORK=$(mktemp -d -t vanthu-compare.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
python3 benches/gen_records.py "$N" "$WORK/in" --month "$MONTH"
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); N=$N records, $ROUNDS rounds"
run() { # BIN TAG ROUND
  /usr/bin/time -f "%e %U %S %M" "$1" bundle "$WORK/in" --month "$MONTH" --out "$WORK/out-$2-$3" \
    2>"$WORK/time-$2-$3" >/dev/null || true
  tail -1 "$WORK/time-$2-$3"
}
for r in $(seq 1 "$ROUNDS"); do
  for tag in old new; do
    bin=$OLD; [ "$tag" = new ] && bin=$NEW
    read -r wall user sys rss < <(run "$bin" "$tag" "$r")
    echo "$tag $r $wall $(python3 -c "print(round($user+$sys,2))") $rss" | tee -a "$WORK/results"
  done
done
python3 - "$WORK/results" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
med = {}
for tag in ("old", "new"):
    w = [float(r[2]) for r in rows if r[0] == tag]
    c = [float(r[3]) for r in rows if r[0] == tag]
    m = [int(r[4]) for r in rows if r[0] == tag]
    med[tag] = (statistics.median(w), statistics.median(c), max(m))
    print(f"{tag}: median wall {med[tag][0]:.2f} s, median CPU {med[tag][1]:.2f} s, peak RSS {med[tag][2]/1024:.0f} MB")
print(f"new/old: wall {med['new'][0]/med['old'][0]:.3f}, CPU {med['new'][1]/med['old'][1]:.3f}")
PY
