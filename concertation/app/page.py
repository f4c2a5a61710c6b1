"""The Solara page: Mesa's SolaraViz around the concertation model, one model per session.

Served by `concertation app` (`solara run concertation.app.page`). Every browser session gets its own
settings and model (`solara.use_memo` inside `Page`, never at module level). SolaraViz gives
the controller (reset, step, play/pause, speed) and the seed; the page adds the preset chooser
(which restarts the model with the preset), the levers, the language toggle, the monitors and
the views. A second page, `/compare` (`concertation.app.compare`), compares presets over replications.
"""

from __future__ import annotations

from typing import Any

import solara
from mesa.visualization import SolaraViz, solara_viz

from . import TAB_TITLES
from .compare import ComparePage, preset_short
from .components import (
    COMPARE_PATH,
    LIVE_PATH,
    NOTE,
    ODD_PATH,
    SIDEBAR_CSS,
    ShowSteps,
    Views,
    indicator_series,
    language,
    top_bar,
)
from .experiments import EXPERIMENTS_BY_NAME, Reference, reference_run
from .i18n import t, t_or
from .levers import (
    EVALUATIONS,
    LEVERS,
    AppModel,
    Settings,
    in_use_summary,
    lever_text,
    model_params,
    presets,
)
from .odd import OddPage
from .translate import translator

# Mesa's step counter re-rendered the whole page after every step (components.ShowSteps).
solara_viz.ShowSteps = ShowSteps


def preset_label(name: str, lang: str) -> str:
    return t_or(f"preset_{name}", lang, name)


def previous_run(model: AppModel) -> Reference:
    """A replaced run, kept to draw beside the next one."""
    preset, seed = model.preset, model.seed_value
    return Reference(lambda lang: t("reference_previous", lang, seed=seed,
                                    preset=preset_short(preset, lang)),
                     indicator_series(model))


@solara.component
def PresetChooser(current: str, on_choose, lang: str):
    """The preset list, and a button that starts the current preset again (a list does not
    answer when the item already chosen is picked again)."""
    items = [{"text": preset_label(name, lang), "value": name} for name in presets()]
    solara.v.Select(label=t("preset", lang), items=items, v_model=current,
                    on_v_model=on_choose, class_="concertation-preset")
    solara.Button(t("preset_again", lang), icon_name="mdi-restart", text=True, small=True,
                  on_click=lambda: on_choose(current), classes=["concertation-preset-again"])


@solara.component
def LeverControls(values: dict[str, Any], on_lever, lang: str):
    """One control per lever, labelled with its value in the page's language."""
    solara.Style(SIDEBAR_CSS)
    for lever in LEVERS:
        value = values[lever.name]
        label = t("lever_label", lang, name=t(lever.name, lang),
                  value=lever_text(lever.name, value, lang))

        def change(new: Any, name: str = lever.name) -> None:
            on_lever(name, new)

        if lever.kind == "bool":
            solara.Checkbox(label=t(lever.name, lang), value=bool(value), on_value=change)
        elif lever.kind == "choice":
            items = [{"text": t(f"evaluation_{code}", lang), "value": code} for code in EVALUATIONS]
            solara.v.Select(label=t(lever.name, lang), items=items, v_model=value,
                            on_v_model=change, class_=f"concertation-lever-{lever.name}")
        elif lever.kind == "int":
            solara.SliderInt(label, value=int(value), min=int(lever.low), max=int(lever.high),
                             step=int(lever.step), on_value=change, thumb_label=False)
        else:
            solara.SliderFloat(label, value=float(value), min=lever.low, max=lever.high,
                               step=lever.step, on_value=change, thumb_label=False)


@solara.component
def Page():
    lang = language.value
    settings = solara.use_memo(lambda: Settings.of_preset("baseline"), [])  # per session
    values = solara.use_reactive(dict(settings.values))  # what the controls show
    model = solara.use_reactive(solara.use_memo(lambda: AppModel(settings), []))
    # A new preset gets a new player: SolaraViz is left out for one render and mounts afresh
    # (changing its key instead remounts it without running its effects, in Solara 1.58).
    remounting, set_remounting = solara.use_state(False)
    # The player's speed settings outlive it: a new preset keeps the class's render interval.
    render_interval = solara.use_reactive(1)
    solara.use_effect(lambda: set_remounting(False) if remounting else None, [remounting])

    # The run before this one, drawn faintly on the time plots: kept whenever a model is
    # replaced (a preset, Reset), or a guided experiment's reference run.
    reference = solara.use_reactive(None)
    last = solara.use_ref(model.value)
    next_reference = solara.use_ref(None)  # set by an experiment before its model replaces

    def follow_model() -> None:
        previous, last.current = last.current, model.value
        if previous is model.value:
            return
        if next_reference.current is not None:
            reference.set(next_reference.current)
            next_reference.current = None
        elif previous.steps > 0:
            reference.set(previous_run(previous))
        # The views follow the new run by now (a child's effects run before its parent's).
        previous.retire()

    solara.use_effect(follow_model, [model.value])
    # The page ends with its session (or when the class leaves for another page): its run too.
    solara.use_effect(lambda: lambda: last.current.retire(), [])

    def restart() -> None:
        """A new model from the settings as they stand, on the same seed, with a new player."""
        values.set(dict(settings.values))
        model.value.running = False  # the old player, if playing, stops after its next step
        model.set(AppModel(settings, seed=model.value.seed_value))
        set_remounting(True)  # after the new model: the new player must start with it

    def choose_preset(name: str) -> None:
        if not name or name not in presets():
            return
        settings.choose(name)
        restart()

    def run_experiment(name: str) -> None:
        experiment = EXPERIMENTS_BY_NAME[name]
        done = reference_run(experiment, model.value.seed_value)
        if done is not None:
            preset = done.preset
            next_reference.current = Reference(
                lambda lang: preset_short(preset, lang), indicator_series(done))
        experiment.apply_to(settings)
        restart()

    def move_lever(name: str, value: Any) -> None:
        settings.set(name, value)
        values.set(dict(settings.values))

    top_bar(lang)
    solara.Title(TAB_TITLES[lang])
    translator(lang)  # Mesa's controls in the page's language
    with solara.Sidebar(), solara.Column(gap="0px", classes=["concertation-sidebar"]):
        with solara.Card(t("scenario_card", lang)):
            PresetChooser(model.value.preset, choose_preset, lang)
            solara.Text(t("preset_hint", lang), style=NOTE)
        with solara.Card(t("levers_card", lang)):
            with solara.Column(gap="4px", classes=["concertation-levers"]):
                LeverControls(values.value, move_lever, lang)
            pending = settings.preset != model.value.preset or any(
                values.value[name] != model.value.settings[name] for name in values.value)
            solara.Text(t("levers_pending" if pending else "levers_hint", lang),
                        style=NOTE | ({"color": "#b35900", "font-weight": "500"} if pending
                                      else {}),
                        classes=["concertation-levers-note"])

    summary = in_use_summary(model.value, lang, preset_label(model.value.preset, lang))
    Views(model.value, summary, reference.value, run_experiment)
    # SolaraViz draws its components in a grid of fixed 390-px cells, too small for these
    # figures, so the page lays the views out itself and passes SolaraViz none.
    if not remounting:
        Player(model, settings, lang, render_interval)


@solara.component
def Player(shown: solara.Reactive, settings: Settings, lang: str,
           render_interval: solara.Reactive[int]):
    """Mesa's SolaraViz on a model variable of its own, which it resets; the page follows it.

    Its own variable, because a SolaraViz left playing when a preset is chosen goes on stepping
    the model it holds (Mesa 3.5.1 does not stop the loop when it unmounts): that must be the
    abandoned model, whose `running` the page has switched off, not the new one.
    """
    first = solara.use_memo(lambda: shown.value, [])  # never follows `shown` afterwards
    model = solara.use_reactive(first)
    solara.use_effect(lambda: model.subscribe(shown.set), [])
    SolaraViz(
        model,
        components=[],
        model_params=model_params(settings, model.value, lang),
        name=t("app_title", lang),
        play_interval=25,
        render_interval=render_interval,
    )


# Two pages, as tabs under the app bar (`components.top_bar`): the live model and the comparison
# of scenarios; a third, the ODD, is linked from the info panel. Leaving the live page ends its model; the comparison's settings and results stay
# with the session.
routes = [
    solara.Route(path=LIVE_PATH, component=Page, label="Concertation tables"),
    solara.Route(path=COMPARE_PATH.lstrip("/"), component=ComparePage,
                 label="Concertation tables: compare"),
    solara.Route(path=ODD_PATH.lstrip("/"), component=OddPage,
                 label="Concertation tables: the model's description"),
]
