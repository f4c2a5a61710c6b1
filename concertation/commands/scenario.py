"""`concertation scenario check FILE`, `concertation scenario new NAME --from SCENARIO
[--inventory TABLES.csv]` and `concertation scenario inventory-template [FILE]`."""

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

    path, changes = new_scenario(args.name, args.source, args.dir, force=args.force,
                                 inventory=args.inventory, start_year=args.start_year)
    start = "" if args.inventory is None else f", starting from the tables of {args.inventory}"
    print(f"wrote {path}: a commented copy of '{args.source}'{start}; edit it, then run "
          f"'concertation scenario check {path}'")
    for change in changes:
        print(f"note: the inventory also set {change}; compared with '{args.source}', your "
              f"scenario differs in this too")
    return 0


def cmd_inventory_template(args: argparse.Namespace) -> int:
    from analyses.library import write_inventory_template

    path = write_inventory_template(args.file, args.source, force=args.force)
    print(f"wrote {path}: fill in one row per table of your territory, then run "
          f"'concertation scenario new NAME --from {args.source} --inventory {path}'")
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
    new.add_argument("--inventory", type=Path, default=None, metavar="TABLES.csv",
                     help="start from the tables of this inventory (see inventory-template)")
    new.add_argument("--start-year", type=int, default=None, metavar="YEAR",
                     help="the year the run starts (the inventory lists the tables of that "
                          "year; default: the source scenario's)")
    new.add_argument("--force", action="store_true", help="overwrite an existing file")
    new.set_defaults(handler=cmd_new)
    template = actions.add_parser("inventory-template",
                                  help="write a documented CSV to list your territory's tables")
    template.add_argument("file", nargs="?", type=Path, default=Path("inventory.csv"),
                          metavar="FILE", help="where to write it (default: inventory.csv)")
    template.add_argument("--from", dest="source", default="baseline", metavar="SCENARIO",
                          help="scenario whose themes and funders it lists (default: baseline)")
    template.add_argument("--force", action="store_true", help="overwrite an existing file")
    template.set_defaults(handler=cmd_inventory_template)
