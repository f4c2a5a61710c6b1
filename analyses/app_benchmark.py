"""How fluid the classroom app is, printed as figures for docs/performance.md.

Run: ``.venv/bin/python -m analyses.app_benchmark`` (``--tabs 10`` for a room on one laptop).
Starts a real ``concertation app`` on a free loopback port and drives Debian's Chromium
headless at 1280x800: frames actually drawn per second while playing (the network image
replaced in the page, and the indicators chart drawn by the browser, both counted in the page)
and steps per second, with one tab and with several tabs playing at once; and the time from a
Step click until the views that change every month are drawn anew (median of 15). The server's memory (RSS) is read before and after.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request

import psutil
from playwright import sync_api

CHROMIUM = os.environ.get("CONCERTATION_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--no-first-run", "--disable-sync"]
# Views that change every month: the network is a server-drawn image, the indicators a chart
# the browser draws (its element counts its drawings in `data-drawn`). The diagram and the
# timeline can stay the same picture, and an unchanged picture is not sent again.
IMAGE_VIEWS = ("network",)
CHART_VIEWS = ("indicators",)

# Counts, in the page, each time a view's image is replaced and each new month shown.
COUNTER = """() => {
    window.frames_drawn = 0;
    const image = document.querySelector('img.concertation-network-image');
    new MutationObserver(() => { window.frames_drawn += 1; })
        .observe(image, {attributes: true, attributeFilter: ['src']});
}"""
STEP = "() => parseInt(document.querySelector('.monitor-step').innerText.match(/\\d+/)[0])"
SOURCES = "views => views.map(v => document.querySelector(`img.concertation-${v}-image`).src)"
DRAWN = "views => views.map(v => +document.querySelector(`.concertation-${v}-chart`).dataset.drawn)"
REDRAWN = """([images, before, charts, drawn]) =>
    images.every((v, i) => document.querySelector(`img.concertation-${v}-image`).src !== before[i])
    && charts.every((v, i) => +document.querySelector(`.concertation-${v}-chart`).dataset.drawn
                              > drawn[i])"""


def start_app() -> tuple[subprocess.Popen, str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "concertation", "app", "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return server, url
        except OSError:
            time.sleep(0.3)
    server.kill()
    raise TimeoutError("concertation app did not start")


def server_rss_mb(server: subprocess.Popen) -> float:
    process = psutil.Process(server.pid)
    return sum(p.memory_info().rss for p in [process, *process.children(recursive=True)]) / 2**20


def open_tab(browser, url: str):
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.set_default_timeout(60_000)
    page.goto(url)
    page.get_by_text("Time: 0.0", exact=True).wait_for()
    page.locator("img.concertation-network-image").wait_for()
    return page


def play(pages: list, seconds: float) -> tuple[list[float], list[float], list[float]]:
    """Network frames, indicator-chart drawings and steps per second of each tab while all
    play for `seconds`."""
    for page in pages:
        page.evaluate(COUNTER)
    starts = [page.evaluate(STEP) for page in pages]
    chart_starts = [page.evaluate(DRAWN, list(CHART_VIEWS))[0] for page in pages]
    for page in pages:
        page.get_by_role("button", name="▶").click()
    time.sleep(seconds)
    frames = [page.evaluate("window.frames_drawn") / seconds for page in pages]
    charts = [(page.evaluate(DRAWN, list(CHART_VIEWS))[0] - drawn) / seconds
              for page, drawn in zip(pages, chart_starts, strict=True)]
    steps = [(page.evaluate(STEP) - start) / seconds for page, start in zip(pages, starts,
                                                                          strict=True)]
    for page in pages:
        page.get_by_role("button", name="❚❚").click()
    return frames, charts, steps


def step_redraw_ms(page, clicks: int = 15) -> list[float]:
    """Time from a Step click until the views that change every month are drawn anew."""
    times = []
    for _ in range(clicks):
        before = page.evaluate(SOURCES, list(IMAGE_VIEWS))
        drawn = page.evaluate(DRAWN, list(CHART_VIEWS))
        start = time.perf_counter()
        page.get_by_role("button", name="Step", exact=True).click()
        page.wait_for_function(REDRAWN, arg=[list(IMAGE_VIEWS), before, list(CHART_VIEWS),
                                             drawn], polling=5)
        times.append(1000 * (time.perf_counter() - start))
    return times


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=15.0, help="play time per measure")
    parser.add_argument("--tabs", type=int, default=10, help="tabs playing at once")
    args = parser.parse_args(argv)
    server, url = start_app()
    try:
        with sync_api.sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            rss_start = server_rss_mb(server)
            page = open_tab(browser, url)
            redraw = step_redraw_ms(page)
            print(f"Step click to network image and indicators chart redrawn: median {statistics.median(redraw):.0f} ms "
                  f"(min {min(redraw):.0f}, max {max(redraw):.0f}, {len(redraw)} clicks)")
            frames, charts, steps = play([page], args.seconds)
            print(f"one tab playing: network {frames[0]:.2f} frames/s, indicators chart "
                  f"{charts[0]:.2f} drawings/s, {steps[0]:.2f} steps/s")
            page.close()
            pages = [open_tab(browser, url) for _ in range(args.tabs)]
            frames, charts, steps = play(pages, args.seconds)
            print(f"{args.tabs} tabs playing: network frames/s per tab median "
                  f"{statistics.median(frames):.2f} (min {min(frames):.2f}), chart drawings/s "
                  f"median {statistics.median(charts):.2f}, steps/s per tab "
                  f"median {statistics.median(steps):.2f}, all tabs {sum(steps):.1f} steps/s")
            for page in pages:
                page.close()
            print(f"server memory: {rss_start:.0f} MB at start, {server_rss_mb(server):.0f} MB "
                  f"after {args.tabs + 1} sessions")
            browser.close()
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()


if __name__ == "__main__":
    main()
