"""The HTML report and the local dashboard: one set of figures and templates for both.

``render_report(store, filters)`` writes one self-contained HTML file (plotly.js
embedded once, no network); ``create_app(store)`` is the read-only Starlette
dashboard served by ``detente serve``. Both need the ``web`` extra
(plotly, jinja2, starlette, uvicorn).
"""

from .filters import BadRequest, Filters, parse_filters

__all__ = ["BadRequest", "Filters", "parse_filters", "render_report", "create_app"]


def render_report(store: str, filters: Filters | None = None) -> str:
    from .render import render_report as _render

    return _render(store, filters or Filters())


def create_app(store: str, allowed_hosts=()):
    from .app import create_app as _create

    return _create(store, allowed_hosts=allowed_hosts)
