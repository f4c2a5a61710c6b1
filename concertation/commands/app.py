"""`concertation app`: serve the browser app on this machine, with no internet access needed.

Runs `solara run concertation.app.page` in a child process with the settings that keep it
offline: the browser assets come from the installed `solara-assets` package through Solara's
own server (never from a CDN), Solara's usage telemetry is off, and the CDN address Solara
would fall back to for a missing asset is this machine, so a missing file fails here instead
of going out. The server starts in a temporary folder of its own with Python's `-P`, so it
never imports a module from the folder `concertation app` was started in.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

from analyses.processes import process_alive, start_folder_reaper

from ..app import DEFAULT_LANGUAGE, LANGUAGE_ENV, LANGUAGES, RUNS_ENV, TAB_TITLES

APP_MODULE = "concertation.app.page"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765

OFFLINE_ENV = {
    "SOLARA_ASSETS_PROXY": "true",  # serve /_solara/cdn from the installed solara-assets
    "SOLARA_ASSETS_CDN": "http://127.0.0.1:9/no-cdn/",  # never fetch a missing asset from outside
    "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "false",
    "SOLARA_THEME_SHOW_BANNER": "false",  # its "runs on Solara" badge covered the views
    "MPLBACKEND": "Agg",
    "OPENBLAS_NUM_THREADS": "1",
}


# A tab that vanishes without closing (crashed, laptop lid shut, network lost) leaves its
# session, model included, for Solara's reconnect window: 24 hours by default, so a day of
# classes piles up sessions. Two minutes covers a reconnect; a user's own setting wins.
RECONNECT_WINDOW = {"SOLARA_KERNEL_CULL_TIMEOUT": "2m"}


def server_env(lang: str | None = None, base: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of the Solara server process."""
    env = RECONNECT_WINDOW | dict(os.environ if base is None else base)
    env.update(OFFLINE_ENV)
    # Solara warns on every new host name that plain http gets lax session cookies: expected here.
    quiet = "ignore:Cookies with samesite=none require https"
    env["PYTHONWARNINGS"] = ",".join(filter(None, [env.get("PYTHONWARNINGS"), quiet]))
    if lang:
        env[LANGUAGE_ENV] = lang
    env["SOLARA_THEME_TITLE"] = TAB_TITLES[lang or DEFAULT_LANGUAGE]
    return env


def server_command(host: str, port: int, open_browser: bool = False) -> list[str]:
    # -P: the server never imports from the folder it starts in (a user's own app.py there);
    # `_serve` also starts it in a folder of ours.
    return [sys.executable, "-P", "-m", "solara", "run", APP_MODULE, "--host", host, "--port",
            str(port), "--production", "--open" if open_browser else "--no-open",
            "--log-level", "warning", "--no-check-version"]


def app_url(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/"


def port_free(host: str, port: int) -> bool:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def cmd_app(args: argparse.Namespace) -> int:
    """Serve the app until interrupted (Ctrl+C)."""
    if not 0 < args.port < 65536:
        print(f"error: --port expects 1-65535, got {args.port}", file=sys.stderr)
        return 2
    if not port_free(args.host, args.port):
        print(f"error: cannot listen on {args.host}:{args.port} (in use, or not an address of "
              f"this machine); choose another with --port", file=sys.stderr)
        return 2
    print(f"concertation app: open {app_url(args.host, args.port)} in a browser "
          f"(Ctrl+C stops it)", flush=True)
    remove_stale_folders()
    runs = Path(tempfile.mkdtemp(prefix=f"{TEMP_PREFIX}{os.getpid()}-"))
    env = server_env(args.lang) | {RUNS_ENV: str(runs)}
    try:
        return _serve(args, env, cwd=runs)
    finally:
        shutil.rmtree(runs, ignore_errors=True)


TEMP_PREFIX = "concertation-app-"


def remove_stale_folders() -> list[Path]:
    """Remove the temporary folders of `concertation app` commands that died without removing
    theirs (`kill -9`): each is named after its command's process id."""
    removed = []
    for folder in Path(tempfile.gettempdir()).glob(f"{TEMP_PREFIX}*-*"):
        owner = folder.name[len(TEMP_PREFIX):].split("-", 1)[0]
        if owner.isdigit() and not process_alive(int(owner)) and folder.is_dir():
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


def _die_with_parent() -> None:
    """In the server child, before it starts (Linux): SIGTERM when `concertation app` dies,
    even by `kill -9`, so the server never serves on alone."""
    import ctypes

    pr_set_pdeathsig = 1
    try:
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)
    except (OSError, AttributeError):
        pass


def _serve(args: argparse.Namespace, env: dict[str, str], cwd: Path) -> int:
    """Run the Solara server (in `cwd`, a temporary folder removed when both processes are
    gone) until it stops; SIGTERM and Ctrl+C stop it."""
    # preexec_fn is unsafe with threads; `concertation app` has started none yet.
    setup = _die_with_parent if sys.platform == "linux" else None
    child = subprocess.Popen(server_command(args.host, args.port, args.open), env=env, cwd=cwd,
                             preexec_fn=setup)  # noqa: PLW1509
    start_folder_reaper(cwd, [os.getpid(), child.pid])  # removes it even after `kill -9`

    def stop(signum: int, _frame: object) -> None:  # `kill`: stop the server with us
        child.send_signal(signum)

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        return child.wait()
    except KeyboardInterrupt:  # Ctrl+C reaches the server too; give it time to stop
        for action in (None, child.terminate, child.kill):
            if action:
                action()
            try:
                child.wait(timeout=5)
                break
            except subprocess.TimeoutExpired:
                continue
        return 0
    finally:
        signal.signal(signal.SIGTERM, previous)


def add_commands(commands: argparse._SubParsersAction) -> None:
    """Register `concertation app` on the main command's subparsers."""
    app = commands.add_parser(
        "app", help="serve the browser app (live model, French and English)",
        description="Serve the browser app: the live model with presets, levers, the network of "
                    "actors and tables, Bourque's four tendencies and the indicators, and a page "
                    "comparing presets over replications, in French and English. Works without "
                    "internet access.")
    app.add_argument("--host", default=DEFAULT_HOST, metavar="ADDR",
                     help=f"address to listen on (default: {DEFAULT_HOST}, this machine only)")
    app.add_argument("--port", type=int, default=DEFAULT_PORT, metavar="N",
                     help=f"port to listen on (default: {DEFAULT_PORT})")
    app.add_argument("--lang", choices=LANGUAGES, default=None,
                     help="language a new page opens in (default: en; a toggle switches)")
    app.add_argument("--open", action="store_true", help="open the page in the default browser")
    app.set_defaults(handler=cmd_app)
