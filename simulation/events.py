"""What happened when: the dated events a viewer marks on the time plots.

Programme launches and ends, a funder's exit and the opening of a territorial table, read
from the model's own records (programmes, funders, the table registry), with a short account
of each funder's exit: how many of the tables it created were alive when it left and how many
of those had dissolved a year later (what P6 is about). Reading them changes nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from .model import ConcertationModel

# In this order within a month: an exit comes before the programme ends it causes.
EVENT_KINDS = ("funder_exit", "programme_end", "programme_launch", "territorial_table")
AFTER_EXIT_MONTHS = 12  # the account of an exit counts the tables dissolved within a year
COLUMNS = ["step", "year", "kind", "funder", "theme", "tables", "dissolved_within_year"]


def events(model: ConcertationModel) -> pd.DataFrame:
    """One row per event since month 0, in time order (spin-up events are not shown)."""
    themes = model.params.population.themes
    start_year = model.params.run.start_year
    registry = model.registry
    rows = []
    for programme in model.programmes:
        funder = model.funders[programme.funder].name
        theme = themes[programme.theme]
        rows.append((programme.start, "programme_launch", funder, theme,
                     len(programme.tables), None))
        if programme.ended_month is not None:
            rows.append((programme.ended_month, "programme_end", funder, theme,
                         len(programme.tables), None))
    for funder in model.funders:
        if funder.exited_month is None:
            continue
        created = [table_id for table_id in range(len(registry))
                   if registry.creator_funder[table_id] == funder.index
                   and registry.created[table_id] <= funder.exited_month]
        alive = [table_id for table_id in created if registry.dissolved[table_id] is None
                 or registry.dissolved[table_id] >= funder.exited_month]
        soon = sum(registry.dissolved[table_id] is not None
                   and registry.dissolved[table_id] < funder.exited_month + AFTER_EXIT_MONTHS
                   for table_id in alive)
        known = model.month >= funder.exited_month + AFTER_EXIT_MONTHS
        rows.append((funder.exited_month, "funder_exit", funder.name, "", len(alive),
                     soon if known else None))
    for table_id in range(len(registry)):
        if registry.territorial[table_id] and registry.created[table_id] >= 0:
            rows.append((registry.created[table_id], "territorial_table", "", "", 1, None))
    frame = pd.DataFrame([row for row in rows if row[0] >= 0],
                         columns=["step", "kind", "funder", "theme", "tables",
                                  "dissolved_within_year"])
    frame.insert(1, "year", start_year + frame["step"] / 12)
    frame["dissolved_within_year"] = frame["dissolved_within_year"].astype("Int64")
    order = frame["kind"].map({kind: i for i, kind in enumerate(EVENT_KINDS)})
    return frame.assign(_order=order).sort_values(["step", "_order"], kind="stable").drop(
        columns="_order").reset_index(drop=True)[COLUMNS]
