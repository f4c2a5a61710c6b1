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
    # Each seat's share of the table's hours (a delegate's less), written at the seats only;
    # the dense product with the hours stays, as its summation order is part of the numbers.
    seats = Cells(np.flatnonzero(store.membership), store.membership.shape)
    share = seats.spread(np.where(seats.of_seat(store.delegate), w.delegate_load_share, 1.0))
    actors.load[:] = np.einsum("tnm,tm->tn", share, hours)
    territory, slot = cells(store.convenor >= 0)
    np.add.at(actors.load, (territory, store.convenor[territory, slot]),
              convening_hours(model)[territory, slot])
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(actors.load > 0, actors.budget / actors.load, 1.0)
    actors.attendance[:] = np.minimum(1.0, ratio)


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
    w, integration = scenario.participation, scenario.integration
    t, a, m, member = pairs.t, pairs.a, pairs.m, pairs.member
    at_actor, at_table, at_seat = pairs.of_actor, pairs.of_table, pairs.of_seat
    kind = actors.kind[a]
    group = kind == ActorType.COMMUNITY_GROUP
    institution = kind == ActorType.INSTITUTION
    officer = kind == ActorType.FUNDER_AGENT
    citizen = kind == ActorType.CITIZEN
    budget = at_actor(actors.budget)
    meets = at_table(store.state) != State.DORMANT

    # Information is what the seat adds: people the actor meets at no other table, and the
    # tables this one is linked to.
    linked = at_table(np.einsum("tmn,tn->tm", store.links, agg.attending))
    pair, other = cells(store.membership[t, :, m])  # who sits at each pair's table
    met = agg.shared_tables(t[pair], a[pair], other) > member[pair]  # met at another table
    new_contacts = np.bincount(pair[~met], minlength=t.size) - member
    information = meets * (1.0 - np.exp(-(new_contacts + integration.link_information
                                           * linked) / w.information_scale))
    # A table on an issue where the actor already sits at a better-fitting one serves its
    # mission only in part (`redundancy`): same-issue tables compete for the same members.
    fit = agg.fit_at(t, a, m)
    issue = pairs.actor * agg.best_issue_fit.shape[2] + at_table(store.theme)
    best_other = np.take(agg.best_issue_fit, issue)
    best_other = np.where(member & (best_other <= fit), np.take(agg.second_issue_fit, issue),
                          best_other)
    redundant = ~at_table(store.territorial) & (best_other > fit)
    fit = np.where(redundant, w.redundancy * fit, fit)
    openness = np.where(citizen, at_table(store.openness), 1.0)
    standing = np.where(group, at_actor(actors.autonomy), 1.0)
    voice = at_actor(actors.power) * standing * openness
    present = at_actor(actors.attendance)
    others = at_table(agg.voice_sum) - np.where(member, voice * present, 0.0)
    influence_full = voice / (others + voice + 1e-9)
    voice_delegate = voice * w.delegate_authority
    influence_delegate = voice_delegate / (others + voice_delegate + 1e-9)

    n_groups = at_table(agg.groups) + np.where(member, 0.0, 1.0)
    grant_hours = at_table(store.member_money) / 12.0 / np.maximum(n_groups, 1.0) \
        / scenario.actors.staff_hourly_cost
    money = np.where(group, grant_hours / budget, 0.0)

    public = at_table(store.funded)
    mandate = institution * scenario.actors.institution_mandate_pressure * public
    own_funder = officer & (actors.funder_of_seat[a] == at_table(store.funder))
    administered = (group & at_actor(actors.agreement)
                    & (scenario.organisers.agreement_mode == "administration")
                    & (at_table(store.initiator_kind) == ActorType.INSTITUTION))
    legitimacy = mandate + own_funder + administered * scenario.actors.institution_mandate_pressure

    conditional = at_table(store.conditional) & public
    exit_cost = member * (w.conditional_funding_penalty * at_actor(actors.dependence) * conditional
                          + w.inertia * at_seat(store.attached) * at_table(store.trust)
                          + w.partnership_obligation * (at_seat(store.bound_until) > model.month))
    common = (w.weight_information * information + w.weight_fit * fit
              + w.weight_funding * money + w.weight_legitimacy * legitimacy
              + w.weight_ownership * at_table(store.appropriation) * meets * member)

    convenes = at_table(store.convenor) == a
    if convening is None:
        convening = np.where(convenes, at_table(convening_hours(model)), 0.0)
    own_convening = np.where(member & convenes, convening, 0.0)
    table_hours = at_table(hours)
    load_other = at_actor(actors.load) - np.where(member, np.where(
        at_seat(store.delegate), w.delegate_load_share, 1.0) * table_hours, 0.0) - own_convening
    price = w.weight_time * (1.0 + at_actor(actors.strain)) / budget

    def net(seat: np.ndarray, influence: np.ndarray) -> np.ndarray:
        """What the seat brings, as far as the actor can attend, less its hours at a price
        that rises with everything else the actor already sits at."""
        demand = load_other + seat
        attendance = np.minimum(1.0, budget / np.maximum(demand, 1e-9))
        benefit = attendance * (common + w.weight_influence * influence)
        return benefit + exit_cost - price * seat * demand / budget

    seat = table_hours + convening
    full = net(seat, influence_full)
    # A delegate's own hours come out of the organisation's mission work.
    staff = price * (1.0 - w.delegate_load_share) * seat
    delegate = net(w.delegate_load_share * seat, influence_delegate) - staff
    can_delegate = group | institution
    return full, np.where(can_delegate, delegate, -np.inf)


def seats_up_for_decision(model: ConcertationModel, agg: TableAggregates) -> Pairs:
    """Members who reconsider and non-members a table approaches this month.

    Every seat and every (actor, table) cell draws its chances, as the rules say; the
    conditions are then read only where a draw can succeed: at members' seats, and where an
    invitation draw falls below the highest chance that table can offer that actor."""
    actors, store, scenario = model.actors, model.store, model.params
    w, rng = scenario.participation, model.rng
    member = store.membership
    shape = member.shape
    seats = np.flatnonzero(member)
    actor = seats // shape[2]  # flat (territory, actor) index of each seat
    overload = np.clip(actors.load / actors.budget - 1.0, 0.0, 1.0)
    turnover = np.take(rng.random(shape), seats) < w.representative_turnover
    store.attached.flat[seats[turnover]] = False
    review = turnover | (np.take(rng.random(shape), seats)
                         < np.take(w.reconsider_rate * (1.0 + overload), actor))

    lacks_groups = agg.groups < store.required_groups
    lacks_institutions = agg.institutions < store.required_institutions
    lacks_sectors = agg.sectors < store.required_sectors
    store.recruiting[:] = store.live & (lacks_groups | lacks_institutions | lacks_sectors)
    visibility = network_visibility(model, np.bincount(
        actor, minlength=shape[0] * shape[1]).reshape(shape[:2]))
    draws = rng.random(shape)
    # No rate exceeds the table's top rate and no relevance exceeds 1 (or its openness).
    top_rate = np.where(store.recruiting, max(w.recruitment_rate, w.invitation_rate),
                        w.invitation_rate) * store.meeting
    ceiling = (top_rate * max(1.0, float(store.openness.max(initial=0.0))))[:, None, :] \
        * visibility[:, :, None]
    approached = np.flatnonzero(draws < ceiling)
    approached = approached[~np.take(member, approached)]
    invited = np.take(draws, approached) < invitation_chance(
        model, agg, *np.unravel_index(approached, shape), visibility)
    chosen = np.unique(np.concatenate([seats[review], approached[invited],
                                       officer_seats(model)]))
    return Pairs(chosen, member)


def network_visibility(model: ConcertationModel, memberships: np.ndarray) -> np.ndarray:
    """How visible each actor is to recruiting tables, relative to its type (T, n): those
    already in the network are approached more often."""
    actors = model.actors
    visibility = 1.0 + model.params.participation.network_recruitment * memberships
    typical = np.stack([visibility[:, of_kind].sum(axis=1) / of_kind.size if of_kind.size
                        else np.ones(visibility.shape[0]) for of_kind in actors.of_kind], axis=1)
    return visibility / typical[:, actors.kind]


def invitation_chance(model: ConcertationModel, agg: TableAggregates, t: np.ndarray,
                      a: np.ndarray, m: np.ndarray, visibility: np.ndarray) -> np.ndarray:
    """Chance that table `m` approaches actor `a` this month, for the given cells: hard for
    the categories a recruiting table still lacks, lightly otherwise, for actors of its theme
    more than others, for citizens as far as it opens to them."""
    actors, store, w = model.actors, model.store, model.params.participation
    kind = actors.kind[a]
    group = kind == ActorType.COMMUNITY_GROUP
    institution = kind == ActorType.INSTITUTION
    lacks_groups = agg.groups[t, m] < store.required_groups[t, m]
    lacks_institutions = agg.institutions[t, m] < store.required_institutions[t, m]
    lacks_sectors = agg.sectors[t, m] < store.required_sectors[t, m]
    wanted = (group & lacks_groups) | (institution & lacks_institutions) \
        | ((group | institution) & lacks_sectors)
    same_theme = (actors.theme[a] == store.theme[t, m]) | store.territorial[t, m]
    relevance = np.where(same_theme | (wanted & lacks_sectors), 1.0, OTHER_THEME_CONTACT)
    relevance = np.where(kind == ActorType.CITIZEN, relevance * store.openness[t, m], relevance)
    rate = np.where(store.recruiting[t, m] & wanted, w.recruitment_rate, w.invitation_rate)
    rate = np.where(store.meeting[t, m], rate, 0.0)
    return rate * relevance * visibility[t, a]


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
