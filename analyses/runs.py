"""Running scenarios and replications, summarising them, and writing results safely.

Only calls `simulation`; the model's logic stays there. Results are staged in a scratch
folder and published at the end, so a failed run never leaves half-written results.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
from tqdm import tqdm

from simulation import ConcertationModel, Scenario

from . import termination

Format = Literal["parquet", "csv"]

# Indicators summarised and compared across scenarios, with a readable label.
HEADLINE: dict[str, str] = {
    "tables_active": "tables active",
    "tables_programme_share": "share of tables from programmes",
    "memberships_per_actor": "memberships per actor",
    "over_solicited_share": "over-solicited actors (share)",
    "appropriation": "appropriation",
    "instrumentalisation": "instrumentalisation",
    "citizen_share": "citizen share of attendance",
    "integration": "integration",
    "collective_projects": "collective projects",
    "funding_to_projects_share": "money reaching projects (share)",
    "hyperconcertation_index": "hyperconcertation index",
}

@dataclass(frozen=True)
class SingleRun:
    """The four record sets of one model run."""

    model: pd.DataFrame
    tables: pd.DataFrame
    actors: pd.DataFrame
    table_history: pd.DataFrame


def run_single(scenario: Scenario, seed: int, progress: bool = False) -> SingleRun:
    """Run one model to its horizon and collect every record set (a bar over months if asked)."""
    model = ConcertationModel(scenario, rng=seed)
    with tqdm(total=model.horizon, desc="months", unit="month", file=sys.stderr,
              disable=not progress, dynamic_ncols=True, mininterval=0.5,
              bar_format="{desc}: {n_fmt}/{total_fmt} |{bar}| [{elapsed}<{remaining}]") as bar:
        while model.running:
            model.step()
            bar.update()
            termination.check()
    return SingleRun(model.model_frame(), model.table_records(), model.actor_records(),
                     model.table_history())


def _progress(total: int) -> tqdm:
    return tqdm(total=total, desc="runs", unit="run", file=sys.stderr, dynamic_ncols=True,
                bar_format="{desc}: {n_fmt}/{total_fmt} |{bar}| [{elapsed}<{remaining}]")


def t_half_width(sd: np.ndarray, n: np.ndarray, level: float = 0.95) -> np.ndarray:
    """Half-width of the Student-t interval of a mean from its sd and count (NaN below two
    values): the one interval of the summary, the report and the verdict."""
    from scipy import stats  # a dependency of Mesa; imported late, it is slow to load

    dof = np.asarray(n, dtype=float) - 1
    with np.errstate(invalid="ignore", divide="ignore"):
        quantile = np.where(dof > 0, stats.t.ppf(0.5 + level / 2, np.maximum(dof, 1)), np.nan)
        return quantile * np.asarray(sd, dtype=float) / np.sqrt(n)


def mean_ci(frame: pd.DataFrame, by: list[str], columns: Sequence[str]) -> pd.DataFrame:
    """Mean, sd and Student-t 95% confidence interval of each column within groups.

    Long form (one row per group and indicator); groups keep their order of appearance.
    The interval is NaN when a group has a single value, and clipped to the range of a
    headline indicator (a share's interval never leaves [0, 1]).
    """
    long = frame.melt(id_vars=by, value_vars=list(columns), var_name="indicator")
    grouped = long.groupby([*by, "indicator"], sort=False)["value"]
    out = grouped.agg(n="count", mean="mean", sd="std").reset_index()
    half = t_half_width(out["sd"].to_numpy(float), out["n"].to_numpy(float))
    out["ci95_low"] = out["mean"] - half
    out["ci95_high"] = out["mean"] + half
    from .comparison.guide import INDICATORS  # data only; clips to what each can take

    for name, guide in INDICATORS.items():
        rows = out["indicator"] == name
        out.loc[rows, ["ci95_low", "ci95_high"]] = out.loc[
            rows, ["ci95_low", "ci95_high"]].clip(guide.low, guide.high)
    return out


def final_summary(runs: pd.DataFrame, columns: Sequence[str] = tuple(HEADLINE)) -> pd.DataFrame:
    """Per scenario and indicator: the final-step value's mean, sd and 95% CI over replications."""
    last = runs["step"] == runs.groupby(["scenario", "replication"])["step"].transform("max")
    return mean_ci(runs.loc[last], ["scenario"], columns)


def write_frame(frame: pd.DataFrame, folder: Path, stem: str, fmt: Format) -> Path:
    """Write a frame as `<stem>.parquet` or `<stem>.csv`, without the index."""
    path = folder / f"{stem}.{fmt}"
    if fmt == "parquet":
        frame.to_parquet(path, index=False)
    else:
        frame.to_csv(path, index=False)
    return path


def write_json(data: dict[str, Any], path: Path) -> Path:
    text = json.dumps(data, indent=2, ensure_ascii=False, default=str)
    path.write_text(text + "\n", encoding="utf-8")
    return path


def provenance() -> dict[str, Any]:
    """Versions and time, so a result file says what produced it."""
    def version(package: str) -> str:
        try:
            return metadata.version(package)
        except metadata.PackageNotFoundError:
            return "unknown"

    return {"concertation_version": version("concertation"), "mesa_version": version("mesa"),
            "python_version": platform.python_version(),
            "created": datetime.now(UTC).isoformat(timespec="seconds")}


class OutputError(Exception):
    """An output folder that cannot be written; found before anything runs."""


def check_writable(out: Path) -> None:
    """Refuse, before any run, an --out that is a file or sits under a file or read-only folder."""
    if out.exists() and not out.is_dir():
        raise OutputError(f"--out {out} exists and is not a folder")
    ancestor = out.absolute()
    while not ancestor.exists():
        ancestor = ancestor.parent
    if not ancestor.is_dir():
        raise OutputError(f"--out {out}: {ancestor} is not a folder")
    if not os.access(ancestor, os.W_OK | os.X_OK):
        raise OutputError(f"--out {out}: {ancestor} is not writable")


OUTPUT_MARKER = ".concertation-output"
SYSTEM_FOLDERS = ("/", "/bin", "/boot", "/dev", "/etc", "/home", "/lib", "/lib64", "/opt",
                  "/proc", "/root", "/run", "/sbin", "/srv", "/sys", "/tmp", "/usr", "/var")


def check_owned(out: Path, command: str, force: bool = False) -> None:
    """Refuse an --out that `concertation <command>` did not make: a non-empty folder of
    other files would have them replaced. `force` allows that, never a system folder."""
    check_writable(out)
    resolved = out.resolve()
    if str(resolved) in SYSTEM_FOLDERS or resolved == Path.home().resolve():
        raise OutputError(f"--out {out} is a system or home folder ({resolved}); choose a "
                          f"folder of its own, e.g. results/{command}")
    if force or not resolved.is_dir():
        return
    content = sorted(path.name for path in resolved.iterdir())
    if not content:
        return
    marker = resolved / OUTPUT_MARKER
    made_by = marker.read_text(encoding="utf-8").strip() if marker.is_file() else None
    if made_by == command:
        return
    what = (f"the results of `concertation {made_by}`" if made_by
            else f"other files ({', '.join(content[:3])}{', ...' if len(content) > 3 else ''})")
    raise OutputError(f"--out {out} holds {what} and was not made by `concertation {command}`; "
                      f"its files would be replaced. Choose an empty or new folder, or add "
                      f"--force to write into it anyway.")


def mark_owned(folder: Path, command: str) -> None:
    """Say which command made a folder, so a later run of it may write there again."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / OUTPUT_MARKER).write_text(command + "\n", encoding="utf-8")


@contextmanager
def held_folder(out: Path, command: str) -> Iterator[None]:
    """Hold `out` (created if missing) for one command at a time: a second `run` or
    `compare` into the same folder is refused instead of replacing the first one's files
    unnoticed. The lock is on the folder itself, so it leaves no file; a folder made here and
    still empty at the end is removed."""
    import fcntl

    out = out.absolute()
    made = not out.exists()
    out.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(out, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    except OSError as exc:
        raise OutputError(f"--out {out} cannot be used ({exc.strerror}); choose a folder of "
                          f"its own.") from None
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise OutputError(f"--out {out} is being written by another `concertation "
                              f"{command}` right now; wait for it to end, or choose another "
                              f"--out.") from None
        yield
    finally:
        os.close(descriptor)
        if made:
            with suppress(OSError):
                out.rmdir()  # only if nothing was written


@contextmanager
def staged_output(out: Path) -> Iterator[Path]:
    """Yield a scratch folder beside `out`; its files move into `out` only if the block succeeds.

    Files in `out` that the new run does not produce are left alone; on failure `out` is
    untouched and the scratch folder is removed.
    """
    out = out.absolute()
    out.parent.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=f".{out.name}.partial-", dir=out.parent))
    try:
        yield stage
        termination.check()
        out.mkdir(exist_ok=True)
        for item in sorted(stage.iterdir()):
            os.replace(item, out / item.name)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
