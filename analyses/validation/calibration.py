"""Calibration of `les_moulins` against pattern P3 (Bourque 2010): a grid search over the two
rates of bottom-up and institution-initiated table creation, scored by the squared distance of
the mean over seeds to the observed shares (0.70 of tables created after 2000, 0.75 initiated
by the CSSS, the cities or a foundation)."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np
import pandas as pd

from .patterns import Runs

TARGETS = {"created_after_2000": 0.70, "initiated_top_down": 0.75}
BOTTOM_UP = [0.004, 0.006, 0.008, 0.010, 0.012, 0.015]
INSTITUTION = [0.010, 0.015, 0.020, 0.025, 0.030]


def shares(runs: Runs, seeds: Sequence[int], bottom_up: float, institution: float
           ) -> tuple[float, float]:
    recent, top_down = [], []
    for run in runs.get("les_moulins", seeds, **{"tables.bottom_up_rate": bottom_up,
                                                  "tables.institution_initiative_rate":
                                                  institution}):
        tables = run["tables"]
        active = tables[tables["state"].isin(["active", "forming"])]
        recent.append((active["created_step"] >= 0).mean())
        top_down.append(active["initiator_type"].isin(["institution", "funder_agent"]).mean())
    return float(np.mean(recent)), float(np.mean(top_down))


def calibrate(seeds: Sequence[int], workers: int, bottom_up: Sequence[float] = BOTTOM_UP,
              institution: Sequence[float] = INSTITUTION) -> pd.DataFrame:
    """Every grid point with its fit, best first."""
    runs = Runs(workers=workers)
    rows = []
    for rate_b, rate_i in itertools.product(bottom_up, institution):
        recent, top_down = shares(runs, seeds, rate_b, rate_i)
        distance = (recent - TARGETS["created_after_2000"]) ** 2 + (
            top_down - TARGETS["initiated_top_down"]) ** 2
        rows.append({"tables.bottom_up_rate": rate_b,
                     "tables.institution_initiative_rate": rate_i,
                     "created_after_2000": recent, "initiated_top_down": top_down,
                     "distance": distance})
    return pd.DataFrame(rows).sort_values("distance", kind="stable").reset_index(drop=True)
