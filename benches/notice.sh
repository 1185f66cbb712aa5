#!/usr/bin/env bash
# One core, like for like (issue 11, item 10): vanthu renders the reference notice
# (thong-bao-ket-luan of input/thuan-2022-11-10.yaml, PDF + DOCX) in a loop in one process,
# and Typst compiles the comparable notice (benches/typst/notice.typ, Liberation Serif from
# fonts/) in a loop in one process, both pinned to the same core, rounds alternated so a
# noisy machine slows both alike. Not a timed test: it reports.
#
#   benches/notice.sh [ROUNDS]              # default 5 rounds
#   NOTICE_OLD=/path/to/notice_loop benches/notice.sh   # also an older build of the loop
#
# vanthu: examples/notice_loop.rs, from the record's bytes each time (load, validate,
# template, assemble, PDF, DOCX), the commune renamed per iteration; one untimed warm-up.
# Typst: one `typst.Compiler` (fonts loaded once, as vanthu's font book), each document a
# different file (commune and number vary) so no compilation repeats the one before; one
# untimed warm-up. Also `typst.compile` per document (a fresh world each time), as measured
# in the issue. Environment: BENCH_CPU (default 0), BENCH_N (vanthu documents a round,
# default 300), BENCH_TYPST_N (default 60), TYPST_PYTHON (a python with `typst`; default
# python3, else /work/venv-typst/bin/python), BENCH_NO_BUILD=1.
#
# Last measured (README, Performance): feb3d9d 5.14 ms, now 3.92 ms per notice, Typst
# `Compiler` 15.25 ms (3.9x; 5x is the issue's target). Where the time goes (perf): Deflate
# 26 % (PDF streams at level 2, the DOCX body at 3), memmove/memset 13 %, malloc/free 13 %,
# YAML, template and assemble 13 %, PDF layout and drawing 9 %, docx-rs and zip 7 %.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
ROUNDS=${1:-5}
CPU=${BENCH_CPU:-0}
N=${BENCH_N:-300}
TN=${BENCH_TYPST_N:-60}
REF="$ROOT/input/thuan-2022-11-10.yaml"
PY=${TYPST_PYTHON:-python3}
"$PY" -c 'import typst' 2>/dev/null || PY=/work/venv-typst/bin/python
"$PY" -c 'import typst' 2>/dev/null || { echo "notice: no python with typst (pip install typst)" >&2; exit 2; }
[ -n "${BENCH_NO_BUILD:-}" ] || cargo build --release --quiet --example notice_loop
NEW="$ROOT/target/release/examples/notice_loop"
WORK=$(mktemp -d -t vanthu-notice.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

cat >"$WORK/typst_loop.py" <<'EOF'
import os, sys, time
import typst
root, work, n, mode = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
src = open(os.path.join(root, "benches/typst/notice.typ"), encoding="utf-8").read()
paths = []
for i in range(n + 1):
    p = os.path.join(work, f"typst-{mode}-{i}.typ")
    with open(p, "w", encoding="utf-8") as f:
        f.write(src.replace("Thuận", f"Thuận {i}").replace("245-TB", f"{i + 1}-TB"))
    paths.append(p)
fonts = [os.path.join(root, "fonts")]
if mode == "compiler":
    c = typst.Compiler(font_paths=fonts, root=work, ignore_system_fonts=True)
    run = lambda p: c.compile(input=p)
else:
    run = lambda p: typst.compile(p, font_paths=fonts, root=work, ignore_system_fonts=True)
size = len(run(paths[0]))
t = time.perf_counter()
for p in paths[1:]:
    run(p)
ms = (time.perf_counter() - t) * 1000 / n
print(f"typst {typst.__version__} notice.typ ({mode}) x{n}: {ms:.3f} ms/doc, PDF {size} bytes")
EOF

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'), load $(cut -d' ' -f1-3 /proc/loadavg); pinned to CPU $CPU"
: >"$WORK/results"
ms_of() { sed -n 's/.*: \([0-9.]*\) ms\/doc.*/\1/p'; }
for r in $(seq 1 "$ROUNDS"); do
  if [ -n "${NOTICE_OLD:-}" ]; then
    line=$(taskset -c "$CPU" "$NOTICE_OLD" "$REF" "$N")
    echo "round $r old:    $line"
    echo "old $(echo "$line" | ms_of)" >>"$WORK/results"
  fi
  line=$(taskset -c "$CPU" "$NEW" "$REF" "$N")
  echo "round $r vanthu: $line"
  echo "vanthu $(echo "$line" | ms_of)" >>"$WORK/results"
  for mode in compiler compile; do
    line=$(taskset -c "$CPU" "$PY" "$WORK/typst_loop.py" "$ROOT" "$WORK" "$TN" "$mode")
    echo "round $r typst:  $line"
    echo "typst-$mode $(echo "$line" | ms_of)" >>"$WORK/results"
  done
done
"$PY" - "$WORK/results" <<'EOF'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1]) if len(l.split()) == 2]
med = {}
for tag in dict.fromkeys(r[0] for r in rows):
    med[tag] = statistics.median(float(r[1]) for r in rows if r[0] == tag)
    print(f"median {tag}: {med[tag]:.2f} ms per document")
v = med["vanthu"]
for tag in ("typst-compiler", "typst-compile"):
    print(f"typst ({tag[6:]}) / vanthu (PDF + DOCX): {med[tag] / v:.1f}x")
if "old" in med:
    print(f"old / vanthu: {med['old'] / v:.2f}x")
EOF
