"""What happens inside a table: who has a voice, where the agenda goes, the collaborative
cycle, what the table spends its time on, and what it produces.

Ansell & Gash (2008): dialogue builds trust, trust shared understanding, understanding
commitment, and commitment small wins, which feed trust back. Bourque's eight favourable
conditions each act here through their own channel (docs/ODD.md §7.6): the compromise of the
powerful and the balance of power decide whose missions the agenda follows; support and
leadership make dialogue productive; prescribed goals leave less to analyse together;
citizens' voice depends on how open the table is; attendance is time; evaluation corrects the
course. Appropriation and instrumentalisation are read off who sets the agenda and whom it fits,
never written from scenario values.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .categories import ActorType, Evaluation

if TYPE_CHECKING:
    from .model import ConcertationModel

SMALL_WIN_TRUST = 0.05  # trust gained when a table completes a project (Ansell & Gash; assumption)
# Reporting a programme asks for, relative to result-based accountability (assumption).
REPORTING_WEIGHT = {Evaluation.RESULTS: 1.0, Evaluation.PROCESS: 0.5, Evaluation.NONE: 0.25}
TOP_DOWN_TYPES = (ActorType.INSTITUTION, ActorType.FUNDER_AGENT)


def distance2(points: np.ndarray, centres: np.ndarray) -> np.ndarray:
    """Squared distances between (T, n, 2) points and (T, m, 2) centres: (T, n, m)."""
    sq_points = np.einsum("tnk,tnk->tn", points, points)
    sq_centres = np.einsum("tmk,tmk->tm", centres, centres)
    cross = np.matmul(points, centres.transpose(0, 2, 1))
    return np.maximum(sq_points[:, :, None] + sq_centres[:, None, :] - 2 * cross, 0.0)


def issue_fit(model: ConcertationModel) -> np.ndarray:
    """Fit between each actor's mission and each table's agenda, in [0, 1]."""
    actors, store = model.actors, model.store
    width = model.params.participation.fit_width * np.maximum(
        actors.breadth[None, :, None], store.breadth[:, None, :])
    return np.exp(-distance2(actors.position, store.agenda) / (2 * width**2))


def combine(first: np.ndarray, second: np.ndarray, how: str) -> np.ndarray:
    """How two ingredients of collective work combine: 'limiting' (both needed: product) or
    'compensatory' (one makes up for the other: mean). A documented structural choice."""
    return first * second if how == "limiting" else 0.5 * (first + second)


class TableAggregates:
    """Per-table sums over members, computed once a month and shared by the submodels."""

    def __init__(self, model: ConcertationModel) -> None:
        actors, store, w = model.actors, model.store, model.params.participation
        kind = actors.kind
        member = store.membership.astype(np.float64)
        present = member * actors.attendance[:, :, None]
        citizen = kind == ActorType.CITIZEN
        group = kind == ActorType.COMMUNITY_GROUP
        organisation = group | (kind == ActorType.INSTITUTION)
        top_down = np.isin(kind, TOP_DOWN_TYPES)
        self.fit = issue_fit(model)
        self.size = member.sum(axis=1)
        self.attending = present.sum(axis=1)
        self.attendance_rate = np.where(self.size > 0, self.attending / np.maximum(self.size, 1),
                                        0.0)
        self.groups = np.einsum("tnm,n->tm", member, group.astype(np.float64))
        self.institutions = np.einsum("tnm,n->tm", member,
                                      (kind == ActorType.INSTITUTION).astype(np.float64))
        n_themes = len(model.params.population.themes)
        theme_hot = np.eye(n_themes)[actors.theme] * organisation[:, None]
        self.sectors = (np.matmul(member.transpose(0, 2, 1), theme_hot) > 0).sum(axis=2)

        # Voice: power, less for a delegate without authority, for citizens as far as the
        # table opens to them (Arnstein's ladder), for groups as far as they stay autonomous.
        authority = np.where(store.delegate, w.delegate_authority, 1.0)
        standing = np.where(group[None, :], actors.autonomy, 1.0)
        voice = (actors.power * standing)[:, :, None] * authority
        voice = np.where(citizen[None, :, None], voice * store.openness[:, None, :], voice)
        present_voice = present * voice
        self.voice_sum = present_voice.sum(axis=1)
        mean_voice = self.voice_sum / np.maximum(self.attending, 1e-12)
        # Each member pulls the agenda toward its mission as hard as the issue concerns it
        # (its fit) and by its voice; one ready to compromise pulls like an average member.
        compromise = actors.compromise[:, :, None]
        pull = present * self.fit * ((1.0 - compromise) * voice
                                     + compromise * mean_voice[:, None, :])
        self.pull_weight = pull.sum(axis=1)
        self.pull_target = np.einsum("tnm,tnk->tmk", pull, actors.position) / np.maximum(
            self.pull_weight, 1e-12)[:, :, None]
        prescription = np.where(store.funded, np.minimum(store.prescription, 0.95), 0.0)
        self.funder_pull = prescription * self.pull_weight / (1.0 - prescription)
        top_pull = np.einsum("tnm,n->tm", pull, top_down.astype(np.float64)) + self.funder_pull
        total_pull = self.pull_weight + self.funder_pull
        self.top_down_share = np.where(total_pull > 0, top_pull / np.maximum(total_pull, 1e-12),
                                       0.0)
        self.dominant_share = np.where(self.pull_weight > 0, pull.max(axis=1) / np.maximum(
            total_pull, 1e-12), 0.0)
        local = present * (~(kind == ActorType.FUNDER_AGENT))[None, :, None]
        local_sum = local.sum(axis=1)
        self.member_fit = np.where(local_sum > 0, (local * self.fit).sum(axis=1) / np.maximum(
            local_sum, 1e-12), 0.0)
        self.citizen_attendance = np.einsum("tnm,n->tm", present, citizen.astype(np.float64))
        self.citizen_voice = np.einsum("tnm,n->tm", present_voice, citizen.astype(np.float64))
        power = actors.power
        self.power_sum = np.einsum("tnm,tn->tm", member, power)
        self.public_power_share = np.einsum(
            "tnm,tn->tm", member, power * top_down[None, :]) / np.maximum(self.power_sum, 1e-12)
        self.mean_position = np.einsum("tnm,tnk->tmk", local, actors.position) / np.maximum(
            local_sum, 1e-12)[:, :, None]
        self.interest_share = motives(model, self, present)
        # Who meets whom (tables shared) and seats per issue: what a seat adds (participation).
        self.contacts = np.matmul(member, member.transpose(0, 2, 1))
        # Each actor's best and second-best fit among its seats on each issue (T, n, K).
        seated_fit = np.where(store.membership & ~store.territorial[:, None, :], self.fit, -1.0)
        self.best_issue_fit = np.full(seated_fit.shape[:2] + (n_themes,), -1.0)
        self.second_issue_fit = self.best_issue_fit.copy()
        for theme in range(n_themes):
            on_issue = np.where((store.theme == theme)[:, None, :], seated_fit, -1.0)
            top2 = -np.partition(-on_issue, min(1, on_issue.shape[2] - 1), axis=2)
            self.best_issue_fit[:, :, theme] = top2[:, :, 0]
            if on_issue.shape[2] > 1:
                self.second_issue_fit[:, :, theme] = top2[:, :, 1]


def motives(model: ConcertationModel, agg: TableAggregates, present: np.ndarray) -> np.ndarray:
    """Share of the present members' reasons to sit that is an advantage for the organisation
    (money, mandate, obligation, information) rather than common cause (the agenda serving its
    mission, ownership): the second axis of the tendencies (typology.py)."""
    actors, store, scenario = model.actors, model.store, model.params
    w = scenario.participation
    kind = actors.kind
    group = (kind == ActorType.COMMUNITY_GROUP)[None, :, None]
    institution = (kind == ActorType.INSTITUTION)[None, :, None]
    officer = (kind == ActorType.FUNDER_AGENT)[None, :, None]
    grant_hours = store.member_money / 12.0 / np.maximum(agg.groups, 1.0) \
        / scenario.actors.staff_hourly_cost
    money = group * grant_hours[:, None, :] / actors.budget[:, :, None]
    public = store.funded[:, None, :]
    mandate = institution * public * scenario.actors.institution_mandate_pressure + officer
    conditional = (store.conditional & store.funded)[:, None, :] * actors.dependence[:, :, None]
    information = 1.0 - np.exp(-agg.attending / w.information_scale)
    interest = (w.weight_funding * money + w.weight_legitimacy * mandate
                + w.conditional_funding_penalty * conditional
                + w.weight_information * information[:, None, :])
    cause = w.weight_fit * agg.fit + w.weight_ownership * store.appropriation[:, None, :]
    interest_sum = (present * interest).sum(axis=1)
    total = interest_sum + (present * cause).sum(axis=1)
    return np.where(total > 0, interest_sum / np.maximum(total, 1e-12), 0.0)


def process_step(model: ConcertationModel, agg: TableAggregates) -> None:
    """Advance the collaborative cycle of every table that met this month."""
    store, p = model.store, model.params.process
    meeting = store.meeting & (agg.size > 0)
    attendance = agg.attendance_rate

    def relax(values: np.ndarray, target: np.ndarray, rate: float) -> None:
        values += np.where(meeting, rate * (target - values), 0.0)

    dialogue = attendance * (store.leadership + (1.0 - store.leadership) * store.support)
    relax(store.trust, dialogue, p.trust_rate)
    relax(store.understanding, store.trust * (1.0 - store.prescription * store.funded),
          p.understanding_rate)
    relax(store.commitment, store.understanding * attendance, p.commitment_rate)
    relax(store.appropriation, combine(store.commitment, agg.member_fit, p.combination),
          p.appropriation_rate)
    relax(store.instrumentalisation, agg.top_down_share, p.instrumentalisation_rate)
    relax(store.interest_share, agg.interest_share, p.instrumentalisation_rate)
    store.top_down_share[:] = np.where(meeting, agg.top_down_share, store.top_down_share)
    store.dominant_share[:] = np.where(meeting, agg.dominant_share, store.dominant_share)
    move_agenda(model, agg, meeting)
    evaluate(model, agg, meeting)
    allocate_time(model, agg, meeting)
    produce(model, agg, meeting)


def move_agenda(model: ConcertationModel, agg: TableAggregates, meeting: np.ndarray) -> None:
    """Members pull the agenda toward their missions by voice (less when they compromise); a
    prescriptive programme pulls it toward the funder's priority with its share of the pull."""
    store, rate = model.store, model.params.process.agenda_rate
    total = agg.pull_weight + agg.funder_pull
    move = (agg.pull_weight[:, :, None] * (agg.pull_target - store.agenda)
            + agg.funder_pull[:, :, None] * (store.priority - store.agenda)) / np.maximum(
        total, 1e-12)[:, :, None]
    store.agenda += rate * move * (meeting & (total > 0))[:, :, None]


def evaluate(model: ConcertationModel, agg: TableAggregates, meeting: np.ndarray) -> None:
    """Once a cycle a table is evaluated: a collective (process) evaluation re-centres the
    agenda on the members present; a result evaluation holds it to the funder's targets."""
    store, p = model.store, model.params.process
    due = meeting & ((model.month - store.created) % p.evaluation_months == 0) & (agg.size > 0)
    process = (due & (store.evaluation == Evaluation.PROCESS))[:, :, None]
    results = (due & (store.evaluation == Evaluation.RESULTS) & store.funded)[:, :, None]
    store.agenda += p.evaluation_correction * (
        process * (agg.mean_position - store.agenda) + results * (store.priority - store.agenda))


def allocate_time(model: ConcertationModel, agg: TableAggregates, meeting: np.ndarray) -> None:
    """What the meeting hours go to: programme management (reporting on the money, more under
    result indicators), development projects, coordination of services, information."""
    store, p = model.store, model.params.process
    weight = np.select([store.evaluation == code for code in REPORTING_WEIGHT],
                       list(REPORTING_WEIGHT.values()))
    reporting = store.funding / 1e4 * p.reporting_hours_per_10k * weight
    member_hours = np.maximum(agg.attending * store.hours, 1e-9)
    # Reporting, then delivering the programme's prescribed activities: the funder's share of
    # the agenda is time spent carrying out its programme rather than the table's own plans.
    reporting_share = np.minimum(reporting / member_hours, 1.0)
    total_pull = np.maximum(agg.pull_weight + agg.funder_pull, 1e-12)
    delivery = agg.funder_pull / total_pull
    management = np.where(store.funded, reporting_share + (1.0 - reporting_share) * delivery,
                          0.0)
    development = (1.0 - management) * combine(store.commitment, agg.member_fit,
                                               p.combination)
    coordination = (1.0 - management - development) * store.understanding
    information = 1.0 - management - development - coordination
    for name, value in (("management", management), ("development", development),
                        ("coordination", coordination), ("information", information)):
        store.arrays[name][:] = np.where(meeting, value, 0.0)


def produce(model: ConcertationModel, agg: TableAggregates, meeting: np.ndarray) -> None:
    """Collective projects come from the time a table gives to development, faster with means
    to carry them out; some become partnerships that bind the organisations present."""
    store, p = model.store, model.params.process
    means = 1.0 + store.project_money / p.project_cost
    chance = np.clip(p.project_rate * store.development * agg.attendance_rate * means, 0.0, 1.0)
    draws = model.rng.random(chance.shape + (2,))
    new = meeting & (draws[..., 0] < chance)
    store.projects += new
    store.trust[:] = np.minimum(store.trust + SMALL_WIN_TRUST * new, 1.0)
    partners = new & (agg.groups + agg.institutions >= 2) & (draws[..., 1] < p.partnership_share)
    store.partnerships += partners
    if partners.any():
        organisation = model.actors.kind <= ActorType.INSTITUTION
        bound = store.membership & partners[:, None, :] & organisation[None, :, None]
        store.bound_until[bound] = model.month + p.partnership_months

    member_hours = agg.attending * store.hours * meeting
    flows = model.flows
    flows["projects"] += int(new.sum())
    flows["partnerships"] += int(partners.sum())
    flows["meeting_hours"] += float(member_hours.sum())
    flows["management_hours"] += float((member_hours * store.management).sum())
    flows["development_hours"] += float((member_hours * store.development).sum())
    monthly = store.funded / 12.0
    to_projects = store.project_money * store.development * monthly
    flows["funding_to_projects"] += float(to_projects.sum())
    flows["funding_to_operation"] += float(
        ((store.coordination_money + store.project_money) * monthly).sum() - to_projects.sum())
    flows["funding_to_members"] += float((store.member_money * monthly).sum())
