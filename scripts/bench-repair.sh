#!/bin/sh
# Throughput of `granska repair` (release build) on clean text, stripped text and real OCR,
# and model load time. Not a test: prints figures.
#
#   scripts/bench-repair.sh [RUNS]
set -eu
cd "$(dirname "$0")/.."
RUNS=${1:-5}
swift build -c release --product granska >/dev/null
BIN=$(swift build -c release --show-bin-path)/granska
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cat corpus/lindesberg-2022.gold.txt corpus/vanersborg-2022.gold.txt > "$WORK/clean.txt"
sed 's/[åä]/a/g; s/ö/o/g; s/[ÅÄ]/A/g; s/Ö/O/g' "$WORK/clean.txt" > "$WORK/stripped.txt"
pdftotext corpus/lindesberg-2022.scan.pdf "$WORK/lind.ocr"
pdftotext corpus/vanersborg-2022.scan.pdf "$WORK/van.ocr"
cat corpus/alingsas-2024.txt "$WORK/lind.ocr" "$WORK/van.ocr" > "$WORK/ocr.txt"
echo "x" > "$WORK/one.txt"

now() { date +%s.%N; }
seconds() {  # seconds FILE: mean wall time of RUNS repairs
    start=$(now)
    i=0
    while [ $i -lt "$RUNS" ]; do "$BIN" repair "$1" -o "$WORK/out"; i=$((i + 1)); done
    echo "$start $(now) $RUNS" | awk '{printf "%.4f", ($2 - $1) / $3}'
}
load=$(seconds "$WORK/one.txt")
echo "model load + start-up (1-word input): ${load} s"
for kind in clean stripped ocr; do
    f="$WORK/$kind.txt"
    bytes=$(wc -c < "$f")
    t=$(seconds "$f")
    echo "$kind $bytes $t $load" | awk '{ net = $3 - $4; if (net < 0.0001) net = 0.0001;
        printf "%-9s %8d bytes  %.3f s  %6.2f MB/s  (%.2f MB/s without start-up)\n",
        $1, $2, $3, $2 / $3 / 1e6, $2 / net / 1e6 }'
done
ls -l models/repair-* 2>/dev/null | awk '{s += $5} END {printf "models/: %.1f MB\n", s / 1e6}'
