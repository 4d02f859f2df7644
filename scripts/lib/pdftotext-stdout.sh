#!/usr/bin/env bash
# pdftotext of one PDF to standard output (the benchmark's reference extractor).
exec pdftotext -q "$1" -
