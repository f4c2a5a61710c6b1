"""The `concertation` command: list scenarios, run one, compare several with replications.

Input errors (scenario files, --set, options) are reported as one `error:` paragraph with
exit code 2 and no traceback; they are all detected before any model runs or any file is
written. Unexpected failures keep their traceback: they are bugs to report.

Building the parser imports the standard library only (`--help` and `--version` answer at
once); each command imports the analyses it runs.
"""

from __future__ import annotations

import argparse
import errno
import os
import signal
import sys
import threading
from collections.abc import Sequence
from typing import NoReturn

import analyses  # noqa: F401 - first: one BLAS thread per process, set before NumPy loads
from analyses import termination
from analyses.termination import Terminated

from .commands import app, common, run, scenario, sweep, validate
from .commands.common import UsageError

# Input errors of modules that may or may not be loaded: (module, class). An error class of a
# module never imported cannot have been raised, so `main` need not import it to catch it.
INPUT_ERRORS = [("simulation", "ScenarioError"), ("analyses.runs", "OutputError"),
                ("simulation.limits", "RunLimitError")]


# Errors of the disk, not of the program: read-only, full, over quota, not allowed.
WRITE_ERRORS = {errno.EROFS, errno.ENOSPC, errno.EDQUOT, errno.EACCES, errno.EPERM}


class _Parser(argparse.ArgumentParser):
    """argparse that raises instead of exiting, so `main` formats every input error alike."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see '{self.prog} --help')")


def version() -> str:
    from importlib import metadata

    try:
        return metadata.version("concertation")
    except metadata.PackageNotFoundError:
        return "unknown"


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="concertation", description=__doc__.split("\n\n")[0])
    parser.add_argument("--version", action="version", version=f"%(prog)s {version()}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in (run, sweep, app, scenario, validate):
        module.add_commands(commands)
    return parser


def _input_errors() -> tuple[type[BaseException], ...]:
    loaded = [getattr(sys.modules[module], name) for module, name in INPUT_ERRORS
              if module in sys.modules and hasattr(sys.modules[module], name)]
    return (common.UsageError, *loaded)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `concertation` console script; returns the exit code."""
    on_main_thread = threading.current_thread() is threading.main_thread()
    termination.clear()
    previous = signal.signal(signal.SIGTERM, termination.handle) if on_main_thread else None
    try:
        args = build_parser().parse_args(argv)
        return args.handler(args)
    except BrokenPipeError:  # output piped into `head` and the like: results are written
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except KeyboardInterrupt as interrupt:
        terminated = isinstance(interrupt, Terminated)
        print(f"{'terminated' if terminated else 'interrupted'}; the output folder was left as "
              f"it was (finished sweep runs are kept)", file=sys.stderr)
        return 143 if terminated else 130
    except OSError as exc:
        if exc.errno not in WRITE_ERRORS:
            raise
        print(f"error: cannot write {exc.filename or 'the output'}: {exc.strerror}; earlier "
              f"results were left as they were", file=sys.stderr)
        return 2
    except Exception as exc:
        if not isinstance(exc, _input_errors()):
            raise
        print(f"error: {exc}", file=sys.stderr)
        return 2
    finally:
        termination.clear()
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


if __name__ == "__main__":
    sys.exit(main())
