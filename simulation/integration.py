"""Integration between tables: links through shared members, the territorial table that links
them all, and merges of overlapping tables (the 'concertation des concertations' lever)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .categories import State
from .tables import dissolve_table

if TYPE_CHECKING:
    from .model import ConcertationModel


def shared_members(model: ConcertationModel) -> np.ndarray:
    member = model.store.membership.astype(np.float32)
    return np.matmul(member.transpose(0, 2, 1), member)


def integration_step(model: ConcertationModel) -> None:
    store, params, rng = model.store, model.params.integration, model.rng
    live = store.live
    pair_live = live[:, :, None] & live[:, None, :]
    overlap = shared_members(model)
    # Shared members are the occasion; support staff do the coordinating work.
    coordination = 0.5 * (store.support[:, :, None] + store.support[:, None, :])
    chance = np.minimum(params.link_rate * overlap * coordination, 1.0)
    if params.territorial_table:
        territorial = store.territorial
        touches = territorial[:, :, None] | territorial[:, None, :]
        chance = np.where(touches, np.maximum(chance, params.territorial_link_bonus), chance)
    draws = rng.random(chance.shape)
    above = ~np.tri(store.capacity, dtype=bool)  # each pair once
    new = pair_live & (draws < chance) & ~store.links & above
    lapsed = store.links & (rng.random(chance.shape) < params.link_decay) & above
    store.links &= ~(lapsed | lapsed.transpose(0, 2, 1))
    store.links |= new | new.transpose(0, 2, 1)
    idx = np.arange(store.capacity)
    store.links[:, idx, idx] = False
    if params.merge_rate > 0:
        merge_overlapping(model, overlap)


def merge_overlapping(model: ConcertationModel, overlap: np.ndarray) -> None:
    """In each territory, now and then, fold the most overlapping pair of same-theme tables
    into the larger one: recomposing instead of adding structures."""
    store, params = model.store, model.params.integration
    size = store.membership.sum(axis=1)
    topical = store.live & ~store.territorial & (store.state != State.FORMING)
    same_theme = store.theme[:, :, None] == store.theme[:, None, :]
    eligible = topical[:, :, None] & topical[:, None, :] & same_theme
    smaller = np.minimum(size[:, :, None], size[:, None, :])
    ratio = np.where(eligible, overlap / np.maximum(smaller, 1), 0.0)
    ratio = np.triu(ratio, k=1)
    attempt = model.rng.random(store.territories) < params.merge_rate
    for territory in np.flatnonzero(attempt):
        flat = int(np.argmax(ratio[territory]))
        a, b = divmod(flat, store.capacity)
        if ratio[territory, a, b] <= 0 or ratio[territory, a, b] < params.merge_overlap:
            continue
        keep, fold = (a, b) if size[territory, a] >= size[territory, b] else (b, a)
        moving = store.membership[territory, :, fold] & ~store.membership[territory, :, keep]
        for seats in store.seats.values():
            seats[territory, moving, keep] = seats[territory, moving, fold]
        store.links[territory, keep] |= store.links[territory, fold]
        store.links[territory, :, keep] |= store.links[territory, :, fold]
        store.links[territory, keep, keep] = False
        if store.funded[territory, fold] and not store.funded[territory, keep]:
            for name in ("funded", "funding", "coordination_money", "member_money",
                         "project_money", "conditional", "funder", "programme",
                         "prescription", "evaluation", "grants"):
                store.arrays[name][territory, keep] = store.arrays[name][territory, fold]
            store.priority[territory, keep] = store.priority[territory, fold]
            hand_over_grants(model, int(territory), int(store.table_id[territory, fold]),
                             int(store.table_id[territory, keep]))
        dissolve_table(model, int(territory), int(fold), "merged")
        model.tables_changed = True


def hand_over_grants(model: ConcertationModel, territory: int, old_id: int, new_id: int) -> None:
    """The programmes that funded a merged-away table now fund the table that absorbed it,
    so their grants end there when the programmes end."""
    for programme in model.programmes:
        if not programme.ended and (territory, old_id) in programme.tables:
            programme.tables = [(t, new_id if (t, i) == (territory, old_id) else i)
                                for t, i in programme.tables]
