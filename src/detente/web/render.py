"""Jinja2 rendering shared by the report and the dashboard (autoescaped: article text is never trusted)."""

from __future__ import annotations

from functools import lru_cache

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from ..version import __version__
from .filters import Filters
from .views import Snapshot, build_page, fmt_num, load_snapshot

# The report forbids every network fetch: an emailed file must not phone home or load anything.
REPORT_CSP = ("default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; "
              "img-src data: blob:; font-src data:; connect-src 'none'; base-uri 'none'; form-action 'none'")


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(loader=PackageLoader("detente.web", "templates"), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["num"] = fmt_num
    env.filters["safe_url"] = safe_url
    return env


def safe_url(url: str | None) -> str | None:
    """Only http(s) URLs become links (a ``javascript:`` URL in article metadata stays text)."""
    return url if isinstance(url, str) and url.lower().startswith(("http://", "https://")) else None


@lru_cache(maxsize=1)
def plotly_js() -> str:
    from plotly.offline import get_plotlyjs

    return get_plotlyjs()


def render_page(snap: Snapshot, template: str, filters: Filters, **extra) -> str:
    ctx = build_page(snap, filters)
    ctx.update(version=__version__, **extra)
    ctx["figures"] = {k: (Markup(v) if v else None) for k, v in ctx["figures"].items()}  # plotly's own escaped JSON
    if ctx["outlets"].get("available"):
        for k in ("figure", "heatmap"):
            ctx["outlets"][k] = Markup(ctx["outlets"][k]) if ctx["outlets"][k] else None
    return environment().get_template(template).render(**ctx)


def render_report(store: str, filters: Filters) -> str:
    """One self-contained HTML file over ``store``: figures, outlet comparison, the event table."""
    return render_page(load_snapshot(store), "report.html", filters, mode="report", csp=REPORT_CSP,
                       plotly_js=Markup(plotly_js()))
