"""The model's description (docs/ODD.md) as a page of the app, a tab linked from the info panel: an
instructor asked "where do these rules come from?" opens it in the same tab, offline.

The ODD lives in the source repository, not in the installed package; an install without it
says where to find it.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import markdown
import solara

from .components import NOTE, language, top_bar
from .i18n import t

ODD_FILE = Path(__file__).resolve().parents[2] / "docs" / "ODD.md"


@lru_cache(maxsize=1)
def odd_html(path: Path = ODD_FILE) -> str | None:
    """The ODD as HTML (read and converted once per server), or None if this install has no
    docs/ODD.md."""
    if not path.is_file():
        return None
    return markdown.markdown(path.read_text(encoding="utf-8"),
                             extensions=["tables", "fenced_code", "toc"])


@solara.component
def OddPage():
    lang = language.value
    top_bar(lang)
    solara.Title(t("odd_title", lang))
    html = odd_html()
    with solara.Card(margin=0, classes=["concertation-odd"]):
        if html is None:
            solara.Text(t("odd_missing", lang), style=NOTE)
        else:
            solara.HTML(tag="div", unsafe_innerHTML=html, style="max-width: 60em")
