"""Participation: each actor manages a portfolio of seats under its time budget.

Bourque (2010): participation is "not always voluntary" and, when it is, "always tied to a
perceived advantage for oneself or one's organisation"; "la concertation s'arrête au moment où
l'on choisit de se retirer". In Les Moulins the choice of tables is strongly individual:
representatives delegate themselves, define their own mandate and report back informally.

Each month some seats come up for decision: members reconsider (more often when over-stretched,
and whenever a new representative takes the seat), and tables invite actors (hard while their
required composition is unmet, lightly otherwise, more often those already visible in the
network). For those pairs only, the actor weighs three options — stay out or leave, sit in
person, or send a staff representative with less authority — by their net advantage in the
common unit of the actor's time, and picks one (multinomial logit). Over-stretched actors also
attend less (attendance = budget / demand).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from . import kernels
from .categories import ActorType, State
from .state import Cells, cells

if TYPE_CHECKING:
    from .model import ConcertationModel
    from .table_process import TableAggregates

OVERLOAD_SPILL = 0.5  # share of unattended demand still taken from mission time (over-investment)
OTHER_THEME_CONTACT = 0.05  # a table reaches actors of other themes less often (assumption)


class Pairs(Cells):
    """The (territory, actor, slot) pairs that decide this month, in C order, and whether
    the actor sits at the table now."""

    def __init__(self, flat: np.ndarray, membership: np.ndarray) -> None:
        super().__init__(flat, membership.shape)
        self.member = np.take(membership, flat)


def seat_hours(model: ConcertationModel) -> np.ndarray:
    """Hours per month a seat at each table demands of a member sitting in person (T, m):
    professional support (minutes, convening, research) lightens the members' part."""
    store = model.store
    relief = model.params.process.support_time_relief
    return store.hours * (1.0 - relief * store.support)


def convening_hours(model: ConcertationModel) -> np.ndarray:
    """Hours a month of convening work (agenda, invitations, minutes, follow-up) the support
    staff do not cover and the convening member must give (T, m)."""
    store = model.store
    return model.params.tables.convening_hours * (1.0 - store.support) * store.live


def update_load(model: ConcertationModel) -> None:
    """Hours demanded by each actor's seats and convening roles, and the share it can attend."""
    actors, store, w = model.actors, model.store, model.params.participation
    hours = seat_hours(model)
    # Each seat's share of the table's hours (a delegate's less), as a dense product with the
    # hours: its summation order is part of the numbers.
    share = kernels.seat_shares(store.membership, store.delegate, w.delegate_load_share)
    actors.load[:] = np.einsum("tnm,tm->tn", share, hours)
    kernels.add_convening(actors.load, actors.budget, actors.attendance, store.convenor,
                          store.support, store.live, model.params.tables.convening_hours)


def hand_over_convening(model: ConcertationModel, agg: TableAggregates) -> None:
    """Convening changes hands: a convenor's organisation gives the role up when its
    representative changes (`representative_turnover`), and a table without a convenor asks
    its member organisations. One takes the role if its seat is still worth its hours with the
    convening work added; the most willing does. Without one the table cannot meet
    (lifecycle.py), unless paid staff do all the convening."""
    actors, store, w = model.actors, model.store, model.params.participation
    quits = store.live & (store.convenor >= 0) & (
        model.rng.random(store.convenor.shape) < w.representative_turnover)
    store.convenor[quits] = -1
    territories, slots = store.convenor.shape
    seated = store.membership[np.arange(territories)[:, None], np.maximum(store.convenor, 0),
                              np.arange(slots)[None, :]]
    store.convenor[store.live & ~seated] = -1
    needed = convening_hours(model)
    vacant = store.live & (store.convenor < 0) & (needed > 0)
    if not vacant.any():
        return
    organisation = actors.kind <= ActorType.INSTITUTION
    candidates = store.membership & vacant[:, None, :] & organisation[None, :, None]
    pairs = Pairs(np.flatnonzero(candidates), store.membership)
    if pairs.size == 0:
        return
    t, a, m = pairs.t, pairs.a, pairs.m
    full, _ = seat_values(model, agg, pairs, seat_hours(model), convening=needed[t, m])
    willing = full > 0
    order = np.lexsort((-full, m, t))
    taken = np.zeros(store.convenor.shape, dtype=bool)
    for index in order[willing[order]]:
        if not taken[t[index], m[index]]:
            store.convenor[t[index], m[index]] = a[index]
            taken[t[index], m[index]] = True


def eligible(model: ConcertationModel, pairs: Pairs) -> np.ndarray:
    """Funders' officers sit only at tables their funder pays for, and not at all when roles
    are separated."""
    actors, store = model.actors, model.store
    t, a, m = pairs.t, pairs.a, pairs.m
    kind = actors.kind[a]
    live = store.live[t, m]
    officer = kind == ActorType.FUNDER_AGENT
    own = (actors.funder_of_seat[a] == store.funder[t, m]) & store.funded[t, m]
    officer_ok = own & (not model.params.programmes.separate_roles)
    return live & np.where(officer, officer_ok, True)


def seat_values(model: ConcertationModel, agg: TableAggregates, pairs: Pairs,
                hours: np.ndarray, convening: np.ndarray | None = None
                ) -> tuple[np.ndarray, np.ndarray]:
    """Net advantage of sitting in person and of sending a delegate, for each pair.

    Benefits: information (larger, linked, meeting tables know more), influence (the actor's
    share of voice), fit of the agenda with its mission, money (grants to groups that sit,
    in the hours they buy), legitimacy (institutions' mandate to sit at programme tables, a
    funder officer at its own tables, groups bound by an administrative service agreement),
    and, for members only, ownership (appropriation is the members' own: a reason to stay, not
    a draw for newcomers), partnership obligations, the cost of leaving a table whose funding
    is conditional on sitting (in proportion to the member's dependence on programme money)
    and attachment. Attachment is to the relations a representative built at the table
    ("mise en relation structurée et durable", Bourque 2008), so it weighs as much as the
    table's trust: habit alone does not hold anyone at a table where no trust grew. Cost: the seat's hours at the price of the actor's time, which
    rises with what it already spends and with its strain. A convenor's seat also carries
    the convening work (`convening`: hours per pair; by default the table's current convenor).
    """
    actors, store, scenario = model.actors, model.store, model.params
    w = scenario.participation
    t, a, m = pairs.t, pairs.a, pairs.m
    if convening is None:
        convening = np.where(pairs.of_table(store.convenor) == a,
                             pairs.of_table(convening_hours(model)), 0.0)
    weights = np.array([
        scenario.integration.link_information, w.information_scale, w.redundancy,
        w.delegate_authority, scenario.actors.staff_hourly_cost,
        scenario.actors.institution_mandate_pressure, w.conditional_funding_penalty, w.inertia,
        w.partnership_obligation, w.weight_information, w.weight_fit, w.weight_funding,
        w.weight_legitimacy, w.weight_ownership, w.weight_influence, w.weight_time,
        w.delegate_load_share])
    contacts = kernels.new_contacts(t, a, m, pairs.member, store.membership, agg.seat_bits())
    return kernels.seat_values(
        pairs.actor, pairs.table, a, pairs.cell, pairs.member, agg.fit_at(t, a, m), contacts,
        np.einsum("tmn,tn->tm", store.links, agg.attending).ravel(), convening, actors.kind,
        actors.funder_of_seat, actors.budget.ravel(), actors.autonomy.ravel(),
        actors.power.ravel(), actors.attendance.ravel(), actors.dependence.ravel(),
        actors.agreement.ravel(), actors.load.ravel(), actors.strain.ravel(),
        (store.state == State.DORMANT).ravel(), store.theme.ravel(), store.territorial.ravel(),
        store.openness.ravel(), agg.voice_sum.ravel(), agg.groups.ravel(),
        store.member_money.ravel(), store.funded.ravel(), store.funder.ravel(),
        (store.initiator_kind == ActorType.INSTITUTION).ravel(), store.conditional.ravel(),
        store.appropriation.ravel(), store.trust.ravel(), store.convenor.ravel(),
        hours.ravel(), store.delegate.ravel(), store.attached.ravel(),
        store.bound_until.ravel(), agg.best_issue_fit.ravel(), agg.second_issue_fit.ravel(),
        agg.best_issue_fit.shape[2], model.month,
        scenario.organisers.agreement_mode == "administration", weights)


def seats_up_for_decision(model: ConcertationModel, agg: TableAggregates) -> Pairs:
    """Members who reconsider and non-members a table approaches this month.

    A member reconsiders at `reconsider_rate`, more often the more it is over-stretched, and
    always when its representative changes (`representative_turnover`, which also ends the
    seat's attachment). A meeting table approaches an actor hard for the categories a
    recruiting table still lacks (`recruitment_rate`), lightly otherwise (`invitation_rate`),
    actors of its theme more than others (`OTHER_THEME_CONTACT`), citizens as far as it opens
    to them, and those already in the network more often (`network_visibility`). A funder's
    officer is always invited to a table its funder pays for. Every seat and every
    (actor, table) cell draws its chances; the rule is read where a draw can succeed
    (kernels.seats_to_decide)."""
    actors, store, scenario = model.actors, model.store, model.params
    w, rng = scenario.participation, model.rng
    member = store.membership
    shape = member.shape
    turnover_draw, review_draw = rng.random(shape), rng.random(shape)
    lacks_groups = agg.groups < store.required_groups
    lacks_institutions = agg.institutions < store.required_institutions
    lacks_sectors = agg.sectors < store.required_sectors
    store.recruiting[:] = store.live & (lacks_groups | lacks_institutions | lacks_sectors)
    visibility = network_visibility(model, np.count_nonzero(member, axis=2))
    invite_draw = rng.random(shape)
    # No rate exceeds the table's top rate and no relevance exceeds 1 (or its openness).
    top_rate = np.where(store.recruiting, max(w.recruitment_rate, w.invitation_rate),
                        w.invitation_rate) * store.meeting
    chosen = np.zeros(shape, dtype=bool)
    chosen.flat[officer_seats(model)] = True
    kernels.seats_to_decide(
        member, store.attached, turnover_draw, review_draw, invite_draw, actors.load,
        actors.budget, w.representative_turnover, w.reconsider_rate, top_rate,
        max(1.0, float(store.openness.max(initial=0.0))), visibility, actors.kind,
        actors.theme, agg.groups, agg.institutions, agg.sectors, store.required_groups,
        store.required_institutions, store.required_sectors, store.theme, store.territorial,
        store.openness, store.recruiting, store.meeting, w.recruitment_rate,
        w.invitation_rate, OTHER_THEME_CONTACT, chosen)
    return Pairs(np.flatnonzero(chosen), member)


def network_visibility(model: ConcertationModel, memberships: np.ndarray) -> np.ndarray:
    """How visible each actor is to recruiting tables, relative to its type (T, n): those
    already in the network are approached more often."""
    actors = model.actors
    visibility = 1.0 + model.params.participation.network_recruitment * memberships
    typical = np.stack([visibility[:, of_kind].sum(axis=1) / of_kind.size if of_kind.size
                        else np.ones(visibility.shape[0]) for of_kind in actors.of_kind], axis=1)
    return visibility / typical[:, actors.kind]


def officer_seats(model: ConcertationModel) -> np.ndarray:
    """Flat cells where a funder's officer is not yet seated at a live table its funder pays
    for: it is always invited there."""
    actors, store = model.actors, model.store
    officers = actors.of_kind[ActorType.FUNDER_AGENT]
    t, o, m = cells(store.funded[:, None, :] & store.live[:, None, :]
                    & (actors.funder_of_seat[officers][None, :, None]
                       == store.funder[:, None, :])
                    & ~store.membership[:, officers, :])
    return np.ravel_multi_index((t, officers[o], m), store.membership.shape)


def participation_step(model: ConcertationModel, agg: TableAggregates) -> None:
    """The seats up for decision are chosen: leave / stay out, sit in person, or delegate."""
    store, w = model.store, model.params.participation
    pairs = seats_up_for_decision(model, agg)
    if pairs.t.size:
        hours = seat_hours(model)
        full, delegate = seat_values(model, agg, pairs, hours)
        options = np.stack([np.zeros_like(full), full, delegate], axis=1)
        noise = model.rng.gumbel(size=options.shape) * w.decision_noise
        choice = np.argmax(options + noise, axis=1)
        choice = np.where(eligible(model, pairs), choice, 0)
        t, a, m = pairs.t, pairs.a, pairs.m
        joined = (choice > 0) & ~pairs.member
        store.membership[t, a, m] = choice > 0
        store.delegate[t, a, m] = choice == 2
        store.attached[t[joined], a[joined], m[joined]] = True
        left = (choice == 0) & pairs.member
        store.bound_until[t[left], a[left], m[left]] = 0
        model.flows["seats_left"] += int(left.sum())
        model.flows["seats_joined"] += int(joined.sum())
    update_load(model)


def concertation_hours(model: ConcertationModel) -> np.ndarray:
    """Hours actually spent in concertation: attended hours, part of the unattended demand
    (preparation and follow-up of meetings missed), and delegates' hours taken from mission."""
    actors, store, w = model.actors, model.store, model.params.participation
    attended = np.minimum(actors.load, actors.budget)
    delegated = np.einsum("tnm,tm->tn", store.membership & store.delegate,
                          seat_hours(model)) * (1.0 - w.delegate_load_share)
    return attended + OVERLOAD_SPILL * np.maximum(actors.load - actors.budget, 0.0) + delegated
