"""A real `concertation app` on a free loopback port, and the headless Chromium that visits it:
shared by the browser tests and the app benchmark, so both measure the same server."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

CHROMIUM = os.environ.get("CONCERTATION_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_serving(url: str, server: subprocess.Popen, timeout: float = 90.0) -> None:
    """Return once `url` answers 200; fail fast if the server exits first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"concertation app exited with {server.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    server.kill()
    raise TimeoutError(f"concertation app did not answer at {url} in {timeout:.0f} s")


def start_app(cwd: Path | None = None, capture: bool = True) -> tuple[subprocess.Popen, str]:
    """`concertation app` (started in `cwd`) on a free loopback port; returns the process and
    its address. Without `capture` its output is discarded (a benchmark that never reads it
    must not fill a pipe)."""
    port = free_port()
    output = subprocess.PIPE if capture else subprocess.DEVNULL
    server = subprocess.Popen(
        [sys.executable, "-m", "concertation", "app", "--port", str(port)], cwd=cwd,
        stdout=output, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}/"
    wait_until_serving(url, server)
    return server, url


def stop_app(server: subprocess.Popen) -> str:
    """Stop the server (SIGTERM reaches Solara through `concertation app`); return its output
    (empty when it was not captured)."""
    server.send_signal(signal.SIGTERM)
    try:
        output, _ = server.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()
        output, _ = server.communicate()
    return output or ""
