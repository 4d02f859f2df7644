#!/usr/bin/env bash
# Benchmark of `granska ingest` (a measurement, not a test; it never fails on a missed goal).
#
# Replicates the corpus PDFs into a temporary archive (each copy gets bytes appended after
# %%EOF, so every document has its own content hash), then measures in the same run:
#   - pdftotext over the same PDFs, one process at a time: pages per second;
#   - the whole pipeline (granska ingest --jobs 1 and --jobs 2): pages per second, the ratio
#     to pdftotext (goal >= 0.6) and the scaling from 1 to 2 jobs (goal >= 1.8x);
#   - peak RSS of any one process (parent or worker, from /usr/bin/time -v; goal <= 150 MB)
#     at a quarter of the documents and at all of them (goal: flat).
#
# Usage: scripts/bench-ingest.sh [COPIES_PER_PDF]   (default 50: 4 PDFs x 50 = 200 documents)
# Environment: CONFIG=release|debug (default release), KEEP=1 keeps the temporary folder.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
COPIES=${1:-50}
CONFIG=${CONFIG:-release}

if [ ! -x /usr/bin/time ]; then
    echo "installing GNU time (for peak RSS)..." >&2
    apt-get install -y -qq time >/dev/null || { apt-get update -qq && apt-get install -y -qq time; }
fi
for tool in pdftotext pdfinfo; do
    command -v "$tool" >/dev/null || { echo "bench: $tool is missing (poppler-utils)" >&2; exit 2; }
done

echo "building granska ($CONFIG)..." >&2
(cd "$ROOT" && swift build -c "$CONFIG" --product granska >&2)
BIN="$ROOT/.build/$CONFIG/granska"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/granska-bench.XXXXXX")
if [ "${KEEP:-0}" != 1 ]; then trap 'rm -rf "$WORK"' EXIT; fi

# make_archive DIR N: N marked copies of each corpus PDF under DIR; prints the page total.
make_archive() {
    local dir=$1 n=$2 pages=0 f base i p
    mkdir -p "$dir"
    for f in "$ROOT"/corpus/*.pdf; do
        base=$(basename "$f" .pdf)
        p=$(pdfinfo "$f" | awk '/^Pages:/ {print $2}')
        for ((i = 1; i <= n; i++)); do
            cp "$f" "$dir/$base-$i.pdf"
            printf '\n%% bench copy %d\n' "$i" >>"$dir/$base-$i.pdf"
        done
        pages=$((pages + p * n))
    done
    echo "$pages"
}

now() { date +%s.%N; }
rate() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", (b > 0 ? a / b : 0) }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
verdict() { awk -v v="$1" -v g="$2" -v d="$3" 'BEGIN { ok = (d == "min" ? v >= g : v <= g);
    print (ok ? "meets" : "MISSES") }'; }

# cpu_seconds TIMEFILE: user + system seconds of a process and its children.
cpu_seconds() {
    awk -F: '/User time|System time/ { t += $2 } END { printf "%.2f", t }' "$1"
}

# run_ingest DIR JOBS LABEL: sets SECONDS_TAKEN, CPU_S and RSS_MB.
run_ingest() {
    local dir=$1 jobs=$2 label=$3 start end
    rm -f "$WORK/$label.sqlite"*
    start=$(now)
    /usr/bin/time -v -o "$WORK/$label.time" \
        "$BIN" ingest "$dir" --db "$WORK/$label.sqlite" --jobs "$jobs" --quiet 2>"$WORK/$label.log"
    end=$(now)
    SECONDS_TAKEN=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }')
    RSS_MB=$(awk -F: '/Maximum resident set size/ { printf "%.1f", $2 / 1024 }' "$WORK/$label.time")
    CPU_S=$(cpu_seconds "$WORK/$label.time")
    tail -n 1 "$WORK/$label.log" >&2
}

ALL="$WORK/archive"
PAGES=$(make_archive "$ALL" "$COPIES")
DOCS=$(find "$ALL" -name '*.pdf' | wc -l)
QUARTER_COPIES=$(( (COPIES + 3) / 4 ))
QUARTER="$WORK/quarter"
QUARTER_PAGES=$(make_archive "$QUARTER" "$QUARTER_COPIES")
QUARTER_DOCS=$(find "$QUARTER" -name '*.pdf' | wc -l)
echo "archive: $DOCS documents, $PAGES pages (and $QUARTER_DOCS documents for the RSS check)" >&2
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)" >&2

# Warm the page cache so the first measurement does not pay for disk reads.
cat "$ALL"/*.pdf >/dev/null

start=$(now)
/usr/bin/time -v -o "$WORK/pdftotext.time" sh -c \
    "find '$ALL' -name '*.pdf' -print0 | sort -z | xargs -0 -I{} pdftotext -q {} /dev/null"
end=$(now)
PDFTOTEXT_S=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }')
PDFTOTEXT_PPS=$(rate "$PAGES" "$PDFTOTEXT_S")
PDFTOTEXT_CPU=$(cpu_seconds "$WORK/pdftotext.time")

# The pipeline alone: one worker fed every path, no hashing, no database.
start=$(now)
find "$ALL" -name '*.pdf' | sort | /usr/bin/time -v -o "$WORK/worker.time" "$BIN" worker >/dev/null
end=$(now)
WORKER_S=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }')
WORKER_PPS=$(rate "$PAGES" "$WORKER_S")
WORKER_CPU=$(cpu_seconds "$WORK/worker.time")

run_ingest "$ALL" 1 jobs1
J1_S=$SECONDS_TAKEN; J1_RSS=$RSS_MB; J1_PPS=$(rate "$PAGES" "$J1_S"); J1_CPU=$CPU_S
run_ingest "$ALL" 2 jobs2
J2_S=$SECONDS_TAKEN; J2_RSS=$RSS_MB; J2_PPS=$(rate "$PAGES" "$J2_S"); J2_CPU=$CPU_S
run_ingest "$QUARTER" 2 quarter
Q_RSS=$RSS_MB

RATIO=$(ratio "$J1_PPS" "$PDFTOTEXT_PPS")
CPU_RATIO=$(ratio "$PDFTOTEXT_CPU" "$J1_CPU")
OVERHEAD=$(awk -v i="$J1_CPU" -v w="$WORKER_CPU" 'BEGIN { printf "%.0f", (w > 0 ? 100 * (i - w) / w : 0) }')
SCALING=$(ratio "$J2_PPS" "$J1_PPS")
PEAK=$(awk -v a="$J1_RSS" -v b="$J2_RSS" 'BEGIN { print (a > b ? a : b) }')
GROWTH=$(ratio "$J2_RSS" "$Q_RSS")

cat <<REPORT
granska ingest benchmark ($CONFIG build, $DOCS documents, $PAGES pages)
  (load average at the end: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores)
  pdftotext, 1 process        : $PDFTOTEXT_S s, $PDFTOTEXT_PPS pages/s, $PDFTOTEXT_CPU CPU s
  pipeline alone (1 worker)   : $WORKER_S s, $WORKER_PPS pages/s, $WORKER_CPU CPU s
  ingest --jobs 1             : $J1_S s, $J1_PPS pages/s, $J1_CPU CPU s, peak RSS $J1_RSS MB
  ingest --jobs 2             : $J2_S s, $J2_PPS pages/s, $J2_CPU CPU s, peak RSS $J2_RSS MB
  pipeline / pdftotext (1 job): $RATIO   (goal >= 0.6: $(verdict "$RATIO" 0.6 min))
  same, per CPU second        : $CPU_RATIO   (independent of other load on the machine)
  ingest overhead over pipeline: $OVERHEAD % CPU (hashing, decoding replies, SQLite, FTS)
  scaling 1 -> 2 jobs         : ${SCALING}x (goal >= 1.8: $(verdict "$SCALING" 1.8 min))
  peak RSS                    : $PEAK MB (goal <= 150: $(verdict "$PEAK" 150 max))
  RSS at $QUARTER_DOCS vs $DOCS documents: $Q_RSS MB vs $J2_RSS MB (x$GROWTH; flat is ~1.0)
REPORT
