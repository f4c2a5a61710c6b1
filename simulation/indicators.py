"""Model-level indicators, computed once per step from the arrays (formulas in docs/ODD.md)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .categories import (
    CONCERTATION_KIND_LABELS,
    ConcertationKind,
    Evaluation,
    Origin,
    State,
    Tendency,
    label,
)
from .participation import concertation_hours
from .table_process import Seats, TableAggregates, prescribed_share

if TYPE_CHECKING:
    from .model import ConcertationModel

TARGET_CITIZEN_SHARE = 0.25  # citizen share of attendance at which the democratic deficit is 0

TENDENCY_COLUMNS = [f"tendency_{label(t)}" for t in Tendency]
KIND_COLUMNS = [f"model_{CONCERTATION_KIND_LABELS[k]}" for k in ConcertationKind]
HYPERCONCERTATION_COMPONENTS = [
    "over_solicited_share", "instrumentalisation", "non_appropriation", "non_integration",
    "democratic_deficit", "programme_management_share",
]


def gini(values: np.ndarray) -> float:
    values = np.sort(values.ravel().astype(np.float64))
    total = values.sum()
    if values.size == 0 or total == 0:
        return 0.0
    ranks = np.arange(1, values.size + 1)
    return float((2 * (ranks * values).sum()) / (values.size * total) - (values.size + 1)
                 / values.size)


def _average(values: np.ndarray) -> float:
    """values.mean(): the same sum divided by the same count, without np.mean's overhead."""
    return float(values.sum() / values.size)


def _mean(values: np.ndarray, mask: np.ndarray, weights: np.ndarray | None = None) -> float:
    if not mask.any():
        return 0.0
    if weights is None:
        return _average(values[mask])
    w = weights[mask]
    return float((values[mask] * w).sum() / w.sum()) if w.sum() > 0 else 0.0


def _shares(codes: np.ndarray, mask: np.ndarray, n_codes: int, total: int) -> list[float]:
    """Share of the masked tables carrying each code, over `total` (at least 1)."""
    counts = np.bincount(codes[mask], minlength=n_codes)
    return [float(count) / max(total, 1) for count in counts]


def compute_indicators(model: ConcertationModel, agg: TableAggregates) -> dict[str, float]:
    actors, store = model.actors, model.store
    groups, institutions, officers, citizens = actors.of_kind
    organisations = actors.organisations
    state = store.state
    operating = store.meeting  # active or forming
    n_operating = int(np.count_nonzero(operating))
    seats = Seats(store.membership)
    memberships = np.bincount(seats.actor, minlength=actors.load.size).reshape(
        actors.load.shape)  # (T, n)
    org_memberships = memberships[:, organisations]
    over = (actors.load > actors.budget)[:, organisations]
    # Hours in concertation vs mission, for community groups (whose mission it crowds out).
    hours = concertation_hours(model)[:, groups]
    mission = np.maximum(model.params.actors.group_work_hours - hours, 0.0)

    size = agg.size
    out: dict[str, float] = {
        "tables_active": float(n_operating),
        "tables_forming": float(np.count_nonzero(state == State.FORMING)),
        "tables_dormant": float(np.count_nonzero(state == State.DORMANT)),
        "tables_per_territory": n_operating / store.territories,
    }
    origins = np.bincount(store.origin[operating], minlength=len(Origin))
    for origin in Origin:
        out[f"tables_origin_{label(origin)}"] = float(origins[origin])
    out["tables_programme_share"] = out["tables_origin_programme"] / max(n_operating, 1)
    out["tables_funded_share"] = float(np.count_nonzero(operating & store.funded)) / max(
        n_operating, 1)
    out["tables_created_total"] = float(len(model.registry))
    out["tables_dissolved_total"] = float(model.registry.dissolved_count)
    out["table_size_mean"] = _mean(size, operating)
    out["programme_table_size_mean"] = _mean(size, operating & (store.origin == Origin.PROGRAMME))

    out["memberships_per_actor"] = _average(org_memberships)
    out["memberships_max"] = float(org_memberships.max(initial=0))
    out["memberships_gini"] = gini(org_memberships)
    out["memberships_group_mean"] = _average(memberships[:, groups])
    out["memberships_institution_mean"] = _average(memberships[:, institutions])
    out["memberships_citizen_mean"] = _average(memberships[:, citizens]) \
        if citizens.size else 0.0
    out["memberships_funder_seat_mean"] = _average(memberships[:, officers]) \
        if officers.size else 0.0
    out["unaffiliated_share"] = _average(org_memberships == 0)
    out["over_solicited_share"] = _average(over)
    out["concertation_hours"] = float(hours.sum()) / store.territories
    out["mission_hours"] = float(mission.sum()) / store.territories
    out["concertation_time_share"] = float(hours.sum() / max(hours.sum() + mission.sum(), 1e-9))
    out["strain"] = _average(actors.strain[:, organisations])
    out["mission_drift"] = _average(actors.drift[:, groups])
    out["autonomy"] = _average(actors.autonomy[:, groups])

    out["appropriation"] = _mean(store.appropriation, operating)
    out["appropriation_weighted"] = _mean(store.appropriation, operating, size)
    out["instrumentalisation"] = _mean(store.instrumentalisation, operating)
    out["instrumentalisation_weighted"] = _mean(store.instrumentalisation, operating, size)
    out["interest_share"] = _mean(store.interest_share, operating)
    out["trust"] = _mean(store.trust, operating)
    out["support"] = _mean(store.support, operating)
    out["conditions"] = _mean(observed_conditions(model, agg, seats), operating)
    attending = float(agg.attending[operating].sum())
    out["citizen_share"] = float(agg.citizen_attendance[operating].sum()) / max(attending, 1e-9)
    out["citizen_influence"] = float(agg.citizen_voice[operating].sum()) / max(
        float(agg.voice_sum[operating].sum()), 1e-9)
    out["integration"] = _mean(store.links.any(axis=2).astype(np.float64), operating)
    out["links_per_table"] = _mean(store.links.sum(axis=2).astype(np.float64), operating)
    out["dependence"] = _average(actors.dependence[:, groups])
    out["delegated_share"] = float(np.count_nonzero(store.membership & store.delegate)) / max(
        seats.actor.size, 1)
    meeting_hours = agg.attending * store.hours
    for activity in ("information", "coordination", "management", "development"):
        out[f"activity_{activity}"] = _mean(store.arrays[activity], operating, meeting_hours)

    flows = model.flows
    per = store.territories
    out["collective_projects"] = flows["projects"] / per
    out["partnerships"] = flows["partnerships"] / per
    out["programme_management_share"] = flows["management_hours"] / max(
        flows["meeting_hours"], 1e-9)
    out["development_share"] = flows["development_hours"] / max(flows["meeting_hours"], 1e-9)
    money = flows["funding_to_projects"] + flows["funding_to_operation"] \
        + flows["funding_to_members"]
    out["funding_to_projects_share"] = flows["funding_to_projects"] / max(money, 1e-9)
    out["funding_to_projects"] = flows["funding_to_projects"] / per
    out["funding_to_operation"] = flows["funding_to_operation"] / per
    out["funding_to_members"] = flows["funding_to_members"] / per
    out["programmes_active"] = float(sum(not p.ended for p in model.programmes))
    out["seats_left_total"] = flows["seats_left"] / per
    out["seats_joined_total"] = flows["seats_joined"] / per

    out.update(zip(TENDENCY_COLUMNS, _shares(store.tendency, operating, len(Tendency),
                                             n_operating), strict=True))
    out.update(zip(KIND_COLUMNS, _shares(store.kind, operating, len(ConcertationKind),
                                         n_operating), strict=True))

    components = hyperconcertation_components(out, n_operating)
    for name, value in components.items():
        out[f"hci_{name}"] = value
    out["hyperconcertation_index"] = float(np.mean(list(components.values())))
    return out


def hyperconcertation_components(out: dict[str, float], n_operating: int) -> dict[str, float]:
    """The index's six components, each in [0, 1] with higher meaning more hyperconcertation.
    A territory with no operating table has no concertation and so no hyperconcertation:
    every component is 0 there (docs/ODD.md §9)."""
    if n_operating == 0:
        return dict.fromkeys(HYPERCONCERTATION_COMPONENTS, 0.0)
    return {
        "over_solicited_share": out["over_solicited_share"],
        "instrumentalisation": out["instrumentalisation"],
        "non_appropriation": 1.0 - out["appropriation"],
        "non_integration": 1.0 - out["integration"],
        "democratic_deficit": 1.0 - min(out["citizen_share"] / TARGET_CITIZEN_SHARE, 1.0),
        "programme_management_share": out["programme_management_share"],
    }


def observed_conditions(model: ConcertationModel, agg: TableAggregates,
                        seats: Seats) -> np.ndarray:
    """How far each table meets Bourque's eight conditions, as observed (a reading for users;
    no rule uses it): compromise of its powerful members, power balance, links, support and
    leadership, goals not prescribed, citizens' share, attendance, process evaluation.
    `seats` are the members now."""
    actors, store = model.actors, model.store
    power2 = seats.per_table(seats.of_actor(actors.power**2))
    compromise = seats.per_table(seats.of_actor(actors.power**2 * actors.compromise)) \
        / np.maximum(power2, 1e-12)
    balance = np.where(agg.size > 0, agg.power_sum**2 / np.maximum(agg.size * power2, 1e-12), 0)
    citizens = agg.citizen_attendance / np.maximum(agg.attending, 1e-12)
    return np.mean([
        compromise, balance, store.links.any(axis=2),
        0.5 * (store.support + store.leadership), 1.0 - prescribed_share(model, agg),
        np.minimum(citizens / TARGET_CITIZEN_SHARE, 1.0), agg.attendance_rate,
        store.evaluation == Evaluation.PROCESS,
    ], axis=0)
