"""The dated events the app marks on its time plots come from the model's own records."""

import pandas as pd

from concertation.app.components import event_account
from simulation import ConcertationModel
from simulation.events import events, events_signature, turnover


def test_a_funder_exit_is_dated_and_ends_its_programmes_that_month() -> None:
    model = ConcertationModel("funder_exit", rng=0, years=12).run()
    happened = events(model)
    exit_row = happened[happened["kind"] == "funder_exit"].iloc[0]
    assert (exit_row["step"], exit_row["funder"]) == (120, "foundation")
    # Every programme the foundation still ran ends that month, after the exit row.
    ended = happened[(happened["kind"] == "programme_end") & (happened["funder"] == "foundation")]
    running = [p for p in model.programmes if model.funders[p.funder].name == "foundation"
               and p.start <= 120 < p.start + 12 * p.design.duration_years]
    assert len(ended[ended["step"] == 120]) == len(running) > 0
    assert happened.index[happened["kind"] == "funder_exit"][0] < ended.index.min()
    # The account: the foundation's tables alive at its exit, and how many dissolved in a year.
    registry = model.registry
    foundation = [funder.name for funder in model.funders].index("foundation")
    alive = [i for i in range(len(registry)) if registry.creator_funder[i] == foundation
             and registry.created[i] <= 120
             and (registry.dissolved[i] is None or registry.dissolved[i] >= 120)]
    assert exit_row["tables"] == len(alive)
    assert exit_row["dissolved_within_year"] == sum(
        registry.dissolved[i] is not None and registry.dissolved[i] < 132 for i in alive)


def test_the_events_change_only_with_their_signature() -> None:
    """A viewer rebuilds the events only when `events_signature` changes: month by month
    through a funder's exit, equal signatures must mean equal events, and every kind of
    change (launch, end, exit, its account a year on) must show in the signature."""
    model = ConcertationModel("funder_exit", rng=0, years=12)
    signature, before, changes = events_signature(model), events(model), 0
    for _ in range(12 * 12):
        model.step()
        now = events(model)
        if events_signature(model) == signature:
            pd.testing.assert_frame_equal(now, before)
        else:
            changes += 1
        signature, before = events_signature(model), now
    assert {"programme_launch", "programme_end", "funder_exit"} <= set(before["kind"])
    assert before["dissolved_within_year"].notna().any()
    assert changes < 12 * 12 / 2  # most months change nothing: the cache is worth having


def test_launches_match_the_programmes_and_time_runs_forward() -> None:
    model = ConcertationModel("programme_driven", rng=2, years=6).run()
    happened = events(model)
    launches = happened[happened["kind"] == "programme_launch"]
    assert len(launches) == len(model.programmes) > 0
    assert happened["step"].is_monotonic_increasing
    assert happened["year"].equals(2000 + happened["step"] / 12)


def test_the_account_waits_a_year_before_counting_dissolutions() -> None:
    model = ConcertationModel("funder_exit", rng=0, years=12)
    model.run(steps=125)
    assert "a year later" in event_account(model, "en")
    assert pd.isna(events(model).query("kind == 'funder_exit'")["dissolved_within_year"].iloc[0])
    model.run(steps=10)
    account = event_account(model, "fr")
    assert account.startswith("2010 : départ du bailleur") and "dans l'année" in account


def test_no_events_no_account() -> None:
    model = ConcertationModel("baseline", rng=0, years=2, launch_rate_multiplier=0).run()
    assert events(model).empty
    assert event_account(model, "en") == ""


def test_turnover_counts_every_table_created_and_dissolved_in_the_run():
    model = ConcertationModel("funder_exit", rng=4)
    for _ in range(12 * model.params.run.years):
        model.step()
    counts = turnover(model)
    registry = model.registry
    horizon = 12 * model.params.run.years
    assert counts["created"].sum() == sum(0 <= m < horizon for m in registry.created)
    assert counts["dissolved"].sum() == sum(m is not None and 0 <= m < horizon
                                            for m in registry.dissolved)
    exit_year = model.params.run.start_year + 10
    programme = counts[counts["origin"] == "programme"].set_index("year")
    # The foundation's exit: its programme tables dissolve in the years after it.
    assert programme.loc[exit_year:exit_year + 3, "dissolved"].sum() > 0
    assert set(counts["origin"]) == {"community", "institution", "programme", "territorial"}
