"""`concertation calibrate`: ABC rejection over a Latin hypercube, kept apart from the held-out
observations, on small settings (a 5-year spin-up: after a 2-year one the initial stock is so
small that 82-90 % of the tables are created after 2000 at every point, and none is accepted)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analyses.validation import calibration
from concertation.cli import main

QUICK = {"initial.spinup_years": 5}


def test_accepts_by_the_tolerance_rule_and_reports_ranges_within_the_priors() -> None:
    result = calibration.calibrate(6, range(2), workers=2, overrides=QUICK)
    points = result.points
    assert len(points) == 6
    within = np.logical_and.reduce([(points[k] - v).abs() <= calibration.TOLERANCE
                                    for k, v in calibration.TARGETS.items()])
    assert (points["accepted"] == within).all()
    for name, (low, high) in calibration.PRIORS.items():
        assert points[name].between(low, high).all()
        # a Latin hypercube puts one point in each sixth of every prior
        strata = np.floor((points[name] - low) / (high - low) * 6).clip(0, 5)
        assert sorted(strata) == list(range(6))
    posterior = result.posterior().set_index("parameter")
    accepted = result.accepted
    assert len(accepted) > 0, points
    for name in calibration.PRIORS:
        assert posterior.loc[name, "min"] == accepted[name].min()
        assert posterior.loc[name, "max"] == accepted[name].max()
    held_out = result.held_out().set_index("name")
    assert list(held_out.index) == ["H1", "H2", "H3"]
    assert held_out["share_met"].between(0, 1).all()


def test_a_prior_far_from_the_targets_accepts_nothing() -> None:
    """Hardly any tables made by institutions: the top-down share cannot reach 0.75."""
    priors = {"tables.bottom_up_rate": (0.5, 0.6),
              "tables.institution_initiative_rate": (0.0, 0.001),
              "programmes.launch_rate_multiplier": (0.0, 0.05)}
    result = calibration.calibrate(3, range(1), workers=1, overrides=QUICK, priors=priors)
    assert not result.points["accepted"].any()
    assert (result.points["initiated_top_down"] < 0.6).all()
    assert result.posterior()["median"].isna().all()
    assert "Accepted: 0 of 3" in calibration.markdown(result, "test", 1.0)


def test_the_same_seed_draws_the_same_points() -> None:
    first = calibration.latin_hypercube(5, seed=3)
    pd.testing.assert_frame_equal(first, calibration.latin_hypercube(5, seed=3))
    assert not first.equals(calibration.latin_hypercube(5, seed=4))


def test_held_out_measures_read_what_they_say() -> None:
    frame = pd.DataFrame({"integration": [0.9] * 23 + [0.2],
                          "activity_management": [0.1] * 12 + [0.3] * 12,
                          "activity_coordination": [0.2] * 24})
    tables = pd.DataFrame({"table_id": [0, 1, 2, 3],
                           "initiator_type": ["institution", "funder_agent", "community_group",
                                              "institution"]})
    history = pd.DataFrame({"step": [1, 1, 1, 1, 0], "table_id": [0, 1, 2, 3, 0],
                            "instrumentalisation": [0.2, 0.8, 0.9, 0.4, 0.9]})
    run = {"frame": frame, "tables": tables, "history": history}
    assert calibration.few_links(run) == 0.2
    assert calibration.more_management_and_services(run) == pytest.approx(0.2)
    assert calibration.own_mandate(run) == pytest.approx(2 / 3)  # tables 0 and 3 of 0, 1, 3


def test_cli_writes_the_report_and_refuses_empty_designs(
        tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["calibrate", "--samples", "0", "--out", str(tmp_path)]) == 2
    assert "at least 1" in capsys.readouterr().err
    assert main(["calibrate", "--samples", "2", "--seeds", "1", "--workers", "2",
                 "--out", str(tmp_path)]) == 0
    printed = capsys.readouterr().out
    assert "points accepted" in printed and "held-out observations" in printed
    report = (tmp_path / "calibration.md").read_text(encoding="utf-8")
    assert "Posterior ranges" in report and "| H3 |" in report
    assert len(pd.read_csv(tmp_path / "points.csv")) == 2
