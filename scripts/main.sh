#!/usr/bin/env bash
# Runs the headline comparison. Extra arguments are passed to the CLI.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/setup.sh
exec .venv/bin/concertation compare programme_driven co_construction \
    concertation_des_concertations funder_exit --replications 10 --out results "$@"
