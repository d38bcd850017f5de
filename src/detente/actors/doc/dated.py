"""Country names and demonyms whose country depends on the date ("Congolese", "Congo").

``data/dated_names.csv`` lists, per name, which country it means between two dates and
the words in the text that keep it on the other country: "Congolese" meant the Republic
of the Congo while the DRC was Zaire (until 1997-05-17) and since then means the DRC in
international news, unless the text names Brazzaville. :func:`redate_matches` rewrites
the KB matches of a Doc before any pass uses them, so titled people ("Congolese
President ..."), agents ("Congolese refugees") and places all agree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from ..kb.keys import norm
from ..kb.lexicons import DatedName


def _reading(rows: tuple[DatedName, ...], date: dt.date | None) -> DatedName | None:
    if date is None:  # undated text: the current reading
        return next((r for r in rows if r.end is None), None)
    return next((r for r in rows if (r.start is None or r.start <= date) and
                 (r.end is None or date <= r.end)), None)


def _has_phrase(keys: list[str], phrase: tuple[str, ...]) -> bool:
    n = len(phrase)
    return any(tuple(keys[i:i + n]) == phrase for i in range(len(keys) - n + 1))


def redate_matches(doc, kb, matches: list, date: dt.date | None) -> list:
    """``matches`` with dated names moved to the country they mean on ``date``."""
    table = kb.dated_names
    if not table:
        return matches
    keys = None
    out = []
    for m in matches:
        e = m.entries[0]
        rows = table.get(tuple(norm(t.text) for t in doc[m.start:m.end] if not t.is_space)) \
            if e.kind in ("country", "demonym") else None
        r = _reading(rows, date) if rows else None
        if r is None or r.iso3 == e.country:
            out.append(m)
            continue
        if keys is None:
            keys = [norm(t.text) for t in doc if not t.is_space and norm(t.text) not in ("-", "–")]
        if any(_has_phrase(keys, u) for u in r.unless):
            out.append(m)
            continue
        prefix = "C" if e.kind == "country" else "D"
        new = replace(e, kb_id=f"{prefix}:{r.iso3}", code=r.iso3, country=r.iso3,
                      name=kb.country_name(r.iso3) or r.iso3, note="dated-name")
        out.append(replace(m, entries=(new,)))
    return out
