"""``lookup(name, date, kb)``: how a name resolves on a date, with the reason.

Backs ``detente actors lookup "Sergei Lavrov" --date 2015-01-21``. Works on the
string alone (no spaCy): an exact alias match first; otherwise the name is read as
"[Nationality] [Title] Name" ("Russian Foreign Minister Sergei Lavrov" resolves to
RUSGOV by title+demonym even for a person missing from the KB).
"""

from __future__ import annotations

import datetime as dt

from .kb import KB, alias_keys, company_code, entity_code
from .kb.userfile import user_reason


def _row(name, code, country, sector, kb_id, reason) -> dict:
    return {"name": name, "code": code, "country": country, "sector": sector, "kb_id": kb_id,
            "reason": reason}


def lookup(name: str, date: dt.date | None, kb: KB) -> list[dict]:
    """Candidate resolutions of ``name`` on ``date`` (best first; empty if unknown)."""

    keys = tuple(alias_keys(name))
    if len(keys) > 1 and keys[0] == "the" and keys not in kb.aliases:
        keys = keys[1:]
    out: list[dict] = []
    seen: set[str] = set()
    for e in kb.aliases.get(keys, ()):
        if e.kb_id in seen:
            continue
        if e.kind == "company" and e.start and date and date < e.start:
            continue  # a company name not yet in use ("Meta" before 2021-10-28)
        if e.kind == "territory" and (not e.covers(date) or (date is None and e.end)):
            continue  # "Karabakh" after the Republic's dissolution: a place only
        seen.add(e.kb_id)
        if e.kind == "company":  # a company's rows differ in names only; its home by date
            home = company_code(kb, e.kb_id, date) or e
            out.append(_row(e.name, home.code, home.country, e.sector, e.kb_id,
                            user_reason(kb, e.kb_id, "company" if home is e else
                                        f"company(home)@{date}")))
            continue
        row, code, country, sector, reason, _ = entity_code(kb, e, date)
        if e.kind == "territory":  # a de facto state's territory, capital or adjective
            reason = f"de-facto-{e.note}({reason})"
        elif e.kind in ("capital", "seat"):
            reason = "capital-metonym" if e.kind == "capital" else "seat-of-power"
        elif e.kind in ("country", "demonym"):
            reason = e.kind
        out.append(_row(row.name, code, country, sector, e.kb_id, user_reason(kb, e.kb_id, reason)))
    if out:
        return out
    # "[Nationality|Country('s)] [Title words] Name": longest KB prefix, then role words
    for L in range(len(keys) - 1, 0, -1):
        head = kb.aliases.get(keys[:L])
        if not head or head[0].kind not in ("country", "demonym"):
            continue
        rest = keys[L:]
        if rest and rest[0] == "'s":
            rest = rest[1:]
        for R in range(min(kb.role_max_len, len(rest)), 0, -1):
            role = kb.roles.get(rest[:R])
            if role:
                iso3 = head[0].country
                inner = lookup(" ".join(rest[R:]), date, kb) if rest[R:] else []
                if inner and inner[0]["kb_id"] and inner[0]["country"] == iso3:
                    return inner
                return [_row(name, iso3 + role[0], iso3, role[0], None, "title+demonym")]
        break
    return out
