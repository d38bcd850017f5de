"""Publication dates for undated articles: a date given on the command line, or an estimate from the text.

An article without a publication date cannot date its relative references
("on Tuesday", "last year"), so the views that need dates leave its undated
events out. Two remedies, in order of trust:

* ``detente analyze --published DATE`` gives every article *without* a date
  of its own (metadata, front matter, ``_meta.csv``) that date;
* otherwise :func:`estimate_published` reads the explicit dates the article
  mentions and keeps the latest one as a **lower bound**: the article was
  published on or after it. The estimate is stored beside ``published``
  (``published_estimate``, ``..._granularity``, ``..._reason``), never in
  it, because a lower bound is not a date to count events by.

The scan is a small regular expression over English date spellings rather
than dateparser's ``search_dates``: that finds dates in ordinary words ("may",
"march", "second") and is slow on whole articles, while only explicit,
year-bearing dates are evidence of when a text was written.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import replace
from typing import NamedTuple

from ..types import Article

_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
           "october", "november", "december")
_MON = {m: i + 1 for i, m in enumerate(_MONTHS)} | {m[:3]: i + 1 for i, m in enumerate(_MONTHS)} | {"sept": 9}
_MONTH_RE = r"(?P<mon>" + "|".join(sorted(_MON, key=len, reverse=True)) + r")\.?"
_YEAR_RE = r"(?P<year>(?:19|20)\d{2})"

# Most specific first; a span matched by one is not matched again by a coarser one.
_PATTERNS: tuple[tuple[str, re.Pattern], ...] = (
    ("day", re.compile(r"\b(?P<y>(?:19|20)\d{2})-(?P<m>\d{2})-(?P<d>\d{2})\b")),
    ("day", re.compile(r"\b" + _MONTH_RE + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+" + _YEAR_RE + r"\b", re.I)),
    ("day", re.compile(r"\b(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH_RE + r",?\s+" + _YEAR_RE + r"\b",
                       re.I)),
    ("month", re.compile(r"\b" + _MONTH_RE + r"\s+(?:of\s+)?" + _YEAR_RE + r"\b", re.I)),
    ("decade", re.compile(r"\b" + _YEAR_RE + r"'?s\b")),
    ("year", re.compile(r"\b" + _YEAR_RE + r"\b")),
)
# A date after these words is a deadline or a plan, not something already past when the text was written.
_FORWARD = re.compile(r"\b(?:by|until|till|before|through|next|in\s+the\s+run-up\s+to|ahead\s+of|to)\s*$", re.I)
_FORWARD_AFTER = re.compile(r"^\s*(?:deadline|target|elections?\s+(?:will|to\s+be))\b", re.I)


class Estimate(NamedTuple):
    """A lower bound on the publication date: ``date`` is the first day of the latest date mentioned."""

    date: str  # ISO YYYY-MM-DD
    granularity: str  # day | month | year | decade
    reason: str  # what the text said, with offsets


_RANK = {"decade": 0, "year": 1, "month": 2, "day": 3}


def estimate_published(text: str, today: dt.date | None = None) -> Estimate | None:
    """The latest explicit past date ``text`` mentions, as a lower bound on its publication date.

    Dates after "by", "until", "before", "next" and the like are plans and
    deadlines, and dates after ``today`` cannot be past: both are ignored.
    Returns None when the text mentions no usable date.
    """
    today = today or dt.date.today()
    taken: list[tuple[int, int]] = []
    best: tuple[dt.date, int, int, int, str] | None = None  # (date, rank, start, end, granularity)
    for gran, pat in _PATTERNS:
        for m in pat.finditer(text):
            s, e = m.span()
            if any(s < te and ts < e for ts, te in taken):
                continue
            taken.append((s, e))
            if _FORWARD.search(text[max(0, s - 25):s]) or _FORWARD_AFTER.match(text[e:e + 30]):
                continue
            d = _start_of(m, gran)
            if d is None or d > today:
                continue
            key = (d, _RANK[gran])
            if best is None or key > (best[0], best[1]):
                best = (d, _RANK[gran], s, e, gran)
    if best is None:
        return None
    d, _, s, e, gran = best
    said = " ".join(text[s:e].split())
    return Estimate(d.isoformat(), gran,
                    f"lower bound: latest date the text mentions, {said!r} at [{s}:{e}]")


def _start_of(m: re.Match, gran: str) -> dt.date | None:
    g = m.groupdict()
    try:
        if g.get("y"):
            return dt.date(int(g["y"]), int(g["m"]), int(g["d"]))
        year = int(g["year"])
        if gran == "decade":
            return dt.date(year - year % 10, 1, 1) if year % 10 == 0 else None
        month = _MON[g["mon"].lower()] if g.get("mon") else 1
        return dt.date(year, month, int(g["day"]) if g.get("day") else 1)
    except (ValueError, KeyError):
        return None


def date_article(art: Article, published: str | None = None) -> Article:
    """``art`` with a publication date: its own, else ``published`` (from ``--published``), else an estimate.

    A date given by ``published`` enters the content hash, so a re-run with a
    new ``--published`` re-analyses the articles it dates.
    """
    if art.published:
        return art
    if published:
        h = hashlib.sha256(f"{art.content_hash}|published={published}".encode()).hexdigest()
        return replace(art, published=published, content_hash=h, published_estimate=None,
                       published_estimate_granularity=None,
                       published_estimate_reason="given by --published (the input had no date)")
    est = estimate_published(art.text)
    if est is None:
        return replace(art, published_estimate_reason="no explicit date in the text")
    return replace(art, published_estimate=est.date, published_estimate_granularity=est.granularity,
                   published_estimate_reason=est.reason)


HOW_TO_DATE = ("give dates with `--published YYYY-MM-DD`, a `published:` line in YAML front matter, "
               "or a _meta.csv (file,published) beside the files")
