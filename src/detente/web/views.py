"""The data behind the report and the dashboard: filtered events, their evidence, the sections.

One code path for both: :func:`build_page` takes an open store and validated
:class:`~detente.web.filters.Filters` and returns the template context
(figures as HTML fragments, the outlet comparison, the event table with its
evidence sentences split into highlighted segments). The report renders it
into one self-contained file; the dashboard renders it per request.

Filters, in both interfaces:

- ``actors``: with two or more codes, the events *among* them (RUS, PRK: RUS→PRK
  and PRK→RUS, any roles); with one, the events it takes part in. The network
  and the patron chart then show those actors' ties with everyone, so the
  context stays visible.
- ``start``/``end`` (event dates), ``codes`` (CAMEO prefixes), ``outlets`` (an
  event is kept if one of its mentions comes from the outlet), ``modality``
  (the event's strongest modality) and ``q`` (a substring of an evidence sentence).

Charts count distinct events whose strongest modality is ``asserted`` (as
``detente dyad`` does) unless a modality filter says otherwise; the table lists
every modality.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, replace

import pandas as pd

from ..analysis.network import network
from ..analysis.relations import actor_matches, change_points, dyad_series, patrons, period_labels
from .filters import Filters

TABLE_COLUMNS = ["event_id", "event_date", "date_granularity", "source_actor", "target_actor", "cameo",
                 "plover", "quad_class", "goldstein", "modality", "hedged_any", "num_mentions",
                 "num_articles", "num_sources"]
QUAD_NAMES = {1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict", 4: "material conflict"}


def outlet_label(outlet, article_id: str) -> str:
    """The outlet name, or ``article:ID`` when the article names none (as the framing tables do)."""
    return outlet if isinstance(outlet, str) and outlet.strip() else f"article:{article_id}"


@dataclass(frozen=True)
class Snapshot:
    """Everything the pages read from one state of the store, loaded once (framing is the costly part)."""

    path: str
    events: pd.DataFrame
    mentions: pd.DataFrame  # event mentions with their article's outlet, date, title, url
    pairs: pd.DataFrame  # event_id, mention_id, outlet, sentence
    n_articles: int
    articles: pd.DataFrame | None = None  # article metadata (no text), for the framing functions
    outlets: pd.DataFrame | None = None  # None when this build has no outlet framing
    stance: pd.DataFrame | None = None
    blindspots: pd.DataFrame | None = None

    @property
    def known_outlets(self) -> set[str]:
        return set(self.mentions.outlet)


def load_snapshot(store: str) -> Snapshot:
    """Open ``store`` (a fresh DuckDB connection), read what the pages need, close it."""
    from ..api import Detente

    db = Detente(store)
    try:
        mentions = evidence_frame(db)
        framing = {}
        if hasattr(db, "outlets"):
            framing = {"outlets": db.outlets(), "stance": db.outlet_stance(by="actor"),
                       "blindspots": db.blindspots()}
        meta = db.articles.drop(columns=["text"])
        return Snapshot(str(db.store.path), db.events, mentions, event_outlets(db.events, mentions),
                        int(len(meta)), meta, **framing)
    finally:
        db.close()


def evidence_frame(db) -> pd.DataFrame:
    """Event mentions with their article's outlet, date, title and url, keyed by mention id."""
    arts = db.articles[["article_id", "outlet", "published", "title", "url"]]
    m = db.mentions.merge(arts, on="article_id", how="left")
    m["outlet"] = [outlet_label(o, a) for o, a in zip(m.outlet, m.article_id)]
    return m


def event_outlets(events: pd.DataFrame, mentions: pd.DataFrame) -> pd.DataFrame:
    """``event_id, mention_id, outlet, sentence`` for every (event, mention) pair."""
    em = events[["event_id", "mention_ids"]].explode("mention_ids").rename(columns={"mention_ids": "mention_id"})
    return em.merge(mentions[["mention_id", "outlet", "sentence"]], on="mention_id", how="inner")


def _involves(ev: pd.DataFrame, code: str) -> tuple[pd.Series, pd.Series]:
    return actor_matches(ev.source_actor, ev.source_country, code), actor_matches(ev.target_actor, ev.target_country, code)


def actor_mask(ev: pd.DataFrame, actors: tuple[str, ...], among: bool) -> pd.Series:
    """Events among the actors (a source matching one, the target another), or involving any of them."""
    if not actors:
        return pd.Series(True, index=ev.index)
    parts = {a: _involves(ev, a) for a in actors}
    if not among or len(actors) == 1:
        keep = pd.Series(False, index=ev.index)
        for s, t in parts.values():
            keep |= s | t
        return keep
    keep = pd.Series(False, index=ev.index)
    for a, b in itertools.permutations(actors, 2):
        keep |= parts[a][0] & parts[b][1]
    return keep


def filter_events(events: pd.DataFrame, pairs: pd.DataFrame, f: Filters, among: bool = True) -> pd.DataFrame:
    """The events that pass every filter (``pairs`` from :func:`event_outlets`)."""
    ev = events
    if f.ids:
        ev = ev[ev.event_id.isin(f.ids)]
    ev = ev[actor_mask(ev, f.actors, among)]
    if f.codes:
        ev = ev[ev.cameo.fillna("").str.startswith(tuple(f.codes))]
    if f.modality:
        ev = ev[ev.modality.isin(f.modality)]
    if f.start or f.end:
        d = pd.to_datetime(ev.event_date, errors="coerce")
        keep = d.notna()
        if f.start:
            keep &= d >= pd.Timestamp(f.start)
        if f.end:
            keep &= d <= pd.Timestamp(f.end)
        ev = ev[keep]
    if f.outlets:
        ev = ev[ev.event_id.isin(pairs.event_id[pairs.outlet.isin(f.outlets)])]
    if f.q:
        hit = pairs.sentence.fillna("").str.contains(f.q, case=False, regex=False)
        ev = ev[ev.event_id.isin(pairs.event_id[hit])]
    return ev


def pick_dyads(ev: pd.DataFrame, f: Filters, n: int = 3) -> list[tuple[str, str]]:
    """The dyads to chart: the pairs of the chosen actors, else the ``n`` busiest country pairs."""
    if len(f.actors) >= 2:
        return list(itertools.combinations(f.actors, 2))[:6]
    d = ev[ev.source_country.notna() & ev.target_country.notna() & (ev.source_country != ev.target_country)]
    if f.actors:
        a = f.actors[0]
        d = d[(d.source_country == a[:3]) | (d.target_country == a[:3])]
    if d.empty:
        return []
    keys = [tuple(sorted(p)) for p in zip(d.source_country, d.target_country)]
    counts = pd.Series(keys).value_counts()
    top = sorted(counts.index, key=lambda k: (-counts[k], k))[:n]
    return [tuple(k) for k in top]


def period_bounds(period: str) -> tuple[str, str]:
    """First and last day of a period string as :func:`relations.period_labels` writes it (2015, 2015Q1, 2015-02, weeks)."""
    freq = "W-MON" if "/" in period else "Q" if "Q" in period else "M" if "-" in period else "Y"
    p = pd.Period(period, freq=freq)
    return p.start_time.date().isoformat(), p.end_time.date().isoformat()


def network_window(ev: pd.DataFrame, f: Filters, asserted_only: bool) -> tuple[str | None, str | None, str]:
    """``(start, end, label)`` of the network's period: the chosen one, the date filter, or the busiest."""
    if f.period:
        s, e = period_bounds(f.period)
        return s, e, f.period
    if f.start or f.end:
        return f.start, f.end, f"{f.start or '…'} to {f.end or '…'}"
    d = ev[ev.event_date.notna() & ev.source_country.notna() & ev.target_country.notna()]
    if asserted_only:
        d = d[d.modality == "asserted"]
    if d.empty:
        return None, None, "all dates"
    periods = period_labels(d.event_date, f.freq)
    periods = periods[periods != "NaT"]
    if periods.empty:
        return None, None, "all dates"
    counts = periods.value_counts()
    busiest = sorted(counts.index, key=lambda p: (-counts[p], p))[0]
    s, e = period_bounds(busiest)
    return s, e, f"{busiest} (the busiest {({'W': 'week', 'M': 'month', 'Q': 'quarter', 'Y': 'year'})[f.freq]})"


def pick_clients(ev: pd.DataFrame, f: Filters, n: int = 2) -> list[str]:
    """Whose patrons to chart: the chosen countries, else the biggest receivers of material cooperation."""
    if f.actors:
        return list(dict.fromkeys(a[:3] for a in f.actors))[:4]
    d = ev[(ev.quad_class == 2) & ev.target_country.notna() & (ev.source_country != ev.target_country)]
    counts = d.target_country.value_counts()
    return sorted(counts.index, key=lambda c: (-counts[c], c))[:n]


def highlight(sentence: str, start: int, spans: list[tuple[object, object, str]]) -> list[tuple[str, str]]:
    """Split a sentence into ``(text, css_class)`` runs; spans are article offsets, ``class`` '' for plain.

    Later spans win where they overlap (the trigger is painted last). The text is
    escaped by the template, never here.
    """
    marks = [""] * len(sentence)
    for s, e, cls in spans:
        if s is None or e is None or pd.isna(s) or pd.isna(e):
            continue
        lo, hi = max(0, int(s) - start), min(len(sentence), int(e) - start)
        for i in range(lo, hi):
            marks[i] = cls
    out: list[tuple[str, str]] = []
    for cls, group in itertools.groupby(range(len(sentence)), key=lambda i: marks[i]):
        idx = list(group)
        out.append((sentence[idx[0]:idx[-1] + 1], cls))
    return out


def _s(x) -> str | None:
    return x if isinstance(x, str) and x else None


def evidence_rows(mentions: pd.DataFrame) -> dict[str, dict]:
    """``mention_id -> dict`` for the template: outlet, date, the highlighted sentence, offsets, flags."""
    rows = {}
    for m in mentions.to_dict("records"):
        spans = [(m["source_start"], m["source_end"], "src"), (m["target_start"], m["target_end"], "tgt"),
                 (m["trigger_start"], m["trigger_end"], "trg")]
        rows[m["mention_id"]] = {
            "mention_id": m["mention_id"], "article_id": m["article_id"], "outlet": m["outlet"],
            "published": _s(m["published"]), "title": _s(m["title"]), "url": _s(m["url"]),
            "segments": highlight(m["sentence"], int(m["start"]), spans), "start": int(m["start"]),
            "end": int(m["end"]), "source_actor": _s(m["source_actor"]), "target_actor": _s(m["target_actor"]),
            "source_text": _s(m["source_text"]), "target_text": _s(m["target_text"]), "trigger": _s(m["trigger"]),
            "cameo": m["cameo"], "modality": m["modality"], "hedged": bool(m["hedged"]),
            "attributed_to": _s(m["attributed_to"]), "event_date": _s(m["event_date"]),
            "date_reason": _s(m["date_reason"]), "confidence": round(float(m["confidence"]), 2),
        }
    return rows


def table_rows(ev: pd.DataFrame, mentions: pd.DataFrame, limit: int) -> list[dict]:
    """The event table: one dict per event (chronological), each with its evidence sentences."""
    ev = ev.sort_values(["event_date", "event_id"], na_position="last").head(limit)
    wanted = {i for lst in ev.mention_ids for i in lst}
    by_id = evidence_rows(mentions[mentions.mention_id.isin(wanted)])
    rows = []
    for r in ev.to_dict("records"):
        evidence = sorted((by_id[i] for i in r["mention_ids"] if i in by_id),
                          key=lambda e: (e["published"] or "9999", e["article_id"], e["start"]))
        outlets = sorted({e["outlet"] for e in evidence})
        search = " ".join([r["event_id"], _s(r["source_actor"]) or "", _s(r["target_actor"]) or "", r["cameo"],
                           _s(r["plover"]) or "", r["modality"], _s(r["event_date"]) or "", *outlets,
                           *("".join(t for t, _ in e["segments"]) for e in evidence)]).lower()
        q = int(r["quad_class"])
        rows.append({
            "event_id": r["event_id"], "event_date": _s(r["event_date"]), "granularity": r["date_granularity"],
            "source_actor": _s(r["source_actor"]), "target_actor": _s(r["target_actor"]), "cameo": r["cameo"],
            "plover": _s(r["plover"]), "quad_class": q, "quad_name": QUAD_NAMES.get(q),
            "goldstein": float(r["goldstein"]), "modality": r["modality"], "hedged": bool(r["hedged_any"]),
            "num_mentions": int(r["num_mentions"]), "num_articles": int(r["num_articles"]),
            "num_sources": int(r["num_sources"]), "outlets": outlets, "evidence": evidence, "search": search,
        })
    return rows


def dyad_blindspot_rows(snap: Snapshot, ev: pd.DataFrame, f: Filters, asserted_only: bool) -> list[dict]:
    """Per dyad and period: the outlets that published then but reported none of the dyad's events."""
    try:
        from ..analysis.framing import dyad_blindspots
    except ImportError:  # a build without the dyad view
        return []
    raw = snap.mentions.drop(columns=["outlet", "published", "title", "url"])
    d = dyad_blindspots(ev, raw, snap.articles, f.freq, asserted_only=asserted_only)
    d = d[d.outlets_missing.map(len) > 0]
    d = d.sort_values(["events", "period", "source", "target"], ascending=[False, True, True, True]).head(20)
    return [{"period": r.period, "source": r.source, "target": r.target, "events": int(r.events),
             "reporting": list(r.outlets_reporting), "missing": list(r.outlets_missing),
             "event_ids": list(r.event_ids)} for r in d.itertuples()]


def outlet_section(snap: Snapshot, ev: pd.DataFrame, f: Filters, asserted_only: bool = True) -> dict:
    """Outlet comparison from the framing API (stance, hedging, blindspots), restricted to ``ev``."""
    if snap.outlets is None:
        return {"available": False}
    outlets, stance = snap.outlets, snap.stance
    if f.outlets:
        outlets, stance = outlets[outlets.outlet.isin(f.outlets)], stance[stance.outlet.isin(f.outlets)]
    keep = set(ev.event_id)
    p = snap.pairs[snap.pairs.event_id.isin(keep)]
    scoped = bool(f.actors or f.start or f.end or f.codes or f.modality or f.q)
    if scoped:
        outlets, stance = scope_outlets(snap, outlets, stance, ev, p, f)
    outlet_events = p.groupby("outlet").event_id.agg(lambda s: sorted(set(s))).to_dict()
    blind = snap.blindspots[snap.blindspots.event_id.isin(keep)].copy()
    blind["n_reporting"] = blind.outlets_reporting.map(len)
    blind = blind[blind.n_reporting >= 2].sort_values(["n_reporting", "event_date", "event_id"],
                                                      ascending=[False, True, True]).head(15)
    return {"available": True, "outlets": outlets, "stance": stance, "outlet_events": outlet_events,
            "scoped": scoped,
            "dyad_blindspots": dyad_blindspot_rows(snap, ev, f, asserted_only),
            "blindspots": [{"event_id": b.event_id, "source_actor": _s(b.source_actor),
                            "target_actor": _s(b.target_actor), "cameo": b.cameo, "event_date": _s(b.event_date),
                            "reporting": list(b.outlets_reporting), "missing": list(b.outlets_missing)}
                           for b in blind.itertuples()]}


def scope_outlets(snap: Snapshot, outlets: pd.DataFrame, stance: pd.DataFrame, ev: pd.DataFrame,
                  pairs: pd.DataFrame, f: Filters) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The outlet table over the selected events only (actors, dates, codes...): events, mentions,
    hedged and speculative shares and exclusive events are recounted on them; stance keeps only the
    evaluations of the selected actors. Articles and the opinion share stay per outlet."""
    from ..analysis.framing import hedging

    ids = set(ev.event_id)
    mention_ids = {m for lst in ev.mention_ids for m in lst}
    raw = snap.mentions[snap.mentions.mention_id.isin(mention_ids)]
    hed = hedging(raw.drop(columns=["outlet", "published", "title", "url"]), snap.articles, by="outlet")
    hed = hed.set_index("outlet") if not hed.empty else hed
    n_out = pairs.groupby("event_id").outlet.nunique()
    excl = set(n_out[n_out == 1].index)
    if f.actors:
        stance = stance[stance.actor.isin(f.actors) | stance.actor.str[:3].isin([a[:3] for a in f.actors])]
    rows = []
    for r in outlets.to_dict("records"):
        e = set(pairs.event_id[pairs.outlet == r["outlet"]]) & ids
        if not e:
            continue
        h = hed.loc[r["outlet"]] if r["outlet"] in getattr(hed, "index", ()) else None
        s = stance[stance.outlet == r["outlet"]]
        n = int(s.n.sum()) if len(s) else 0
        r.update(events=len(e), exclusive_events=len(e & excl),
                 mentions=int(h.mentions) if h is not None else 0,
                 hedged_share=float(h.hedged_share) if h is not None else 0.0,
                 speculative_share=float(h.speculative_share) if h is not None else 0.0,
                 stance_mean=round(float((s.stance_mean * s.n).sum() / n), 3) if n else None, stance_n=n)
        rows.append(r)
    return pd.DataFrame(rows, columns=outlets.columns), stance


def stance_events(ev: pd.DataFrame, pairs: pd.DataFrame) -> dict[tuple[str, str], list[str]]:
    """``(outlet, country) -> event ids`` of the events an outlet reported with that country as a party."""
    p = pairs.merge(ev[["event_id", "source_country", "target_country"]], on="event_id")
    out: dict[tuple[str, str], set[str]] = {}
    for o, e, s, t in zip(p.outlet, p.event_id, p.source_country, p.target_country):
        for c in (s, t):
            if isinstance(c, str):
                out.setdefault((o, c), set()).add(e)
    return {k: sorted(v) for k, v in out.items()}


def build_page(snap: Snapshot, f: Filters) -> dict:
    """The template context shared by the report and the dashboard."""
    from . import figures

    events, mentions, pairs = snap.events, snap.mentions, snap.pairs
    base = replace(f, actors=())  # every filter but the actors
    context_ev = filter_events(events, pairs, base)
    ev = filter_events(events, pairs, f)
    chart_ev, asserted_only = ev, not f.modality  # a modality filter replaces the asserted-only default

    dyads = pick_dyads(chart_ev if f.actors else context_ev, f)
    series = {(a, b): dyad_series(chart_ev, a, b, f.freq, both=True, asserted_only=asserted_only) for a, b in dyads}
    timeline = figures.dyad_timeline(chart_ev, series, f.freq, asserted_only)

    around = context_ev[actor_mask(context_ev, f.actors, among=False)]
    s, e, net_label = network_window(around, f, asserted_only)
    nodes, edges = network(around, s, e, "country", asserted_only)
    net = None
    if not f.period and not (f.start or f.end):  # the busiest period by default, the others a slider step away
        net = network_slider(around, f, asserted_only, net_label.split(" ")[0])
    net = net or figures.network_figure(nodes, edges)

    clients = pick_clients(context_ev if f.actors else ev, f)
    pat = {c: patrons(context_ev, c, f.freq, asserted_only) for c in clients}
    pat_fig = figures.patrons_figure(pat)

    outlets = outlet_section(snap, ev, f, asserted_only)
    if outlets["available"]:
        outlets["figure"] = figures.to_div(figures.outlet_figure(outlets["outlets"], outlets["outlet_events"]),
                                           "fig-outlets")
        countries = set(events.source_country.dropna()) | set(events.target_country.dropna())
        heat = figures.stance_heatmap(outlets["stance"], stance_events(ev, pairs), countries)
        outlets["heatmap"] = figures.to_div(heat, "fig-stance")
        outlets["table"] = outlets.pop("outlets").to_dict("records")
        outlets.pop("stance"), outlets.pop("outlet_events")

    rows = table_rows(ev, mentions, f.limit)
    return {
        "undated_note": undated_note(snap, ev, asserted_only),
        "triads": triad_rows(context_ev if f.actors else ev, f, asserted_only),
        "filters": f, "dyads": [f"{a}–{b}" for a, b in dyads],
        "changes": [c.replace("->", "–") for (a, b), sr in series.items() for c in change_points(sr, a, b)],
        "figures": {k: figures.to_div(v, f"fig-{k}") for k, v in
                    (("timeline", timeline), ("network", net), ("patrons", pat_fig))},
        "network_label": net_label, "network_edges": len(edges), "clients": clients,
        "outlets": outlets, "rows": rows, "n_events": len(ev), "n_all": len(events),
        "truncated": len(ev) > len(rows), "asserted_only": asserted_only,
        "n_articles": snap.n_articles, "store": snap.path, "n_mentions": int(len(mentions)),
        "actor_note": _actor_note(f),
        "known_outlets": sorted(snap.known_outlets),
    }


def network_slider(ev: pd.DataFrame, f: Filters, asserted_only: bool, active: str):
    """The network figure with a period slider over every period of ``ev`` (None when one period or too many)."""
    from . import figures

    d = ev[ev.event_date.notna() & ev.source_country.notna() & ev.target_country.notna()]
    if asserted_only:
        d = d[d.modality == "asserted"]
    periods = sorted(set(period_labels(d.event_date, f.freq)) - {"NaT"})
    if len(periods) < 2 or len(periods) > figures.MAX_SLIDER_PERIODS:
        return None
    per = {}
    for p in periods:
        s, e = period_bounds(p)
        per[p] = network(ev, s, e, "country", asserted_only)
    all_nodes, all_edges = network(ev, None, None, "country", asserted_only)
    return figures.network_slider_figure(per, active, all_nodes, all_edges)


def undated_note(snap: Snapshot, ev: pd.DataFrame, asserted_only: bool) -> str | None:
    """What the dated charts leave out of the selection: undated events, and whether their articles lack a date."""
    from ..analysis.coverage import left_out_note, undated_events

    if snap.articles is None or "published" not in snap.articles:
        return None
    undated_articles = set(snap.articles.article_id[snap.articles.published.isna()])
    mention_articles = dict(zip(snap.mentions.mention_id, snap.mentions.article_id))
    u = undated_events(ev, undated_articles, mention_articles, asserted_only)
    return left_out_note(u, "The timeline, network, triads and patrons")


def triad_rows(ev: pd.DataFrame, f: Filters, asserted_only: bool, limit: int = 40) -> list[dict]:
    """Triads of the signed network per period (every triple of the chosen actors when three or more
    are chosen, else the closed triads around them), with the event ids behind their ties."""
    from ..analysis.triads import triads

    actors = [a[:3] for a in f.actors] if len(f.actors) >= 3 else None
    t = triads(ev, f.freq, actors, "country", asserted_only)
    if f.actors and actors is None:
        keep = {a[:3] for a in f.actors}
        t = t[t.a.isin(keep) | t.b.isin(keep) | t.c.isin(keep)]
    t = t.sort_values(["period", "triad"]).head(limit)
    return [{"period": r.period, "triad": r.triad, "pattern": r.pattern, "status": r.status,
             "events": f"{r.events_ab}/{r.events_bc}/{r.events_ac}",
             "event_ids": sorted({*r.event_ids_ab, *r.event_ids_bc, *r.event_ids_ac})} for r in t.itertuples()]


def _actor_note(f: Filters) -> str | None:
    if len(f.actors) >= 2:
        return (f"Timeline and table: events among {', '.join(f.actors)}. "
                f"Network and patrons: their ties with every actor.")
    if f.actors:
        return f"Events with {f.actors[0]} as source or target."
    return None


def fmt_num(x) -> str:
    """Numbers for tables: integers plain, floats to 2 decimals, missing as a dash."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "—"
    if isinstance(x, float):
        return f"{x:.2f}"
    return str(x)
