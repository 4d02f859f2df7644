#!/usr/bin/env bash
# Benchmark: `granska text --no-repair` against `pdftotext` over the same PDFs.
# Reports pages per CPU-second for each and their ratio. A benchmark, not a test.
#   usage: scripts/bench-text.sh [ROUNDS]   (default 10 rounds over corpus/*.pdf)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-10}
swift build -c release --product granska >/dev/null
bin=${GRANSKA_BIN:-.build/release/granska}
command -v pdftotext >/dev/null || { echo "pdftotext missing: bash scripts/install-deps.sh" >&2; exit 1; }

pdfs=(corpus/*.pdf)
pages=0
for f in "${pdfs[@]}"; do pages=$((pages + $(pdfinfo "$f" | awk '/^Pages:/ {print $2}'))); done
total_pages=$((pages * rounds))

cpu_seconds() {  # runs "$@" for every PDF, every round; prints user+sys CPU seconds
  local out
  out=$( { /usr/bin/time -f "%U %S" bash -c '
      rounds=$1; shift; cmd=$1; shift
      for ((r = 0; r < rounds; r++)); do for f in "$@"; do $cmd "$f" >/dev/null; done; done
    ' _ "$rounds" "$1" "${pdfs[@]}"; } 2>&1 >/dev/null | tail -1)
  awk '{printf "%.3f", $1 + $2}' <<<"$out"
}

granska_cpu=$(cpu_seconds "$bin text --no-repair")
pdftotext_cpu=$(cpu_seconds "scripts/lib/pdftotext-stdout.sh")

awk -v p="$total_pages" -v g="$granska_cpu" -v t="$pdftotext_cpu" 'BEGIN {
  printf "pages: %d (%d PDFs x %d rounds)\n", p, '"${#pdfs[@]}"', '"$rounds"'
  printf "granska text --no-repair: %8.1f pages per CPU-second (%.2f s)\n", p / g, g
  printf "pdftotext:                %8.1f pages per CPU-second (%.2f s)\n", p / t, t
  printf "ratio granska/pdftotext:  %8.2f\n", (p / g) / (p / t)
}'
