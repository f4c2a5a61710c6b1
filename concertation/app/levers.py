"""The levers an instructor moves, and the model the app builds from them.

Each lever is one scenario parameter (a dotted path of `simulation.Scenario`). The app starts
from a shipped preset and overrides only these parameters; what the running model actually
uses is read back from its validated `params`, never from the controls.

Mesa's SolaraViz rebuilds the model on Reset as `type(model)(**model_params)`, with the values
its own inputs had when it was mounted. The page's controls therefore live in one mutable
`Settings` object per session, handed to SolaraViz as a fixed parameter: Reset always builds
the model from what the controls say now.
"""

from __future__ import annotations

import threading
import zlib
from dataclasses import dataclass, field
from typing import Any

from mesa.visualization.utils import update_counter

from simulation import ConcertationModel, Scenario, available_scenarios, load_scenario

from .i18n import fmt, t
from .pacing import FramePacer

DEFAULT_PRESET = "baseline"
DEFAULT_SEED = 0  # as `concertation run`
EVALUATIONS = ("results", "process", "none")


@dataclass(frozen=True)
class Lever:
    name: str  # key of the value in Settings and of the i18n label
    path: str  # dotted parameter path in the scenario
    kind: str  # "float", "int", "bool" or "choice"
    low: float = 0.0
    high: float = 1.0
    step: float = 0.05


LEVERS: tuple[Lever, ...] = (
    Lever("launch_rate_multiplier", "programmes.launch_rate_multiplier", "float", 0.0, 4.0, 0.1),
    Lever("conditional_funding", "programmes.design.conditional_funding", "bool"),
    Lever("prescription", "programmes.design.prescription", "float"),
    Lever("evaluation", "programmes.design.evaluation", "choice"),
    Lever("professional_support", "process.professional_support", "float"),
    Lever("citizen_openness", "process.citizen_openness", "float"),
    Lever("power_imbalance", "actors.power_imbalance", "float"),
    Lever("territorial_table", "integration.territorial_table", "bool"),
    Lever("community_groups", "population.community_groups", "int", 10, 400, 10),
)
LEVERS_BY_NAME = {lever.name: lever for lever in LEVERS}


def presets() -> list[str]:
    """The shipped scenarios, baseline first."""
    return sorted(available_scenarios(), key=lambda name: (name != DEFAULT_PRESET, name))


def coerce_seed(value: Any) -> int:
    """A seed from a control, always one the model accepts (a non-negative integer): ints
    pass, numeric text is parsed, a negative number counts as its size (-5 is seed 5), other
    text is hashed stably. A class types anything; the page must never break on it.

    Mesa 3.5.1 hands a seed typed in a text box to the model as a string (mesa#3516).
    """
    return abs(_seed_number(value))


def _seed_number(value: Any) -> int:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = "" if value is None else str(value).strip()
    if not text:
        return DEFAULT_SEED
    try:
        return int(text)
    except ValueError:
        pass
    try:
        number = float(text)
    except ValueError:
        number = float("nan")
    if number.is_integer():
        return int(number)
    return zlib.crc32(text.encode("utf-8"))


def _read(params: Scenario, path: str) -> Any:
    node: Any = params
    for part in path.split("."):
        node = getattr(node, part)
    return node


def lever_values(params: Scenario) -> dict[str, Any]:
    """Each lever's value as the scenario has it."""
    return {lever.name: _read(params, lever.path) for lever in LEVERS}


def lever_overrides(values: dict[str, Any]) -> dict[str, Any]:
    """Scenario overrides (dotted paths) for the lever values given."""
    overrides: dict[str, Any] = {}
    for name, value in values.items():
        lever = LEVERS_BY_NAME[name]
        if lever.kind == "int":
            value = round(value)
        elif lever.kind == "float":
            value = float(value)
        elif lever.kind == "bool":
            value = bool(value)
        elif value not in EVALUATIONS:
            raise ValueError(f"{name} expects one of {EVALUATIONS}, got {value!r}")
        overrides[lever.path] = value
    return overrides


@dataclass
class Settings:
    """What the page's controls say: a preset and the levers' values (one per session)."""

    preset: str = DEFAULT_PRESET
    values: dict[str, Any] = field(default_factory=dict)  # a lever missing: as the preset

    @classmethod
    def of_preset(cls, preset: str) -> Settings:
        return cls(preset, lever_values(load_scenario(preset)))

    def choose(self, preset: str) -> None:
        """Take a preset and its own lever values."""
        self.preset = preset
        self.values = lever_values(load_scenario(preset))

    def set(self, name: str, value: Any) -> None:
        if name not in LEVERS_BY_NAME:
            raise KeyError(f"unknown lever {name!r}")
        self.values = {**self.values, name: value}


class AppModel(ConcertationModel):
    """`ConcertationModel` built from the page's settings and a seed; adds no behaviour.

    Explicit keywords, no `**kwargs`: Mesa 3.5.1's Reset adds `scenario=<mesa Scenario>` to
    the arguments of a model whose `__init__` takes `**kwargs`.
    """

    def __init__(self, settings: Settings | None = None, seed: Any = DEFAULT_SEED) -> None:
        settings = settings if settings is not None else Settings()
        self.preset = settings.preset
        self.seed_value = coerce_seed(seed)
        super().__init__(scenario=load_scenario(settings.preset), rng=self.seed_value,
                         **lever_overrides(settings.values))
        self.settings = lever_values(self.params)
        # SolaraViz's Step runs `render_interval` steps whatever `running` says: past the
        # horizon a step does nothing, so the counter never shows a month after the end. And
        # its Play loop would go on stepping for a tab that was closed (until Solara culls the
        # session): with no page of the session connected, the model stops at once. Each step
        # also waits for the views to have drawn the last one (`pacing`).
        advance, session = self.step, _current_session()
        self.pacer = FramePacer(lambda: update_counter.value)
        self._stepping = threading.Lock()  # a step and `retire` take turns

        def step_while_watched() -> None:
            if self.steps >= self.horizon or not _watched(session):
                self.running = False
                return
            self.pacer.wait_for_views()
            with self._stepping:
                if not self.retired:
                    advance()

        self.step = step_while_watched

    retired = False

    def retire(self) -> None:
        """Let go of the run's state for good: its page has ended, or a new run replaced it.

        Why: Solara 1.58 never forgets a player it has made (each `use_task` in Mesa's
        controller registers a kernel-start callback that is never removed, and it holds the
        player's model), so every run of every session stayed in memory, about 2 MB each. A
        retired model keeps its month and its settings, nothing of the territory, and its
        player's steps do nothing."""
        with self._stepping:
            kept = {name: getattr(self, name) for name in RETIRED_KEEPS}
            self.__dict__.clear()
            self.__dict__.update(kept, running=False, retired=True, step=_no_step)


# What a retired model keeps: what names it (the page's summary, a download's file name) and
# its month (Mesa's counter); all of it small.
RETIRED_KEEPS = ("preset", "seed_value", "settings", "steps", "_time", "month", "horizon",
                 "_stepping")


def _no_step() -> None:
    """A retired model's step."""


def _current_session() -> Any:
    """The Solara session (virtual kernel) the model is made in; None outside a server."""
    from solara.server import kernel_context

    try:
        return kernel_context.get_current_context()
    except RuntimeError:
        return None


def _watched(session: Any) -> bool:
    """Whether a browser page of the session is still connected (always, outside a server)."""
    if session is None:
        return True
    from solara.server.kernel_context import PageStatus

    return not session.closed_event.is_set() and PageStatus.CONNECTED in tuple(
        session.page_status.values())


def model_params(settings: Settings, model: AppModel, lang: str) -> dict[str, Any]:
    """SolaraViz's `model_params`: the session's settings (fixed) and the seed (a text box)."""
    return {
        "settings": settings,
        "seed": {"type": "InputText", "value": str(model.seed_value), "label": t("seed", lang)},
    }


def lever_text(name: str, value: Any, lang: str) -> str:
    """A lever's value as the page writes it."""
    kind = LEVERS_BY_NAME[name].kind
    if kind == "bool":
        return t("yes" if value else "no", lang)
    if kind == "choice":
        return t(f"evaluation_{value}", lang)
    if kind == "int":
        return f"{value:.0f}"
    return fmt(value, lang, 1 if name == "launch_rate_multiplier" else 2)


def in_use_summary(model: AppModel, lang: str, preset_label: str) -> str:
    """One line saying what the running model uses (read from its params)."""
    texts = {name: lever_text(name, value, lang) for name, value in model.settings.items()}
    return t("in_use_line", lang, preset=preset_label, seed=model.seed_value, **texts)
