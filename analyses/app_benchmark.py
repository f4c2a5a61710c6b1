"""How fluid the classroom app is, printed as figures for docs/performance.md.

Run: ``.venv/bin/python -m analyses.app_benchmark`` (``--tabs 10`` for a room on one laptop).
Starts a real ``concertation app`` on a free loopback port and drives Debian's Chromium
headless at 1280x800: frames actually drawn per second while playing (the network and the
indicators charts drawn by the browser, counted in the page) and steps per second, with one
tab and with several tabs playing at once; and the time from a Step click until the views that
change every month are drawn anew (median of 15). The server's memory (RSS) is read before
and after. ``--vanished 3 --tabs 8 --window 5s`` measures instead the server's memory over
rounds of tabs that crash, which only the reconnect window frees; ``--ended 6 --tabs 5``
over rounds of tabs whose sessions end (they leave the page).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import time

import psutil
from playwright import sync_api

from analyses.app_server import CHROMIUM, CHROMIUM_ARGS, start_app, stop_app

# Views that change every month, drawn by the browser (each chart's element counts its
# drawings in `data-drawn`). The diagram and the timeline change every month too, but less.
VIEWS = ("network", "indicators")
STEP = "() => parseInt(document.querySelector('.monitor-step').innerText.match(/\\d+/)[0])"
DRAWN = "views => views.map(v => +document.querySelector(`.concertation-${v}-chart`).dataset.drawn)"
REDRAWN = """([views, drawn]) => views.every((v, i) =>
    +document.querySelector(`.concertation-${v}-chart`).dataset.drawn > drawn[i])"""


def server_rss_mb(server: subprocess.Popen) -> float:
    process = psutil.Process(server.pid)
    return sum(p.memory_info().rss for p in [process, *process.children(recursive=True)]) / 2**20


def open_tab(browser, url: str):
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.set_default_timeout(60_000)
    page.goto(url)
    page.get_by_text("Time: 0.0", exact=True).wait_for()
    page.locator(".concertation-network-chart canvas").wait_for()
    return page


def play(pages: list, seconds: float) -> tuple[list[list[float]], list[float]]:
    """Drawings per second of each view, and steps per second, of each tab while all play
    for `seconds`."""
    starts = [page.evaluate(STEP) for page in pages]
    drawn = [page.evaluate(DRAWN, list(VIEWS)) for page in pages]
    for page in pages:
        page.get_by_role("button", name="▶").click()
    time.sleep(seconds)
    frames = [[(after - before) / seconds for after, before in zip(
        page.evaluate(DRAWN, list(VIEWS)), start, strict=True)]
        for page, start in zip(pages, drawn, strict=True)]
    steps = [(page.evaluate(STEP) - start) / seconds for page, start in zip(pages, starts,
                                                                          strict=True)]
    for page in pages:
        page.get_by_role("button", name="❚❚").click()
    return frames, steps


# A Step click timed in the page: from the click event to the moment both views show the
# new month (their `data-drawn` counts), on the page's own clock.
CLICKED_TO_DRAWN = """async views => {
  const charts = views.map(v => document.querySelector(`.concertation-${v}-chart`));
  const before = charts.map(chart => +chart.dataset.drawn);
  const step = [...document.querySelectorAll('button')]
    .find(button => button.innerText.trim().toUpperCase() === 'STEP');
  const start = performance.now();
  step.click();
  await new Promise(resolve => {
    const check = () => charts.every((chart, i) => +chart.dataset.drawn > before[i])
      ? resolve() : requestAnimationFrame(check);
    check();
  });
  return performance.now() - start;
}"""


def step_redraw_ms(page, clicks: int = 15) -> list[float]:
    """Time from a Step click until the views that change every month are drawn anew, timed
    in the page (what a person clicking sees)."""
    return [page.evaluate(CLICKED_TO_DRAWN, list(VIEWS)) for _ in range(clicks)]


def driven_step_redraw_ms(page, clicks: int = 15) -> list[float]:
    """The same through Playwright's click, timed here: it adds the driver's own round trips
    and its actionability checks (the button stable over two animation frames)."""
    times = []
    for _ in range(clicks):
        drawn = page.evaluate(DRAWN, list(VIEWS))
        start = time.perf_counter()
        page.get_by_role("button", name="Step", exact=True).click()
        page.wait_for_function(REDRAWN, arg=[list(VIEWS), drawn], polling=5)
        times.append(1000 * (time.perf_counter() - start))
    return times


def vanished_sessions(browser, url: str, server: subprocess.Popen, rounds: int, tabs: int,
                      settle_s: float) -> None:
    """Server memory as rounds of tabs each step a few months and then crash (they vanish
    without closing, so only the reconnect window ends their sessions)."""
    print(f"vanished tabs: server memory {server_rss_mb(server):.0f} MB at start")
    for round_number in range(1, rounds + 1):
        pages = [open_tab(browser, url) for _ in range(tabs)]
        for page in pages:
            step_redraw_ms(page, clicks=3)
        with_sessions = server_rss_mb(server)
        for page in pages:
            try:
                page.goto("chrome://crash", timeout=3_000)
            except sync_api.Error:
                pass  # the tab is gone: that was the point
        time.sleep(settle_s)
        print(f"  round {round_number}: {with_sessions:.0f} MB with {tabs} sessions, "
              f"{server_rss_mb(server):.0f} MB {settle_s:.0f} s after their tabs crashed")


def ended_sessions(browser, url: str, server: subprocess.Popen, rounds: int, tabs: int,
                   settle_s: float = 5.0) -> None:
    """Server memory as rounds of tabs each play a few seconds and then leave the page (the
    close beacon ends their sessions at once): memory a session keeps after it ended shows as
    growth from round to round."""
    print(f"ended sessions: server memory {server_rss_mb(server):.0f} MB at start")
    for round_number in range(1, rounds + 1):
        pages = [open_tab(browser, url) for _ in range(tabs)]
        for page in pages:
            page.get_by_role("button", name="▶").click()
        time.sleep(3.0)
        with_sessions = server_rss_mb(server)
        for page in pages:
            page.goto("about:blank")
            page.close()
        time.sleep(settle_s)
        print(f"  round {round_number}: {with_sessions:.0f} MB with {tabs} sessions playing, "
              f"{server_rss_mb(server):.0f} MB {settle_s:.0f} s after they ended")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=15.0, help="play time per measure")
    parser.add_argument("--tabs", type=int, default=10, help="tabs playing at once")
    parser.add_argument("--vanished", type=int, default=0, metavar="ROUNDS",
                        help="only measure memory over ROUNDS of tabs that crash")
    parser.add_argument("--ended", type=int, default=0, metavar="ROUNDS",
                        help="only measure memory over ROUNDS of tabs whose sessions end")
    parser.add_argument("--window", default=None,
                        help="the server's reconnect window (SOLARA_KERNEL_CULL_TIMEOUT, e.g. "
                             "5s or 24h; default: the app's)")
    args = parser.parse_args(argv)
    if args.window:
        os.environ["SOLARA_KERNEL_CULL_TIMEOUT"] = args.window
    server, url = start_app(capture=False)
    try:
        with sync_api.sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            if args.ended:
                ended_sessions(browser, url, server, args.ended, args.tabs)
                browser.close()
                return
            if args.vanished:
                vanished_sessions(browser, url, server, args.vanished, args.tabs, settle_s=25.0)
                browser.close()
                return
            rss_start = server_rss_mb(server)
            page = open_tab(browser, url)
            for name, measure in (("in the page", step_redraw_ms),
                                  ("through Playwright's click", driven_step_redraw_ms)):
                redraw = measure(page)
                print(f"Step click to network and indicators redrawn, {name}: median "
                      f"{statistics.median(redraw):.0f} ms (min {min(redraw):.0f}, "
                      f"max {max(redraw):.0f}, {len(redraw)} clicks)")
            frames, steps = play([page], args.seconds)
            print(f"one tab playing: network {frames[0][0]:.2f} and indicators "
                  f"{frames[0][1]:.2f} frames/s, {steps[0]:.2f} steps/s")
            page.close()
            pages = [open_tab(browser, url) for _ in range(args.tabs)]
            frames, steps = play(pages, args.seconds)
            network = [tab[0] for tab in frames]
            print(f"{args.tabs} tabs playing: network frames/s per tab median "
                  f"{statistics.median(network):.2f} (min {min(network):.2f}), steps/s per tab "
                  f"median {statistics.median(steps):.2f}, all tabs {sum(steps):.1f} steps/s")
            for page in pages[1:]:
                page.get_by_role("button", name="▶").click()
            busy = step_redraw_ms(pages[0])
            print(f"Step click in a tab while {args.tabs - 1} others play, in the page: median "
                  f"{statistics.median(busy):.0f} ms (max {max(busy):.0f})")
            for page in pages:
                page.close()
            print(f"server memory: {rss_start:.0f} MB at start, {server_rss_mb(server):.0f} MB "
                  f"after {args.tabs + 1} sessions")
            browser.close()
    finally:
        stop_app(server)


if __name__ == "__main__":
    main()
