"""Inspecting what a student clicks on: a table or an actor, read from the model's arrays.

The browser reports where on a chart a click fell, in the chart's data coordinates; a `HitMap`
holds where the chart drew its tables and actors, as fractions of the plot from its top-left
corner (charts.Frame converts), and the nearest point to a click is the selection.
The details are pure functions of the model (tested without a browser); the page shows them in
the inspect panel and highlights the selection in the network and the diagram.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulation import ConcertationModel
from simulation.categories import (
    CONCERTATION_KIND_LABELS,
    ActorType,
    ConcertationKind,
    Origin,
    State,
    Tendency,
    label,
)
from simulation.participation import concertation_hours

from .i18n import fmt, percent, t, t_or

TABLE, ACTOR = "table", "actor"
CLICK_TOLERANCE = 0.035  # a click this far (share of the image's width) from a point misses


@dataclass(frozen=True)
class Selection:
    """What is selected: a table (`key` = table id) or an actor (`key` = its index) of a
    territory."""

    kind: str
    territory: int
    key: int


@dataclass(frozen=True)
class HitMap:
    """Where a chart drew its tables and actors, as fractions of the plot (x from the left,
    y from the top), and the plot's height over its width (distances are measured in widths)."""

    kinds: tuple[str, ...]
    territories: np.ndarray
    keys: np.ndarray
    x: np.ndarray
    y: np.ndarray
    aspect: float

    def nearest(self, x: float, y: float, tolerance: float = CLICK_TOLERANCE
                ) -> Selection | None:
        """The point drawn nearest to a click at (x, y), or None if none is within reach.
        Tables are drawn over actors, so at equal distance a table wins."""
        if not self.kinds:
            return None
        distance = np.hypot(self.x - x, (self.y - y) * self.aspect)
        distance = distance - 1e-9 * (np.array(self.kinds) == TABLE)
        best = int(np.argmin(distance))
        if distance[best] > tolerance:
            return None
        return Selection(self.kinds[best], int(self.territories[best]), int(self.keys[best]))

    def __add__(self, other: HitMap) -> HitMap:
        return HitMap(self.kinds + other.kinds,
                      np.concatenate([self.territories, other.territories]),
                      np.concatenate([self.keys, other.keys]),
                      np.concatenate([self.x, other.x]), np.concatenate([self.y, other.y]),
                      self.aspect)


# ---- what the panel shows -----------------------------------------------------------------

def actor_name(model: ConcertationModel, actor: int, lang: str) -> str:
    """'community group 12 (health)': its type, its number and its sector."""
    kind = ActorType(int(model.actors.kind[actor]))
    theme = model.params.population.themes[int(model.actors.theme[actor])]
    return t("inspect_actor_name", lang, kind=t(f"actor_{label(kind)}", lang), number=actor,
             theme=t_or(f"theme_{theme}", lang, theme.replace("_", " ")))


def table_name(model: ConcertationModel, table_id: int, lang: str) -> str:
    """'Table 12 · housing', or the inventory's name of the table."""
    registry = model.registry
    named = registry.names.get(table_id)
    if named:
        return named
    if registry.territorial[table_id]:
        theme = t("inspect_territorial", lang)
    else:
        theme = model.params.population.themes[registry.theme[table_id]]
        theme = t_or(f"theme_{theme}", lang, theme.replace("_", " "))
    return t("inspect_table_name", lang, number=table_id, theme=theme)


def _year(model: ConcertationModel, month: int) -> str:
    return f"{model.params.run.start_year + month / 12:.0f}"


def table_details(model: ConcertationModel, table_id: int, lang: str) -> list[tuple[str, str]]:
    """(label, value) rows describing one table: where it comes from, who sits, what it does
    and how Bourque's typologies read it; a dissolved table's end."""
    registry, store = model.registry, model.store
    origin = Origin(registry.origin[table_id])
    origin_text = t("inspect_origin_territorial" if registry.territorial[table_id]
                    else f"origin_{label(origin)}", lang)
    initiator = t(f"actor_{label(ActorType(registry.initiator_kind[table_id]))}", lang)
    creator = registry.creator_funder[table_id]
    rows = [(t("inspect_origin", lang), origin_text),
            (t("inspect_initiator", lang), initiator),
            (t("inspect_created", lang), _year(model, registry.created[table_id]))]
    if creator >= 0:
        rows.append((t("inspect_created_by", lang), model.funders[creator].name))
    if registry.is_dissolved(table_id):
        month = registry.dissolved[table_id]
        reason = registry.dissolved_reason[table_id]
        rows.append((t("inspect_state", lang), t("inspect_dissolved", lang, year=_year(
            model, month), reason=t_or(f"reason_{reason}", lang, reason.replace("_", " ")))))
        return rows
    territory, slot = registry.territory[table_id], registry.slot[table_id]
    age = (model.month - registry.created[table_id]) / 12
    members = store.membership[territory, :, slot]
    kinds = model.actors.kind[members]
    by_type = "; ".join(f"{t(f'actor_{label(kind)}', lang)}: {int((kinds == kind).sum())}"
                        for kind in ActorType if (kinds == kind).any()) or "0"
    attendance = model.actors.attendance[territory, members]
    funder = int(store.funder[territory, slot])
    funding = (t("inspect_funding_value", lang, funder=model.funders[funder].name,
                 amount=f"{store.funding[territory, slot]:,.0f}".replace(",", "\u202f"))
               if store.funded[territory, slot] and funder >= 0 else t("inspect_unfunded", lang))
    convenor = int(store.convenor[territory, slot])
    linked = np.flatnonzero(store.links[territory, slot] & store.live[territory])
    activities = ", ".join(
        f"{t(f'activity_{name}', lang)} {percent(store.arrays[name][territory, slot], lang)}"
        for name in ("development", "coordination", "information", "management"))
    rows += [
        (t("inspect_state", lang), t(f"state_{label(State(store.state[territory, slot]))}",
                                     lang)),
        (t("inspect_age", lang), t("inspect_years", lang, years=fmt(age, lang, 1))),
        (t("inspect_funding", lang), funding),
        (t("inspect_members", lang), by_type),
        (t("inspect_convenor", lang), actor_name(model, convenor, lang) if convenor >= 0
         else t("inspect_no_convenor", lang)),
        (t("inspect_attendance", lang), percent(float(attendance.mean()) if attendance.size
                                                else 0.0, lang)),
        (t("inspect_appropriation", lang), fmt(store.appropriation[territory, slot], lang)),
        (t("inspect_instrumentalisation", lang),
         fmt(store.instrumentalisation[territory, slot], lang)),
        (t("inspect_activities", lang), activities),
        (t("inspect_projects", lang), str(int(store.projects[territory, slot]))),
        (t("inspect_tendency", lang), t(f"tendency_{label(Tendency(
            store.tendency[territory, slot]))}", lang)),
        (t("inspect_model", lang), t(f"kind_{CONCERTATION_KIND_LABELS[ConcertationKind(
            store.kind[territory, slot])]}", lang)),
        (t("inspect_links", lang), ", ".join(table_name(model, int(store.table_id[territory, m]),
                                                        lang) for m in linked)
         or t("inspect_none", lang)),
    ]
    return rows


def actor_details(model: ConcertationModel, territory: int, actor: int, lang: str
                  ) -> list[tuple[str, str]]:
    """(label, value) rows describing one actor: its tables, its time, its strain and, for a
    community group, how much of its income programmes pay."""
    actors, store = model.actors, model.store
    slots = np.flatnonzero(store.membership[territory, actor] & store.live[territory])
    delegated = store.delegate[territory, actor, slots]
    tables = ", ".join(
        table_name(model, int(store.table_id[territory, m]), lang)
        + (f" ({t('inspect_delegate', lang)})" if by_delegate else "")
        for m, by_delegate in zip(slots, delegated, strict=True)) or t("inspect_none", lang)
    hours = concertation_hours(model)[territory, actor]
    rows = [
        (t("inspect_tables", lang), f"{slots.size}: {tables}" if slots.size else tables),
        (t("inspect_time", lang), t("inspect_time_value", lang,
                                    load=fmt(actors.load[territory, actor], lang, 0),
                                    budget=fmt(actors.budget[territory, actor], lang, 0),
                                    spent=fmt(hours, lang, 0))),
        (t("inspect_attendance", lang), percent(actors.attendance[territory, actor], lang)),
        (t("inspect_strain", lang), fmt(actors.strain[territory, actor], lang)),
        (t("inspect_power", lang), fmt(actors.power[territory, actor], lang)),
    ]
    if actors.kind[actor] == ActorType.COMMUNITY_GROUP:
        rows += [
            (t("inspect_dependence", lang), percent(actors.dependence[territory, actor], lang)),
            (t("inspect_drift", lang), fmt(actors.drift[territory, actor], lang)),
            (t("inspect_autonomy", lang), fmt(actors.autonomy[territory, actor], lang)),
        ]
    return rows


def selection_title(model: ConcertationModel, selection: Selection, lang: str) -> str:
    if selection.kind == TABLE:
        return table_name(model, selection.key, lang)
    return actor_name(model, selection.key, lang)


def selection_details(model: ConcertationModel, selection: Selection, lang: str
                      ) -> list[tuple[str, str]]:
    if selection.kind == TABLE:
        return table_details(model, selection.key, lang)
    return actor_details(model, selection.territory, selection.key, lang)


def selected_slots(model: ConcertationModel, selection: Selection | None, territory: int
                   ) -> tuple[np.ndarray, int | None]:
    """The live slots of `territory` to highlight (the selected table, or the selected
    actor's tables), and the selected actor's index if an actor is selected."""
    store = model.store
    if selection is None or selection.territory != territory:
        return np.empty(0, dtype=int), None
    if selection.kind == ACTOR:
        slots = np.flatnonzero(store.membership[territory, selection.key] & store.live[territory])
        return slots, selection.key
    registry = model.registry
    if registry.is_dissolved(selection.key):
        return np.empty(0, dtype=int), None
    return np.array([registry.slot[selection.key]]), None
