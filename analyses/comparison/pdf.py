"""The report as PDF, printed by a headless Chromium (the one the browser tests use): the
page's print stylesheet keeps figures and table rows whole across pages, and `#fr` opens the
report in French, so each language prints to its own file."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..runs import OutputError

CHROMIUM_ENV = "CONCERTATION_CHROMIUM"
CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
PRINT_TIMEOUT_S = 120


def find_chromium() -> str:
    """The Chromium to print with: CONCERTATION_CHROMIUM, else the first one on PATH."""
    given = os.environ.get(CHROMIUM_ENV)
    if given:
        if not (Path(given).is_file() and os.access(given, os.X_OK)):
            raise OutputError(f"{CHROMIUM_ENV}={given} is not an executable Chromium")
        return given
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    raise OutputError("--pdf prints the report with Chromium, and none was found: install it "
                      "(`bash scripts/browser.sh`, or `apt-get install chromium`) or point "
                      f"{CHROMIUM_ENV} at one")


def print_pdf(report: Path, pdf: Path, language: str = "en") -> Path:
    """Print `report` (an HTML file) to `pdf` in `language` ('en' or 'fr')."""
    chromium = find_chromium()
    url = report.absolute().as_uri() + ("#fr" if language == "fr" else "")
    with tempfile.TemporaryDirectory(prefix="concertation-pdf-") as profile:
        command = [chromium, "--headless", "--disable-gpu", "--no-first-run",
                   "--disable-background-networking", "--disable-component-update",
                   f"--user-data-dir={profile}", "--no-pdf-header-footer",
                   f"--print-to-pdf={pdf.absolute()}", url]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            command.insert(1, "--no-sandbox")  # Chromium refuses to run as root otherwise
        try:
            subprocess.run(command, check=True, capture_output=True, timeout=PRINT_TIMEOUT_S)
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as exc:
            raise OutputError(f"Chromium ({chromium}) could not print {report} to PDF: "
                              f"{exc}") from None
    if not pdf.is_file() or pdf.read_bytes()[:5] != b"%PDF-":
        raise OutputError(f"Chromium ({chromium}) wrote no PDF for {report}")
    return pdf
