"""`labeling-analytics report`: a self-contained, offline HTML dashboard built from the marts."""

from .data import ReportDataError, Selection, load_payload
from .html import render_html

__all__ = ["ReportDataError", "Selection", "load_payload", "render_html"]
