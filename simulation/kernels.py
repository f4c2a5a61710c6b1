"""Compiled loops for the month's hot paths (numba).

A month asks a few hundred (actor, table) pairs for a decision and sums a few hundred seats per
table; written as NumPy expressions that is some two thousand calls of a few microseconds each,
which is most of a run's time. These loops do the same arithmetic in the same order (each sum
adds its terms seat by seat in C order, as `np.bincount` does), so they give the same numbers
bit for bit. The rules stay documented where they are used (table_process.py,
participation.py); here is only how they are computed.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from .categories import ActorType

GROUP = int(ActorType.COMMUNITY_GROUP)
INSTITUTION = int(ActorType.INSTITUTION)
OFFICER = int(ActorType.FUNDER_AGENT)
CITIZEN = int(ActorType.CITIZEN)


@njit(cache=True, nogil=True)
def issue_fit(t, a, m, sq_points, sq_centres, cross, actor_breadth, table_breadth,
              fit_width, actors, slots):
    """Fit of actor `a` to the agenda of slot `m` in territory `t`, cell by cell
    (table_process.IssueFit)."""
    out = np.empty(t.size)
    for i in range(t.size):
        actor = t[i] * actors + a[i]
        table = t[i] * slots + m[i]
        d2 = max(sq_points[actor] + sq_centres[table] - 2 * cross[actor * slots + m[i]], 0.0)
        width = fit_width * max(actor_breadth[a[i]], table_breadth[table])
        out[i] = np.exp(-d2 / (2 * (width * width)))
    return out


@njit(cache=True, nogil=True)
def table_sums(table, actor, a, kind, theme, fit, attendance, power, autonomy, compromise,
               position, budget, dependence, delegate_seat, openness, funded, conditional,
               member_money, appropriation, prescription, table_theme, territorial, n_tables,
               n_actor_cells, n_themes, delegate_authority, staff_hourly_cost, mandate_pressure,
               information_scale, weight_funding, weight_legitimacy, conditional_penalty,
               weight_information, weight_fit, weight_ownership):
    """Every per-table sum over the members of TableAggregates, in four passes over the seats
    (each later one needs the totals before it). Returns a (21, tables) array of sums and
    the actors' best and second-best fit per issue."""
    sums = np.zeros((21, n_tables))
    size, attending, groups, institutions, voice_sum = sums[0], sums[1], sums[2], sums[3], \
        sums[4]
    pull_weight, pull_x, pull_y, top_pull, max_pull = sums[5], sums[6], sums[7], sums[8], \
        sums[9]
    local_sum, local_fit, concerned_sum, concerned_x, concerned_y = sums[10], sums[11], \
        sums[12], sums[13], sums[14]
    citizen_attendance, citizen_voice, power_sum, interest_sum, cause_sum = sums[15], \
        sums[16], sums[17], sums[18], sums[19]
    funder_pull = sums[20]
    n = table.size
    voice = np.empty(n)
    seen_theme = np.zeros((n_tables, n_themes), dtype=np.bool_)
    sectors = np.zeros(n_tables, dtype=np.int64)
    for i in range(n):
        k, j, c = kind[a[i]], table[i], actor[i]
        present = attendance[c]
        size[j] += 1.0
        attending[j] += present
        if k == GROUP:
            groups[j] += 1.0
        if k == INSTITUTION:
            institutions[j] += 1.0
        if (k == GROUP or k == INSTITUTION) and not seen_theme[j, theme[a[i]]]:
            seen_theme[j, theme[a[i]]] = True
            sectors[j] += 1
        authority = delegate_authority if delegate_seat[i] else 1.0
        standing = autonomy[c] if k == GROUP else 1.0
        v = (power[c] * standing) * authority
        if k == CITIZEN:
            v = v * openness[j]
        voice[i] = v
        voice_sum[j] += present * v
        power_sum[j] += power[c]
    for i in range(n):
        k, j, c = kind[a[i]], table[i], actor[i]
        present = attendance[c]
        mean_voice = voice_sum[j] / max(attending[j], 1e-12)
        share = compromise[c]
        voice_pull = present * fit[i] * ((1.0 - share) * voice[i] + share * mean_voice)
        # Motives (TableAggregates.interest_share): interest against common cause.
        grant_hours = member_money[j] / 12.0 / max(groups[j], 1.0) / staff_hourly_cost
        money = (grant_hours if k == GROUP else 0.0) / budget[c]
        mandate = (mandate_pressure if k == INSTITUTION and funded[j] else 0.0) \
            + (1.0 if k == OFFICER else 0.0)
        dependent = dependence[c] if conditional[j] and funded[j] else 0.0
        information = 1.0 - np.exp(-attending[j] / information_scale)
        bought = (weight_funding * money + weight_legitimacy * mandate
                  + conditional_penalty * dependent)
        interest = bought + weight_information * information
        cause = weight_fit * fit[i] + weight_ownership * appropriation[j]
        interest_sum[j] += present * interest
        cause_sum[j] += present * cause
        # Bargaining over a funded table's agenda (TableAggregates.funder_pull): a member
        # carries the programme's prescription with the part of its voice that sits for what
        # the funder gives (money, mandate, the money's conditions); the rest of its voice
        # pulls toward its own mission.
        reasons = interest + cause
        yielding = prescription[j] * (bought / reasons if reasons > 0 else 0.0)
        funder_pull[j] += voice_pull * yielding
        pull = voice_pull * (1.0 - yielding)
        pull_weight[j] += pull
        pull_x[j] += pull * position[c, 0]
        pull_y[j] += pull * position[c, 1]
        if k == INSTITUTION or k == OFFICER:
            top_pull[j] += pull
        max_pull[j] = max(max_pull[j], pull)
        local = 0.0 if k == OFFICER else present
        local_sum[j] += local
        local_fit[j] += local * fit[i]
        concerned = local * fit[i]
        concerned_sum[j] += concerned
        concerned_x[j] += concerned * position[c, 0]
        concerned_y[j] += concerned * position[c, 1]
        if k == CITIZEN:
            citizen_attendance[j] += present
            citizen_voice[j] += present * voice[i]
    best = np.full(n_actor_cells * n_themes, -1.0)
    second = np.full(n_actor_cells * n_themes, -1.0)
    tops = np.zeros(n_actor_cells * n_themes, dtype=np.int64)
    for i in range(n):
        if not territorial[table[i]]:
            issue = actor[i] * n_themes + table_theme[table[i]]
            best[issue] = max(best[issue], fit[i])
    for i in range(n):
        if not territorial[table[i]]:
            issue = actor[i] * n_themes + table_theme[table[i]]
            if fit[i] == best[issue]:
                tops[issue] += 1
            else:
                second[issue] = max(second[issue], fit[i])
    for issue in range(best.size):
        if tops[issue] > 1:
            second[issue] = best[issue]
    return sums, sectors, best, second


@njit(cache=True, nogil=True)
def _popcount(word):
    word = word - ((word >> np.uint64(1)) & np.uint64(0x5555555555555555))
    word = (word & np.uint64(0x3333333333333333)) + ((word >> np.uint64(2))
                                                     & np.uint64(0x3333333333333333))
    word = (word + (word >> np.uint64(4))) & np.uint64(0x0F0F0F0F0F0F0F0F)
    return (word * np.uint64(0x0101010101010101)) >> np.uint64(56)


@njit(cache=True, nogil=True)
def new_contacts(t, a, m, member, membership, seat_bits):
    """People each pair's actor would meet at the table and at no other one it sits at
    (participation.seat_values), counted as the NumPy rule counts them: every sitter whose
    shared tables with the actor (in the month's view) do not exceed the actor's own seat
    here, less that seat. Known flaw, kept so the numbers stay: a member that also sits at
    other tables "meets itself elsewhere", so its count is one too low (it can reach -1);
    fixing it changes the model's numbers and belongs with a re-run of the validation."""
    out = np.zeros(t.size, dtype=np.int64)
    n_actors, words = seat_bits.shape[1], seat_bits.shape[2]
    for i in range(t.size):
        count = 0
        for b in range(n_actors):
            if membership[t[i], b, m[i]]:
                shared = 0
                for k in range(words):
                    shared += _popcount(seat_bits[t[i], a[i], k] & seat_bits[t[i], b, k])
                if not shared > member[i]:
                    count += 1
        out[i] = count - member[i]
    return out


@njit(cache=True, nogil=True)
def seat_values(actor, table, a, cell, member, fit, contacts, linked, convening, kind,
                funder_of_seat, budget, autonomy, power, attendance, dependence, agreement,
                load, strain, state_dormant, theme, territorial, openness, voice_sum, groups,
                member_money, funded, funder, initiator_institution, conditional, appropriation,
                trust, convenor, hours, delegate_seat, attached, bound_until, best_issue_fit,
                second_issue_fit, n_themes, month, administration, p):
    """Net advantage of sitting in person and of sending a delegate for each pair
    (participation.seat_values documents the rule). `p` holds the weights in the order that
    participation.seat_values lists them."""
    (link_information, information_scale, redundancy, delegate_authority, staff_hourly_cost,
     mandate_pressure, conditional_penalty, inertia, partnership_obligation,
     weight_information, weight_fit, weight_funding, weight_legitimacy, weight_ownership,
     weight_influence, weight_time, delegate_load_share) = (
        p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7], p[8], p[9], p[10], p[11], p[12],
        p[13], p[14], p[15], p[16])
    n = actor.size
    full = np.empty(n)
    delegate = np.empty(n)
    for i in range(n):
        k, c, j, s = kind[a[i]], actor[i], table[i], cell[i]
        is_member = member[i]
        in_seat = 1.0 if is_member else 0.0
        group, institution = k == GROUP, k == INSTITUTION
        officer, citizen = k == OFFICER, k == CITIZEN
        own_budget = budget[c]
        meets = 0.0 if state_dormant[j] else 1.0
        information = meets * (1.0 - np.exp(-(contacts[i] + link_information * linked[j])
                                            / information_scale))
        own_fit = fit[i]
        issue = c * n_themes + theme[j]
        best_other = best_issue_fit[issue]
        if is_member and best_other <= own_fit:
            best_other = second_issue_fit[issue]
        if not territorial[j] and best_other > own_fit:
            own_fit = redundancy * own_fit
        open_to = openness[j] if citizen else 1.0
        standing = autonomy[c] if group else 1.0
        voice = power[c] * standing * open_to
        present = attendance[c]
        others = voice_sum[j] - (voice * present if is_member else 0.0)
        influence_full = voice / (others + voice + 1e-9)
        voice_delegate = voice * delegate_authority
        influence_delegate = voice_delegate / (others + voice_delegate + 1e-9)
        n_groups = groups[j] + (0.0 if is_member else 1.0)
        grant_hours = member_money[j] / 12.0 / max(n_groups, 1.0) / staff_hourly_cost
        money = grant_hours / own_budget if group else 0.0
        public = funded[j]
        mandate = mandate_pressure if institution and public else 0.0
        own_funder = 1.0 if officer and funder_of_seat[a[i]] == funder[j] else 0.0
        administered = (group and agreement[c] and administration
                        and initiator_institution[j])
        legitimacy = mandate + own_funder + (mandate_pressure if administered else 0.0)
        conditional_here = 1.0 if conditional[j] and public else 0.0
        exit_cost = in_seat * (conditional_penalty * dependence[c] * conditional_here
                               + inertia * (1.0 if attached[s] else 0.0) * trust[j]
                               + partnership_obligation * (1.0 if bound_until[s] > month
                                                           else 0.0))
        common = (weight_information * information + weight_fit * own_fit
                  + weight_funding * money + weight_legitimacy * legitimacy
                  + weight_ownership * appropriation[j] * meets * in_seat)
        convenes = convenor[j] == a[i]
        own_convening = convening[i] if is_member and convenes else 0.0
        table_hours = hours[j]
        share = delegate_load_share if delegate_seat[s] else 1.0
        load_other = load[c] - (share * table_hours if is_member else 0.0) - own_convening
        price = weight_time * (1.0 + strain[c]) / own_budget
        seat = table_hours + convening[i]
        demand = load_other + seat
        attend = min(1.0, own_budget / max(demand, 1e-9))
        full[i] = attend * (common + weight_influence * influence_full) + exit_cost \
            - price * seat * demand / own_budget
        if group or institution:
            small = delegate_load_share * seat
            demand = load_other + small
            attend = min(1.0, own_budget / max(demand, 1e-9))
            staff = price * (1.0 - delegate_load_share) * seat
            delegate[i] = attend * (common + weight_influence * influence_delegate) \
                + exit_cost - price * small * demand / own_budget - staff
        else:
            delegate[i] = -np.inf
    return full, delegate


@njit(cache=True, nogil=True)
def seats_to_decide(member, attached, turnover_draw, review_draw, invite_draw, load, budget,
                    turnover_rate, reconsider_rate, top_rate, openness_ceiling, visibility, kind,
                    theme, groups, institutions, sectors, required_groups,
                    required_institutions, required_sectors, table_theme, territorial,
                    openness, recruiting, meeting, recruitment_rate, invitation_rate,
                    other_theme_contact, chosen):
    """Mark in `chosen` the members who reconsider and the non-members a table invites this
    month (participation.seats_up_for_decision documents the rule); a seat whose
    representative changes loses its attachment."""
    territories, n_actors, slots = member.shape
    for t in range(territories):
        for a in range(n_actors):
            k = kind[a]
            group, institution = k == GROUP, k == INSTITUTION
            overload = min(max(load[t, a] / budget[t, a] - 1.0, 0.0), 1.0)
            review_rate = reconsider_rate * (1.0 + overload)
            for m in range(slots):
                if member[t, a, m]:
                    turnover = turnover_draw[t, a, m] < turnover_rate
                    if turnover:
                        attached[t, a, m] = False
                    if turnover or review_draw[t, a, m] < review_rate:
                        chosen[t, a, m] = True
                    continue
                draw = invite_draw[t, a, m]
                if not draw < top_rate[t, m] * openness_ceiling * visibility[t, a]:
                    continue
                lacks_sectors = sectors[t, m] < required_sectors[t, m]
                wanted = ((group and groups[t, m] < required_groups[t, m])
                          or (institution and institutions[t, m] < required_institutions[t, m])
                          or ((group or institution) and lacks_sectors))
                same_theme = theme[a] == table_theme[t, m] or territorial[t, m]
                relevance = 1.0 if same_theme or (wanted and lacks_sectors) \
                    else other_theme_contact
                if k == CITIZEN:
                    relevance = relevance * openness[t, m]
                rate = recruitment_rate if recruiting[t, m] and wanted else invitation_rate
                if not meeting[t, m]:
                    rate = 0.0
                if draw < rate * relevance * visibility[t, a]:
                    chosen[t, a, m] = True


@njit(cache=True, nogil=True)
def seat_shares(membership, delegate, delegate_load_share):
    """Each seat's share of its table's hours (a delegate's less), 0 where no one sits."""
    share = np.zeros(membership.shape)
    territories, n_actors, slots = membership.shape
    for t in range(territories):
        for a in range(n_actors):
            for m in range(slots):
                if membership[t, a, m]:
                    share[t, a, m] = delegate_load_share if delegate[t, a, m] else 1.0
    return share


@njit(cache=True, nogil=True)
def add_convening(load, budget, attendance, convenor, support, live, convening_hours):
    """Convenors' uncovered convening hours added to their load (in C order of the tables),
    then the share of its demand each actor can attend (participation.update_load)."""
    territories, slots = convenor.shape
    for t in range(territories):
        for m in range(slots):
            if convenor[t, m] >= 0:
                load[t, convenor[t, m]] += convening_hours * (1.0 - support[t, m]) \
                    * (1.0 if live[t, m] else 0.0)
    for t in range(territories):
        for a in range(load.shape[1]):
            ratio = budget[t, a] / load[t, a] if load[t, a] > 0 else 1.0
            attendance[t, a] = min(1.0, ratio)
