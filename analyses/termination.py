"""SIGTERM handled like Ctrl+C, even when its exception lands where Python swallows it.

A signal handler runs between two bytecodes of the main thread, and so sometimes inside a
finalizer or a weakref callback (the model builds and drops many objects while it is made):
there the exception is printed as "ignored" and the run goes on to publish its results. So
the handler also records the request, and the long loops and the publishing step check it.
"""

from __future__ import annotations


class Terminated(KeyboardInterrupt):
    """SIGTERM, handled like Ctrl+C: partial outputs are cleaned and workers stopped."""


_requested = False


def handle(_signum: int, _frame: object) -> None:
    """The SIGTERM handler: remember the request, then raise it where the signal landed."""
    global _requested
    _requested = True
    raise Terminated


def check() -> None:
    """Raise `Terminated` if a termination was requested, even one whose raise was swallowed."""
    if _requested:
        raise Terminated


def clear() -> None:
    """Forget a request (the command line calls it at the start and end of each command)."""
    global _requested
    _requested = False
