#!/usr/bin/env bash
# Whole-process benchmark of `vanthu bundle` (issue 4). Not a timed test: it reports.
#
#   benches/bench.sh [N…]            # default: 200 1000
#   BENCH_RSS_N=10000 benches/bench.sh 200 1000   # also the N=10,000 memory run
#
# For each N it generates N synthetic records of one month (benches/gen_records.py, four
# documents each), runs the release binary `vanthu bundle` on them under /usr/bin/time -v,
# then reruns it (incremental: nothing to render), and prints documents/s (PDF + DOCX files,
# the monthly report included), ms per document (wall and CPU), peak RSS and the phases.
# It also reports the reference notice's PDF size, a cold single `render` of the reference
# record, and, when the Python package `typst` is installed (pip install typst), Typst on a
# comparable notice (benches/typst/notice.typ) in the same run: one process per document
# and a loop in one process, so the ratio holds on a noisy machine.
#
# Everything is written under a temp folder (BENCH_DIR to choose it), removed at the end
# unless BENCH_KEEP=1. Environment: BENCH_JOBS (threads for bundle, default all cores),
# BENCH_TYPST_N (Typst documents per measurement, default 100), BENCH_NO_BUILD=1.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
NS=("$@")
[ ${#NS[@]} -eq 0 ] && NS=(200 1000)
[ -n "${BENCH_RSS_N:-}" ] && NS+=("$BENCH_RSS_N")
TYPST_N=${BENCH_TYPST_N:-100}
MONTH=2022-11

if [ ! -x /usr/bin/time ]; then
  echo "bench: /usr/bin/time is missing (apt-get install time)" >&2
  exit 2
fi
if [ -z "${BENCH_NO_BUILD:-}" ]; then
  cargo build --release --quiet
fi
BIN="$ROOT/target/release/vanthu"
WORK=${BENCH_DIR:-$(mktemp -d -t vanthu-bench.XXXXXX)}
mkdir -p "$WORK"
cleanup() { [ -n "${BENCH_KEEP:-}" ] || rm -rf "$WORK"; }
trap cleanup EXIT

now() { python3 -c 'import time; print(time.perf_counter())'; }
calc() { python3 -c "print($1)"; }
# field NAME FILE: a value from /usr/bin/time -v output.
field() { grep -F "$1" "$2" | head -1 | sed 's/.*: //'; }
wall_secs() { # h:mm:ss or m:ss.ss
  python3 -c "
p='$1'.split(':'); s=0.0
for x in p: s=s*60+float(x)
print(s)"
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "vanthu: $("$BIN" --version)  jobs: ${BENCH_JOBS:-all}"
echo

JOBS=()
[ -n "${BENCH_JOBS:-}" ] && JOBS=(--jobs "$BENCH_JOBS")

printf '%-7s %-9s %8s %9s %10s %9s %10s %9s  %s\n' N documents wall_s docs/s ms/doc cpu_ms/doc peak_RSS rerun_s phases
for N in "${NS[@]}"; do
  IN="$WORK/records-$N"
  OUT="$WORK/bundles-$N"
  rm -rf "$IN" "$OUT"
  python3 benches/gen_records.py "$N" "$IN" --month "$MONTH"
  sync
  /usr/bin/time -v "$BIN" bundle "$IN" --month "$MONTH" --out "$OUT" --timings "${JOBS[@]}" \
    2>"$WORK/time-$N.txt"
  docs=$(find "$OUT/$MONTH" -name '*.pdf' -o -name '*.docx' | wc -l)
  wall=$(wall_secs "$(field 'Elapsed (wall clock)' "$WORK/time-$N.txt")")
  user=$(field 'User time' "$WORK/time-$N.txt")
  sys=$(field 'System time' "$WORK/time-$N.txt")
  rss_kb=$(field 'Maximum resident set size' "$WORK/time-$N.txt")
  phases=$(grep -F 'vanthu: phases:' "$WORK/time-$N.txt" | sed 's/vanthu: phases: //')
  t0=$(now)
  "$BIN" bundle "$IN" --month "$MONTH" --out "$OUT" "${JOBS[@]}" 2>"$WORK/rerun-$N.txt"
  t1=$(now)
  grep -q ' 0 rendered, ' "$WORK/rerun-$N.txt" || { echo "bench: the rerun rendered something:" >&2; cat "$WORK/rerun-$N.txt" >&2; }
  printf '%-7s %-9s %8.2f %9.0f %10.2f %9.2f %8.0fMB %9.2f  %s\n' "$N" "$docs" "$wall" \
    "$(calc "$docs/$wall")" "$(calc "$wall*1000/$docs")" "$(calc "($user+$sys)*1000/$docs")" \
    "$(calc "$rss_kb/1024")" "$(calc "$t1-$t0")" "$phases"
  echo "$N $(calc "$docs/$wall")" >>"$WORK/rates"
  if [ "$N" = "${BENCH_RSS_N:-}" ]; then
    # The same records through the streaming record pipeline alone: --shard 1/1 renders
    # every record and writes no report, which is built in memory from the whole month.
    /usr/bin/time -v "$BIN" bundle "$IN" --month "$MONTH" --out "$WORK/shard-$N" --shard 1/1 \
      "${JOBS[@]}" 2>"$WORK/time-shard-$N.txt"
    printf '        records only (--shard 1/1, no monthly report): wall %.2f s, peak RSS %s MB\n' \
      "$(wall_secs "$(field 'Elapsed (wall clock)' "$WORK/time-shard-$N.txt")")" \
      "$(calc "$(field 'Maximum resident set size' "$WORK/time-shard-$N.txt")//1024")"
    rm -rf "$WORK/shard-$N"
  fi
  [ -n "${BENCH_KEEP:-}" ] || rm -rf "$IN" "$OUT"
done
echo

# The reference notice, and a cold single render (a fresh output folder each time).
REF="$ROOT/input/thuan-2022-11-10.yaml"
"$BIN" render "$REF" --out "$WORK/ref" 2>/dev/null
notice="$WORK/ref/thuan-2022-11-10/thong-bao-ket-luan.pdf"
echo "reference notice PDF: $(stat -c %s "$notice") bytes ($(pdfinfo "$notice" 2>/dev/null | awk '/^Pages:/{print $2}') pages); tin-bai PDF: $(stat -c %s "$WORK/ref/thuan-2022-11-10/tin-bai.pdf") bytes"
python3 - "$BIN" "$REF" "$WORK" <<'EOF'
import statistics, subprocess, sys, time, shutil, os
bin, ref, work = sys.argv[1:4]
times = []
for i in range(21):
    out = os.path.join(work, f"cold-{i}")
    t = time.perf_counter()
    subprocess.run([bin, "render", ref, "--out", out], check=True, stderr=subprocess.DEVNULL)
    times.append(time.perf_counter() - t)
    shutil.rmtree(out)
print(f"cold single render (whole process, 4 documents written): median {statistics.median(times)*1000:.1f} ms, "
      f"min {min(times)*1000:.1f} ms over {len(times)} runs")
EOF
echo

# Typst on the comparable notice, if installed.
if python3 -c 'import typst' 2>/dev/null; then
  python3 - "$ROOT" "$WORK" "$TYPST_N" <<'EOF'
import os, subprocess, sys, time
root, work, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
import typst
src = open(os.path.join(root, "benches/typst/notice.typ"), encoding="utf-8").read()
communes = ["Thuận", "Thanh", "Tân Hợp", "Hướng Lập", "Hướng Phùng", "A Dơi", "Ba Tầng", "Xy"]
# Distinct documents (commune and number vary), as in a month's batch: Typst's incremental
# cache cannot simply replay the previous compilation.
paths = []
for i in range(n):
    p = os.path.join(work, f"typst-{i}.typ")
    with open(p, "w", encoding="utf-8") as f:
        f.write(src.replace("Thuận", communes[i % len(communes)] + f" {i}").replace("245-TB", f"{i + 1}-TB"))
    paths.append(p)
fonts = [os.path.join(root, "fonts")]
pdf = typst.compile(paths[0], font_paths=fonts, root=work)
size = len(pdf)
t = time.perf_counter()
for p in paths:
    typst.compile(p, font_paths=fonts, root=work)
loop = time.perf_counter() - t
k = min(n, 20)
code = ("import sys, typst; typst.compile(sys.argv[1], output=sys.argv[1] + '.pdf', "
        f"font_paths={fonts!r}, root={work!r})")
t = time.perf_counter()
for p in paths[:k]:
    subprocess.run([sys.executable, "-c", code, p], check=True)
procs = time.perf_counter() - t
print(f"typst {typst.__version__} (python package) on benches/typst/notice.typ: PDF {size} bytes")
print(f"  one process per document: {k / procs:.1f} docs/s ({procs / k * 1000:.1f} ms/doc, {k} documents)")
print(f"  in one process:           {n / loop:.1f} docs/s ({loop / n * 1000:.1f} ms/doc, {n} documents)")
with open(os.path.join(work, "typst-rate"), "w") as f:
    f.write(f"{n / loop}")
EOF
else
  echo "typst: not installed (pip install typst) — no side-by-side"
fi
if [ -s "$WORK/typst-rate" ]; then
  typst_rate=$(cat "$WORK/typst-rate")
  while read -r n rate; do
    printf 'ratio at N=%s: vanthu bundle %.0f docs/s / typst in one process %.0f docs/s = %.1fx\n' \
      "$n" "$rate" "$typst_rate" "$(calc "$rate/$typst_rate")"
  done <"$WORK/rates"
fi
