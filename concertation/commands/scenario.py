"""`concertation scenario check FILE` and `concertation scenario new NAME --from SCENARIO`."""

from __future__ import annotations

import argparse
from pathlib import Path


def cmd_check(args: argparse.Namespace) -> int:
    from analyses.library import check

    for reference in args.files:
        _, message = check(reference)
        print(message)
    return 0


def cmd_new(args: argparse.Namespace) -> int:
    from analyses.library import new_scenario

    path = new_scenario(args.name, args.source, args.dir, force=args.force)
    print(f"wrote {path}: a commented copy of '{args.source}'; edit it, then run "
          f"'concertation scenario check {path}'")
    return 0


def add_commands(commands: argparse._SubParsersAction) -> None:
    scenario = commands.add_parser("scenario", help="check a scenario file, or start a new one")
    actions = scenario.add_subparsers(dest="action", required=True, metavar="ACTION")
    checking = actions.add_parser("check", help="validate scenario files (exit 2 if invalid)")
    checking.add_argument("files", nargs="+", metavar="FILE")
    checking.set_defaults(handler=cmd_check)
    new = actions.add_parser("new", help="write a commented copy of a scenario to edit")
    new.add_argument("name", metavar="NAME")
    new.add_argument("--from", dest="source", default="baseline", metavar="SCENARIO",
                     help="scenario to start from (default: baseline)")
    new.add_argument("--dir", type=Path, default=Path("."), metavar="DIR",
                     help="folder to write NAME.toml into (default: current folder)")
    new.add_argument("--force", action="store_true", help="overwrite an existing file")
    new.set_defaults(handler=cmd_new)
