"""What a report or a dashboard request asks for, parsed and validated in one place.

Every value a user can send (CLI options or query parameters) goes through
:func:`parse_filters`, which either returns a frozen :class:`Filters` or raises
:class:`BadRequest` with a message fit for a 400 response. Nothing here builds
SQL: the filters are applied to DataFrames (:mod:`detente.web.views`), and the
one SQL query that takes user input (:func:`detente.api.Detente.story`) binds
its parameter.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from ..types import MODALITIES

ACTOR_RE = re.compile(r"^[A-Z]{3}(?:[A-Z]{3}){0,3}$")  # RUS, RUSGOV, PRKMILGOV...
CODE_RE = re.compile(r"^[0-9]{2,4}$")  # CAMEO code prefixes: 01, 036, 0312
EVENT_ID_RE = re.compile(r"^[0-9a-f]{16}$")
PERIOD_RE = re.compile(r"^\d{4}(?:-(?:0[1-9]|1[0-2])|Q[1-4])?$")  # 2015, 2015-02, 2015Q1
FREQS = ("W", "M", "Q", "Y")
MAX_LIST = 12  # actors, codes, outlets per request
MAX_IDS = 500  # event ids per request
MAX_LIMIT = 2000  # event table rows
MAX_TEXT = 200  # search text, outlet names


class BadRequest(ValueError):
    """A user input that does not validate; the message says what is wrong."""


@dataclass(frozen=True)
class Filters:
    actors: tuple[str, ...] = ()
    start: str | None = None  # ISO dates, inclusive
    end: str | None = None
    codes: tuple[str, ...] = ()
    outlets: tuple[str, ...] = ()
    modality: tuple[str, ...] = ()
    freq: str = "Y"
    period: str | None = None  # network period; default: the busiest one
    q: str | None = None  # substring of an evidence sentence
    limit: int = 500
    ids: tuple[str, ...] = field(default=())  # explicit event ids (drill-down)

    def query(self, **override) -> dict[str, str]:
        """The filters as query parameters (for links that keep the current selection)."""
        out = {"actors": ",".join(self.actors), "start": self.start or "", "end": self.end or "",
               "codes": ",".join(self.codes), "outlets": "|".join(self.outlets),
               "modality": ",".join(self.modality), "freq": self.freq, "period": self.period or "",
               "q": self.q or "", "limit": str(self.limit)}
        out.update(override)
        return {k: v for k, v in out.items() if v}


def _split(value: str | None, sep: str, name: str) -> list[str]:
    if not value:
        return []
    if len(value) > MAX_TEXT * 4:
        raise BadRequest(f"{name}: too long")
    items = [v.strip() for v in value.split(sep) if v.strip()]
    if len(items) > MAX_LIST:
        raise BadRequest(f"{name}: at most {MAX_LIST} values")
    return items


def _date(value: str | None, name: str) -> str | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value.strip()).isoformat()
    except ValueError:
        raise BadRequest(f"{name}: {value[:40]!r} is not a date (YYYY-MM-DD)") from None


def parse_ids(value: str | None) -> tuple[str, ...]:
    if not value:
        return ()
    if len(value) > MAX_IDS * 17 + 16:
        raise BadRequest(f"ids: at most {MAX_IDS} event ids")
    ids = [v for v in re.split(r"[ ,]+", value.strip()) if v]
    if len(ids) > MAX_IDS:
        raise BadRequest(f"ids: at most {MAX_IDS} event ids")
    for i in ids:
        if not EVENT_ID_RE.match(i):
            raise BadRequest(f"ids: {i[:40]!r} is not an event id (16 hex digits)")
    return tuple(dict.fromkeys(ids))


def check_event_id(value: str) -> str:
    if not EVENT_ID_RE.match(value or ""):
        raise BadRequest(f"{(value or '')[:40]!r} is not an event id (16 hex digits)")
    return value


def parse_filters(params: dict[str, str], known_outlets: set[str] | None = None,
                  default_limit: int = 500) -> Filters:
    """Validate raw string parameters (query string or CLI options) into :class:`Filters`."""
    unknown = set(params) - {"actors", "start", "end", "codes", "outlets", "modality", "freq", "period",
                             "q", "limit", "ids"}
    if unknown:
        raise BadRequest(f"unknown parameter(s): {', '.join(sorted(u[:30] for u in unknown))}")
    actors = [a.upper() for a in _split(params.get("actors"), ",", "actors")]
    for a in actors:
        if not ACTOR_RE.match(a):
            raise BadRequest(f"actors: {a[:40]!r} is not an actor code (e.g. RUS, PRKGOV)")
    codes = _split(params.get("codes"), ",", "codes")
    for c in codes:
        if not CODE_RE.match(c):
            raise BadRequest(f"codes: {c[:40]!r} is not a CAMEO code or prefix (2-4 digits, e.g. 036)")
    outlets = _split(params.get("outlets"), "|", "outlets")
    for o in outlets:
        if len(o) > MAX_TEXT:
            raise BadRequest("outlets: name too long")
        if known_outlets is not None and o not in known_outlets:
            raise BadRequest(f"outlets: no outlet named {o[:60]!r} in this store")
    modality = _split(params.get("modality"), ",", "modality")
    for m in modality:
        if m not in MODALITIES:
            raise BadRequest(f"modality: {m[:40]!r} is not one of {', '.join(MODALITIES)}")
    freq = (params.get("freq") or "Y").upper()
    if freq not in FREQS:
        raise BadRequest(f"freq: {freq[:10]!r} is not one of W, M, Q, Y")
    period = (params.get("period") or "").strip() or None
    if period and not PERIOD_RE.match(period):
        raise BadRequest(f"period: {period[:40]!r} is not a period (2015, 2015-02 or 2015Q1)")
    start, end = _date(params.get("start"), "start"), _date(params.get("end"), "end")
    if start and end and start > end:
        raise BadRequest("start is after end")
    q = (params.get("q") or "").strip() or None
    if q and len(q) > MAX_TEXT:
        raise BadRequest(f"q: at most {MAX_TEXT} characters")
    raw_limit = params.get("limit")
    try:
        limit = int(raw_limit) if raw_limit not in (None, "") else default_limit
    except ValueError:
        raise BadRequest(f"limit: {str(raw_limit)[:20]!r} is not a number") from None
    if not 1 <= limit <= MAX_LIMIT:
        raise BadRequest(f"limit: must be between 1 and {MAX_LIMIT}")
    return Filters(tuple(dict.fromkeys(actors)), start, end, tuple(codes), tuple(outlets), tuple(modality),
                   freq, period, q, limit, parse_ids(params.get("ids")))
