"""What the network and the diagram show, read from the model: colours and shapes, one
territory's actors, tables and seats, the tables as points of Bourque's diagram, and what a
selection highlights. Pure functions, shared by the server-drawn figures (components.py) and
the browser-drawn charts (charts.py)."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

import numpy as np
import pandas as pd

from simulation import ConcertationModel
from simulation.categories import ActorType, Origin, Tendency
from simulation.typology import DESCENDING, INTEREST

from .i18n import t_or
from .inspect import Selection, selected_slots

EVENT_STYLE = {  # kind: (colour, marker on the time axis, or None for a dashed line)
    "programme_launch": ("#1a9850", "^"), "programme_end": ("#888888", "v"),
    "funder_exit": ("#d73027", None), "territorial_table": ("#4575b4", None),
}
ORIGIN_COLOUR = {"community": "#1b9e77", "institution": "#7570b3", "programme": "#d95f02",
                 "territorial": "#e7298a"}

# ---- colours and shapes ---------------------------------------------------------------------

ACTOR_STYLE = {  # colour, marker, size
    ActorType.COMMUNITY_GROUP: ("#3b75af", "o", 16),
    ActorType.INSTITUTION: ("#7b3294", "D", 26),
    ActorType.FUNDER_AGENT: ("#111111", "s", 34),
    ActorType.CITIZEN: ("#5bb5a2", ".", 14),
}
TENDENCY_COLOUR = {
    Tendency.EMPOWERMENT: "#1a9850",
    Tendency.INSTRUMENTALISATION: "#d73027",
    Tendency.AUTONOMISTE: "#f0b321",
    Tendency.AFFAIRISTE: "#8c510a",
}
# Where the diagram names its four tendencies: (tendency, x, y, horizontal and vertical anchor).
TENDENCY_CORNERS = (
    (Tendency.INSTRUMENTALISATION, -0.97, 0.97, "left", "top"),
    (Tendency.EMPOWERMENT, 0.97, 0.97, "right", "top"),
    (Tendency.AFFAIRISTE, -0.97, 0.03, "left", "bottom"),
    (Tendency.AUTONOMISTE, 0.97, 0.03, "right", "bottom"),
)
TERRITORIAL = len(Origin)  # the territorial table, drawn apart from the three origins
ORIGIN_MARKER = {  # how a table is drawn by where it comes from
    Origin.COMMUNITY: ("o", "community"), Origin.INSTITUTION: ("D", "institution"),
    Origin.PROGRAMME: ("s", "programme"), TERRITORIAL: ("*", "territorial"),
}
HIGHLIGHT = "#ff8c00"  # the selection's ring and seats
FADED = 0.25  # opacity of what is not selected, when something is
TABLE_RADIUS = 0.55  # tables drawn inside the ring of actors: agenda scaled by this
THEME_LABEL_RADIUS = 1.45


def table_marker_size(members: np.ndarray) -> np.ndarray:
    """Marker area (points²) of a table with `members` members."""
    return 25.0 + 9.0 * np.asarray(members, dtype=float)


# ---- data read from the model (pure functions) -------------------------------------------

@dataclass(frozen=True)
class NetworkData:
    """One territory's actors and live tables, with one edge per seat."""

    actor_xy: np.ndarray  # (n, 2) actors' missions in the issue space
    actor_kind: np.ndarray  # (n,) ActorType codes
    table_slot: np.ndarray  # (k,) slots of the live tables
    table_id: np.ndarray  # (k,)
    table_xy: np.ndarray  # (k, 2) agendas, drawn at TABLE_RADIUS
    table_members: np.ndarray  # (k,)
    table_tendency: np.ndarray  # (k,) Tendency codes
    table_origin: np.ndarray  # (k,) Origin codes, TERRITORIAL for the territorial table
    edges: np.ndarray  # (e, 2) pairs (actor index, index into the k tables)
    links: np.ndarray  # (l, 2) pairs of indices into the k tables that are linked


def network_data(model: ConcertationModel, territory: int = 0) -> NetworkData:
    """Actors, live tables and memberships of one territory, from the model's arrays."""
    store = model.store
    slots = np.flatnonzero(store.live[territory])
    membership = store.membership[territory][:, slots]  # (n, k)
    actor_index, table_index = np.nonzero(membership)
    origin = np.where(store.territorial[territory, slots], TERRITORIAL,
                      store.origin[territory, slots])
    linked = np.argwhere(np.triu(store.links[territory][np.ix_(slots, slots)], k=1))
    return NetworkData(
        actor_xy=np.asarray(model.actors.position[territory], dtype=float),
        actor_kind=np.asarray(model.actors.kind),
        table_slot=slots,
        table_id=store.table_id[territory, slots].copy(),
        table_xy=TABLE_RADIUS * store.agenda[territory, slots],
        table_members=membership.sum(axis=0),
        table_tendency=store.tendency[territory, slots].copy(),
        table_origin=origin.astype(int),
        edges=np.stack([actor_index, table_index], axis=1),
        links=linked.reshape(-1, 2),
    )


def tendency_points(model: ConcertationModel) -> pd.DataFrame:
    """Every live table as a point of Bourque's diagram (simulation/typology.py).

    x = 2 × (INTEREST − interest share): common cause to the right, organisational interest to
    the left; y = the top-down share of agenda-setting, descending logic in the upper half;
    with the model's tendency, members and funding.
    """
    store = model.store
    territory, slot = np.nonzero(store.live)
    return pd.DataFrame({
        "table_id": store.table_id[territory, slot],
        "territory": territory,
        "x": 2.0 * (INTEREST - store.interest_share[territory, slot]),
        "y": store.instrumentalisation[territory, slot],
        "members": store.membership[territory, :, slot].sum(axis=1),
        "tendency": store.tendency[territory, slot].astype(int),
        "funded": store.funded[territory, slot],
    })


def quadrant(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """The tendency a point of the diagram stands for (the model's reading of the axes)."""
    cause = np.asarray(x) > 0
    descending = np.asarray(y) >= DESCENDING
    return np.select(
        [descending & cause, descending & ~cause, ~descending & cause],
        [Tendency.EMPOWERMENT, Tendency.INSTRUMENTALISATION, Tendency.AUTONOMISTE],
        default=Tendency.AFFAIRISTE,
    ).astype(int)


def theme_label(theme: str, lang: str) -> str:
    """A theme's name in `lang`, on short lines."""
    return textwrap.fill(t_or(f"theme_{theme}", lang, theme.replace("_", " ")), 14)


@dataclass(frozen=True)
class Highlight:
    """What a selection lights up in one territory's network; the rest is faded."""

    anything: bool  # something of this territory is selected
    tables: np.ndarray  # (k,) the selected table, or the selected actor's tables
    actors: np.ndarray  # (n,) the selected table's members, or the selected actor alone
    seats: np.ndarray  # (e,) the edges of the selection
    actor_selected: bool


def highlight(model: ConcertationModel, data: NetworkData, selection: Selection | None,
              territory: int) -> Highlight:
    chosen_slots, chosen_actor = selected_slots(model, selection, territory)
    tables = np.isin(data.table_slot, chosen_slots)
    actors = np.zeros(len(data.actor_xy), dtype=bool)
    if chosen_actor is not None:
        actors[chosen_actor] = True
    elif tables.any():
        actors[data.edges[tables[data.edges[:, 1]], 0]] = True
    anything = selection is not None and selection.territory == territory
    if not data.edges.size:
        seats = np.zeros(0, dtype=bool)
    elif chosen_actor is None:
        seats = tables[data.edges[:, 1]] & anything
    else:
        seats = data.edges[:, 0] == chosen_actor
    return Highlight(anything, tables, actors, seats, chosen_actor is not None)
