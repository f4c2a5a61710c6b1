#!/usr/bin/env bash
# Runs the test suite; arguments are passed to pytest, its exit code is ours.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/setup.sh
# Small matrices: one BLAS thread per process is faster and keeps timings steady.
export OPENBLAS_NUM_THREADS="${OPENBLAS_NUM_THREADS:-1}"
exec .venv/bin/python -m pytest -q "$@"
