"""Digests of the records of a few short runs, the reference a speed-only change must keep.

`python -m tests.reference_records` rewrites tests/data/reference_records.json. Do that only
when a change alters the model's numbers on purpose (a rule, or an optimisation that changes
the summation order), and say so in the commit: the validation must then be re-run.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd

from simulation.model import ConcertationModel

REFERENCE = Path(__file__).parent / "data" / "reference_records.json"
# Short runs that still pass through every submodel: a spin-up, programme launches and ends,
# a funder's exit, the territorial table, yearly and monthly recording.
CASES: dict[str, tuple[str, int, int, dict]] = {
    "baseline": ("baseline", 1, 1, {"spinup_years": 5, "years": 6}),
    "programme_driven": ("programme_driven", 2, 1, {"spinup_years": 5, "years": 6}),
    "funder_exit": ("funder_exit", 3, 12, {"spinup_years": 3, "years": 12}),
    "concertation_des_concertations": ("concertation_des_concertations", 4, 1,
                                       {"spinup_years": 3, "years": 5}),
}


def digest(frame: pd.DataFrame) -> str:
    """The frame's values, index and column names, bit for bit."""
    values = pd.util.hash_pandas_object(frame, index=True).to_numpy().tobytes()
    return hashlib.sha256(values + ",".join(map(str, frame.columns)).encode()).hexdigest()


def records(case: str) -> dict[str, str]:
    scenario, seed, every, overrides = CASES[case]
    model = ConcertationModel(scenario, rng=seed, record_every=every, **overrides).run()
    return {"model_frame": digest(model.model_frame()),
            "table_records": digest(model.table_records()),
            "actor_records": digest(model.actor_records())}


if __name__ == "__main__":
    REFERENCE.write_text(json.dumps({case: records(case) for case in CASES}, indent=1) + "\n")
    print(f"wrote {REFERENCE}")
