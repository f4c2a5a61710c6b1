"""Robustness of the conclusions over the parameter space (analyses/validation/robustness.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analyses.validation.robustness import (
    CONTRAST_LEVERS,
    CONTRASTS,
    Robustness,
    point_overrides,
    robustness,
    space,
    wilson,
)
from concertation.cli import main
from simulation import ConcertationModel

TINY = {"run.years": 3, "initial.spinup_years": 0}


def test_the_space_is_behaviour_not_layout_or_the_levers_compared() -> None:
    names = set(space())
    assert "participation.weight_time" in names and "process.trust_rate" in names
    assert not any(name.startswith(("run.", "population.", "initial.")) for name in names)
    assert not names & CONTRAST_LEVERS
    assert "integration.merge_rate" not in names  # a lever off in every scenario stays off


@pytest.mark.parametrize("multiplier", [0.5, 1.5])
def test_every_corner_of_the_space_is_a_valid_scenario(multiplier: float) -> None:
    factors = space()
    overrides = point_overrides(dict.fromkeys(factors, multiplier), "programme_driven", factors)
    shares = (overrides["programmes.design.coordination_share"]
              + overrides["programmes.design.member_grant_share"])
    assert shares <= 1 + 1e-9
    ConcertationModel("programme_driven", rng=0, **overrides, **TINY).run()


def test_wilson_interval() -> None:
    low, high = wilson(8, 10)
    assert low == pytest.approx(0.4902, abs=1e-3) and high == pytest.approx(0.9433, abs=1e-3)


def test_prim_names_the_parameter_that_breaks_a_contrast() -> None:
    """A contrast planted to fail wherever one multiplier is high: PRIM's box restricts that
    parameter, and the rank correlation ranks it first."""
    rng = np.random.default_rng(0)
    points = pd.DataFrame(rng.uniform(0.5, 1.5, (80, 4)), columns=["a", "b", "c", "d"])
    contrast = CONTRASTS[0]
    effect = 1.2 - points["a"] + rng.normal(0, 0.02, 80)
    points[f"{contrast.name} effect"] = effect
    points[f"{contrast.name} holds"] = effect > 0
    result = Robustness(points, 1, ["a", "b", "c", "d"])
    assert result.breakers(contrast).startswith("a x[1.")
    assert result.correlates(contrast).startswith("a -")


def test_a_tiny_run_judges_every_contrast_it_can() -> None:
    result = robustness(3, range(1), 2, overrides=TINY)
    summary = result.summary().set_index("contrast")
    assert list(summary.index) == [c.name for c in CONTRASTS]
    # Three-year runs have no late slope and end before the foundation leaves: P2's
    # response and P6 are not judged, not failed.
    unjudged = ["P2 response", "P6 funder exit"]
    for name in unjudged:
        assert summary.loc[name, "holds in"].startswith("not judged")
    assert (summary.drop(index=unjudged)["points"] == 3).all()
    assert result.points.filter(like="holds").dtypes.eq(bool).all()


def test_bad_arguments_are_refused(tmp_path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["robustness", "--samples", "1", "--out", str(tmp_path / "r")]) == 2
    assert "--samples must be at least 2" in capsys.readouterr().err
    assert not (tmp_path / "r").exists()


def test_the_dask_engine_gives_the_local_pools_table() -> None:
    """The study runs on the sweep engine: a real Dask cluster (started here) gives the same
    points, effects and verdicts as the local pool, run for run."""
    local = robustness(3, range(1), 2, overrides=TINY, engine="local")
    dask = robustness(3, range(1), 2, overrides=TINY, engine="dask")
    pd.testing.assert_frame_equal(dask.points, local.points)
    pd.testing.assert_frame_equal(dask.summary(), local.summary())
