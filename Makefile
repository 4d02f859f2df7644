# Convenience targets; the README's two commands are scripts/run and scripts/test.
.PHONY: build test run bench bench-text bench-repair bench-ingest format models

build:
	swift build -c release --product granska

test:
	bash scripts/test

run:
	bash scripts/run

bench: bench-text bench-repair bench-ingest

bench-text:
	bash scripts/bench-text.sh

bench-repair:
	bash scripts/bench-repair.sh

bench-ingest:
	bash scripts/bench-ingest.sh

format:
	swift format --in-place --recursive Sources Tests

models:
	bash scripts/models/build.sh
