#!/usr/bin/env bash
# Runs the test suite; arguments are passed to pytest, its exit code is ours.
# Sets up everything the suite needs first: .venv (scripts/setup.sh) and Debian's chromium
# for the browser tests (installed with apt-get when missing; Playwright cannot download its
# own browser here). Nothing is skipped: a missing browser fails the browser tests.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/setup.sh
bash scripts/browser.sh
# Small matrices: one BLAS thread per process is faster and keeps timings steady.
export OPENBLAS_NUM_THREADS="${OPENBLAS_NUM_THREADS:-1}"
exec .venv/bin/python -m pytest -q "$@"
