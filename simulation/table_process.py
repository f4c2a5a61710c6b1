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

from . import kernels
from .categories import ActorType, Evaluation
from .state import Cells

if TYPE_CHECKING:
    from .model import ConcertationModel

SMALL_WIN_TRUST = 0.05  # trust gained when a table completes a project (Ansell & Gash; assumption)
# Reporting a programme asks for, relative to result-based accountability (assumption).
REPORTING_WEIGHT = {Evaluation.RESULTS: 1.0, Evaluation.PROCESS: 0.5, Evaluation.NONE: 0.25}
_REPORTING_BY_CODE = np.array([REPORTING_WEIGHT[code] for code in Evaluation])
TOP_DOWN_TYPES = (ActorType.INSTITUTION, ActorType.FUNDER_AGENT)


TOP_DOWN = np.isin(np.arange(len(ActorType)), TOP_DOWN_TYPES)  # by ActorType code


class IssueFit:
    """Fit between actors' missions and tables' agendas, in [0, 1], read for any cells.

    The squared distance's cross term comes from one matrix product over every
    (territory, actor, slot) cell, as it always has (the BLAS kernel's fused multiply-adds
    are part of the model's numbers); the rest is computed only for the cells asked for.
    The geometry is frozen when the view is built: actors decide on what they saw then.
    """

    def __init__(self, model: ConcertationModel) -> None:
        actors, store = model.actors, model.store
        points, centres = actors.position, store.agenda
        self.points, self.centres = points.copy(), centres.copy()
        self.sq_points = np.einsum("tnk,tnk->tn", points, points).ravel()
        self.sq_centres = np.einsum("tmk,tmk->tm", centres, centres).ravel()
        self.cross = np.matmul(points, centres.transpose(0, 2, 1))
        self.actor_breadth = actors.breadth
        self.table_breadth = store.breadth.ravel().copy()
        self.fit_width = model.params.participation.fit_width

    @classmethod
    def of(cls, model: ConcertationModel) -> IssueFit:
        """The fit of the model's current missions and agendas: the last one built while
        neither has moved since (it is asked for several times a month), else a new one."""
        last = model.issue_fit
        store = model.store
        if (last is None or last.centres.shape != store.agenda.shape
                or not np.array_equal(last.points, model.actors.position)
                or not np.array_equal(last.centres, store.agenda)
                or not np.array_equal(last.table_breadth, store.breadth.ravel())
                or last.fit_width != model.params.participation.fit_width):
            last = model.issue_fit = cls(model)
        return last

    def __call__(self, t: np.ndarray, a: np.ndarray, m: np.ndarray) -> np.ndarray:
        """Fit of actor `a` to the agenda of slot `m` in territory `t`, cell by cell."""
        _, actors, slots = self.cross.shape
        return kernels.issue_fit(t, a, m, self.sq_points, self.sq_centres, self.cross.ravel(),
                                 self.actor_breadth, self.table_breadth, self.fit_width,
                                 actors, slots)


def combine(first: np.ndarray, second: np.ndarray, how: str) -> np.ndarray:
    """How two ingredients of collective work combine: 'limiting' (both needed: product) or
    'compensatory' (one makes up for the other: mean). A documented structural choice."""
    return first * second if how == "limiting" else 0.5 * (first + second)


class Seats(Cells):
    """The occupied seats, in C order of the membership array.

    Membership is a few percent dense, so per-table sums run over this list. For each table
    the seats come by ascending actor, the order in which a dense sum over actors adds them:
    the sums are the same numbers, bit for bit.
    """

    def __init__(self, membership: np.ndarray) -> None:
        super().__init__(np.flatnonzero(membership), membership.shape)
        self._tables = membership.shape[0] * membership.shape[2]

    def per_table(self, weights: np.ndarray | None = None) -> np.ndarray:
        """Sum of `weights` (one per seat; 1 by default) over each table's seats (T, m)."""
        total = np.bincount(self.table, weights=weights, minlength=self._tables)
        return total.reshape(self.shape[0], self.shape[2]).astype(np.float64, copy=False)


class TableAggregates:
    """Per-table sums over members, computed once a month and shared by the submodels."""

    def __init__(self, model: ConcertationModel) -> None:
        actors, store, scenario = model.actors, model.store, model.params
        w = scenario.participation
        self.membership = store.membership.copy()
        self._seat_bits: np.ndarray | None = None
        seats = self.seats = Seats(self.membership)
        self.fit_at = IssueFit.of(model)
        fit = self.fit_at(seats.t, seats.a, seats.m)
        n_themes = len(scenario.population.themes)
        territories, n_actors, slots = seats.shape
        # Voice (power, less for a delegate without authority, for citizens as far as the
        # table opens to them, for groups as far as they stay autonomous) pulls the agenda
        # toward each member's mission as hard as the issue concerns it (its fit); a member
        # ready to compromise pulls like an average one. Motives: the share of the present
        # members' reasons to sit that is an advantage for the organisation (money, mandate,
        # obligation, information) rather than common cause (the agenda serving its mission,
        # ownership), the second axis of the tendencies (typology.py).
        prescription = np.where(store.funded, np.minimum(store.prescription, 0.95), 0.0)
        by_voice = scenario.process.bargaining == "by_voice"
        sums, sectors, best, second = kernels.table_sums(
            seats.table, seats.actor, seats.a, actors.kind, actors.theme, fit,
            actors.attendance.ravel(), actors.power.ravel(), actors.autonomy.ravel(),
            actors.compromise.ravel(), actors.position.reshape(-1, 2), actors.budget.ravel(),
            actors.dependence.ravel(), seats.of_seat(store.delegate), store.openness.ravel(),
            store.funded.ravel(), store.conditional.ravel(),
            store.member_money.ravel(), store.appropriation.ravel(),
            prescription.ravel() if by_voice else np.zeros(territories * slots),
            store.theme.ravel(),
            store.territorial.ravel(), territories * slots, territories * n_actors, n_themes,
            w.delegate_authority, scenario.actors.staff_hourly_cost,
            scenario.actors.institution_mandate_pressure, w.information_scale,
            w.weight_funding, w.weight_legitimacy, w.conditional_funding_penalty,
            w.weight_information, w.weight_fit, w.weight_ownership)
        (self.size, self.attending, self.groups, self.institutions, self.voice_sum,
         self.pull_weight, pull_x, pull_y, top_pull, max_pull, local_sum, local_fit,
         concerned, concerned_x, concerned_y, self.citizen_attendance, self.citizen_voice,
         self.power_sum, interest_sum, cause_sum, self.funder_pull) = sums.reshape(
            21, territories, slots)
        self.sectors = sectors.reshape(territories, slots)
        self.attendance_rate = np.where(self.size > 0, self.attending / np.maximum(self.size, 1),
                                        0.0)
        self.pull_target = np.stack([pull_x, pull_y], axis=-1) / np.maximum(
            self.pull_weight, 1e-12)[:, :, None]
        # The funder's pull (process.bargaining). "at_funding": the prescription is the
        # funder's share of the pull, whoever sits. "by_voice": the pull its money buys, from
        # the kernel: members carry the prescription with the part of their voice that sits
        # for what the funder gives (money, mandate, the money's conditions) rather than for
        # information or common cause, so a table its members own or whose agenda serves
        # their missions bargains the prescription down, one recruited for the money carries
        # it out.
        if not by_voice:
            self.funder_pull = prescription * self.pull_weight / (1.0 - prescription)
        top_pull = top_pull + self.funder_pull
        total_pull = self.pull_weight + self.funder_pull
        self.funder_share = np.where(total_pull > 0, self.funder_pull / np.maximum(
            total_pull, 1e-12), 0.0)
        self.top_down_share = np.where(total_pull > 0, top_pull / np.maximum(total_pull, 1e-12),
                                       0.0)
        self.dominant_share = np.where(self.pull_weight > 0, max_pull / np.maximum(
            total_pull, 1e-12), 0.0)
        self.member_fit = np.where(local_sum > 0, local_fit / np.maximum(local_sum, 1e-12), 0.0)
        # Where the members present would put the agenda with equal voices, each as far as
        # the issue concerns it (its fit): what a collective evaluation re-centres on.
        self.concerned_position = np.stack([concerned_x, concerned_y], axis=-1) / np.maximum(
            concerned, 1e-12)[:, :, None]
        total = interest_sum + cause_sum
        self.interest_share = np.where(total > 0, interest_sum / np.maximum(total, 1e-12), 0.0)
        shape = (territories, n_actors, n_themes)
        self.best_issue_fit, self.second_issue_fit = best.reshape(shape), second.reshape(shape)

    def seat_bits(self) -> np.ndarray:
        """Each actor's seats in the view as bits (T, n, words of 64 slots): who meets whom
        is read from them for the pairs asked about."""
        if self._seat_bits is None:
            packed = np.packbits(self.membership, axis=2)
            words = -(-packed.shape[2] // 8)
            padded = np.zeros(packed.shape[:2] + (8 * words,), dtype=np.uint8)
            padded[:, :, : packed.shape[2]] = packed
            self._seat_bits = padded.view(np.uint64)
        return self._seat_bits


def prescribed_share(model: ConcertationModel, agg: TableAggregates) -> np.ndarray:
    """How much of a table's agenda the funder prescribes: the nominal prescription when it
    is set at funding, the funder's share of the pull when the members bargain it."""
    store = model.store
    if model.params.process.bargaining == "by_voice":
        return agg.funder_share * store.funded
    return store.prescription * store.funded


def process_step(model: ConcertationModel, agg: TableAggregates) -> None:
    """Advance the collaborative cycle of every table that met this month."""
    store, p = model.store, model.params.process
    meeting = store.meeting & (agg.size > 0)
    attendance = agg.attendance_rate

    def relax(values: np.ndarray, target: np.ndarray, rate: float) -> None:
        values += np.where(meeting, rate * (target - values), 0.0)

    dialogue = attendance * (store.leadership + (1.0 - store.leadership) * store.support)
    relax(store.trust, dialogue, p.trust_rate)
    relax(store.understanding, store.trust * (1.0 - prescribed_share(model, agg)),
          p.understanding_rate)
    relax(store.commitment, store.understanding * attendance, p.commitment_rate)
    relax(store.appropriation, combine(store.commitment, agg.member_fit, p.combination),
          p.appropriation_rate)
    relax(store.instrumentalisation, agg.top_down_share, p.instrumentalisation_rate)
    relax(store.interest_share, agg.interest_share, p.instrumentalisation_rate)
    store.top_down_share[:] = np.where(meeting, agg.top_down_share, store.top_down_share)
    store.funder_share[:] = np.where(meeting, agg.funder_share, store.funder_share)
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
        process * (agg.concerned_position - store.agenda)
        + results * (store.priority - store.agenda))


def allocate_time(model: ConcertationModel, agg: TableAggregates, meeting: np.ndarray) -> None:
    """What the meeting hours go to: programme management (reporting on the money, more under
    result indicators), development projects, coordination of services, information."""
    store, p = model.store, model.params.process
    weight = _REPORTING_BY_CODE[store.evaluation]
    reporting = store.funding / 1e4 * p.reporting_hours_per_10k * weight
    member_hours = np.maximum(agg.attending * store.hours, 1e-9)
    # Reporting, then delivering the programme's prescribed activities: the funder's share of
    # the agenda is time spent carrying out its programme rather than the table's own plans.
    reporting_share = np.minimum(reporting / member_hours, 1.0)
    management = np.where(store.funded,
                          reporting_share + (1.0 - reporting_share) * agg.funder_share, 0.0)
    # The table's own time goes to three kinds of work, each in proportion to what carries
    # it: exchanging information where members share no understanding yet, coordinating their
    # services where they understand each other but are not committed to a joint plan, and
    # development where they are committed to an agenda that fits their missions.
    claims = np.stack([1.0 - store.understanding,
                       store.understanding * (1.0 - store.commitment),
                       combine(store.commitment, agg.member_fit, p.combination)])
    information, coordination, development = (1.0 - management) * claims / np.maximum(
        claims.sum(axis=0), 1e-12)
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
