"""What happens inside a table: the collaborative cycle, the agenda, appropriation and
instrumentalisation, projects and programme-management work.

Ansell & Gash (2008): dialogue builds trust, trust shared understanding, understanding
commitment, and commitment small wins. Bourque's eight favourable conditions set how far the
cycle can go; prescription, result-only evaluation and power imbalance instrumentalise.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .categories import ActorType, Evaluation, State

if TYPE_CHECKING:
    from .model import ConcertationModel

CITIZEN_SHARE_FOR_FULL_INVOLVEMENT = 0.25  # assumption: a quarter of attendance is "involved"
EVALUATION_CONDITION = {Evaluation.NONE: 0.5, Evaluation.RESULTS: 0.0, Evaluation.PROCESS: 1.0}
EVALUATION_INSTRUMENTALISES = {Evaluation.NONE: 0.0, Evaluation.RESULTS: 1.0,
                               Evaluation.PROCESS: 0.0}


class TableAggregates:
    """Per-table sums over members, computed once per step and shared by the submodels."""

    def __init__(self, model: ConcertationModel) -> None:
        actors, store = model.actors, model.store
        member = store.membership.astype(np.float64)
        present = member * actors.attendance[:, :, None]
        kind = actors.kind
        self.size = member.sum(axis=1)
        self.attending = present.sum(axis=1)
        self.attendance_rate = np.where(self.size > 0, self.attending / np.maximum(self.size, 1),
                                        0.0)
        power = actors.power
        self.power_sum = np.einsum("tnm,tn->tm", member, power)
        power2 = np.einsum("tnm,tn->tm", member, power**2)
        safe_sum = np.maximum(self.power_sum, 1e-12)
        # Effective number of members by power over actual number: 1 when all are equal.
        self.power_balance = np.where(self.size > 0, safe_sum**2 / np.maximum(
            self.size * power2, 1e-12), 1.0)
        self.max_power_share = np.max(member * power[:, :, None], axis=1) / safe_sum
        self.powerful_compromise = np.einsum(
            "tnm,tn->tm", member, power**2 * actors.compromise) / np.maximum(power2, 1e-12)
        citizen = (kind == ActorType.CITIZEN).astype(np.float64)
        public = np.isin(kind, (ActorType.INSTITUTION, ActorType.FUNDER_AGENT)).astype(np.float64)
        self.citizen_attendance = np.einsum("tnm,n->tm", present, citizen)
        self.citizen_power = np.einsum("tnm,tn->tm", member, power * citizen[None, :])
        self.public_power_share = np.einsum("tnm,tn->tm", member, power * public[None, :]) \
            / safe_sum
        weights = present * (power * (1.0 - actors.compromise))[:, :, None]
        self.pull_weight = weights.sum(axis=1)
        self.pull_target = np.einsum("tnm,tnk->tmk", weights, actors.position) / np.maximum(
            self.pull_weight, 1e-12)[:, :, None]


def favourable_conditions(model: ConcertationModel, agg: TableAggregates) -> np.ndarray:
    """The mean of Bourque's eight favourable operational conditions, per table, in [0, 1]."""
    store, process = model.store, model.params.process
    age = model.steps - store.created
    citizen_share = np.where(agg.attending > 0, agg.citizen_attendance / np.maximum(
        agg.attending, 1e-12), 0.0)
    evaluation = np.select(
        [store.evaluation == code for code in EVALUATION_CONDITION],
        list(EVALUATION_CONDITION.values()))
    conditions = [
        agg.powerful_compromise,  # 1 compromise capacity, above all of the most powerful
        agg.power_balance,  # 2 relevant actors with comparable power
        np.minimum(store.links.sum(axis=2) / 2.0, 1.0),  # 3 integrating other tables
        0.5 * (store.support + store.leadership),  # 4 leadership with professional support
        1.0 - store.prescription,  # 5 collectivised analysis and choice of goals
        np.minimum(citizen_share / CITIZEN_SHARE_FOR_FULL_INVOLVEMENT, 1.0),  # 6 people concerned
        np.minimum(age / process.time_needed_months, 1.0) * agg.attendance_rate,  # 7 time
        evaluation,  # 8 collective evaluation
    ]
    return np.mean(conditions, axis=0)


def process_step(model: ConcertationModel, agg: TableAggregates) -> None:
    """Advance the collaborative cycle of every table that met this month."""
    store, p = model.store, model.params.process
    meeting = (store.state == State.ACTIVE) | (store.state == State.FORMING)
    meeting &= agg.size > 0
    conditions = favourable_conditions(model, agg)
    store.conditions[:] = np.where(meeting, conditions, store.conditions)
    attendance = agg.attendance_rate

    def relax(values: np.ndarray, target: np.ndarray, rate: float) -> None:
        values += np.where(meeting, rate * (target - values), 0.0)

    relax(store.trust, conditions * attendance, p.trust_rate)
    relax(store.understanding, store.trust * (1.0 - 0.5 * store.prescription), p.understanding_rate)
    relax(store.commitment, store.understanding * attendance, p.commitment_rate)
    relax(store.appropriation, conditions * (0.4 + 0.6 * store.commitment), p.appropriation_rate)
    result_pressure = np.select(
        [store.evaluation == code for code in EVALUATION_INSTRUMENTALISES],
        list(EVALUATION_INSTRUMENTALISES.values())) * store.funded
    instrumental_target = np.clip(
        0.4 * store.prescription
        + 0.2 * result_pressure
        + 0.25 * (1.0 - agg.power_balance) * agg.public_power_share
        + 0.15 * (store.conditional & store.funded),
        0.0, 1.0,
    )
    relax(store.instrumentalisation, instrumental_target, p.instrumentalisation_rate)
    move_agenda(model, agg, meeting)
    produce_work(model, agg, meeting)


def move_agenda(model: ConcertationModel, agg: TableAggregates, meeting: np.ndarray) -> None:
    """Members pull the agenda toward their missions by power and unwillingness to compromise;
    a prescriptive programme pulls it toward the funder's priority."""
    store, rate = model.store, model.params.process.agenda_rate
    has_pull = (meeting & (agg.pull_weight > 0))[:, :, None]
    toward_members = np.where(has_pull, agg.pull_target - store.agenda, 0.0)
    toward_funder = np.where(store.funded[:, :, None],
                             store.prescription[:, :, None] * (store.priority - store.agenda), 0.0)
    store.agenda += rate * (toward_members * (1.0 - store.prescription[:, :, None])
                            + toward_funder) * meeting[:, :, None]


def produce_work(model: ConcertationModel, agg: TableAggregates, meeting: np.ndarray) -> None:
    """Collective projects come from committed, appropriated tables; programme management
    absorbs the hours of funded, instrumentalised ones."""
    store, p = model.store, model.params.process
    chance = p.project_rate * store.commitment * store.appropriation \
        * (1.0 - store.instrumentalisation) * agg.attendance_rate
    new_projects = meeting & (model.rng.random(chance.shape) < chance)
    store.projects += new_projects
    member_hours = agg.attending * store.hours
    management_share = np.where(store.funded, store.instrumentalisation, 0.0)
    model.flows["projects"] += int(new_projects.sum())
    model.flows["management_hours"] += float((member_hours * management_share * meeting).sum())
    model.flows["development_hours"] += float(
        (member_hours * (1.0 - management_share) * meeting).sum())
    to_projects = store.funding * store.appropriation * store.commitment
    model.flows["funding_to_projects"] += float((to_projects * store.funded).sum())
    model.flows["funding_to_operation"] += float(
        ((store.funding - to_projects) * store.funded).sum())
