"""Rule ``place_actors``: mentions that take their country from a place name.

``person+from-place`` ("a Christian missionary from Calgary" -> CAN; the sector of a
role noun: "a journalist from Lyon" -> FRAMED), ``person+place-modifier`` ("a Kansas
woman" -> USA); ``group+based-in`` ("a terror group
based in Trinidad" -> TTO); ``org+place-name`` (an unresolved ORG entity whose name
holds a place or a country: "Baghdad University Medical School" -> IRQEDU, "Kenya
Anti-Corruption Commission" -> KEN). Places stay non-actors on their own: "in Kiev"
alone yields no mention.
"""

from __future__ import annotations

from ..doc.context import Basis, Context, Draft
from ..doc.read import doc_column
from ..doc.places import PLACE_MATCH_KINDS, based_in_country, ctx_place_index, place_nouns, place_of_phrase
from .registry import rule


def _from_place(places: dict[int, str], head) -> str | None:
    for prep in head.children:
        if prep.dep_ == "prep" and prep.lower_ == "from":
            for o in prep.children:
                if o.dep_ == "pobj":
                    return place_of_phrase(places, o)
    return None


def _place_modifier(places: dict[int, str], head) -> str | None:
    """Country of a place word modifying a person noun right before it ("a *Kansas*
    woman"); the person is that country's civilian."""
    mods = [c for c in head.children if c.dep_ in ("compound", "amod") and c.i < head.i]
    return next((places[c.i] for c in mods if c.i in places), None)


def _np_start(ctx, head) -> int:
    """First token of the modifiers left of ``head`` ("Christian" in "a Christian
    missionary"), stopping at determiners and claimed tokens."""
    p = head.i
    while p > 0 and not ctx.claimed[p - 1]:
        tok = ctx.doc[p - 1]
        if tok.head.i < p or tok.head.i > head.i or \
                tok.dep_ not in ("amod", "compound", "nmod") or \
                tok.pos_ not in ("ADJ", "NOUN", "PROPN"):
            break
        p -= 1
    return p


def _role_sector(ctx, start: int, end: int) -> str | None:
    """Sector of the last role phrase inside tokens [start, end)."""
    best = None
    for r in ctx.roles:
        if start <= r.start and r.end <= end:
            best = r.sector
    return best


@rule("place_actors", after="names")
def pass_place_actors(ctx: Context) -> None:
    """The ``person+from-place``, ``group+based-in`` and ``org+place-name`` mentions."""
    kb = ctx.kb
    places = ctx_place_index(ctx, PLACE_MATCH_KINDS)
    nouns = place_nouns(kb)
    _org_mentions(ctx, places)
    pos = doc_column(ctx.doc, "pos_")  # tok.pos_, read once per document
    for tok in ctx.tokens:
        if pos[tok.i] != "NOUN" or ctx.claimed[tok.i] or ctx.dateline[tok.i]:
            continue
        low = tok.lower_
        if low in nouns["from_place"]:
            iso3, reason = _from_place(places, tok), "person+from-place"
            if not iso3:  # "a Kansas woman", "a California man"
                iso3, reason = _place_modifier(places, tok), "person+place-modifier"
        elif low in nouns["based_in"]:
            iso3, reason = based_in_country(places, tok, nouns["based_verbs"]), "group+based-in"
        else:
            continue
        if not iso3:
            continue
        start = _np_start(ctx, tok)
        sector = _role_sector(ctx, start, tok.i + 1)
        if sector is None and reason == "person+place-modifier":
            sector = "CVL"  # a private person of that place
        ctx.claim(Draft(start, tok.i + 1, iso3 + (sector or ""), iso3, sector, None, reason, 0.7,
                        basis=Basis.PLACE))


# mentions a place-named organisation absorbs ("Baghdad" in "Baghdad University")
_BARE = frozenset({Basis.COUNTRY, Basis.COUNTRY_LOCATIVE, Basis.CAPITAL})


def _name_spans(ctx: Context):
    """ORG entities, and chains of capitalised proper nouns ending in a proper-noun head
    ("Kenya Anti-Corruption Commission", when the NER finds no ORG)."""
    doc, toks = ctx.doc, ctx.tokens
    seen = set()
    for e in ctx.ents:
        if e.label_ == "ORG" and len(e) >= 2:
            seen.add((e.start, e.end))
            yield e.start, e.end
    pos, dep, ent = (doc_column(doc, a) for a in ("pos_", "dep_", "ent_type_"))  # read once
    for h in toks:
        if pos[h.i] != "PROPN" or dep[h.i] == "compound" or ent[h.i] in _NOT_ORG:
            continue
        p = h.i
        while p > 0 and toks[p - 1].dep_ == "compound" and toks[p - 1].head.i <= h.i and \
                toks[p - 1].pos_ == "PROPN":
            p -= 1
        if h.i - p >= 1 and (p, h.i + 1) not in seen and \
                all(t.text[:1].isupper() or not t.is_alpha for t in doc[p:h.i + 1]):
            yield p, h.i + 1


_NOT_ORG = frozenset({"PERSON", "GPE", "LOC", "DATE", "EVENT", "NORP", "TIME", "CARDINAL"})


def _org_mentions(ctx: Context, places: dict[int, str]) -> None:
    """Unresolved organisation names that hold a place or a country."""
    for start, end in list(_name_spans(ctx)):
        if ctx.dateline[start]:
            continue
        inner = ctx.drafts_in(start, end)
        if any(ctx.claimed[i] for i in range(start, end)
               if not any(d.start <= i < d.end for d in inner)):
            continue  # overlaps a mention that crosses its edge
        if any(d.basis not in _BARE for d in inner):
            continue  # holds a resolved actor of its own
        found = {places[i] for i in range(start, end) if i in places}
        if len(found) != 1 or (end - 1) in places:
            continue  # no place, two places, or the name ends in the place ("Bam, Iran")
        iso3 = found.pop()
        for d in inner:
            ctx.release(d)
        sector = _role_sector(ctx, start, end)
        ctx.claim(Draft(start, end, iso3 + (sector or ""), iso3, sector, None,
                        "org+place-name", 0.7, basis=Basis.PLACE))
