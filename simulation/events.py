"""What happened when: the dated events a viewer marks on the time plots.

Programme launches and ends, a funder's exit and the opening of a territorial table, read
from the model's own records (programmes, funders, the table registry), with a short account
of each funder's exit: how many of the tables it created were alive when it left and how many
of those had dissolved a year later (what P6 is about). Reading them changes nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from .categories import Origin, label

if TYPE_CHECKING:
    from .agents import Funder
    from .model import ConcertationModel

# In this order within a month: an exit comes before the programme ends it causes.
EVENT_KINDS = ("funder_exit", "programme_end", "programme_launch", "territorial_table")
AFTER_EXIT_MONTHS = 12  # the account of an exit counts the tables dissolved within a year
COLUMNS = ["step", "year", "kind", "funder", "theme", "tables", "dissolved_within_year"]


def events(model: ConcertationModel) -> pd.DataFrame:
    """One row per event since month 0, in time order (spin-up events are not shown)."""
    themes = model.params.population.themes
    registry = model.registry
    rows = []  # (step, kind, funder, theme, tables, dissolved_within_year)
    for programme in model.programmes:
        funder = model.funders[programme.funder].name
        theme = themes[programme.theme]
        rows.append((programme.start, "programme_launch", funder, theme,
                     len(programme.tables), None))
        if programme.ended:
            rows.append((programme.ended_month, "programme_end", funder, theme,
                         len(programme.tables), None))
    for funder in model.funders:
        if funder.exited:
            rows.append(_exit_row(model, funder))
    rows += [(registry.created[table_id], "territorial_table", "", "", 1, None)
             for table_id in range(len(registry)) if registry.territorial[table_id]]
    rows = sorted((row for row in rows if row[0] >= 0),
                  key=lambda row: (row[0], EVENT_KINDS.index(row[1])))
    frame = pd.DataFrame(rows, columns=[c for c in COLUMNS if c != "year"])
    frame.insert(1, "year", model.params.run.start_year + frame["step"] / 12)
    frame["dissolved_within_year"] = frame["dissolved_within_year"].astype("Int64")
    return frame


def events_signature(model: ConcertationModel) -> tuple:
    """What `events(model)` is read from: equal signatures, equal events (a viewer asking
    every month rebuilds them only when one changed). A programme's tables are counted
    with the registry's: each is a new table."""
    registry = model.registry
    exits = tuple((funder.exited_month, model.month >= funder.exited_month + AFTER_EXIT_MONTHS)
                  for funder in model.funders if funder.exited)
    return (id(model), len(registry), registry.dissolved.count(None) if exits else 0, exits,
            tuple(programme.ended_month for programme in model.programmes))


def _exit_row(model: ConcertationModel, funder: Funder) -> tuple:
    """A funder's exit: its tables running when it left, and how many of them dissolved
    within a year (unknown until the year has passed)."""
    registry, month = model.registry, funder.exited_month
    running = [registry.dissolved[table_id] for table_id in range(len(registry))
               if registry.creator_funder[table_id] == funder.index
               and registry.created[table_id] <= month
               and (registry.dissolved[table_id] is None or registry.dissolved[table_id] >= month)]
    soon = sum(end is not None and end < month + AFTER_EXIT_MONTHS for end in running)
    known = model.month >= month + AFTER_EXIT_MONTHS
    return (month, "funder_exit", funder.name, "", len(running), soon if known else None)


ORIGINS = ("community", "institution", "programme", "territorial")  # as the timeline shows them


def turnover(model: ConcertationModel) -> pd.DataFrame:
    """Tables created and dissolved in each year since month 0, by origin (the territorial
    table apart from the three origins): the territory's turnover, year by year."""
    registry = model.registry
    origin = [ORIGINS[-1] if registry.territorial[i] else label(Origin(registry.origin[i]))
              for i in range(len(registry))]
    years = int(model.params.run.years)
    counts = {kind: {name: [0] * years for name in ORIGINS} for kind in ("created", "dissolved")}
    for table_id, name in enumerate(origin):
        for kind, month in (("created", registry.created[table_id]),
                            ("dissolved", registry.dissolved[table_id])):
            if month is not None and 0 <= month < 12 * years:
                counts[kind][name][month // 12] += 1
    start = model.params.run.start_year
    return pd.DataFrame([
        {"year": start + year, "origin": name, "created": counts["created"][name][year],
         "dissolved": counts["dissolved"][name][year]}
        for year in range(years) for name in ORIGINS])
