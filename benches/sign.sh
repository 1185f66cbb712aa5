#!/usr/bin/env bash
# Signing cost (issue 12), measured side by side in one run: a month bundle of N records
# unsigned, and the same bundle with `--sign` (every PDF sealed, manifest.json.p7s), runs
# alternated so a noisy machine slows both alike; then one document signed as a person, M
# times. Not a timed test: it reports.
#
#   benches/sign.sh [N] [ROUNDS] [M]        # default N=1000, ROUNDS=3, M=30
#
# The key is a throwaway RSA-2048 signer under a throwaway root, made here with openssl.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000}; ROUNDS=${2:-3}; M=${3:-30}
BIN=${VANTHU_BIN:-target/release/vanthu}
[ -n "${BENCH_NO_BUILD:-}" ] || cargo build --release --quiet --bin vanthu
WORK=$(mktemp -d -t vanthu-sign.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
(
  cd "$WORK"
  openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 30 \
    -subj "/CN=bench root" -addext basicConstraints=critical,CA:TRUE 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -keyout s.key -out s.csr -subj "/CN=bench signer" 2>/dev/null
  printf 'keyUsage=critical,digitalSignature,nonRepudiation\n' > ext
  openssl x509 -req -in s.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 30 -extfile ext \
    -out s.pem 2>/dev/null
  openssl pkcs12 -export -inkey s.key -in s.pem -certfile ca.pem -out s.p12 -passout pass:bench
  python3 - <<'PY'
import struct, zlib
w, h = 300, 300
rows = b"".join(b"\0" + b"".join(
    bytes([200, 0, 0, 255 if 110 ** 2 < (x - 150) ** 2 + (y - 150) ** 2 < 140 ** 2 else 0])
    for x in range(w)) for y in range(h))
def chunk(t, d): return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d))
png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 6, 0, 0, 0)) \
    + chunk(b"pHYs", struct.pack(">IIB", 7874, 7874, 1)) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")
open("seal.png", "wb").write(png)
PY
)
python3 benches/gen_records.py "$N" "$WORK/in" --month 2022-11
NOW=$(date -u +%Y-%m-%dT%H:%M:%SZ)
export BENCH_PW=bench
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); N=$N records, $ROUNDS rounds"
run() { # TAG ROUND ARGS…
  local tag=$1 r=$2; shift 2
  /usr/bin/time -f "%e %U %S %M" "$BIN" bundle "$WORK/in" --month 2022-11 \
    --out "$WORK/out-$tag-$r" "$@" 2>"$WORK/time-$tag-$r" >/dev/null || { cat "$WORK/time-$tag-$r"; exit 1; }
  read -r wall user sys rss < <(tail -1 "$WORK/time-$tag-$r")
  echo "$tag $r $wall $(python3 -c "print(round($user+$sys,2))") $rss" | tee -a "$WORK/results"
}
for r in $(seq 1 "$ROUNDS"); do
  run unsigned "$r"
  run signed "$r" --sign --p12 "$WORK/s.p12" --password-env BENCH_PW --seal "$WORK/seal.png" --time "$NOW"
done
python3 - "$WORK/results" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
med = {}
for tag in ("unsigned", "signed"):
    w = [float(r[2]) for r in rows if r[0] == tag]
    c = [float(r[3]) for r in rows if r[0] == tag]
    m = [int(r[4]) for r in rows if r[0] == tag]
    med[tag] = (statistics.median(w), statistics.median(c), max(m))
    print(f"{tag}: median wall {med[tag][0]:.2f} s, median CPU {med[tag][1]:.2f} s, peak RSS {med[tag][2]/1024:.0f} MB")
print(f"signed/unsigned: wall {med['signed'][0]/med['unsigned'][0]:.2f}, CPU {med['signed'][1]/med['unsigned'][1]:.2f}")
PY
# One document signed as a person, M times (process start included).
PDF=$(ls "$WORK"/out-unsigned-1/2022-11/r00000/thong-bao-ket-luan.pdf)
start=$(date +%s.%N)
for i in $(seq 1 "$M"); do
  "$BIN" sign "$PDF" -o "$WORK/one-$i.pdf" --role organisation --p12 "$WORK/s.p12" \
    --password-env BENCH_PW --image "$WORK/seal.png" --page 1 --rect 20,20,80,80 --time "$NOW" 2>/dev/null
done
end=$(date +%s.%N)
python3 -c "print(f'sign one notice (RSA 2048, seal image, whole process): {($end-$start)*1000/$M:.1f} ms each over $M runs')"
