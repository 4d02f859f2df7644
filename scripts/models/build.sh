#!/bin/sh
# Rebuilds models/ (the Repair stage's lexicon, context counts and OCR channel) from the
# named sources in models/NOTICE. Needs: hunspell-sv, poppler-utils, lttoolbox, python3 with wordfreq,
# and apt access for the Swedish text packages (downloaded, not installed).
#
#   scripts/models/build.sh [--out DIR] [--exclude DOC_ID ...]   (arguments go to build.py)
set -eu
cd "$(dirname "$0")/../.."
SRC=models/.work/src
mkdir -p "$SRC"
# Debian packages with Swedish running text (versions as of Debian 12 "bookworm").
# apertium-swe-dan: Swedish morphology (word classes), read with lttoolbox's lt-proc.
PACKAGES="libreoffice-help-sv debian-edu-doc-legacy-sv cfi-sv apertium-swe-dan"
for p in $PACKAGES; do
    if ! ls "$SRC"/"${p}"_*.deb >/dev/null 2>&1; then
        (cd "$SRC" && apt-get download "$p")
    fi
done
rm -rf "$SRC/x"
for deb in "$SRC"/*.deb; do
    case "$(basename "$deb")" in
        libreoffice-help-sv_*|debian-edu-doc-legacy-sv_*|cfi-sv_*|apertium-swe-dan_*) dpkg-deb -x "$deb" "$SRC/x" ;;
    esac
done
python3 -c 'import wordfreq' 2>/dev/null || pip install wordfreq
test -f /usr/share/hunspell/sv_SE.dic || { echo "install hunspell-sv" >&2; exit 1; }
command -v lt-proc >/dev/null || { echo "install lttoolbox" >&2; exit 1; }
command -v pdftotext >/dev/null || { echo "install poppler-utils" >&2; exit 1; }
exec python3 scripts/models/build.py --src "$SRC/x" "$@"
