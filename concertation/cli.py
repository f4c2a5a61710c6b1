"""The `concertation` command: list scenarios, run one, compare several with replications.

Input errors (scenario files, --set, options) are reported as one `error:` paragraph with
exit code 2 and no traceback; they are all detected before any model runs or any file is
written. Unexpected failures keep their traceback: they are bugs to report.

Building the parser imports the standard library only (`--help` and `--version` answer at
once); each command imports the analyses it runs.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

import analyses  # noqa: F401 - first: one BLAS thread per process, set before NumPy loads

from .commands import app, common, run, scenario, sweep, validate
from .commands.common import UsageError

# Input errors of modules that may or may not be loaded: (module, class). An error class of a
# module never imported cannot have been raised, so `main` need not import it to catch it.
INPUT_ERRORS = [("simulation", "ScenarioError"), ("analyses.runs", "OutputError"),
                ("simulation.limits", "RunLimitError")]


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
    try:
        args = build_parser().parse_args(argv)
        return args.handler(args)
    except BrokenPipeError:  # output piped into `head` and the like: results are written
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except KeyboardInterrupt:
        print("interrupted; the output folder was left as it was", file=sys.stderr)
        return 130
    except Exception as exc:
        if not isinstance(exc, _input_errors()):
            raise
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
