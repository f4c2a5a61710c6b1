"""Participation: who sits at which table, what it costs them, and what overload does to them.

Each actor weighs each membership and each invitation (Bourque: participation is "always tied
to a perceived advantage"): information, influence, funding access, fit with its mission,
legitimacy and ownership, against the time it costs given what it already spends. All terms
are computed at once on (territory, actor, table) arrays.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .categories import ActorType, Origin, State

if TYPE_CHECKING:
    from .model import ConcertationModel

CITIZEN_MIN_OPENNESS = 0.2  # below "consultation" on Arnstein's ladder citizens are not invited
SATURATION = 1.5  # assumption: tables stop inviting at 1.5 times their target size
OVERLOAD_SPILL = 0.5  # share of unattended demand still taken from mission time (over-investment)


def issue_fit(model: ConcertationModel) -> np.ndarray:
    """Fit between each actor's mission and each table's agenda, in [0, 1]."""
    actors, store = model.actors, model.store
    pos, agenda = actors.position, store.agenda
    sq_pos = np.einsum("tnk,tnk->tn", pos, pos)
    sq_agenda = np.einsum("tmk,tmk->tm", agenda, agenda)
    cross = np.matmul(pos, agenda.transpose(0, 2, 1))
    distance2 = np.maximum(sq_pos[:, :, None] + sq_agenda[:, None, :] - 2 * cross, 0.0)
    width = model.params.participation.fit_width * np.maximum(
        actors.breadth[None, :, None], store.breadth[:, None, :])
    return np.exp(-distance2 / (2 * width**2))


def eligibility(model: ConcertationModel) -> np.ndarray:
    """Which actor may sit at which table: citizens only where the table is open to them,
    funders' seats only at tables their funder pays for (unless roles are separated)."""
    actors, store = model.actors, model.store
    kind = actors.kind
    live = store.live[:, None, :]
    citizen = (kind == ActorType.CITIZEN)[None, :, None]
    open_to_citizens = (store.openness >= CITIZEN_MIN_OPENNESS)[:, None, :]
    seat = (kind == ActorType.FUNDER_AGENT)[None, :, None]
    own_funder = actors.funder_of_seat[None, :, None] == store.funder[:, None, :]
    funded = store.funded[:, None, :]
    seats_allowed = not model.params.process.favourable_conditions
    allowed = np.where(citizen, open_to_citizens & ~actors.burnt_out[:, :, None], True)
    allowed = np.where(seat, own_funder & funded & seats_allowed, allowed)
    return live & allowed


def utilities(model: ConcertationModel, fit: np.ndarray, member: np.ndarray) -> np.ndarray:
    """Net perceived advantage of each (actor, table) membership, in utility units."""
    actors, store, w = model.actors, model.store, model.params.participation
    kind = actors.kind
    member_f = member.astype(np.float64)
    size = member.sum(axis=1)
    power_sum = np.einsum("tnm,tn->tm", member_f, actors.power)
    own_power = actors.power[:, :, None]
    influence = own_power / (power_sum[:, None, :] + own_power * (1.0 - member_f) + 1e-9)
    citizen = (kind == ActorType.CITIZEN)[None, :, None]
    influence = np.where(citizen, influence * store.openness[:, None, :] * 4.0, influence)

    information = 1.0 - np.exp(-size / 8.0)
    public = store.funded | (store.origin == Origin.PROGRAMME) | (store.origin == Origin.INSTITUTION)
    mandate = np.where(kind == ActorType.INSTITUTION,
                       model.params.actors.institution_mandate_pressure, 0.0)
    seat = (kind == ActorType.FUNDER_AGENT).astype(np.float64)
    funded = store.funded.astype(np.float64)
    conditional = (store.conditional & store.funded).astype(np.float64)

    load_after = actors.load[:, :, None] + store.hours[:, None, :] * (1.0 - member_f)
    budget = actors.budget[:, :, None]
    time_cost = (store.hours[:, None, :] / budget) * (load_after / budget) \
        * (1.0 + actors.strain[:, :, None])

    utility = (
        w.weight_information * information[:, None, :]
        + w.weight_influence * influence
        + w.weight_funding * actors.dependence[:, :, None] * funded[:, None, :]
        + w.weight_fit * fit
        + w.weight_legitimacy * (mandate[None, :, None] * public[:, None, :] + seat[None, :, None])
        + w.weight_ownership * store.appropriation[:, None, :]
        + w.conditional_funding_penalty * actors.dependence[:, :, None] * conditional[:, None, :]
        - w.weight_time * time_cost
        + w.inertia * member_f
    )
    return utility


def invitation_intensity(model: ConcertationModel, fit: np.ndarray,
                         eligible: np.ndarray) -> np.ndarray:
    """Probability that a table invites an actor this month.

    Tables recruit lightly all the time; a young table below its target size (programmes
    require a broad intersectoral partnership) recruits hard until it gets there.
    """
    store, scenario = model.store, model.params
    kind = model.actors.kind
    size = store.membership.sum(axis=1)
    age = model.steps - store.created
    relevance = fit.copy()
    institution = (kind == ActorType.INSTITUTION)[None, :, None]
    public = (store.funded | (store.origin == Origin.PROGRAMME))[:, None, :]
    relevance = np.where(institution & public,
                         np.maximum(relevance, scenario.actors.institution_mandate_pressure),
                         relevance)
    citizen = (kind == ActorType.CITIZEN)[None, :, None]
    relevance = np.where(citizen, relevance * np.minimum(2.0 * store.openness[:, None, :], 1.0),
                         relevance)
    candidates = eligible & ~store.membership
    pool = np.einsum("tnm,tnm->tm", relevance, candidates.astype(np.float64)) + 1e-9
    recruiting = (age < scenario.tables.recruitment_months) & (size < store.target_size)
    drive = np.clip(2.0 * (store.target_size - size) / pool, 0.0, 1.0)
    # Past its target a table stops looking for members; open calls fade out at 1.5x target.
    routine = scenario.participation.invitation_rate * np.clip(
        1.0 - size / (SATURATION * np.maximum(store.target_size, 1)), 0.0, 1.0)
    rate = np.where(recruiting, np.maximum(drive, routine), routine)
    rate = np.where(store.state == State.DORMANT, 0.0, rate)
    return np.clip(rate[:, None, :] * relevance, 0.0, 1.0) * candidates


def participation_step(model: ConcertationModel) -> None:
    """Members reconsider, invited actors decide, and attendance follows the time budget."""
    _actors, store, w = model.actors, model.store, model.params.participation
    rng = model.rng
    member = store.membership
    eligible = eligibility(model)
    fit = issue_fit(model)
    utility = utilities(model, fit, member)
    invite = invitation_intensity(model, fit, eligible)

    shape = member.shape
    event = rng.random(shape)
    decision = rng.random(shape)
    accept = 1.0 / (1.0 + np.exp(-np.clip(utility / w.decision_noise, -50, 50)))
    leave = member & (((event < w.reconsider_rate) & (decision > accept)) | ~eligible)
    join = ~member & (event < invite) & (decision < accept)
    member &= ~leave
    member |= join
    update_load(model)
    model.last_fit = fit


def update_load(model: ConcertationModel) -> None:
    actors, store = model.actors, model.store
    actors.load[:] = np.einsum("tnm,tm->tn", store.membership.astype(np.float64), store.hours)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(actors.load > 0, actors.budget / actors.load, 1.0)
    actors.attendance[:] = np.minimum(1.0, ratio)


def concertation_hours(model: ConcertationModel) -> np.ndarray:
    """Hours actually spent in concertation: attended hours plus part of the unattended demand,
    which over-solicited actors still pay for in preparation and follow-up."""
    actors = model.actors
    attended = np.minimum(actors.load, actors.budget)
    return attended + OVERLOAD_SPILL * np.maximum(actors.load - actors.budget, 0.0)


def update_actors(model: ConcertationModel) -> None:
    """Strain from overload, mission drift and autonomy erosion from instrumentalised tables."""
    actors, store, p = model.actors, model.store, model.params.actors
    overload = np.clip(actors.load / actors.budget - 1.0, 0.0, 1.0)
    actors.strain += p.strain_rate * (overload - actors.strain)
    member_hours = store.membership * store.hours[:, None, :]
    with np.errstate(divide="ignore", invalid="ignore"):
        exposure = np.einsum("tnm,tm->tn", member_hours, store.instrumentalisation)
        exposure = np.where(actors.load > 0, exposure / actors.load, 0.0)
        ownership = np.einsum("tnm,tm->tn", member_hours, store.appropriation)
        ownership = np.where(actors.load > 0, ownership / actors.load, 0.0)
    drift_target = np.clip(exposure * actors.dependence + 0.5 * overload, 0.0, 1.0)
    actors.drift += p.drift_rate * (drift_target - actors.drift)
    actors.autonomy += p.autonomy_erosion_rate * (
        ownership * (1.0 - actors.autonomy) - exposure * actors.dependence * actors.autonomy)
    np.clip(actors.autonomy, 0.0, 1.0, out=actors.autonomy)

    citizen = actors.kind == ActorType.CITIZEN
    burnt = citizen[None, :] & (actors.strain > p.citizen_burnout_strain)
    recovered = actors.burnt_out & (actors.strain < 0.2)
    actors.burnt_out |= burnt
    actors.burnt_out &= ~recovered
