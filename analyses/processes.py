"""Processes: whether one still runs, and a folder removed once its processes are gone.
Standard library only (the CLI loads it at start)."""

from __future__ import annotations

import os
import shutil
import sys
import time
from pathlib import Path

POLL_SECONDS = 0.25


def process_alive(pid: int) -> bool:
    """Whether process `pid` runs (one of another user counts: it cannot be signalled; a
    zombie, dead but not yet waited for, does not)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True
    return state not in ("Z", "X")


def remove_when_gone(folder: Path, pids: list[int]) -> None:
    """Wait until none of `pids` runs, then remove `folder`: what a process killed by
    `kill -9` cannot do for itself."""
    while any(process_alive(pid) for pid in pids):
        time.sleep(POLL_SECONDS)
    shutil.rmtree(folder, ignore_errors=True)


def start_folder_reaper(folder: Path, pids: list[int]) -> None:
    """A detached process (its own session, no inherited pipes) that removes `folder` once
    `pids` are gone, whatever kills them."""
    import subprocess

    subprocess.Popen([sys.executable, "-P", "-m", "analyses.processes", str(folder),
                      *map(str, pids)], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                     stderr=subprocess.DEVNULL, start_new_session=True, close_fds=True,
                     cwd="/", env=os.environ | {"PYTHONPATH": os.pathsep.join(filter(None, [
                         _package_root(), os.environ.get("PYTHONPATH")]))})


def _package_root() -> str:
    """Where `analyses` is importable from, so `-P` in another folder still finds it."""
    return str(Path(__file__).resolve().parent.parent)


if __name__ == "__main__":
    remove_when_gone(Path(sys.argv[1]), [int(pid) for pid in sys.argv[2:]])
