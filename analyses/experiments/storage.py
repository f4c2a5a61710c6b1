"""Sweep results on disk: one Parquet file per run, written atomically, and a metadata file.

Layout of a sweep folder::

    experiment.json        what produced the results (file, hash, design, sessions)
    runs/<run_id>.parquet  one finished run: ids, seed, parameter values, step, indicators
    failed/<run_id>.json   one failed run: its parameters and traceback

Each run file carries, as Parquet key-value metadata under `concertation`, where it comes
from: the experiment's name and hash, the scenario, the horizon and the tool version (DuckDB:
`parquet_kv_metadata('runs/*.parquet')`). `load_results` refuses a folder whose files come from
more than one experiment.

A run file appears only once complete (write to a temporary name, then rename), so an
interrupted sweep never leaves a half file, and a finished run is never computed twice.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pandas as pd

from simulation.scenario import ScenarioError

METADATA = "experiment.json"
PROVENANCE_KEY = b"concertation"


class ResultStore:
    """A sweep's output folder."""

    def __init__(self, out: Path) -> None:
        self.out = Path(out)
        self.runs = self.out / "runs"
        self.failed = self.out / "failed"

    @property
    def metadata_path(self) -> Path:
        return self.out / METADATA

    def read_metadata(self) -> dict[str, Any] | None:
        if not self.metadata_path.is_file():
            return None
        return json.loads(self.metadata_path.read_text(encoding="utf-8"))

    def claim(self, experiment_hash: str, experiment_name: str) -> None:
        """Refuse a folder that holds another experiment's results (or anything else)."""
        meta = self.read_metadata()
        if meta is not None:
            if meta.get("experiment_hash") != experiment_hash:
                raise ScenarioError(
                    f"Output folder {self.out} holds the results of another experiment "
                    f"('{meta.get('experiment_name')}', file {meta.get('experiment_file')}, "
                    f"hash {str(meta.get('experiment_hash'))[:12]}); expected an empty folder or "
                    f"one from this experiment ('{experiment_name}', hash {experiment_hash[:12]}). "
                    f"Choose another --out.")
            return
        if self.out.exists() and any(self.out.iterdir()):
            raise ScenarioError(
                f"Output folder {self.out} is not empty and holds no sweep metadata "
                f"({METADATA}); expected an empty folder or an earlier run of this experiment.")

    def clean_partial(self) -> int:
        """Remove temporary files left by a sweep that was killed mid-write."""
        removed = 0
        for folder in (self.out, self.runs, self.failed):
            if folder.is_dir():
                for path in folder.glob(".*.tmp"):
                    path.unlink(missing_ok=True)
                    removed += 1
        return removed

    def write_metadata(self, meta: dict[str, Any]) -> None:
        self.out.mkdir(parents=True, exist_ok=True)
        _atomic_text(self.metadata_path, json.dumps(meta, indent=2, default=str) + "\n")

    def finished(self) -> set[str]:
        if not self.runs.is_dir():
            return set()
        return {path.stem for path in self.runs.glob("*.parquet")}

    def failures(self) -> dict[str, dict[str, Any]]:
        if not self.failed.is_dir():
            return {}
        return {path.stem: json.loads(path.read_text(encoding="utf-8"))
                for path in sorted(self.failed.glob("*.json"))}

    def write_run(self, run_id: str, frame: pd.DataFrame, provenance: dict[str, Any]) -> Path:
        """Write one finished run, with `provenance` (experiment, hash, scenario, years,
        version) in the file's metadata."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        self.runs.mkdir(parents=True, exist_ok=True)
        path = self.runs / f"{run_id}.parquet"
        temporary = self.runs / f".{run_id}.{os.getpid()}.tmp"
        table = pa.Table.from_pandas(frame, preserve_index=False)
        metadata = dict(table.schema.metadata or {})
        metadata[PROVENANCE_KEY] = json.dumps(provenance, sort_keys=True, default=str).encode()
        pq.write_table(table.replace_schema_metadata(metadata), temporary, compression="zstd")
        os.replace(temporary, path)
        failure = self.failed / f"{run_id}.json"
        if failure.exists():
            failure.unlink()
        return path

    def write_failure(self, run_id: str, record: dict[str, Any]) -> Path:
        self.failed.mkdir(parents=True, exist_ok=True)
        path = self.failed / f"{run_id}.json"
        _atomic_text(path, json.dumps(record, indent=2, default=str) + "\n")
        return path


def _atomic_text(path: Path, text: str) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def read_provenance(path: Path) -> dict[str, Any] | None:
    """What produced a run file (None for a file written before run files carried it)."""
    import pyarrow.parquet as pq

    raw = (pq.read_schema(path).metadata or {}).get(PROVENANCE_KEY)
    return json.loads(raw) if raw else None


def _experiment(provenance: dict[str, Any] | None) -> tuple[str, str]:
    if provenance is None:
        return ("(unknown: no provenance)", "")
    return (str(provenance.get("experiment")), str(provenance.get("experiment_hash")))


def check_one_experiment(out: str | Path, files: list[Path]) -> dict[str, Any] | None:
    """The provenance shared by every run file of a folder; refuses files of several experiments
    (copied together from two folders, say), or files that do not match experiment.json."""
    found: dict[tuple[str, str], list[Path]] = {}
    provenance: dict[str, Any] | None = None
    for path in files:
        provenance = read_provenance(path)
        found.setdefault(_experiment(provenance), []).append(path)
    meta = ResultStore(Path(out)).read_metadata()
    if meta is not None and len(found) == 1 and provenance is not None:
        expected = (str(meta.get("experiment_name")), str(meta.get("experiment_hash")))
        if _experiment(provenance) != expected:
            found.setdefault(expected + (f"{METADATA}",), [])
    if len(found) > 1:
        parts = [f"'{name}' (hash {digest[:12]}): "
                 + (f"{len(paths)} file(s), e.g. {paths[0].name}" if paths
                    else f"named by {METADATA}")
                 for (name, digest, *_), paths in found.items()]
        raise ScenarioError(
            f"Results folder {out} mixes runs of {len(found)} experiments: {'; '.join(parts)}. "
            f"Keep each experiment's run files in a folder of their own.")
    return provenance


def load_results(out: str | Path) -> pd.DataFrame:
    """Every finished run of a sweep as one tidy frame (one row per run and recorded step).

    Refuses (ScenarioError) a folder whose run files come from more than one experiment. The
    experiment's provenance (name, hash, scenario, years, version) is in `frame.attrs`."""
    runs = Path(out) / "runs"
    files = sorted(runs.glob("*.parquet"))
    if not files:
        raise FileNotFoundError(f"no finished runs in {runs}")
    provenance = check_one_experiment(out, files)
    frame = pd.concat([pd.read_parquet(path) for path in files], ignore_index=True)
    frame = frame.sort_values(["point", "replication", "step"], kind="stable").reset_index(
        drop=True)
    frame.attrs["provenance"] = provenance or {}
    return frame


def export_csv(out: str | Path) -> Path:
    path = Path(out) / "results.csv"
    temporary = path.with_name(".results.csv.tmp")
    load_results(out).to_csv(temporary, index=False)
    os.replace(temporary, path)
    return path
