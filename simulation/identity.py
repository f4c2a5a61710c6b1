"""What model produced a result: the package version and a hash of the model's own source.

A sweep resumed after the code changed would mix runs of two models under one name; the
version alone does not see an edit between releases, the source hash does.
"""

from __future__ import annotations

import hashlib
from functools import cache
from importlib import metadata
from pathlib import Path

SOURCE_DIR = Path(__file__).resolve().parent


@cache
def source_hash() -> str:
    """sha256 over every module of `simulation` (relative path and bytes), in path order."""
    digest = hashlib.sha256()
    for path in sorted(SOURCE_DIR.rglob("*.py")):
        digest.update(path.relative_to(SOURCE_DIR).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def package_version() -> str:
    try:
        return metadata.version("concertation")
    except metadata.PackageNotFoundError:
        return "unknown"


def model_identity() -> dict[str, str]:
    return {"model_version": package_version(), "model_source": source_hash()}
