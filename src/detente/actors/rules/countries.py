"""Rule ``places``: countries, demonyms, capitals and seats of power, extended right
over role nouns ("Russia's armed forces chief of staff" -> RUSMIL, "North Korean
defectors" -> PRKREF); capitals and seats only when they are not an adverbial of
place ("in Seoul", datelines); "the Government of Turkey" (role of country); a
capital before its state existed stands for no government ("Juba" in 1988), one
that was its predecessor's seat for the predecessor ("Moscow" in 1985 -> USR).
"""

from __future__ import annotations

from ..doc.context import FORMER, Basis, Context, Draft, role_after
from ..doc.matching import Match
from ..doc.syntax import in_other_name, locative, stance_prefixed
from ..kb.model import Entry
from ..kb.places import seat_at
from .registry import rule

# words after a hyphen that make a demonym name a period or a manner, not a party:
# "Soviet-era tanks", "Western-style reforms", "a Cold War-vintage jet"
PERIOD_WORDS = frozenset({"era", "style", "vintage", "period", "type", "age"})


def _period_modifier(toks, end: int) -> bool:
    """True for a name followed by "-era", "-style" and the like ("Soviet-era");
    ``toks``: the Doc's tokens as a list (``Context.tokens``)."""
    return end + 1 < len(toks) and toks[end].text in ("-", "–") and \
        toks[end + 1].lower_ in PERIOD_WORDS


def _root(doc, start: int, end: int):
    span = doc[start:end]
    return span.root


def _role_of_country(ctx: Context, m: Match, e: Entry) -> bool:
    """[the] Role of Country: "the Government of Turkey", "President of Russia"."""
    if m.kind != "country" or m.start < 2 or ctx.doc[m.start - 1].lower_ != "of":
        return False
    if m.end < len(ctx.doc) and ctx.doc[m.end].lower_ in ("'s", "’s"):
        return False  # "leaders of Romania's new government": Romania owns the next noun
    r = ctx.role_at_end.get(m.start - 1)
    if r is None or not ctx.free(r.start, r.end):
        return False
    added = ctx.claim(Draft(r.start, m.end, e.country + r.sector, e.country, r.sector, e.kb_id,
                            "role-of-country", 0.9, basis=Basis.ROLE_OF_COUNTRY))
    if added and ctx.doc[r.start:r.end].root.tag_ in ("NNS", "NNPS"):
        _conj_of_country(ctx, m, r.sector)  # "the ambassadors of A, B and C"
    return added


def _conj_of_country(ctx: Context, m: Match, sector: str) -> None:
    """Countries conjoined to the object of a plural role noun share the role: "the
    leaders of China and Russia" are CHNGOV and RUSGOV, "the ambassadors of A, B and C"
    each their state's."""
    root = ctx.doc[m.start:m.end].root
    for tok in root.conjuncts:
        o = ctx.match_at_start.get(tok.i) or next(
            (x for x in ctx.matches if x.start <= tok.i < x.end), None)
        if o is None or o.kind != "country" or not ctx.free(o.start, o.end) or tok.i < m.end:
            continue
        c = o.entries[0]
        ctx.claim(Draft(o.start, o.end, c.country + sector, c.country, sector, c.kb_id,
                        "role-of-country+conj", 0.85, basis=Basis.ROLE_OF_COUNTRY))


def _in_longer_name(doc, start: int, end: int) -> bool:
    """The named entity at ``start:end`` goes on before or after it."""
    return doc[start].ent_iob_ == "I" or (end < len(doc) and doc[end].ent_iob_ == "I")


# roles held in office: once "former", their holder is one of the state's elites (CAMEO ELI)
_OFFICE_SECTORS = frozenset({"GOV", "MIL", "COP", "LEG", "JUD", "SPY"})


_COUNTERPART = frozenset({"counterpart", "counterparts"})


def _counterpart_sector(ctx: Context, start: int) -> str | None:
    """The sector of whoever "his Chinese *counterpart*" is the counterpart of: the nearest
    actor before it in the sentence that has one ("U.S. intelligence agencies ... their
    German counterparts" are intelligence, a president's counterpart is government)."""
    lo = ctx.doc[start].sent.start
    for i in range(start - 1, lo - 1, -1):
        d = ctx.draft_at(i)
        if d is not None and d.sector:
            return d.sector
    return None


@rule("places", after="ethnic")
def pass_places(ctx: Context) -> None:
    """Countries, demonyms, capitals and seats, with role nouns after them."""
    doc = ctx.doc
    for m in ctx.matches:
        if m.kind not in ("country", "demonym", "capital", "seat") or ctx.dateline[m.start]:
            continue
        if in_other_name(doc, m.start, m.end):
            continue  # "the Sea of Japan", "Central American migrants"
        if not ctx.free(m.start, m.end):
            continue
        if m.kind in ("demonym", "country") and _period_modifier(ctx.tokens, m.end):
            continue  # "Soviet-era tanks": a period, not the Soviet Union
        e = m.entries[0]
        iso3 = e.country
        root = _root(doc, m.start, m.end)
        if root.ent_type_ == "PERSON" and m.kind == "capital" and e.kb_id not in ctx.kb.user_sources \
                and _in_longer_name(doc, m.start, m.end):
            # "George Washington": a capital inside a person's name (a bare "Kyiv's" that
            # the tagger calls a person is the capital; so are a user's invented names)
            continue
        if _role_of_country(ctx, m, e):
            continue
        j = m.end
        poss = j < len(doc) and doc[j].lower_ in ("'s", "’s")
        tail = role_after(ctx, j + 1 if poss else j)
        if tail is not None and m.kind in ("demonym", "country") and stance_prefixed(doc, m.start):
            # "*pro-Russian* protesters": a stance, not whose the people are (but
            # "anti-Russian sanctions" are aimed at Russia)
            continue
        if tail is not None and (poss or root.dep_ in ("amod", "compound", "nmod") or
                                 root.head.i >= tail[1].start):
            sector = tail[1].sector
            if doc[tail[0] - 1].lower_ in _COUNTERPART:
                sector = _counterpart_sector(ctx, m.start) or sector
            how = {"country": "country", "demonym": "demonym"}.get(m.kind, "capital")
            reason = f"{how}{'-possessive' if poss else ''}+role"
            if sector in _OFFICE_SECTORS and m.start > 0 and doc[m.start - 1].lower_ in FORMER - {"then"}:
                sector, reason = "ELI", reason + "(former)"  # "a former Bolivian minister"
            if e.note == "misspelt":
                reason += "(misspelt)"
            ctx.claim(Draft(m.start, tail[0], iso3 + sector, iso3, sector, e.kb_id, reason, 0.95,
                            basis=Basis.ROLE_NOUN))
            continue
        if m.kind in ("capital", "seat"):
            if locative(root):
                continue
            if m.kind == "capital" and root.dep_ == "compound" and root.head.i >= m.end and not poss:
                # "the Beijing Olympics": a city name as a modifier; a seat of power is its
                # institution there too ("a *White House* statement", "*Pentagon* officials")
                continue
            reason = "capital-metonym" if m.kind == "capital" else "seat-of-power"
            basis = Basis.CAPITAL if m.kind == "capital" else Basis.SEAT
            code, iso3 = seat_at(ctx.kb, e.code, iso3, ctx.date)  # the seat at the article date
            if code is None:
                continue  # "Juba" in 1988: a provincial town then, no government's seat
            if iso3 != e.country:
                reason += "+predecessor"
                basis = Basis.PREDECESSOR_SEAT
            ctx.claim(Draft(m.start, m.end, code, iso3, e.sector, e.kb_id, reason, 0.95, basis=basis))
        elif m.kind == "country":
            loc = locative(root)
            reason = "country(locative)" if loc else "country"
            basis = Basis.COUNTRY_LOCATIVE if loc else Basis.COUNTRY
            if e.note == "misspelt":
                reason += "(misspelt)"
                basis = Basis.MISSPELT_COUNTRY
            ctx.claim(Draft(m.start, m.end, e.code, iso3, None, e.kb_id, reason,
                            (0.5 if loc else 1.0) * (0.7 if e.note == "misspelt" else 1.0),
                            basis=basis))
        else:  # demonym
            if root.dep_ in ("amod", "compound", "nmod") and root.head.i > root.i:
                reason, conf = "demonym-modifier", 0.7
            else:
                reason, conf = "demonym-noun", 0.9
            ctx.claim(Draft(m.start, m.end, e.code, iso3, None, e.kb_id, reason, conf,
                            basis=Basis.DEMONYM))
