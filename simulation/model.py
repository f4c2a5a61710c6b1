"""ConcertationModel: the monthly process of DESIGN §3 on Mesa.

One step is one month: programmes, bottom-up formation, participation, table process, actor
update, integration, life cycle, observation. The heavy work is vectorised in the submodules;
this class wires them together and exposes Mesa's usual surface (rng, agents, DataCollector).
"""

from __future__ import annotations

import operator
from typing import Any

import mesa
import numpy as np
import pandas as pd
from mesa.experimental.scenarios import Scenario as MesaScenario

from .actors import update_actors, update_money
from .agents import ACTOR_CLASSES, Funder, Table
from .categories import (
    CONCERTATION_KIND_LABELS,
    ActorType,
    ConcertationKind,
    Origin,
    State,
    Tendency,
    label,
)
from .formation import formation_step, open_territorial_table
from .indicators import compute_indicators
from .integration import integration_step
from .inventory import place_inventory
from .lifecycle import lifecycle_step
from .organisers import allocate_organisers, organiser_initiatives
from .participation import hand_over_convening, participation_step, update_load
from .programmes import Programme, programmes_step
from .scenario import Scenario, load_scenario
from .state import TableStore, build_actors
from .table_process import IssueFit, TableAggregates, process_step
from .tables import FINAL_FIELDS, TableRegistry, member_organisations
from .typology import classify_concertation_kind, classify_tendency

MESA_SCENARIO_FIELDS = ("rng", "model", "_scenario_id")

FLOWS = ("projects", "partnerships", "meeting_hours", "management_hours", "development_hours",
         "funding_to_projects", "funding_to_operation", "funding_to_members", "seats_left",
         "seats_joined")


def resolve_scenario(scenario: Any, overrides: dict[str, Any]) -> Scenario:
    """A Scenario from a validated Scenario, a shipped name, a TOML path or None, or from a
    Mesa `Scenario` (as SolaraViz passes on Reset): its fields are parameters."""
    if isinstance(scenario, Scenario):
        return scenario.overridden(overrides)
    if isinstance(scenario, MesaScenario):
        fields = {key: value for key, value in scenario.to_dict().items()
                  if key not in MESA_SCENARIO_FIELDS}
        base = fields.pop("scenario", "baseline")
        return resolve_scenario(base, fields | overrides)
    return load_scenario(scenario, overrides)


class IndicatorCollector(mesa.DataCollector):
    """Mesa's DataCollector with one model reporter per indicator. The indicators are plain
    floats in one dict, so a month's row is appended straight from it, without the per-value
    dispatch and deep copy of the generic `collect`."""

    def __init__(self, indicators: dict[str, float]) -> None:
        super().__init__(model_reporters={
            name: [operator.getitem, [indicators, name]] for name in indicators})
        self._indicators = indicators

    def collect(self, model: mesa.Model) -> None:
        self._collection_steps.append(model.time)
        for name, values in self.model_vars.items():
            values.append(self._indicators[name])


class ConcertationModel(mesa.Model):
    """Concertation tables in one or more territories, month by month.

    Args:
        scenario: a validated Scenario, the name of a shipped scenario, a TOML path, or a Mesa
            ``Scenario`` whose fields are parameters (and ``scenario``: the base scenario).
        rng: seed or numpy Generator (Mesa convention).
        record_every: months between rows of the model frame (the first and last month are
            always recorded). Nothing in the dynamics reads the indicators, so a sweep that
            keeps one month in twelve computes only those: the rows it keeps are the same.
        **overrides: any parameter by dotted path (``participation.weight_time``) written with
            ``__`` for the dot, or by its unambiguous name (``weight_time``).

    Before month 0 the territory runs `initial.spinup_years` of bottom-up dynamics (no
    programme launches): the tables that exist in 2000 come from the same rules as later ones.
    """

    def __init__(self, scenario: Any = "baseline", rng: Any = None, record_every: int = 1,
                 **overrides: Any) -> None:
        if isinstance(record_every, bool) or not isinstance(record_every, int) \
                or record_every < 1:
            raise ValueError(f"record_every must be a whole number of months >= 1, "
                             f"got {record_every!r}")
        self.record_every = record_every
        if isinstance(scenario, MesaScenario):
            super().__init__(rng=rng, scenario=scenario)
        else:
            super().__init__(rng=rng)
        self.params = resolve_scenario(scenario, overrides)
        params = self.params
        self.horizon = params.run.years * 12
        self.flows = dict.fromkeys(FLOWS, 0.0)
        self.registry = TableRegistry()
        self.table_agents: dict[int, Table] = {}
        self.programmes: list[Programme] = []
        self.funders = [
            Funder(self, index, funder, self._unit_vector())
            for index, funder in enumerate(params.funders)
        ]
        self.actors = build_actors(params, self.rng)
        self.actor_agents = [
            ACTOR_CLASSES[ActorType(kind)](self, territory, index)
            for territory in range(params.population.territories)
            for index, kind in enumerate(self.actors.kind)
        ]
        self.store = TableStore(params.population.territories, self.actors.n)
        self.month = -params.initial.spinup_years * 12
        self.aggregates: TableAggregates | None = None
        self.issue_fit: IssueFit | None = None  # see IssueFit.of
        self.need_seen: tuple[tuple[int, int], np.ndarray] | None = None  # unaddressed_need
        self.tables_changed = True
        listed_territorial = any(table.territorial for table in params.initial.tables)
        if params.integration.territorial_table and not listed_territorial:
            for territory in range(params.population.territories):
                open_territorial_table(self, territory)
        place_inventory(self)
        while self.month < 0:
            self._advance(programmes=False)
            self.month += 1
        self.flows = dict.fromkeys(FLOWS, 0.0)
        if self.aggregates is None:
            self.aggregates = TableAggregates(self)

        self.indicators: dict[str, float] = {}
        self._actor_snapshots: list[dict[str, np.ndarray]] = []
        self._table_snapshots: list[dict[str, np.ndarray]] = []
        self._observe(self.aggregates)
        self.datacollector = IndicatorCollector(self.indicators)
        self.datacollector.collect(self)
        self._snapshot()
        self.running = True

    def _unit_vector(self) -> np.ndarray:
        angle = self.rng.uniform(0, 2 * np.pi)
        return np.array([np.cos(angle), np.sin(angle)])

    def _advance(self, programmes: bool = True) -> None:
        """One month of the process overview (docs/ODD.md §3)."""
        if programmes:
            programmes_step(self)
        formation_step(self)
        organiser_initiatives(self)
        # Actors decide on what they saw at last month's meetings; the view is rebuilt first
        # only when the set of tables changed since (a table opened or two merged).
        if self.aggregates is None or self.tables_changed:
            self.aggregates = TableAggregates(self)
        participation_step(self, self.aggregates)
        meeting = TableAggregates(self)
        self.tables_changed = False
        allocate_organisers(self)
        update_money(self, meeting)
        update_load(self)
        hand_over_convening(self, meeting)
        process_step(self, meeting)
        update_actors(self)
        integration_step(self)
        lifecycle_step(self, meeting)
        update_load(self)
        self.aggregates = meeting

    def step(self) -> None:
        self.month = self.steps
        self._advance()
        if self.steps % self.record_every == 0 or self.steps >= self.horizon:
            self._observe(self.aggregates)
            self.datacollector.collect(self)
        else:
            self._classify(self.aggregates)
        every = self.params.run.agent_data_every
        if (every and self.steps % every == 0) or self.steps >= self.horizon:
            self._snapshot()
        if self.steps >= self.horizon:
            self.running = False

    def run(self, steps: int | None = None) -> ConcertationModel:
        """Run to the scenario's horizon (or for `steps` months) and return self."""
        target = self.horizon if steps is None else self.steps + steps
        while self.running and self.steps < target:
            self.step()
        return self

    def _classify(self, agg: TableAggregates) -> None:
        """Each table's tendency, model of concertation and size this month: a table that
        dissolves next month keeps them in its record, so they are kept up every month."""
        store = self.store
        store.tendency[:] = classify_tendency(store, agg)
        store.kind[:] = classify_concertation_kind(store, agg)
        store.members[:] = agg.size

    def _observe(self, agg: TableAggregates) -> None:
        self._classify(agg)
        self.indicators.update(compute_indicators(self, agg))
        self.indicators["step"] = float(self.steps)
        self.indicators["year"] = self.params.run.start_year + self.steps / 12

    def _snapshot(self) -> None:
        actors, store = self.actors, self.store
        self._actor_snapshots.append({
            "step": self.steps,
            "memberships": store.membership.sum(axis=2),
            "time_load": actors.load.copy(),
            "strain": actors.strain.copy(),
            "mission_drift": actors.drift.copy(),
            "autonomy": actors.autonomy.copy(),
        })
        live = np.nonzero(store.live)
        self._table_snapshots.append({
            "step": self.steps,
            "table_id": store.table_id[live].copy(),
            "state": store.state[live].copy(),
            "members": store.members[live].copy(),
            "appropriation": store.appropriation[live].copy(),
            "instrumentalisation": store.instrumentalisation[live].copy(),
            "tendency": store.tendency[live].copy(),
            "kind": store.kind[live].copy(),
            "funded": store.funded[live].copy(),
        })

    # ---- public data -------------------------------------------------------------------

    def model_frame(self) -> pd.DataFrame:
        """Model-level indicators, one row per step (step 0 is the initial state)."""
        frame = self.datacollector.get_model_vars_dataframe().reset_index(drop=True)
        frame["step"] = frame["step"].astype(int)
        return frame

    def actor_records(self) -> pd.DataFrame:
        """Each actor's memberships, time load and wellbeing at each snapshot step."""
        actors = self.actors
        territories, n = actors.budget.shape
        territory = np.repeat(np.arange(territories), n)
        index = np.tile(np.arange(n), territories)
        themes = np.array(self.params.population.themes)
        static = {
            "actor_id": territory * n + index,
            "territory": territory,
            "actor_type": np.array([label(ActorType(k)) for k in range(4)])[
                np.tile(actors.kind, territories)],
            "theme": themes[np.tile(actors.theme, territories)],
            "power": actors.power.ravel(),
            "time_budget": actors.budget.ravel(),
        }
        frames = []
        for snap in self._actor_snapshots:
            columns = {"step": np.full(territory.size, snap["step"])} | static
            columns |= {key: value.ravel() for key, value in snap.items() if key != "step"}
            frames.append(pd.DataFrame(columns))
        return pd.concat(frames, ignore_index=True)

    def table_records(self) -> pd.DataFrame:
        """One row per table ever created: how it began, and its current or final state."""
        registry, store = self.registry, self.store
        themes = self.params.population.themes
        funder_names = [f.name for f in self.funders]
        rows = []
        for table_id in range(len(registry)):
            territory, slot = registry.territory[table_id], registry.slot[table_id]
            if registry.is_dissolved(table_id):
                state = dict(registry.final[table_id])
                state["state"] = State.DISSOLVED
            else:
                state = {name: store.arrays[name][territory, slot].item()
                         for name in FINAL_FIELDS + ("state",)}
                state["members"] = int(store.membership[territory, :, slot].sum())
                state["member_organisations"] = member_organisations(self, territory, slot)
            creator = registry.creator_funder[table_id]
            rows.append({
                "table_id": table_id,
                "name": registry.names.get(table_id, ""),
                "territory": territory,
                "origin": label(Origin(registry.origin[table_id])),
                "initiator_type": label(ActorType(registry.initiator_kind[table_id])),
                "theme": "territorial" if registry.territorial[table_id] else themes[
                    registry.theme[table_id]],
                "created_step": registry.created[table_id],
                "created_year": self.params.run.start_year + registry.created[table_id] / 12,
                "creator_funder": funder_names[creator] if creator >= 0 else "",
                "dissolved_step": registry.dissolved[table_id],
                "dissolved_reason": registry.dissolved_reason[table_id],
                "state": label(State(state["state"])),
                "members": state["members"],
                "member_organisations": state["member_organisations"],
                "funded": bool(state["funded"]),
                "trust": state["trust"],
                "understanding": state["understanding"],
                "commitment": state["commitment"],
                "appropriation": state["appropriation"],
                "instrumentalisation": state["instrumentalisation"],
                "projects": state["projects"],
                "partnerships": state["partnerships"],
                "tendency": label(Tendency(state["tendency"])),
                "concertation_model": CONCERTATION_KIND_LABELS[ConcertationKind(state["kind"])],
            })
        records = pd.DataFrame(rows)
        # Nullable: a table still alive has no dissolution month (<NA>), and months before
        # month 0 (the spin-up) are negative, so no number can stand for "alive".
        if len(records):
            records["dissolved_step"] = records["dissolved_step"].astype("Int64")
        return records

    def table_history(self) -> pd.DataFrame:
        """Live tables' state at each snapshot step."""
        frames = []
        for snap in self._table_snapshots:
            frame = pd.DataFrame({key: value for key, value in snap.items() if key != "step"})
            frame.insert(0, "step", snap["step"])
            frames.append(frame)
        history = pd.concat(frames, ignore_index=True)
        history["state"] = [label(State(code)) for code in history["state"]]
        history["tendency"] = [label(Tendency(code)) for code in history["tendency"]]
        history["concertation_model"] = [CONCERTATION_KIND_LABELS[ConcertationKind(code)]
                                         for code in history.pop("kind")]
        return history
