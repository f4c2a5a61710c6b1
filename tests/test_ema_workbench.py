"""`run_outcomes` as EMA Workbench's model function (sequential and multiprocessing, with
replications, a scenario chosen as a policy lever) and PRIM on the result; and as the model
of a SALib loop. The guide is docs/ema_workbench.md."""

from __future__ import annotations

import numpy as np
import pytest
from ema_workbench import (
    ArrayOutcome,
    CategoricalParameter,
    Constant,
    MultiprocessingEvaluator,
    RealParameter,
    ReplicatorModel,
    Sample,
    ScalarOutcome,
    SequentialEvaluator,
    TimeSeriesOutcome,
    perform_experiments,
)
from ema_workbench.analysis import prim

from analyses import run_outcomes
from simulation.scenario import ScenarioError

OUTCOMES = ["appropriation", "hyperconcertation_index"]
GRID = [(budget, weight) for budget in (6.0, 14.0) for weight in (0.8, 1.6)]


def concertation_model() -> ReplicatorModel:
    model = ReplicatorModel("concertation", function=run_outcomes)
    # EMA names must be identifiers: `variable_name` passes the dotted path instead (or name
    # it participation__weight_time, which run_outcomes also reads as the dotted path)
    model.uncertainties = [RealParameter("group_time_budget", 6, 14),
                           RealParameter("weight_time", 0.8, 1.6,
                                         variable_name="participation.weight_time")]
    # the scenario as a policy lever: EMA keeps its own "scenario" column, so the lever has
    # another name and `variable_name` passes it to run_outcomes as `scenario`
    model.levers = [CategoricalParameter("funding", ["programme_driven", "co_construction"],
                                         variable_name="scenario")]
    model.constants = [Constant("years", 2)]
    # one value per replication; a ScalarOutcome aggregates the replications with `function`
    model.outcomes = [*(ArrayOutcome(name) for name in OUTCOMES),
                      ScalarOutcome("mean_hci", variable_name="hyperconcertation_index",
                                    function=np.mean)]
    model.replications = [{"seed": 0}, {"seed": 1}]
    return model


def conditions() -> list[Sample]:
    return [Sample(f"c{i}", group_time_budget=budget, weight_time=weight)
            for i, (budget, weight) in enumerate(GRID)]


def policies() -> list[Sample]:
    return [Sample(name, funding=name) for name in ("programme_driven", "co_construction")]


@pytest.fixture(scope="module")
def sequential():
    model = concertation_model()
    with SequentialEvaluator(model) as evaluator:
        return evaluator.perform_experiments(scenarios=conditions(), policies=policies())


def test_perform_experiments_runs_every_replication(sequential) -> None:
    experiments, outcomes = sequential
    assert len(experiments) == len(GRID) * 2
    assert set(experiments["funding"]) == {"programme_driven", "co_construction"}
    for name in OUTCOMES:
        assert outcomes[name].shape == (len(GRID) * 2, 2)
        assert np.isfinite(outcomes[name]).all()
    np.testing.assert_allclose(outcomes["mean_hci"],
                               outcomes["hyperconcertation_index"].mean(axis=1))
    first = experiments.iloc[0]  # the second replication is the run with seed 1
    direct = run_outcomes(first["funding"], seed=1, years=2,
                          group_time_budget=first["group_time_budget"],
                          participation__weight_time=first["weight_time"])
    assert outcomes["appropriation"][0, 1] == pytest.approx(direct["appropriation"])


def test_multiprocessing_gives_the_same_outcomes(sequential) -> None:
    with MultiprocessingEvaluator(concertation_model(), n_processes=2) as evaluator:
        experiments, outcomes = evaluator.perform_experiments(scenarios=conditions(),
                                                              policies=policies())
    reference_experiments, reference = sequential
    key = ["group_time_budget", "weight_time", "funding"]
    order = experiments.sort_values(key).index
    reference_order = reference_experiments.sort_values(key).index
    for name in OUTCOMES:
        np.testing.assert_allclose(outcomes[name][order], reference[name][reference_order])


def test_prim_finds_where_hyperconcertation_is_high(sequential) -> None:
    experiments, outcomes = sequential
    x = experiments[["group_time_budget", "weight_time", "funding"]]
    hci = outcomes["mean_hci"]
    y = hci >= np.median(hci)
    found = prim.Prim(x, y).find_box()
    assert 0 < found.coverage <= 1 and found.density >= y.mean()


def test_time_series_for_timeseries_outcomes() -> None:
    model = ReplicatorModel("concertation_series", function=run_outcomes)
    model.uncertainties = [RealParameter("weight_time", 0.8, 1.6)]
    model.constants = [Constant("years", 1), Constant("time_series", True)]
    model.outcomes = [TimeSeriesOutcome("appropriation", function=np.vstack)]
    model.replications = [{"rng": 0}, {"rng": 1}]
    _, outcomes = perform_experiments(model, scenarios=[Sample("a", weight_time=1.0)])
    assert outcomes["appropriation"].shape == (1, 2, 13)  # 2 replications, step 0 to 12


def test_a_salib_loop() -> None:
    from SALib.analyze import morris as morris_analyze
    from SALib.sample import morris as morris_sample

    problem = {"num_vars": 2, "names": ["weight_time", "favourable_conditions"],
               "bounds": [[0.8, 1.6], [0, 1]]}
    sample = morris_sample.sample(problem, N=2, num_levels=4, seed=0)
    y = np.array([run_outcomes("baseline", seed=0, years=1, weight_time=row[0],
                               favourable_conditions=bool(row[1] > 0.5))["appropriation"]
                  for row in sample])
    indices = morris_analyze.analyze(problem, sample, y, num_levels=4, seed=0)
    assert len(indices["mu_star"]) == 2


@pytest.mark.parametrize(("kwargs", "fragment"), [
    ({"no_such_parameter": 1}, "Unknown parameter"),
    ({"weight_time": -1.0}, "weight_time"),
    ({"seed": 0, "rng": 1}, "seed once"),
    ({"indicators": ["nope"]}, "unknown indicator"),
])
def test_bad_parameters_are_refused(kwargs, fragment) -> None:
    with pytest.raises(ScenarioError, match=fragment):
        run_outcomes("baseline", years=1, **kwargs)
