"""From mentions to events: merge the mentions that report the same interaction.

Two event mentions are one Event when they have
- the same directed dyad (source_actor, target_actor),
- a compatible CAMEO code: the same 3-digit base code (``0421`` and ``042``
  merge; a bare root ``04`` counts as ``040``), and
- overlapping date windows: each mention's date is a window given by its
  granularity (a day, a month, a season, a year, a decade; an event dated only
  by its article is the week up to the article date). Windows are chained in
  date order; a mention joins the open event while its window overlaps the
  event's window,
- within one consolidation period (:func:`period`): the calendar month of
  the mention's date (the day, the month, or for a mention dated only by its
  article, the article's date). A mention dated only to a season, a year
  or a decade (a window longer than a month) has that period itself as its
  period: it merges with the mentions dated to the same season, year or decade,
  not with every dated report inside it.

Why the period (a design decision): chained windows have no bound. On a busy
dyad, reports a few days apart chain into one event that runs for months (in a
synthetic store of 1M mentions, 5,335 mentions over a whole year), and a year-
dated mention bridges every report of its year; each new report on that dyad
then re-clusters the whole chain, so adding articles cost more as the store
grew. With the period, an event's mentions are all dated in one month (and so
is its ``event_date``), and adding articles re-clusters only the (dyad, code,
month) cells they touch. What a user sees: a long episode (talks
reported every few days through a year) is one event per month, not one event;
two reports of one event that straddle a month boundary may stay two events
(a report dated 28 February, and one dated only by its article of 2 March).
Periods are fixed calendar cells, not a cap counted from an event's first
mention: a cap would move every later cut when an earlier report arrives, and
ids with them.

The event id is a hash of the dyad, the base code, the period and the event's
anchor date: the most precise, then earliest, date among its mentions. Adding a
reprint or a follow-up article therefore keeps the id; only a new, more precise
date can move it. Mentions with no date at all (no article date) merge only
within their own story: an undated article and its undated reprints.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Mapping
from dataclasses import replace

import pandas as pd

from ..periods import interval
from ..types import Event

GRAN_RANK = {"day": 0, "article": 1, "month": 2, "season": 3, "year": 4, "decade": 5, "unknown": 9}
MODALITY_RANK = {"asserted": 0, "intent": 1, "hypothetical": 2, "negated": 3}


def base_code(cameo: str) -> str:
    return cameo[:3] if len(cameo) >= 3 else cameo + "0"


# An event dated only by its article ("article" granularity) happened at most this
# long before the article: the matching tolerance of consolidation, not a period.
ARTICLE_LOOKBACK = dt.timedelta(days=7)


def window(date: str | None, gran: str) -> tuple[dt.date, dt.date] | None:
    """The date interval a mention's event_date stands for (:mod:`detente.periods`)."""
    span = interval(date, gran)
    if span is None:
        return None
    if gran == "article":
        return span[0] - ARTICLE_LOOKBACK, span[1]
    return span


# A window longer than this is a season, a year or a decade: its own consolidation period.
MONTH_WINDOW = dt.timedelta(days=31)


def period(lo: dt.date, hi: dt.date) -> str:
    """The consolidation period of a dated mention window: an event never spans two.

    The calendar month of the window's end (``2015-03``) for a day, a month or
    an article-dated week (whose end is the article's date): the month of the
    mention's ``event_date`` in all three. The window itself
    (``2015-01-01/2015-12-31``) for a season, a year or a decade. See the module
    docstring for why.
    """
    if hi - lo >= MONTH_WINDOW:
        return f"{lo.isoformat()}/{hi.isoformat()}"
    return f"{hi.year:04d}-{hi.month:02d}"


def _event_id(key: tuple, anchor: str) -> str:
    return hashlib.sha1("|".join([*map(str, key), anchor]).encode()).hexdigest()[:16]


MENTION_COLUMNS = ("article_id", "mention_id", "source_actor", "source_country", "target_actor", "target_country",
            "cameo", "cameo_root", "quad_class", "goldstein", "plover", "modality", "hedged", "event_date",
            "date_granularity")


def _records(mentions: pd.DataFrame, articles: pd.DataFrame) -> list[dict]:
    """The mention rows as plain dicts (None for missing), with the article's outlet and published.

    Row access through pandas (itertuples, .loc) costs milliseconds a row on
    Arrow-backed frames; one conversion to Python objects makes 100k mentions
    a matter of seconds.
    """
    cols = {c: [_clean(v) for v in mentions[c].tolist()] for c in MENTION_COLUMNS}
    meta = {aid: (_clean(o), _clean(p)) for aid, o, p in
            zip(articles["article_id"].tolist(), articles["outlet"].tolist(), articles["published"].tolist())}
    rows = [dict(zip(MENTION_COLUMNS, vals)) for vals in zip(*(cols[c] for c in MENTION_COLUMNS))]
    for r in rows:
        r["outlet"], r["published"] = meta.get(r["article_id"], (None, None))
    return rows


def _clean(v):
    """pandas' missing values (NaN, NA, NaT) as None."""
    return None if v is None or v is pd.NA or (isinstance(v, float) and v != v) else v


def consolidate(mentions: pd.DataFrame, articles: pd.DataFrame, copies: frozenset[str] = frozenset(),
                stories: Mapping[str, tuple[str, str | None]] | None = None) -> list[Event]:
    """Events from the current event mentions (with article outlet/published joined in).

    ``copies`` are article ids that reprint another stored article (see
    :mod:`detente.analysis.stories`): their mentions add mentions and sources to
    events, but an event reported only by copies is not created. ``stories`` maps
    an article id to its story (the original's article id, the story's date: its
    earliest publication date); an undated mention of a copy then joins its
    original's events (see :func:`prepare`).
    """
    if mentions.empty:
        return []
    rows = _records(mentions, articles)
    prepare(rows, stories or {})
    events = [to_event(k, rs) for k, rs in clusters(rows) if not all(r["article_id"] in copies for r in rs)]
    seen: dict[str, int] = {}
    out = []
    for e in events:  # two clusters with one anchor (rare): keep ids unique and stable
        n = seen.get(e.event_id, 0)
        seen[e.event_id] = n + 1
        out.append(e if n == 0 else replace(e, event_id=f"{e.event_id}-{n}"))
    return out


def prepare(rows: list[dict], stories: Mapping[str, tuple[str, str | None]]) -> None:
    """Give each mention row its merge key, date window (``lo``, ``hi``) and undated group (``grp``).

    A mention with no date of its own, in an article with no publication date,
    takes the date of the article's story (its earliest published member) as an
    article-granularity window: a reprint with no date then merges with its
    dated original. Still undated mentions merge within their story (``grp`` is
    the story's original; an article in no story is its own), so an undated
    reprint's mentions join its undated original's events.
    """
    for r in rows:
        r["key"] = (r["source_actor"] or "", r["target_actor"] or "", base_code(r["cameo"]))
        sid, sdate = stories.get(r["article_id"], (r["article_id"], None))
        w = window(_s(r["event_date"]), r["date_granularity"])
        if w is None and not _s(r["published"]) and sdate:
            w = window(sdate, "article")
        r["lo"], r["hi"] = w if w else (None, None)
        r["period"] = period(*w) if w else None
        r["grp"] = sid


def clusters(rows: list[dict]) -> list[tuple[tuple, list[dict]]]:
    """The mention rows (after :func:`prepare`) grouped into events: (cluster key, rows) in a stable order.

    Within a key and a period (:func:`period`), dated windows are chained in
    date order (a mention joins the open cluster while its window overlaps it:
    the clusters are the connected runs of overlapping windows); the cluster
    key of a dated cluster is ``key + (period,)``. Undated mentions form one
    cluster per story, keyed ``key + (story,)``.
    """
    groups: dict[tuple, list[dict]] = {}
    for r in rows:
        groups.setdefault(r["key"], []).append(r)
    out: list[tuple[tuple, list[dict]]] = []
    for key in sorted(groups):
        cells: dict[str, list[dict]] = {}
        for r in groups[key]:
            if r["lo"] is not None:
                cells.setdefault(r["period"], []).append(r)
        for p in sorted(cells):
            cur: list[dict] | None = None
            hi = None
            for r in sorted(cells[p], key=lambda r: (r["lo"], r["hi"], r["mention_id"])):
                if cur is not None and r["lo"] <= hi:
                    cur.append(r)
                    hi = max(hi, r["hi"])
                else:
                    cur, hi = [r], r["hi"]
                    out.append((key + (p,), cur))
        by_group: dict[str, list[dict]] = {}
        for r in sorted((r for r in groups[key] if r["lo"] is None), key=lambda r: r["mention_id"]):
            by_group.setdefault(r["grp"], []).append(r)
        out.extend((key + (g,), rs) for g, rs in by_group.items())
    return out


def _s(v) -> str | None:
    """A string cell, or None for missing values."""
    return v if isinstance(v, str) else None


def to_event(key: tuple, rows: list[dict]) -> Event:
    """The Event of one cluster (rows in :func:`clusters` order: the representative depends on it)."""
    best = min(rows, key=lambda r: (GRAN_RANK.get(r["date_granularity"], 9), _s(r["event_date"]) or "9999",
                                    r["mention_id"]))
    anchor = _s(best["event_date"]) or "undated"
    # The representative code: the most specific code among the most common ones.
    codes = Counter(r["cameo"] for r in rows)
    most = max(codes.values())
    top = min((x for x, n in codes.items() if n == most), key=lambda x: (-len(x), x))
    rep = next(r for r in rows if r["cameo"] == top)
    strongest = min((r["modality"] for r in rows), key=lambda x: MODALITY_RANK.get(x, 9))
    outlets = {r["outlet"] if isinstance(r["outlet"], str) and r["outlet"] else f"article:{r['article_id']}"
               for r in rows}
    published = sorted(p for p in (r["published"] for r in rows) if isinstance(p, str) and p)
    return Event(
        event_id=_event_id(key, anchor),
        source_actor=_s(rep["source_actor"]), source_country=_s(rep["source_country"]),
        target_actor=_s(rep["target_actor"]), target_country=_s(rep["target_country"]),
        cameo=rep["cameo"], cameo_root=rep["cameo_root"], quad_class=int(rep["quad_class"]),
        goldstein=float(rep["goldstein"]), plover=_s(rep["plover"]), modality=strongest,
        event_date=_s(best["event_date"]), date_granularity=best["date_granularity"],
        num_mentions=len(rows), num_articles=len({r["article_id"] for r in rows}), num_sources=len(outlets),
        first_seen=published[0] if published else None, last_seen=published[-1] if published else None,
        mention_ids=tuple(sorted(r["mention_id"] for r in rows)),
        hedged_any=any(bool(r["hedged"]) for r in rows),
        asserted_any=any(r["modality"] == "asserted" for r in rows),
    )
