"""The model's public contract: API, Mesa conventions, reproducibility, overrides."""

from __future__ import annotations

import mesa
import numpy as np
import pandas as pd
import pytest

from simulation import ConcertationModel, ScenarioError, load_scenario
from simulation.agents import Citizen, CommunityGroup, Funder, Institution, Table

REQUIRED_COLUMNS = [
    "tables_active", "tables_programme_share", "memberships_per_actor", "memberships_max",
    "over_solicited_share", "appropriation", "instrumentalisation", "citizen_share",
    "integration", "collective_projects", "hyperconcertation_index", "tendency_empowerment",
    "tendency_instrumentalisation", "tendency_autonomiste", "tendency_affairiste",
]


def short_run(seed: int = 0, scenario: str = "baseline", **overrides) -> ConcertationModel:
    return ConcertationModel(scenario, rng=seed, years=3, **overrides).run()


def test_model_frame_has_the_public_columns_every_step() -> None:
    model = short_run()
    frame = model.model_frame()
    assert list(frame["step"]) == list(range(3 * 12 + 1))
    missing = [column for column in REQUIRED_COLUMNS if column not in frame.columns]
    assert not missing
    tendencies = frame[[c for c in frame.columns if c.startswith("tendency_")]].iloc[-1]
    assert tendencies.sum() == pytest.approx(1.0)
    models = frame[[c for c in frame.columns if c.startswith("model_")]].iloc[-1]
    assert models.sum() == pytest.approx(1.0)
    assert frame["hyperconcertation_index"].between(0, 1).all()


def test_agent_level_records() -> None:
    model = short_run()
    actors = model.actor_records()
    assert {"step", "actor_id", "actor_type", "memberships", "time_load"} <= set(actors.columns)
    assert set(actors["step"]) == {0, 12, 24, 36}
    last = actors[actors["step"] == 36].set_index("actor_id")
    assert last["memberships"].sum() == model.store.membership.sum()
    tables = model.table_records()
    expected = {"table_id", "origin", "initiator_type", "theme", "created_step", "members",
                "appropriation", "tendency", "concertation_model", "state"}
    assert expected <= set(tables.columns)
    assert len(tables) == len(model.registry)
    alive = tables[tables["state"] != "dissolved"]
    assert len(alive) == len(model.agents_by_type[Table])
    history = model.table_history()
    assert {"step", "table_id", "members", "appropriation", "tendency"} <= set(history.columns)


def test_mesa_conventions() -> None:
    model = short_run()
    assert isinstance(model, mesa.Model)
    assert isinstance(model.rng, np.random.Generator)
    assert len(model.agents_by_type[CommunityGroup]) == model.params.population.community_groups
    assert len(model.agents_by_type[Institution]) == model.params.population.institutions
    assert len(model.agents_by_type[Citizen]) == model.params.population.citizens
    assert len(model.agents_by_type[Funder]) == len(model.params.funders)
    busiest = max(model.agents_by_type[Institution], key=lambda agent: agent.memberships)
    assert busiest.memberships == model.store.membership[0, busiest.index].sum()
    table = next(iter(model.agents_by_type[Table]))
    assert table.state in {"forming", "active", "dormant"}
    assert table.members >= 0
    assert not model.running


def test_runs_under_mesa_batch_run() -> None:
    results = mesa.batch_run(
        ConcertationModel,
        parameters={"scenario": "baseline", "years": 1, "weight_time": [0.6, 1.8]},
        rng=[1, 2],
        max_steps=12,
        data_collection_period=1,
        number_processes=1,
        display_progress=False,
    )
    frame = pd.DataFrame(results)
    assert len(frame) == 2 * 2 * 13
    assert set(frame["weight_time"]) == {0.6, 1.8}
    final = frame[frame["Step"] == frame["Step"].max()]
    assert final["tables_active"].gt(0).all()


def test_same_seed_same_output() -> None:
    first, second = short_run(seed=7), short_run(seed=7)
    pd.testing.assert_frame_equal(first.model_frame(), second.model_frame())
    pd.testing.assert_frame_equal(first.table_records(), second.table_records())
    pd.testing.assert_frame_equal(first.actor_records(), second.actor_records())


@pytest.mark.parametrize("scenario", ["baseline", "funder_exit"])
def test_recording_fewer_months_changes_nothing_else(scenario: str) -> None:
    """Sweeps compute indicators only for the months they keep: those rows, the tables' and
    the actors' records must be what a monthly run gives (the funder's exit dissolves tables
    between recorded months, whose records keep that month's tendency)."""
    monthly = ConcertationModel(scenario, rng=3, years=12).run()
    yearly = ConcertationModel(scenario, rng=3, years=12, record_every=12).run()
    frame = monthly.model_frame()
    kept = frame[(frame["step"] % 12 == 0) | (frame["step"] == frame["step"].max())]
    pd.testing.assert_frame_equal(kept.reset_index(drop=True), yearly.model_frame())
    assert len(yearly.model_frame()) == 13
    pd.testing.assert_frame_equal(monthly.table_records(), yearly.table_records())
    pd.testing.assert_frame_equal(monthly.actor_records(), yearly.actor_records())


@pytest.mark.parametrize("every", [0, -12, 1.5, True])
def test_bad_record_every_is_refused(every) -> None:
    with pytest.raises(ValueError, match="record_every"):
        ConcertationModel("baseline", rng=0, years=1, record_every=every)


def test_different_seeds_differ() -> None:
    first, second = short_run(seed=1), short_run(seed=2)
    assert not first.model_frame().equals(second.model_frame())


def test_reproducible_in_another_process() -> None:
    """A fresh interpreter (other hash seed) gives the same numbers: no set-order dependence."""
    import subprocess
    import sys

    code = ("from simulation import ConcertationModel as M; "
            "print(M('programme_driven', rng=3, years=2).run().model_frame().to_json())")
    outputs = {
        subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True,
                       env={"PYTHONHASHSEED": hash_seed, "PATH": ""}).stdout
        for hash_seed in ("1", "2")
    }
    assert len(outputs) == 1


def test_overrides_by_leaf_dotted_and_double_underscore() -> None:
    by_leaf = ConcertationModel("baseline", rng=0, weight_time=2.0)
    by_path = ConcertationModel("baseline", rng=0, participation__weight_time=2.0)
    assert by_leaf.params.participation.weight_time == 2.0
    assert by_path.params.participation.weight_time == 2.0
    scenario = load_scenario("baseline", {"participation.weight_time": 2.0})
    assert ConcertationModel(scenario, rng=0).params.participation.weight_time == 2.0


@pytest.mark.parametrize("overrides, field", [
    ({"weight_tme": 1.0}, "weight_tme"),
    ({"bottom_up_rate": -0.5}, "tables.bottom_up_rate"),
    ({"territories": "two"}, "population.territories"),
])
def test_bad_overrides_are_refused(overrides: dict, field: str) -> None:
    with pytest.raises(ScenarioError, match=field.replace(".", r"\.")):
        ConcertationModel("baseline", rng=0, **overrides)


def test_territories_scale_the_whole_model() -> None:
    one = short_run(territories=1)
    three = short_run(territories=3)
    assert len(three.agents_by_type[CommunityGroup]) == 3 * len(one.agents_by_type[CommunityGroup])
    per_territory = three.table_records().groupby("territory").size()
    assert list(per_territory.index) == [0, 1, 2]
    assert per_territory.min() > 0


def test_programme_tables_are_funded_and_unfunded_on_schedule() -> None:
    model = ConcertationModel("programme_driven", rng=0, years=8).run()
    ended = [p for p in model.programmes if p.ended]
    assert ended, "five-year programmes launched early must have ended by year 8"
    for programme in ended:
        for territory, table_id in programme.tables:
            if not model.registry.is_dissolved(table_id):
                slot = model.registry.slot[table_id]
                assert model.store.programme[territory, slot] != programme.programme_id


def test_funder_exit_ends_its_programmes() -> None:
    model = ConcertationModel("funder_exit", rng=0, years=12).run()
    foundation = next(f for f in model.funders if f.name == "foundation")
    assert foundation.exited
    assert foundation.active_programmes == 0
    assert all(p.start < 120 for p in foundation.programmes)


def test_a_mesa_scenario_is_honoured() -> None:
    """SolaraViz re-creates the model with a Mesa Scenario: its fields are parameters, its rng
    the seed."""
    from mesa.experimental.scenarios import Scenario as MesaScenario

    mesa_run = ConcertationModel(MesaScenario(rng=4, scenario="programme_driven",
                                              group_time_budget=12.0, years=1))
    assert mesa_run.params.name == "programme_driven"
    assert mesa_run.params.actors.group_time_budget == 12.0
    plain = ConcertationModel("programme_driven", rng=4, group_time_budget=12.0, years=1)
    mesa_run.run()
    plain.run()
    pd.testing.assert_frame_equal(mesa_run.model_frame(), plain.model_frame())


def test_dissolved_table_agent_refuses_to_be_read() -> None:
    from simulation.agents import DissolvedTableError, Table

    for seed in range(5):  # the first seed at which one of the tables of 2000 dissolves
        model = ConcertationModel("baseline", rng=seed)
        tables = list(model.agents_by_type[Table])
        model.run()
        gone = [table for table in tables if table.dissolved]
        if gone:
            break
    assert gone, "no table of 2000 dissolved in 20 years at seeds 0-4"
    with pytest.raises(DissolvedTableError, match="dissolved at month"):
        _ = gone[0].appropriation


def test_agent_data_through_mesa_datacollector() -> None:
    """Per-type agent reporters (Mesa's agenttype_reporters) read actors' state."""
    import mesa

    from simulation.agents import CommunityGroup

    model = ConcertationModel("baseline", rng=0, years=1)
    collector = mesa.DataCollector(agenttype_reporters={
        CommunityGroup: {"memberships": "memberships", "dependence": "dependence"}})
    collector.collect(model)
    frame = collector.get_agenttype_vars_dataframe(CommunityGroup)
    assert len(frame) == model.params.population.community_groups
    assert frame["memberships"].sum() == int(
        model.store.membership[:, model.actors.kind == 0].sum())
