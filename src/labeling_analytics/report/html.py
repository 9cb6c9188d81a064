"""The report as one self-contained HTML file: the page, its styles, plotly.js and the app, with the
data embedded as JSON. Nothing is fetched when it opens (its Content-Security-Policy forbids it)."""

from __future__ import annotations

import json
import re
from importlib import resources
from typing import Any

STATIC = "static"
MARKERS = ("@@TITLE@@", "@@CSS@@", "@@DATA@@", "@@PLOTLY_JS@@", "@@APP_JS@@")

# A script element ends at the first `</script` whatever the JavaScript around it means.
_SCRIPT_END = re.compile(r"</(script)", re.IGNORECASE)


def _static(name: str) -> str:
    return resources.files(__package__).joinpath(STATIC, name).read_text(encoding="utf-8")


def json_for_script(payload: dict[str, Any]) -> str:
    """JSON that cannot end its <script> early nor open a comment in it: `<`, `>` and `&` as
    \\u escapes (JSON.parse reads them back as the same characters)."""
    text = json.dumps(payload, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def script_for_html(source: str) -> str:
    """JavaScript safe inside <script>: `</script` written `<\\/script` (the same in a JS string or regex)."""
    return _SCRIPT_END.sub(r"<\\/\1", source)


def _escape_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def title(payload: dict[str, Any]) -> str:
    teams = payload["teams"]
    team = f"team {teams[0]}" if len(teams) == 1 else f"teams {', '.join(map(str, teams))}"
    return f"Labeling performance — {team} — {payload['first_day']} to {payload['last_day']}"


def render_html(payload: dict[str, Any]) -> str:
    """The page, with everything inlined."""
    import plotly.offline  # here, not at the top: `labeling-analytics --help` need not load plotly

    template = _static("report.html")
    parts = {
        "@@TITLE@@": _escape_text(title(payload)),
        "@@CSS@@": _static("report.css"),
        "@@DATA@@": json_for_script(payload),
        "@@PLOTLY_JS@@": script_for_html(plotly.offline.get_plotlyjs()),
        "@@APP_JS@@": script_for_html(_static("report.js")),
    }
    for marker in MARKERS:
        if template.count(marker) != 1:
            raise RuntimeError(f"the report template must hold {marker} once")
    # One pass: inserted text (plotly.js is 4 MB) is never searched for markers again.
    return re.sub("|".join(map(re.escape, MARKERS)), lambda match: parts[match.group(0)], template)
