"""Sweep results on disk: one Parquet file per run, written atomically, and a metadata file.

Layout of a sweep folder::

    experiment.json        what produced the results (file, hash, design, sessions)
    runs/<run_id>.parquet  one finished run: ids, seed, parameter values, step, indicators
    failed/<run_id>.json   one failed run: its parameters and traceback
    corrupt/               run files that did not read back whole, each with a note
    .lock, .lock-shard-*   held while a sweep (or a shard of one) writes the folder

Each run file carries, as Parquet key-value metadata under `concertation`, where it comes
from: the experiment's name and hash, the scenario, the horizon and the tool version (DuckDB:
`parquet_kv_metadata('runs/*.parquet')`). `load_results` refuses a folder whose files come from
more than one experiment.

A run file appears only once complete (written to a temporary file created exclusively,
with an unpredictable name, then renamed), so an interrupted sweep never leaves a half file.
A run counts as done only if its file reads back whole (footer, rows, its own run id,
its experiment); anything else is moved to `corrupt/` and computed again. The folder also
records its identity (the experiment, the resolved parameters of every point, the model's
version and source hash): a resume under another identity is refused rather than mixing two
models' runs. A lock keeps two sweeps from writing one folder at once; the shards of one sweep
share it, and their session records are merged under a second lock.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from simulation.scenario import ScenarioError

from ..processes import process_alive

METADATA = "experiment.json"
PROVENANCE_KEY = b"concertation"
LOCK = ".lock"
METADATA_LOCK = ".lock-metadata"
CORRUPT = "corrupt"

# What a resume compares, and how a difference is told to the user.
IDENTITY_CHANGES = {
    "parameters_hash": "the resolved parameters changed (the base scenario file, the defaults "
                       "or the design points and seeds)",
    "model_source": "the model's source code changed",
    "model_version": "the package version changed",
}


def identity_changes(recorded: dict[str, Any] | None, current: dict[str, Any]) -> list[str]:
    """What differs between the identity a folder recorded and the current one."""
    if recorded is None:
        return [("the folder was made before sweeps recorded their resolved parameters and "
                 "model version, so its runs cannot be matched")]
    return [f"{label} ({str(recorded.get(key))[:12]} -> {str(current[key])[:12]})"
            for key, label in IDENTITY_CHANGES.items()
            if key in current and recorded.get(key) != current[key]]


class FolderBusy(ScenarioError):
    """Another sweep holds the results folder."""


class ResultStore:
    """A sweep's output folder."""

    def __init__(self, out: Path) -> None:
        self.out = Path(out)
        self.runs = self.out / "runs"
        self.failed = self.out / "failed"
        self.corrupt = self.out / CORRUPT
        self.quarantined: list[tuple[str, str]] = []

    @property
    def metadata_path(self) -> Path:
        return self.out / METADATA

    def read_metadata(self) -> dict[str, Any] | None:
        path = self.metadata_path
        if path.is_symlink():
            raise ScenarioError(f"{path} is a link, not this folder's own record; a sweep "
                                f"folder's {METADATA} is a plain file. Choose another --out.")
        if not path.is_file():
            return None
        try:
            meta = json.loads(path.read_text(encoding="utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError, OSError) as exc:
            meta, problem = None, f"not valid JSON: {exc}"
        else:
            problem = _metadata_problem(meta)
        if problem:
            raise ScenarioError(f"{path} is damaged ({problem}); it records what the folder's "
                                f"runs are, so they cannot be resumed. Choose another --out.")
        return meta

    def claim(self, identity: dict[str, str], experiment_name: str) -> None:
        """Refuse a folder that holds another experiment's results, this experiment's results
        under another identity (parameters, model), or anything else."""
        if self.out.exists() and not self.out.is_dir():
            raise ScenarioError(f"--out {self.out} exists and is not a folder; a sweep writes a "
                                f"folder of run files. Choose another --out.")
        meta = self.read_metadata()
        if meta is not None:
            self.check_identity(meta, identity, experiment_name)
            return
        if self.out.exists() and not all(_sweeps_own(path.name) for path in self.out.iterdir()):
            raise ScenarioError(
                f"Output folder {self.out} is not empty and holds no sweep metadata "
                f"({METADATA}); expected an empty folder or an earlier run of this experiment.")

    def check_identity(self, meta: dict[str, Any], identity: dict[str, str],
                       experiment_name: str) -> None:
        """Refuse metadata of another experiment, or of this one under another identity."""
        if meta.get("experiment_hash") != identity["experiment_hash"]:
            same = meta.get("experiment_name") == experiment_name
            what = (f"the results of '{experiment_name}' made from another version of its file "
                    f"(the experiment file changed: hash "
                    f"{str(meta.get('experiment_hash'))[:12]} -> "
                    f"{identity['experiment_hash'][:12]})" if same else
                    f"the results of another experiment ('{meta.get('experiment_name')}', file "
                    f"{meta.get('experiment_file')}, hash "
                    f"{str(meta.get('experiment_hash'))[:12]})")
            raise ScenarioError(
                f"Output folder {self.out} holds {what}; expected an empty folder or one from "
                f"this experiment ('{experiment_name}', hash "
                f"{identity['experiment_hash'][:12]}). Choose another --out.")
        changes = identity_changes(meta.get("identity"), identity)
        if changes:
            raise ScenarioError(
                f"Output folder {self.out} holds runs of '{experiment_name}' that cannot be "
                f"resumed: {'; '.join(changes)}. Resuming would mix runs of two models. "
                f"Choose a new --out, or delete {self.out} to compute every run again.")

    @contextmanager
    def lock(self, shard: str | None = None) -> Iterator[None]:
        """Hold the folder while writing it: alone, or (a shard) shared with the other shards,
        each shard alone on its own part. A second writer is refused, naming the holder."""
        import fcntl

        self.out.mkdir(parents=True, exist_ok=True)
        wanted = [(LOCK, fcntl.LOCK_SH if shard else fcntl.LOCK_EX)]
        if shard:
            wanted.append((f"{LOCK}-shard-{shard.replace('/', '-of-')}", fcntl.LOCK_EX))
        held: list[int] = []
        try:
            for name, mode in wanted:
                descriptor = _open_no_follow(self.out / name)
                held.append(descriptor)
                try:
                    fcntl.flock(descriptor, mode | fcntl.LOCK_NB)
                except BlockingIOError:
                    holder = os.pread(descriptor, 400, 0).decode(errors="replace").strip()
                    raise FolderBusy(
                        f"Output folder {self.out} is being written by another sweep "
                        f"({holder or 'the shards of a sharded sweep'}); wait for it to end, "
                        f"or choose another --out.") from None
                if mode == fcntl.LOCK_EX:
                    os.ftruncate(descriptor, 0)
                    os.pwrite(descriptor, _holder(shard).encode(), 0)
            yield
        finally:
            for descriptor in reversed(held):
                os.close(descriptor)

    def clean_partial(self) -> int:
        """Remove temporary files left by a writer that died mid-write (never a live one's)."""
        removed = 0
        for folder in (self.out, self.runs, self.failed):
            if folder.is_dir():
                for path in folder.glob(".*.tmp"):
                    if not _writer_alive(path):
                        path.unlink(missing_ok=True)
                        removed += 1
        return removed

    def write_metadata(self, meta: dict[str, Any]) -> None:
        self.out.mkdir(parents=True, exist_ok=True)
        _atomic_text(self.metadata_path, json.dumps(meta, indent=2, default=str) + "\n")

    def update_metadata(self, change: Callable[[dict[str, Any] | None], dict[str, Any]]
                        ) -> dict[str, Any]:
        """Read, change and write experiment.json under a lock, so concurrent shards never
        lose each other's session records."""
        import fcntl

        self.out.mkdir(parents=True, exist_ok=True)
        descriptor = _open_no_follow(self.out / METADATA_LOCK)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX)
            meta = change(self.read_metadata())
            self.write_metadata(meta)
            return meta
        finally:
            os.close(descriptor)

    def finished(self, expected: dict[str, str] | None = None) -> set[str]:
        """Runs whose file reads back whole (and carries the `expected` provenance: the
        folder's identity); any other run file is moved to corrupt/."""
        if not self.runs.is_dir():
            return set()
        good = set()
        for path in sorted(self.runs.glob("*.parquet")):
            problem = verify_run_file(path, expected)
            if problem is None:
                good.add(path.stem)
            else:
                self.quarantine(path, problem)
        return good

    def quarantine(self, path: Path, problem: str) -> Path:
        """Move a bad run file out of runs/ (to be computed again), with a note saying why."""
        self.corrupt.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
        target = self.corrupt / f"{path.stem}.{stamp}{path.suffix}"
        os.replace(path, target)
        note = {"file": path.name, "problem": problem, "moved": stamp, "host": platform.node()}
        _atomic_text(target.with_suffix(".json"), json.dumps(note, indent=2) + "\n")
        self.quarantined.append((path.name, problem))
        return target

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
        table = pa.Table.from_pandas(frame, preserve_index=False)
        metadata = dict(table.schema.metadata or {})
        metadata[PROVENANCE_KEY] = json.dumps(provenance, sort_keys=True, default=str).encode()
        with _temporary(self.runs, run_id, "wb") as (handle, temporary):
            pq.write_table(table.replace_schema_metadata(metadata), handle, compression="zstd")
            handle.close()
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


def _metadata_problem(meta: Any) -> str | None:
    """What is wrong with the shape of a parsed experiment.json, if anything."""
    if not isinstance(meta, dict):
        return f"a JSON {type(meta).__name__}, not an object"
    if not isinstance(meta.get("sessions"), list):
        return "no list of 'sessions'"
    if "identity" in meta and not isinstance(meta["identity"], dict):
        return "'identity' is not an object"
    return None


def _open_no_follow(path: Path) -> int:
    """A lock file, opened without following a planted link."""
    try:
        return os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o644)
    except OSError as exc:
        raise ScenarioError(f"{path} cannot be used as this folder's lock file "
                            f"({exc.strerror}: a link or a folder planted there?); remove it, "
                            f"or choose another --out.") from None


def _holder(shard: str | None) -> str:
    since = datetime.now(UTC).isoformat(timespec="seconds")
    part = f", shard {shard}" if shard else ""
    return f"process {os.getpid()} on {platform.node()}{part}, since {since}"


def _host_tag() -> str:
    """This machine, in temporary names: a process id means nothing on another node."""
    return hashlib.sha256(platform.node().encode()).hexdigest()[:8]


def _writer_alive(path: Path) -> bool:
    """Temporary names are `.<stem>.<host>.<pid>.<random>.tmp`: could the writer be alive?
    One on another machine (a shard on another node) might be: never removed from here."""
    parts = path.name.split(".")
    if len(parts) < 6 or not parts[-3].isdigit():
        return False
    if parts[-4] != _host_tag():
        return True
    pid = int(parts[-3])
    return pid != os.getpid() and process_alive(pid)


def _file_mode() -> int:
    """The mode `open` gives a new file under this process's umask (read from /proc, which
    leaves the umask alone for other threads; set and restored where /proc cannot tell)."""
    try:
        status = Path("/proc/self/status").read_text(encoding="ascii")
        umask = int(next(line.split()[1] for line in status.splitlines()
                         if line.startswith("Umask:")), 8)
    except (OSError, StopIteration, ValueError):
        umask = os.umask(0o022)
        os.umask(umask)
    return 0o666 & ~umask


def _sweeps_own(name: str) -> bool:
    """The locks, and experiment.json being written by a shard that started first."""
    return name.startswith(LOCK) or (name.startswith(f".{METADATA}.") and name.endswith(".tmp"))


@contextmanager
def _temporary(folder: Path, stem: str, mode: str) -> Iterator[tuple[Any, Path]]:
    """A new file created exclusively (never an existing file or a planted link) with an
    unpredictable name in `folder`; removed if the block fails before renaming it."""
    descriptor, name = tempfile.mkstemp(prefix=f".{stem}.{_host_tag()}.{os.getpid()}.",
                                        suffix=".tmp", dir=folder)
    os.fchmod(descriptor, _file_mode())  # mkstemp's 0600 would hide results from the group
    temporary = Path(name)
    try:
        with os.fdopen(descriptor, mode) as handle:
            yield handle, temporary
    finally:
        temporary.unlink(missing_ok=True)


def verify_run_file(path: Path, expected: dict[str, str] | None = None,
                    own_name: bool = True) -> str | None:
    """Why a run file cannot count as a finished run, or None if it reads back whole (and,
    with `own_name`, holds the run its name says, and carries the `expected` provenance)."""
    import pyarrow.parquet as pq

    if path.is_symlink() or not path.is_file():
        return "not a regular file (a link or a folder)"
    try:
        table = pq.read_table(path)
    except Exception as exc:  # noqa: BLE001 - whatever the damage, the file is set aside
        return f"does not read back ({type(exc).__name__}: {exc})"
    if table.num_rows == 0:
        return "holds no rows"
    if "run_id" not in table.column_names:
        return "has no run_id column"
    ids = set(table.column("run_id").to_pylist())
    if own_name and ids != {path.stem}:
        return f"holds the rows of run(s) {sorted(map(str, ids))[:3]}, not of {path.stem}"
    if expected:
        raw = (table.schema.metadata or {}).get(PROVENANCE_KEY)
        found = json.loads(raw) if raw else {}
        for key, value in expected.items():
            if found.get(key) != value:
                return (f"was made under another identity ({key} "
                        f"{str(found.get(key))[:12]}, expected {str(value)[:12]})")
    return None


def _atomic_text(path: Path, text: str) -> None:
    with _temporary(path.parent, path.name, "w") as (handle, temporary):
        handle.write(text)
        handle.close()
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
    damaged = [(path.name, problem) for path in files
               if (problem := verify_run_file(path, own_name=False)) is not None]
    if damaged:
        shown = "; ".join(f"{name}: {problem}" for name, problem in damaged[:5])
        raise ScenarioError(
            f"Results folder {out}: {len(damaged)} run file(s) do not read back whole ({shown}"
            f"{'; ...' if len(damaged) > 5 else ''}). Re-run the sweep command: it moves them to "
            f"{CORRUPT}/ and computes those runs again.")
    provenance = check_one_experiment(out, files)
    frame = pd.concat([pd.read_parquet(path) for path in files], ignore_index=True)
    frame = frame.sort_values(["point", "replication", "step"], kind="stable").reset_index(
        drop=True)
    frame.attrs["provenance"] = provenance or {}
    return frame


def export_csv(out: str | Path) -> Path:
    path = Path(out) / "results.csv"
    frame = load_results(out)
    with _temporary(path.parent, path.name, "w") as (handle, temporary):
        frame.to_csv(handle, index=False)
        handle.close()
        os.replace(temporary, path)
    return path
