#!/usr/bin/env bash
# Installs the Debian packages Granska builds and runs with, if any is missing.
# Safe to run repeatedly; does nothing when everything is present.
set -euo pipefail

packages=(
  libpoppler-glib-dev   # PDF text extraction (poppler-glib)
  libicu-dev            # Unicode normalisation, case mapping, word breaks
  pkg-config            # finds poppler-glib for the Swift build
  libsqlite3-dev        # the corpus database (GRDB)
  libssl-dev            # SHA-256 content hashes (libcrypto)
  sqlite3               # querying the corpus from the shell
  poppler-utils         # pdftotext, for benchmarks and model building
  qpdf                  # makes the encrypted test fixture
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing: ${missing[*]}" >&2
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if ! command -v swift >/dev/null 2>&1; then
  echo "Swift 6 is required (https://www.swift.org/install/linux/); 'swift' is not on PATH." >&2
  exit 1
fi
