#!/bin/sh
# Makes a scanned copy of a PDF for template tests (see README, Development): pages
# rasterised at 200 dpi in grey and OCRed by Tesseract with its English model, as the
# archives' scans were. Needs poppler-utils and tesseract-ocr (Debian).
# scan.sh IN.pdf OUT.pdf : rasterise at 200 dpi (grey) and OCR with Tesseract's English model
set -e
d=$(mktemp -d)
pdftoppm -r 200 -gray -png "$1" "$d/p"
for f in "$d"/p-*.png; do OMP_THREAD_LIMIT=1 tesseract "$f" "${f%.png}" -l eng pdf >/dev/null 2>&1; done
pdfunite $(ls "$d"/p-*.pdf | sort -V) "$2"
rm -rf "$d"
