"""``detente serve``: a local, read-only Starlette dashboard over a store.

Routes (GET only; nothing writes to the store):

==========================  ==================================================
``/``                       the dashboard: filters, figures, outlets, events
``/event/{event_id}``       one event with every sentence behind it
``/fragment/events?ids=``   table rows for chart clicks (the table is bounded)
``/api/events``             the filtered events with their evidence, as JSON
``/api/dyads``              the charted dyads' series (both directions), as JSON
``/api/network``            the network of the chosen period (nodes, edges), as JSON
``/download/TABLE.csv``     what is on screen as CSV: events, dyads or network (edges)
``/static/plotly.min.js``   plotly's bundled script (a fixed file, not a path)
``/healthz``                store state: events, fingerprint
==========================  ==================================================

Only requests addressed to this machine are answered: a ``Host`` header that is not a loopback
name or address (or a name given with ``--allow-host``) gets a 400, so a web page the user
visits cannot read the store through DNS rebinding (its requests carry the attacker's host name).

Every query parameter is validated by :func:`detente.web.filters.parse_filters`
(strict patterns for actor and CAMEO codes, parsed dates, bounded lists and
limits, outlets matched against the store's own outlet names); a bad value is a
400 with a message, an unexpected error a 500 without a traceback. No route
takes a file path. The store is re-read (a fresh DuckDB connection) whenever
its files change, so the dashboard keeps working while ``analyze`` writes:
the views only show committed batches, and a failed reload keeps serving the
previous state.
"""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from ..version import __version__
from ..errors import DetenteError
from .filters import MAX_TEXT, BadRequest, Filters, check_event_id, parse_filters
from .render import environment, plotly_js, render_page
from .views import Snapshot, filter_events, load_snapshot, network_window, pick_dyads, table_rows

log = logging.getLogger("detente.web")

DASHBOARD_CSP = ("default-src 'none'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; "
                 "img-src 'self' data: blob:; font-src data:; connect-src 'self'; base-uri 'none'; "
                 "form-action 'self'; frame-ancestors 'none'")
SECURITY_HEADERS = {"Content-Security-Policy": DASHBOARD_CSP, "X-Content-Type-Options": "nosniff",
                    "Referrer-Policy": "no-referrer", "X-Frame-Options": "DENY", "Cache-Control": "no-store"}
API_HEADERS = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}
WATCHED = ("articles", "events", "event_mentions")  # a batch commits its articles file last; events follow
MAX_QUERY = 4096
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1", "[::1]")
LIST_PARAMS = {"actors": ",", "codes": ",", "modality": ",", "outlets": "|", "ids": ","}


def fingerprint(root: Path) -> tuple:
    """Names, sizes and mtimes of the files the pages read: it changes when a batch or an events file lands
    (events are one file per month folder, ``events/2015-03/events.parquet``: those folders are read too)."""
    out = []

    def scan(folder: Path, table: str, depth: int) -> None:
        try:
            with os.scandir(folder) as it:
                for e in it:
                    if e.name.endswith(".parquet"):
                        st = e.stat()
                        out.append((table, str(Path(folder, e.name).relative_to(root)), st.st_size, st.st_ino,
                                    st.st_mtime_ns))
                    elif depth and e.is_dir():
                        scan(Path(e.path), table, depth - 1)
        except FileNotFoundError:
            pass

    for table in WATCHED:
        scan(root / table, table, 1)
    return tuple(sorted(out))


class SnapshotCache:
    """The current :class:`Snapshot`, reloaded when the store's files change (one loader at a time)."""

    def __init__(self, store: str, loader=load_snapshot):
        self.root = Path(store)
        self.loader = loader
        self.lock = threading.Lock()
        self.key: tuple | None = None
        self.snap: Snapshot | None = None

    def get(self) -> Snapshot:
        key = fingerprint(self.root)
        if key == self.key and self.snap is not None:
            return self.snap
        with self.lock:
            if key == self.key and self.snap is not None:
                return self.snap
            try:
                snap = self.loader(str(self.root))
            except DetenteError:
                raise
            except Exception:  # a writer renamed files under us: keep the last good state
                if self.snap is None:
                    raise
                log.warning("store reload failed; serving the previous state", exc_info=True)
                return self.snap
            self.key, self.snap = key, snap
            return snap


def _params(request: Request) -> dict[str, str]:
    """The query string as one string per parameter (list parameters may repeat)."""
    if len(request.url.query) > MAX_QUERY:
        raise BadRequest(f"query string longer than {MAX_QUERY} characters")
    qp = request.query_params
    out = {}
    for key in qp.keys():
        values = qp.getlist(key)
        if key in LIST_PARAMS:
            out[key] = LIST_PARAMS[key].join(values)
        elif len(values) > 1:
            raise BadRequest(f"{key[:30]}: given more than once")
        else:
            out[key] = values[0]
    return out


def _html(body: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(body, status_code=status, headers=SECURITY_HEADERS)


def create_app(store: str, loader=load_snapshot, allowed_hosts=()) -> Starlette:
    """The dashboard app over ``store`` (no writes; bind it to loopback).

    Requests whose ``Host`` is neither a loopback name/address nor in ``allowed_hosts`` get a 400.
    """
    cache = SnapshotCache(store, loader)

    def filters(request: Request, snap: Snapshot, default_limit: int = 500) -> Filters:
        return parse_filters(_params(request), known_outlets=snap.known_outlets, default_limit=default_limit)

    def dashboard(request: Request):
        snap = cache.get()
        f = filters(request, snap)
        return _html(render_page(snap, "dashboard.html", f, mode="serve", csp=None))

    def fragment(request: Request):
        snap = cache.get()
        f = filters(request, snap)
        if not f.ids:
            raise BadRequest("ids: give the event ids to show")
        ev = filter_events(snap.events, snap.pairs, f)
        rows = table_rows(ev, snap.mentions, f.limit)
        return _html(environment().get_template("_events.html").render(rows=rows, mode="serve", single=False))

    def event(request: Request):
        snap = cache.get()
        event_id = check_event_id(request.path_params["event_id"])
        ev = snap.events[snap.events.event_id == event_id]
        if ev.empty:
            raise HTTPException(404, f"no event {event_id} in this store")
        rows = table_rows(ev, snap.mentions, 1)
        return _html(environment().get_template("event.html").render(
            row=rows[0], rows=rows, single=True, mode="serve", csp=None, version=__version__, store=snap.path,
            n_all=len(snap.events), n_mentions=len(snap.mentions), n_articles=snap.n_articles))

    def api_events(request: Request):
        snap = cache.get()
        f = filters(request, snap, default_limit=100)
        ev = filter_events(snap.events, snap.pairs, f)
        rows = table_rows(ev, snap.mentions, f.limit)
        for r in rows:
            r.pop("search")
            for e in r["evidence"]:
                e["sentence"] = "".join(t for t, _ in e.pop("segments"))
        return JSONResponse({"events": len(ev), "returned": len(rows), "rows": rows}, headers=API_HEADERS)

    def on_screen(request: Request, what: str):
        """The DataFrame behind one part of the page, under the page's filters."""
        import pandas as pd

        from ..analysis.network import network
        from ..analysis.relations import dyad_series

        snap = cache.get()
        f = filters(request, snap)
        ev = filter_events(snap.events, snap.pairs, f)
        asserted_only = not f.modality  # as the page's charts: asserted unless modalities are chosen
        if what == "events":
            cols = [c for c in ("event_id", "event_date", "date_granularity", "source_actor", "source_country",
                                "target_actor", "target_country", "cameo", "quad_class", "goldstein", "plover",
                                "modality", "num_mentions", "num_articles", "num_sources", "mention_ids")
                    if c in ev.columns]
            return ev[cols].head(f.limit), {"events": len(ev)}
        if what == "dyads":
            parts = []
            for a, b in pick_dyads(ev, f):
                for x, y in ((a, b), (b, a)):
                    d = dyad_series(ev, x, y, f.freq, asserted_only=asserted_only)
                    if not d.empty:
                        parts.append(d.assign(source=x, target=y))
            df = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["source", "target", "period"])
            front = ["source", "target"]
            return df[front + [c for c in df.columns if c not in front]], {"freq": f.freq}
        start, end, label = network_window(ev, f, asserted_only)
        nodes, edges = network(ev, start, end, "country", asserted_only)
        return edges, {"period": label, "start": start, "end": end, "nodes": nodes}

    def api_dyads(request: Request):
        from ..tabular import records

        df, meta = on_screen(request, "dyads")
        return JSONResponse({**meta, "rows": records(df)}, headers=API_HEADERS)

    def api_network(request: Request):
        from ..tabular import records

        edges, meta = on_screen(request, "network")
        nodes = meta.pop("nodes")
        return JSONResponse({**meta, "nodes": records(nodes), "edges": records(edges)}, headers=API_HEADERS)

    def download(request: Request):
        from ..tabular import csv_text

        what = request.path_params["table"]
        if what not in ("events", "dyads", "network"):
            raise HTTPException(404, f"no download {what[:30]!r}: events.csv, dyads.csv or network.csv")
        df, _ = on_screen(request, what)
        return Response(csv_text(df), media_type="text/csv; charset=utf-8",
                        headers={**API_HEADERS, "Content-Disposition": f'attachment; filename="detente-{what}.csv"'})

    def plotly(request: Request):
        return Response(plotly_js(), media_type="text/javascript",
                        headers={"Cache-Control": "max-age=86400", "X-Content-Type-Options": "nosniff"})

    def health(request: Request):
        snap = cache.get()
        return JSONResponse({"ok": True, "events": len(snap.events), "mentions": len(snap.mentions),
                             "articles": snap.n_articles})

    def bad_request(request: Request, exc: BadRequest):
        if request.url.path.startswith(("/api/", "/download/")):
            return JSONResponse({"error": str(exc)}, status_code=400)
        return _error(400, str(exc))

    def not_found(request: Request, exc: HTTPException):
        return _error(exc.status_code, exc.detail if isinstance(exc.detail, str) else "not found")

    def store_error(request: Request, exc: DetenteError):
        return _error(503, f"{exc.code}: {exc.message}" + (f" ({exc.hint})" if exc.hint else ""))

    def internal(request: Request, exc: Exception):
        log.error("error serving %s", request.url.path, exc_info=exc)
        return _error(500, "internal error (details are in the server log)")

    routes = [
        Route("/", dashboard, methods=["GET"]),
        Route("/event/{event_id}", event, methods=["GET"]),
        Route("/fragment/events", fragment, methods=["GET"]),
        Route("/api/events", api_events, methods=["GET"]),
        Route("/api/dyads", api_dyads, methods=["GET"]),
        Route("/api/network", api_network, methods=["GET"]),
        Route("/download/{table}.csv", download, methods=["GET"]),
        Route("/static/plotly.min.js", plotly, methods=["GET"]),
        Route("/healthz", health, methods=["GET"]),
    ]
    hosts = list(dict.fromkeys([*LOOPBACK_HOSTS, *(h.lower() for h in allowed_hosts)]))
    middleware = [Middleware(TrustedHostMiddleware, allowed_hosts=hosts, www_redirect=False)]
    app = Starlette(debug=False, routes=routes, middleware=middleware, exception_handlers={
        BadRequest: bad_request, HTTPException: not_found, DetenteError: store_error, Exception: internal})
    app.state.cache = cache
    return app


def _error(status: int, message: str) -> HTMLResponse:
    body = environment().get_template("error.html").render(status=status, message=message[:MAX_TEXT * 2])
    return _html(body, status)
