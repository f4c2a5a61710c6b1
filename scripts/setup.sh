#!/usr/bin/env bash
# Idempotent environment setup: creates .venv with Python 3.12 and installs
# the project in editable mode with its test extra. Re-runs are fast: the
# install is skipped while the stamp (hash of pyproject.toml, this script and
# the interpreter) matches and the packages are importable.
#
# Override the interpreter with CONCERTATION_PYTHON=/path/to/python3.12.
# Force a reinstall with CONCERTATION_FORCE_SETUP=1.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

VENV="$ROOT/.venv"
STAMP="$VENV/.concertation-setup.stamp"

log() { echo "[setup] $*" >&2; }
die() { echo "[setup] ERROR: $*" >&2; exit 1; }

# A python that is >= 3.12?
is_py312() {
    [ -n "${1:-}" ] && [ -x "$1" ] &&
        "$1" -c 'import sys; sys.exit(0 if sys.version_info[:2] >= (3, 12) else 1)' 2>/dev/null
}

find_python() {
    local cand want pyenv_bin pyenv_root
    if [ -n "${CONCERTATION_PYTHON:-}" ]; then
        is_py312 "$CONCERTATION_PYTHON" && { echo "$CONCERTATION_PYTHON"; return; }
        die "CONCERTATION_PYTHON=$CONCERTATION_PYTHON is not a Python >= 3.12"
    fi
    want="$(tr -d '[:space:]' < .python-version 2>/dev/null || true)"
    pyenv_bin="$(command -v pyenv || true)"
    [ -z "$pyenv_bin" ] && [ -x "${PYENV_ROOT:-$HOME/.pyenv}/bin/pyenv" ] &&
        pyenv_bin="${PYENV_ROOT:-$HOME/.pyenv}/bin/pyenv"
    if [ -n "$pyenv_bin" ]; then
        pyenv_root="$("$pyenv_bin" root 2>/dev/null || echo "${PYENV_ROOT:-$HOME/.pyenv}")"
        # 1. exactly the version named in .python-version
        [ -n "$want" ] && cand="$pyenv_root/versions/$want/bin/python" &&
            is_py312 "$cand" && { echo "$cand"; return; }
        # 2. whatever pyenv resolves for this directory (ignoring a stray PYENV_VERSION)
        cand="$(PYENV_VERSION= "$pyenv_bin" which python 2>/dev/null || true)"
        is_py312 "$cand" && { echo "$cand"; return; }
        # 3. any installed pyenv 3.12.x, newest first
        for cand in $(ls -d "$pyenv_root"/versions/3.12*/bin/python 2>/dev/null | sort -rV); do
            is_py312 "$cand" && { echo "$cand"; return; }
        done
    fi
    # 4. a python3.12 on PATH
    cand="$(command -v python3.12 || true)"
    is_py312 "$cand" && { echo "$cand"; return; }
    die "no Python 3.12 found (wanted ${want:-3.12} via pyenv, or python3.12 on PATH)." \
        "Install it (e.g. 'pyenv install ${want:-3.12}') or set CONCERTATION_PYTHON."
}

# Serialise concurrent runs (e.g. main.sh and test.sh started together).
mkdir -p "$VENV"
exec 9>"$VENV/.setup.lock"
command -v flock >/dev/null && flock 9

# (Re)create the venv if missing or not on Python >= 3.12.
if ! is_py312 "$VENV/bin/python"; then
    PY="$(find_python)"
    log "creating .venv with $PY ($("$PY" --version 2>&1))"
    find "$VENV" -mindepth 1 -maxdepth 1 ! -name .setup.lock -exec rm -rf {} +
    "$PY" -m venv "$VENV"
fi

want_stamp="$( { cat pyproject.toml "$ROOT/scripts/setup.sh"; "$VENV/bin/python" -VV; } | sha256sum | cut -d' ' -f1)"

installed_ok() {
    [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$want_stamp" ] && [ -x "$VENV/bin/concertation" ] &&
        "$VENV/bin/python" -I -c 'import importlib.util as u, sys
needed = ("concertation", "simulation", "analyses", "scenarios", "ema_workbench", "duckdb")
sys.exit(0 if all(u.find_spec(m) for m in needed) else 1)' 2>/dev/null
}

if [ "${CONCERTATION_FORCE_SETUP:-0}" != "1" ] && installed_ok; then
    log "up to date ($("$VENV/bin/python" --version))"
    exit 0
fi

log "installing project into .venv (about a minute on a cold machine)"
rm -f "$STAMP"
export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1
# pip on this kind of machine warns once per package about absent local index
# folders; drop that noise but keep every other message and pip's exit code.
pip_install() {
    { "$VENV/bin/python" -m pip install -q "$@" 2>&1 1>&3 |
        sed '/is ignored: it is neither a file nor a directory/d' >&2; } 3>&1
}
pip_install --upgrade pip
pip_install -e ".[test]"
"$VENV/bin/python" -m pip check >&2 || log "warning: 'pip check' reported problems (see above)"
log "compiling the model's hot loops (numba caches them beside simulation/kernels.py)"
OPENBLAS_NUM_THREADS=1 "$VENV/bin/python" -c 'from simulation import ConcertationModel
ConcertationModel("baseline", rng=0, years=1, spinup_years=1).run()'
echo "$want_stamp" > "$STAMP"
log "done ($("$VENV/bin/python" --version))"
