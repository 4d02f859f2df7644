#!/bin/sh
# Leave-one-out restoration accuracy on clean texts with å/ä/ö stripped, then on the scans.
# For each text, models are rebuilt without the report it comes from (models/.work/loo-*),
# the stripped text is repaired, and the output is scored against the clean text.
set -eu
cd "$(dirname "$0")/../.."
BIN=${BIN:-.build/debug/granska}
WORK=models/.work
mkdir -p "$WORK/stripped"
strip() { sed 's/[åä]/a/g; s/ö/o/g; s/[ÅÄ]/A/g; s/Ö/O/g' "$1"; }
for pair in lindesberg-2022:corpus/lindesberg-2022.gold.txt \
            vanersborg-2022:corpus/vanersborg-2022.gold.txt \
            lindesberg-2022:corpus/seeds/001_05f23312f8a1c1c3.txt \
            vanersborg-2022:corpus/seeds/002_878ed62ddebe725b.txt; do
    doc=${pair%%:*}; text=${pair#*:}
    if [ ! -f "$WORK/loo-$doc/repair-lexicon.bin" ] || [ "${REBUILD:-0}" = 1 ]; then
        python3 scripts/models/build.py --out "$WORK/loo-$doc" --exclude "$doc" 2>/dev/null
    fi
    name=$(basename "$text" .txt)
    strip "$text" > "$WORK/stripped/$name.in"
    GRANSKA_MODELS="$WORK/loo-$doc" "$BIN" repair "$WORK/stripped/$name.in" \
        -o "$WORK/stripped/$name.out"
    printf '%-28s ' "$name"
    python3 scripts/models/score_repair.py "$WORK/stripped/$name.out" "$text" \
        "$WORK/stripped/$name.in" ${SHOW:+--show $SHOW}
done

# Leave-one-out on the scans: each scan's text layer repaired with models (channel
# included) built without its report, scored by `granska eval` (word and diacritic word
# accuracy against the gold text) as a scan from an unseen document would be.
for doc in lindesberg-2022 vanersborg-2022; do
    dir="$WORK/scan-$doc"
    rm -rf "$dir" && mkdir -p "$dir"
    cp "corpus/$doc.scan.pdf" "corpus/$doc.gold.txt" "corpus/$doc.gold.json" "$dir/"
    GRANSKA_MODELS="$WORK/loo-$doc" "$BIN" eval "$dir" | sed -n 3p
done
