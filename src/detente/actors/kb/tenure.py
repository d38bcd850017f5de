"""Roles on a date: which post a person held when an event happened.

``role_at(kb, kb_id, date)`` is the one place that turns a person's dated rows
(tenures in ``people.csv`` or a user actors file) into a code for a date or a
period. The resolver calls it with the article date; the event coder calls
:func:`at_event_date` once it knows an event's own date, so "In 2001, Putin met
..." in a 2016 article codes Putin with his role in 2001 and "Lavrov" in a
sentence about 1995 is ``RUSELI``, not the foreign minister.

Periods: a coarse event date (``year``, ``season``, ``month``, ``decade``) stands
for a span, not its first day. The tenure overlapping most of that span names the
role ("in 2000" -> Putin's presidency, which covered all but one day of it);
a person who held no post during any of it is ``<country>ELI``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import NamedTuple

from ...periods import period_end
from ...types import ActorMention, Basis
from .model import KB, Entry
from .places import seat_at

ROLE_RANK = {"supreme_leader": 9, "head_of_state": 8, "head_of_government": 7, "vice_president": 6,
             "deputy_head_of_government": 5, "foreign_minister": 4, "defense_minister": 4,
             "chief_of_staff": 4, "head_of_legislature": 3, "party_leader": 2,
             "senior_official": 1}
# Mentions whose code does not come from the person's tenure ("the Kim regime" is the
# state, "his ministry" a role noun) are never re-dated; an armed group's "+member"
# mentions keep the group's code and are.


class Role(NamedTuple):
    """A person's code on a date, the row behind it and why."""

    code: str
    country: str | None
    sector: str | None
    reason: str
    confidence: float
    row: Entry


def _post(r: Entry) -> str:
    return r.role or ("status" if r.kind == "group" else "tenure")


def _overlap(r: Entry, a: dt.date, b: dt.date) -> int:
    lo = max(a, r.start or dt.date.min)
    hi = min(b, r.end or dt.date.max)
    return (hi - lo).days + 1 if lo <= hi else 0


def _rank(r: Entry) -> tuple[int, dt.date]:
    return ROLE_RANK.get(r.role or "", 0), r.start or dt.date.min


def role_at(kb: KB, kb_id: str | None, date: dt.date | None,
            until: dt.date | None = None) -> Role | None:
    """The code of entity ``kb_id`` on ``date`` (or over ``date``..``until``).

    Dated rows covering the date win (the highest post when several overlap); then an
    undated row of the same entity (a user file's fallback); a person outside every
    tenure is ``<country>ELI``. Without a date the latest tenure stands (confidence
    0.7). None when the entity is unknown."""
    rows = kb.by_id.get(kb_id or "", ())
    if not rows:
        return None
    dated = [r for r in rows if r.start or r.end]
    undated = [r for r in rows if not (r.start or r.end)]
    if not dated:
        r = undated[0]
        return Role(r.code, r.country, r.sector, r.kind if r.kind != "actor" else "kb", 1.0, r)
    if date is None:
        r = max(dated, key=lambda x: x.start or dt.date.min)
        return Role(r.code, r.country, r.sector, f"{_post(r)}@latest(no date)", 0.7, r)
    until = until if until and until > date else None
    when = date.isoformat() if until is None else f"{date.isoformat()}..{until.isoformat()}"
    if until is None:
        cover = [r for r in dated if r.covers(date)]
        if cover:  # overlapping posts: the highest one names the role
            r = max(cover, key=_rank)
            return Role(r.code, r.country, r.sector, f"{_post(r)}@{when}", 1.0, r)
    else:
        scored = [(_overlap(r, date, until), r) for r in dated]
        best = max((s for s, _ in scored), default=0)
        if best > 0:
            span = (until - date).days + 1
            r = max((r for s, r in scored if s == best), key=_rank)
            conf = 1.0 if best == span else 0.8
            return Role(r.code, r.country, r.sector, f"{_post(r)}@{when}", conf, r)
    if undated:
        r = undated[0]
        return Role(r.code, r.country, r.sector, f"kb-default@{when}", 0.9, r)
    before = [r for r in dated if r.start and r.start <= date] or dated
    r = max(before, key=lambda x: x.start or dt.date.min)
    if r.country:
        return Role(r.country + "ELI", r.country, "ELI", f"eli:outside-tenure@{when}", 0.9, r)
    return Role(r.code, r.country, r.sector, f"outside-tenure@{when}", 0.6, r)


def company_code(kb: KB, kb_id: str, date: dt.date | None, until: dt.date | None = None
                 ) -> Entry | None:
    """The dated home of company ``kb_id`` (``company_homes.csv``) on ``date`` (or for most
    of ``date``..``until``), or None when its ``companies.csv`` country holds: Shell in
    2015 is ``NLDBUS``, in 2023 (or undated) ``GBRBUS``."""
    homes = kb.company_homes.get(kb_id, ())
    if not homes or date is None:
        return None
    if until is None or until <= date:
        return next((h for h in homes if h.covers(date)), None)
    span = (until - date).days + 1
    best = max(homes, key=lambda h: _overlap(h, date, until))
    return best if 2 * _overlap(best, date, until) > span else None


def entity_code(kb: KB, entry: Entry, date: dt.date | None) -> tuple[Entry, str, str | None,
                                                                      str | None, str, float]:
    """(row, code, country, sector, reason, confidence) of an entity on ``date``
    (see :func:`role_at`)."""
    r = role_at(kb, entry.kb_id, date)
    if r is None:
        return entry, entry.code, entry.country, entry.sector, \
            entry.kind if entry.kind != "actor" else "kb", 1.0
    return r.row, r.code, r.country, r.sector, r.reason, r.confidence


def _tenure_based(kb: KB, m: ActorMention, article_date: dt.date | None) -> bool:
    """True if ``m``'s code came from its person's tenure on the article date."""
    if not m.kb_id or m.basis == Basis.ROLE_NOUN:
        return False
    rows = kb.by_id.get(m.kb_id, ())
    if not rows or rows[0].kind not in ("person", "group") or \
            not any(r.start or r.end for r in rows):
        return False
    if m.basis == Basis.FORMER_TITLE:
        return True
    base = role_at(kb, m.kb_id, article_date)
    return base is not None and base.code == m.code


_SEAT_BASES = frozenset({Basis.CAPITAL, Basis.SEAT, Basis.PREDECESSOR_SEAT})


def _seat_at_event_date(kb: KB, m: ActorMention, when: dt.date) -> ActorMention | None:
    """A capital or seat of power read at the event's date, not the article's: "the 1961
    treaty between Pyongyang and Moscow" binds the Soviet government (``USRGOV``); a
    capital whose state did not exist then stands for no government (None)."""
    rows = [r for r in kb.by_id.get(m.kb_id or "", ()) if r.kind in ("capital", "seat")]
    if not rows:
        return m
    e = rows[0]
    code, iso3 = seat_at(kb, e.code, e.country or "", when)
    if code is None:
        return None
    if code == m.code and iso3 == m.country:
        return m
    pred = iso3 != e.country
    basis = Basis.PREDECESSOR_SEAT if pred else (Basis.CAPITAL if e.kind == "capital" else Basis.SEAT)
    how = "capital-metonym" if e.kind == "capital" else "seat-of-power"
    return dataclasses.replace(m, code=code, country=iso3, basis=basis,
                               reason=f"{how}{'+predecessor' if pred else ''}@{when.isoformat()}"
                                      f"(event date; article: {m.reason})")


def _company_at_event_date(kb: KB, m: ActorMention, start: dt.date, until: dt.date | None
                           ) -> ActorMention:
    """A company with dated homes, at its event's date ("In 2015, Shell signed ..." in a
    2023 article is ``NLDBUS``)."""
    home = company_code(kb, m.kb_id or "", start, until)
    base = next((e for e in kb.by_id.get(m.kb_id or "", ()) if e.kind == "company"), None)
    row = home or base
    if row is None or (row.code == m.code and row.country == m.country):
        return m
    when = start.isoformat() if until is None or until <= start else \
        f"{start.isoformat()}..{until.isoformat()}"
    return dataclasses.replace(m, code=row.code, country=row.country,
                               reason=f"company(home)@{when}(event date; article: {m.reason})")


def at_event_date(kb: KB, m: ActorMention | None, event_date: str | None, granularity: str,
                  article_date: dt.date | None) -> ActorMention | None:
    """``m`` re-resolved at its event's date when that changes a person's role, or the
    government a capital or seat of power stands for.

    Only mentions whose code came from a tenure on the article date are re-dated
    (including surnames, epithets and pronouns linked to a person); dates that merely
    stand in for the article date (granularity ``article``/``unknown``) change
    nothing. The returned mention keeps span and confidence floor, with the new code
    and a reason naming both resolutions (``eli:outside-tenure@1995-01-01..1995-12-31
    (event date; article: foreign_minister@2015-02-10)``)."""
    if m is None or not event_date or granularity in ("article", "unknown"):
        return m
    try:
        start = dt.date.fromisoformat(event_date[:10])
    except ValueError:
        return m
    if m.kb_id in kb.company_homes and m.sector == "BUS":
        return _company_at_event_date(kb, m, start, period_end(start, granularity))
    if m.basis == Basis.ARMED_GROUP and m.kb_id in kb.de_facto:
        names = kb.de_facto[m.kb_id]  # the dates its territory's names stand for it
        until = period_end(start, granularity) or start
        if names.start and until < names.start or names.end and start > names.end:
            return None  # "In 1988, Stepanakert demanded ...": no such authority then
    if m.basis in _SEAT_BASES:
        return _seat_at_event_date(kb, m, start)
    if not _tenure_based(kb, m, article_date):
        return m
    until = period_end(start, granularity)
    role = role_at(kb, m.kb_id, start, until)
    if role is None or (role.code == m.code and role.country == m.country):
        return m
    return dataclasses.replace(
        m, code=role.code, country=role.country, sector=role.sector,
        reason=f"{role.reason}(event date; article: {m.reason})",
        confidence=round(min(m.confidence, role.confidence), 3))
