"""The honest reference for speed: the same territory written as Mesa's tutorials teach.

The performance issue asks the model to be ten times faster than "a naive per-agent Mesa model
of the same size". This is that model, kept as the yardstick `analyses.benchmark` measures
against in the same process. It has the same actors (community groups, institutions, citizens,
funders' officers, in the scenario's numbers and time budgets), the same kinds of tables
(bottom-up ones on a theme, programme ones a funder launches, funds and leaves) and the same
monthly decisions: each member reconsiders its seat at the scenario's rate, tables invite
actors, and each actor weighs a seat by information, influence, fit of the agenda with its
mission, money, mandate, ownership and the hours against its budget (multinomial logit
between staying out and sitting); tables move their agenda toward their members, build trust,
understanding, commitment and appropriation, go dormant and dissolve. Every rule is a loop over
agents in plain Python, one `Agent.step` each, scheduled with `AgentSet.shuffle_do`, indicators
through a `DataCollector`: what a careful modeller writes first.

It is a benchmark, not a second model: it is not validated and its rules are simplified
(no delegates, no convening, no links or integration, no typology). It does *less* per
actor-table pair than `simulation`, so a speed ratio against it is a lower bound.
"""

from __future__ import annotations

import math

import mesa

from simulation.scenario import Scenario, load_scenario

GROUP, INSTITUTION, OFFICER, CITIZEN = "group", "institution", "officer", "citizen"


class NaiveActor(mesa.Agent):
    """An actor that decides on its seats one table at a time."""

    def __init__(self, model: NaiveModel, kind: str, budget: float, power: float) -> None:
        super().__init__(model)
        self.kind, self.budget, self.power = kind, budget, power
        self.theme = self.random.randrange(len(model.params.population.themes))
        self.mission = (self.random.gauss(0, 0.3), self.random.gauss(0, 0.3))
        self.seats: set[NaiveTable] = set()
        self.load = 0.0

    def fit(self, table: NaiveTable) -> float:
        """How well the table's agenda serves the actor's mission, in [0, 1]."""
        dx = self.mission[0] - table.agenda[0]
        dy = self.mission[1] - table.agenda[1]
        return math.exp(-(dx * dx + dy * dy) / (2 * self.model.params.participation.fit_width**2))

    def value(self, table: NaiveTable, member: bool) -> float:
        """Net advantage of a seat at `table`, in the common unit of the actor's time."""
        w = self.model.params.participation
        others = [a for a in table.members if a is not self]
        fit = self.fit(table)
        information = 1.0 - math.exp(-len(others) / w.information_scale)
        voice = sum(a.power for a in others)
        influence = self.power / (voice + self.power)
        hourly = self.model.params.actors.staff_hourly_cost
        money = table.grant / max(1, sum(a.kind == GROUP for a in others) + 1) / 12.0 / hourly \
            / self.budget if self.kind == GROUP else 0.0
        mandate = 1.0 if table.funded and self.kind in (INSTITUTION, OFFICER) else 0.0
        load = self.load - (table.hours if member else 0.0) + table.hours
        attendance = min(1.0, self.budget / max(load, 1e-9))
        benefit = attendance * (w.weight_information * information + w.weight_fit * fit
                                + w.weight_influence * influence + w.weight_funding * money
                                + w.weight_legitimacy * mandate
                                + w.weight_ownership * table.appropriation)
        stay = w.inertia if member else 0.0
        return benefit + stay - w.weight_time * table.hours * load / self.budget**2

    def decide(self, table: NaiveTable) -> None:
        """Sit or not, by a logit choice between the seat's value and staying out."""
        member = table in self.seats
        noise = self.model.params.participation.decision_noise
        chance = 1.0 / (1.0 + math.exp(-max(min(self.value(table, member) / noise, 50), -50)))
        if self.random.random() < chance:
            if not member:
                table.members.add(self)
                self.seats.add(table)
        elif member:
            table.members.discard(self)
            self.seats.discard(table)
        self.load = sum(t.hours for t in self.seats)

    def step(self) -> None:
        w = self.model.params.participation
        overload = max(0.0, min(1.0, self.load / self.budget - 1.0))
        for table in list(self.seats):
            if self.random.random() < w.reconsider_rate * (1.0 + overload):
                self.decide(table)
        for table in self.model.tables:
            if table not in self.seats and self.random.random() < w.invitation_rate * (
                    1.0 if table.theme == self.theme or table.territorial else 0.05):
                self.decide(table)


class NaiveTable(mesa.Agent):
    """A concertation table that meets, builds its collaborative cycle and lives or dies."""

    def __init__(self, model: NaiveModel, theme: int, hours: float, funded: bool = False,
                 grant: float = 0.0, months: int = 0) -> None:
        super().__init__(model)
        self.theme, self.hours, self.funded, self.grant = theme, hours, funded, grant
        self.months_funded = months
        self.territorial = False
        self.agenda = (self.random.gauss(0, 0.3), self.random.gauss(0, 0.3))
        self.members: set[NaiveActor] = set()
        self.trust = self.understanding = self.commitment = self.appropriation = 0.0
        self.low_months = 0
        self.dormant = False

    def step(self) -> None:
        p, params = self.model.params.process, self.model.params.tables
        if self.funded:
            self.months_funded -= 1
            if self.months_funded <= 0:
                self.funded, self.grant = False, 0.0
        attending = sum(min(1.0, a.budget / max(a.load, 1e-9)) for a in self.members)
        rate = attending / len(self.members) if self.members else 0.0
        if self.members:
            weight = sum(a.power for a in self.members)
            target_x = sum(a.power * a.mission[0] for a in self.members) / weight
            target_y = sum(a.power * a.mission[1] for a in self.members) / weight
            self.agenda = (self.agenda[0] + p.agenda_rate * (target_x - self.agenda[0]),
                           self.agenda[1] + p.agenda_rate * (target_y - self.agenda[1]))
            fits = [a.fit(self) for a in self.members]
            member_fit = sum(fits) / len(fits)
            prescription = self.model.params.programmes.design.prescription if self.funded \
                else 0.0
            self.trust += p.trust_rate * (rate * p.leadership_quality - self.trust)
            self.understanding += p.understanding_rate * (
                self.trust * (1 - prescription) - self.understanding)
            self.commitment += p.commitment_rate * (self.understanding * rate - self.commitment)
            self.appropriation += p.appropriation_rate * (
                self.commitment * member_fit - self.appropriation)
        quorum = attending >= params.min_members
        self.low_months = 0 if quorum else self.low_months + 1
        if self.low_months >= params.dormant_after_months:
            self.dormant = True
        if not self.members or (self.dormant and self.low_months >= params.dormant_after_months
                                + params.dissolve_after_dormant_months):
            self.dissolve()

    def dissolve(self) -> None:
        for actor in self.members:
            actor.seats.discard(self)
            actor.load = sum(t.hours for t in actor.seats)
        self.members.clear()
        self.model.tables.remove(self)
        self.model.tables_dissolved += 1
        self.remove()


class NaiveModel(mesa.Model):
    """One territory, month by month, every rule a loop over agents."""

    def __init__(self, scenario: str | Scenario = "baseline", rng: int | None = None) -> None:
        super().__init__(rng=rng)
        self.params = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
        population, actors = self.params.population, self.params.actors
        for count, kind, budget, power in (
                (population.community_groups, GROUP, actors.group_time_budget,
                 actors.group_power),
                (population.institutions, INSTITUTION, actors.institution_time_budget,
                 actors.institution_power),
                (population.citizens, CITIZEN, actors.citizen_time_budget, actors.citizen_power),
                (len(self.params.funders), OFFICER, actors.funder_agent_time_budget,
                 actors.funder_agent_power)):
            for _ in range(count):
                NaiveActor(self, kind, budget, power)
        self.actors = self.agents_by_type[NaiveActor]
        self.tables: list[NaiveTable] = []
        self.tables_dissolved = 0
        self.horizon = (self.params.initial.spinup_years + self.params.run.years) * 12
        self.datacollector = mesa.DataCollector(model_reporters={
            "tables": lambda m: len(m.tables),
            "memberships_per_actor": lambda m: sum(len(a.seats) for a in m.actors)
            / len(m.actors),
            "over_solicited_share": lambda m: sum(a.load > a.budget for a in m.actors)
            / len(m.actors),
            "appropriation": lambda m: sum(t.appropriation for t in m.tables)
            / max(len(m.tables), 1),
        })

    def open_table(self, theme: int, hours: float, initiator: NaiveActor | None = None,
                   **funding: float) -> NaiveTable:
        table = NaiveTable(self, theme, hours, **funding)
        if initiator is not None:
            table.agenda = initiator.mission
        self.tables.append(table)
        founders = [a for a in self.actors if a.theme == theme and a.kind != CITIZEN]
        for actor in self.random.sample(founders, min(len(founders),
                                                      self.params.tables.min_members)):
            table.members.add(actor)
            actor.seats.add(table)
            actor.load += hours
        return table

    def step(self) -> None:
        themes = len(self.params.population.themes)
        for theme in range(themes):  # groups whose issue no table carries start one
            groups = [a for a in self.actors if a.kind == GROUP and a.theme == theme]
            uncovered = [a for a in groups if not any(
                t.theme == theme and a.fit(t) >= 0.4 for t in self.tables)]
            if groups and self.random.random() < self.params.tables.bottom_up_rate * len(
                    uncovered) / len(groups):
                self.open_table(theme, self.params.tables.meeting_hours,
                                initiator=self.random.choice(uncovered))
        if self.steps > self.params.initial.spinup_years * 12:
            for funder in self.params.funders:  # programmes launch at the funder's rate
                if self.random.random() < funder.launch_rate_per_year / 12.0:
                    design = self.params.programmes.design
                    self.open_table(self.random.randrange(themes),
                                    self.params.tables.programme_meeting_hours, funded=True,
                                    grant=design.funding_per_table * design.member_grant_share,
                                    months=int(design.duration_years * 12))
        self.actors.shuffle_do("step")
        for table in list(self.tables):
            table.step()
        self.datacollector.collect(self)
        if self.steps >= self.horizon:
            self.running = False

    def run(self) -> NaiveModel:
        while self.running:
            self.step()
        return self
