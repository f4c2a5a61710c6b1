"""Play at the pace the page is drawn: the model never runs ahead of its views.

Mesa 3.5's Play loop steps every `play_interval` ms whatever the drawing does, and asks for a
redraw by bumping its `update_counter`. On a loaded machine a render of the views takes longer
than that: Solara queues the renders while the model runs on, so the page freezes for seconds,
then jumps a few years, and a Pause (or a preset) waits behind the queue. The pacer holds each
step until the views have drawn the redraw Mesa last asked for, so a slow machine plays slower
but stays responsive. "Drawn" is the browser's word: the network chart reports the month whose
rows its canvas shows (components.pacer_told), so neither the server nor the websocket queues
months nobody has seen, and the play interval can be short. A page whose views never draw (or
a model outside the app) waits at most `patience` seconds per redraw asked for: once, not at
every step of a multi-step Step click.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

PATIENCE_S = 1.0


class FramePacer:
    """What the views have drawn against what Mesa has asked for."""

    def __init__(self, asked: Callable[[], int], patience: float = PATIENCE_S) -> None:
        self._asked = asked  # the redraw counter's value now (Mesa's `update_counter`)
        self._drawn: int | None = None  # none drawn yet: nothing to wait for
        self._patience = patience
        self._given_up: int | None = None  # the redraw a wait timed out on: not waited for again
        self._changed = threading.Condition()

    def drawn(self, counter: int) -> None:
        """The views have drawn the state of redraw `counter` (called after their render)."""
        with self._changed:
            self._drawn = counter
            self._changed.notify_all()

    def behind(self) -> bool:
        """Whether a redraw has been asked for that the views have not drawn yet."""
        return self._behind(self._asked())

    def wait_for_views(self) -> bool:
        """Hold the caller until the views have caught up (or patience runs out); whether they
        had. The counter is read once, outside the lock: reading a Solara reactive variable may
        wait for the render, whose end (`drawn`) needs this lock."""
        asked = self._asked()
        with self._changed:
            if asked == self._given_up:
                return not self._behind(asked)
            caught_up = self._changed.wait_for(lambda: not self._behind(asked),
                                               timeout=self._patience)
            if not caught_up:
                self._given_up = asked
            return caught_up

    def _behind(self, asked: int) -> bool:
        return self._drawn is not None and self._drawn < asked
