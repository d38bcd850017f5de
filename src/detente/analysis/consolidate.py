"""From mentions to events: merge the mentions that report the same interaction.

Two event mentions are one Event when they have
- the same directed dyad (source_actor, target_actor),
- a compatible CAMEO code: the same 3-digit base code (``0421`` and ``042``
  merge; a bare root ``04`` counts as ``040``), and
- overlapping date windows: each mention's date is a window given by its
  granularity (a day, a month, a season, a year, a decade; an event dated only
  by its article is the week up to the article date). Windows are chained in
  date order; a mention joins the open event while its window overlaps the
  event's window.

The event id is a hash of the dyad, the base code and the event's anchor date:
the most precise, then earliest, date among its mentions. Adding a reprint or a
follow-up article therefore keeps the id; only a new, more precise date can
move it. Mentions with no date at all (no article date) merge only within
their own article.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from dataclasses import dataclass, replace

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


@dataclass
class _Cluster:
    key: tuple
    lo: dt.date | None
    hi: dt.date | None
    rows: list


def _event_id(key: tuple, anchor: str) -> str:
    return hashlib.sha1("|".join([*map(str, key), anchor]).encode()).hexdigest()[:16]


_COLUMNS = ("article_id", "mention_id", "source_actor", "source_country", "target_actor", "target_country",
            "cameo", "cameo_root", "quad_class", "goldstein", "plover", "modality", "hedged", "event_date",
            "date_granularity")


def _records(mentions: pd.DataFrame, articles: pd.DataFrame) -> list[dict]:
    """The mention rows as plain dicts (None for missing), with the article's outlet and published.

    Row access through pandas (itertuples, .loc) costs milliseconds a row on
    Arrow-backed frames; one conversion to Python objects makes 100k mentions
    a matter of seconds.
    """
    cols = {c: [_clean(v) for v in mentions[c].tolist()] for c in _COLUMNS}
    meta = {aid: (_clean(o), _clean(p)) for aid, o, p in
            zip(articles["article_id"].tolist(), articles["outlet"].tolist(), articles["published"].tolist())}
    rows = [dict(zip(_COLUMNS, vals)) for vals in zip(*(cols[c] for c in _COLUMNS))]
    for r in rows:
        r["outlet"], r["published"] = meta.get(r["article_id"], (None, None))
    return rows


def _clean(v):
    """pandas' missing values (NaN, NA, NaT) as None."""
    return None if v is None or v is pd.NA or (isinstance(v, float) and v != v) else v


def consolidate(mentions: pd.DataFrame, articles: pd.DataFrame, copies: frozenset[str] = frozenset()) -> list[Event]:
    """Events from the current event mentions (with article outlet/published joined in).

    ``copies`` are article ids that reprint another stored article (see
    :mod:`detente.analysis.stories`): their mentions add mentions and sources to
    events, but an event reported only by copies is not created.
    """
    if mentions.empty:
        return []
    groups: dict[tuple, list[dict]] = {}
    for r in _records(mentions, articles):
        key = (r["source_actor"] or "", r["target_actor"] or "", base_code(r["cameo"]))
        groups.setdefault(key, []).append(r)
    clusters: list[_Cluster] = []
    for key in sorted(groups):
        dated, undated = [], []
        for r in groups[key]:
            w = window(_s(r["event_date"]), r["date_granularity"])
            (dated if w else undated).append((w, r))
        dated.sort(key=lambda x: (x[0][0], x[0][1], x[1]["mention_id"]))
        cur: _Cluster | None = None
        for w, r in dated:
            if cur is not None and w[0] <= cur.hi:
                cur.rows.append(r)
                cur.hi = max(cur.hi, w[1])
            else:
                cur = _Cluster(key, w[0], w[1], [r])
                clusters.append(cur)
        by_article: dict[str, _Cluster] = {}
        for _, r in sorted(undated, key=lambda x: x[1]["mention_id"]):
            c = by_article.setdefault(r["article_id"], _Cluster(key + (r["article_id"],), None, None, []))
            c.rows.append(r)
        clusters.extend(by_article.values())
    events = [_to_event(c) for c in clusters if not all(r["article_id"] in copies for r in c.rows)]
    seen: dict[str, int] = {}
    out = []
    for e in events:  # two clusters with one anchor (rare): keep ids unique and stable
        n = seen.get(e.event_id, 0)
        seen[e.event_id] = n + 1
        out.append(e if n == 0 else replace(e, event_id=f"{e.event_id}-{n}"))
    return out


def _s(v) -> str | None:
    """A string cell, or None for missing values."""
    return v if isinstance(v, str) else None


def _to_event(c: _Cluster) -> Event:
    rows = c.rows
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
        event_id=_event_id(c.key, anchor),
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
