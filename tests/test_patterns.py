"""Pattern-oriented tests: the model must reproduce P1-P7 of DESIGN.md over several seeds.

Each test compares distributions over replications (one-sided Mann-Whitney U tests, or means
with tolerances where the pattern is a level), never a single run.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd
import pytest
from scipy.stats import fisher_exact, mannwhitneyu

from simulation import ConcertationModel

SEEDS = range(8)
ALPHA = 0.01


@cache
def final_states(scenario: str, seeds: tuple[int, ...] | None = None, **overrides) -> pd.DataFrame:
    rows = []
    for seed in seeds or SEEDS:
        model = ConcertationModel(scenario, rng=seed, **overrides).run()
        rows.append(model.model_frame().iloc[-1])
    return pd.DataFrame(rows)


@cache
def frames(scenario: str, seeds: tuple[int, ...] | None = None) -> list[pd.DataFrame]:
    return [ConcertationModel(scenario, rng=seed).run().model_frame() for seed in seeds or SEEDS]


def clearly_greater(higher: pd.Series, lower: pd.Series) -> bool:
    return mannwhitneyu(higher, lower, alternative="greater").pvalue < ALPHA


@pytest.mark.parametrize("indicator", [
    "memberships_per_actor", "over_solicited_share", "instrumentalisation",
    "programme_management_share", "hyperconcertation_index",
])
def test_p1_programme_driven_raises(indicator: str) -> None:
    driven, co = final_states("programme_driven"), final_states("co_construction")
    assert clearly_greater(driven[indicator], co[indicator]), (
        f"{indicator}: programme_driven {driven[indicator].mean():.3f} "
        f"vs co_construction {co[indicator].mean():.3f}")


@pytest.mark.parametrize("indicator", ["appropriation", "citizen_share", "collective_projects"])
def test_p1_programme_driven_lowers(indicator: str) -> None:
    driven, co = final_states("programme_driven"), final_states("co_construction")
    assert clearly_greater(co[indicator], driven[indicator]), (
        f"{indicator}: programme_driven {driven[indicator].mean():.3f} "
        f"vs co_construction {co[indicator].mean():.3f}")


def test_p1_programme_driven_vs_co_construction() -> None:
    """The headline contrast: tables per actor, over-solicitation and instrumentalisation up,
    appropriation and citizen share down."""
    driven, co = final_states("programme_driven"), final_states("co_construction")
    assert driven["memberships_per_actor"].mean() > co["memberships_per_actor"].mean()
    assert driven["over_solicited_share"].mean() > 2 * co["over_solicited_share"].mean()
    assert driven["instrumentalisation"].mean() > 2 * co["instrumentalisation"].mean()
    assert co["appropriation"].mean() > 1.5 * driven["appropriation"].mean()
    assert co["citizen_share"].mean() > driven["citizen_share"].mean()


def test_p2_sedimentation() -> None:
    """Tables keep growing while programmes keep launching, with few links between them."""
    runs = frames("programme_driven")
    tables = np.array([frame["tables_active"].to_numpy() for frame in runs])
    yearly = tables[:, ::12].mean(axis=0)
    assert yearly[-1] > yearly[10] > yearly[5] > yearly[0], yearly
    assert np.mean(np.diff(yearly) > 0) >= 0.6, "growth should be the rule, year after year"
    slope = np.polyfit(np.arange(yearly.size), yearly, 1)[0]
    assert slope > 0.5, f"tables should sediment, gained {slope:.2f} per year"
    integration = np.array([frame["integration"].iloc[-1] for frame in runs])
    co_integration = final_states("co_construction")["integration"]
    assert integration.mean() < 0.5
    assert clearly_greater(co_integration, pd.Series(integration))


def test_p3_les_moulins() -> None:
    """In 2010 about 70% of active tables date from after 2000 and about 75% were initiated
    by the health and social services centre, the cities or a foundation (mean of 20 seeds)."""
    recent, top_down = [], []
    for seed in range(20):
        tables = ConcertationModel("les_moulins", rng=seed).run().table_records()
        active = tables[tables["state"].isin(["active", "forming"])]
        recent.append((active["created_step"] >= 0).mean())
        top_down.append(active["initiator_type"].isin(["institution", "funder_agent"]).mean())
    assert abs(np.mean(recent) - 0.70) <= 0.10, np.mean(recent)
    assert abs(np.mean(top_down) - 0.75) <= 0.10, np.mean(top_down)


def test_p4_heavy_tailed_memberships() -> None:
    """A few institutions sit on many tables, most groups on a few, some actors on none."""
    for seed in range(4):
        model = ConcertationModel("baseline", rng=seed).run()
        actors = model.actor_records()
        final = actors[actors["step"] == actors["step"].max()]
        by_type = final.groupby("actor_type")["memberships"].mean()
        assert by_type["institution"] > 3 * by_type["community_group"], by_type
        organisations = final[final["actor_type"].isin(["community_group", "institution"])]
        counts = organisations["memberships"]
        assert (final["memberships"] == 0).any(), "some potential actors sit on no table"
        assert counts.max() > 3 * counts.median(), "the distribution should have a long tail"
        skew = ((counts - counts.mean()) ** 3).mean() / counts.std() ** 3
        assert skew > 1.0, f"right-skewed degree distribution expected, skew {skew:.2f}"


def test_p5_programme_table_size() -> None:
    """Programme-driven local tables gather roughly 15-25 member organisations."""
    sizes = []
    for seed in SEEDS:
        model = ConcertationModel("programme_driven", rng=seed).run()
        tables = model.table_records()
        live = tables[(tables["origin"] == "programme") & tables["state"].isin(["active"])]
        sizes.extend(live["members"].tolist())
    assert 15 <= np.mean(sizes) <= 25, np.mean(sizes)


def test_p6_funder_exit() -> None:
    """After the foundation leaves (year 10), its low-appropriation tables dissolve within
    three years at a clearly higher rate than its high-appropriation ones (tables pooled over
    seeds; low and high are the bottom and top thirds of each run's appropriation at exit)."""
    exit_step, window = 120, 36
    pooled = []
    for seed in range(SEEDS.start, SEEDS.start + 12):
        model = ConcertationModel("funder_exit", rng=seed).run()
        tables = model.table_records()
        history = model.table_history()
        at_exit = history[history["step"] == exit_step].set_index("table_id")["appropriation"]
        own = tables[(tables["creator_funder"] == "foundation")
                     & tables["table_id"].isin(at_exit.index)].copy()
        own["appropriation_at_exit"] = own["table_id"].map(at_exit)
        own["collapsed"] = (own["dissolved_step"] >= exit_step) & (
            own["dissolved_step"] < exit_step + window)
        third = pd.qcut(own["appropriation_at_exit"].rank(method="first"), 3, labels=False)
        own["third"] = third
        pooled.append(own)
    tables = pd.concat(pooled)
    low, high = tables[tables["third"] == 0]["collapsed"], tables[tables["third"] == 2]["collapsed"]
    assert len(low) >= 20 and len(high) >= 20, "too few foundation tables to judge"
    assert low.mean() > high.mean() + 0.2, (low.mean(), high.mean())
    contingency = [[low.sum(), (~low).sum()], [high.sum(), (~high).sum()]]
    assert fisher_exact(contingency, alternative="greater").pvalue < ALPHA


def test_p7_favourable_conditions() -> None:
    """Turning on the eight favourable conditions raises appropriation and collective projects
    (and moves tables toward co-construction)."""
    off = final_states("baseline")
    on = final_states("baseline", favourable_conditions=True)
    assert clearly_greater(on["appropriation"], off["appropriation"])
    assert clearly_greater(on["collective_projects"], off["collective_projects"])
    assert clearly_greater(on["model_developpement_coconstruction"],
                           off["model_developpement_coconstruction"])
