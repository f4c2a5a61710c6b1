"""How actors change: strain from overload, missions drifting toward the agendas of the
programme tables they depend on, autonomy, income and dependence on programme money.

Bourque: funding is "a condition of existence" for community organisations, so dependence is
what programme money weighs in their income, not a constant; over-solicited actors over-invest
at the expense of their mission; instrumentalised tables erode autonomy. Each state feeds back:
strain raises the price of time (an over-stretched group withdraws), a drifted group loses the
income its own mission brought and depends more on programmes, a dependent group defers at the
table (less voice) and convenes fewer tables of its own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .categories import ActorType
from .state import POSITION_SPREAD
from .table_process import Seats

if TYPE_CHECKING:
    from .model import ConcertationModel
    from .table_process import TableAggregates


def update_money(model: ConcertationModel, agg: TableAggregates) -> None:
    """Programme money reaches groups as grants for sitting (and the hours those buy) and as
    service-agreement income; tables get a coordinator's hours from their coordination money."""
    actors, store, scenario = model.actors, model.store, model.params
    cost = scenario.actors.staff_hourly_cost
    group = actors.kind == ActorType.COMMUNITY_GROUP
    per_group = store.member_money / np.maximum(agg.groups, 1.0)  # $ per year and group
    grants = np.einsum("tnm,tm->tn", store.membership * group[None, :, None], per_group)
    agreement = actors.agreement * scenario.organisers.agreement_income
    actors.programme_income[:] = grants + agreement
    actors.budget[:] = actors.base_budget + grants / 12.0 / cost
    coordinator = store.coordination_money / 12.0 / cost
    full = scenario.process.support_hours_full
    store.support[:] = np.where(store.live, np.clip(
        scenario.process.professional_support + (coordinator + store.organiser_hours) / full,
        0.0, 1.0), 0.0)


def update_actors(model: ConcertationModel) -> None:
    """Strain, mission drift, autonomy and dependence, once a month."""
    actors, store, p = model.actors, model.store, model.params.actors
    overload = np.clip(actors.load / actors.budget - 1.0, 0.0, 1.0)
    actors.strain += p.strain_rate * (overload - actors.strain)
    # Hours and instrumentalised hours per seat, written at the seats only; the dense sums
    # over slots stay, as their summation order is part of the numbers.
    seats = Seats(store.membership)
    hours = seats.of_table(store.hours)
    member_hours = seats.spread(hours)
    load = member_hours.sum(axis=2)
    with np.errstate(divide="ignore", invalid="ignore"):
        exposure = np.where(load > 0, np.einsum(
            "tnm,tm->tn", member_hours, store.instrumentalisation) / load, 0.0)
        ownership = np.where(load > 0, np.einsum(
            "tnm,tm->tn", member_hours, store.appropriation) / load, 0.0)
        weight = hours * seats.of_table(store.instrumentalisation)
        total = seats.spread(weight).sum(axis=2)
        agenda = instrumental_agenda(model, seats, weight) / np.maximum(
            total, 1e-12)[:, :, None]
    organisation = (actors.kind == ActorType.COMMUNITY_GROUP)[None, :, None]
    pull = p.drift_rate * (exposure * actors.dependence)[:, :, None] * (agenda - actors.position)
    noise = model.rng.normal(0.0, 1.0, size=actors.position.shape)
    wander = p.mission_wander * (actors.home - actors.position) + np.sqrt(
        2 * p.mission_wander) * POSITION_SPREAD * noise
    actors.position += wander + np.where(organisation & (total > 0)[:, :, None], pull, 0.0)
    away = actors.position - actors.home
    actors.drift[:] = np.minimum(np.sqrt(np.add.reduce(away * away, axis=2)), 1.0)  # norm

    actors.autonomy += p.autonomy_erosion_rate * (
        ownership * (1.0 - actors.autonomy) - exposure * actors.dependence * actors.autonomy)
    np.clip(actors.autonomy, 0.0, 1.0, out=actors.autonomy)
    core = actors.core_income * (1.0 - p.drift_income_loss * actors.drift)
    income = core + actors.programme_income
    actors.dependence[:] = np.where(income > 0, actors.programme_income / np.maximum(
        income, 1e-9), 0.0)



def instrumental_agenda(model: ConcertationModel, seats: Seats,
                        weight: np.ndarray) -> np.ndarray:
    """Sum of the agendas of each actor's tables by each seat's `weight` (T, n, 2). Over the
    seat list: for each actor its seats come by ascending slot, the order of the dense sum,
    so the numbers are the same."""
    agenda = model.store.agenda.reshape(-1, 2)[seats.table]
    territories, actors, _ = seats.shape
    return np.stack([np.bincount(seats.actor, weights=weight * agenda[:, k],
                                 minlength=territories * actors)
                     for k in range(2)], axis=-1).reshape(territories, actors, 2)
