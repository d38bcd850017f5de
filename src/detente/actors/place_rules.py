"""Places in a parsed Doc: which tokens name a place of which country, and the actor
rules that read them.

* :func:`place_index` marks the tokens of GPE/LOC/FAC entities the gazetteer knows
  (:mod:`.places`), one-word cities of the hand list, and capitalised proper nouns
  heading a locative or "from" phrase; never a lowercase word. The generic-agent rules
  of :mod:`.agents` use it ("police in Karachi", "militants near the town of Samarra").
* :func:`pass_place_actors` adds three kinds of mention (each with its reason):
  ``person+from-place`` ("a Christian missionary from Calgary" -> CAN; the sector of a
  role noun: "a journalist from Lyon" -> FRAMED); ``group+based-in`` ("a terror group
  based in Trinidad" -> TTO); ``org+place-name`` (an unresolved ORG entity whose name
  holds a place or a country: "Baghdad University Medical School" -> IRQEDU, "Kenya
  Anti-Corruption Commission" -> KEN).
* :func:`place_at` is for the event coder: the country of the place a token or span
  names ("blocked roads in the capital city of Algiers" -> DZA), or None.

Places stay non-actors on their own: "in Kiev" alone yields no mention.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path

import yaml
from spacy.tokens import Span, Token

from ..errors import DetenteError
from .kb import KB, _data_dir, alias_keys, norm

PLACE_LABELS = ("GPE", "LOC", "FAC")
PLACE_MATCH_KINDS = ("country", "capital", "seat")
# "the town of Samarra", "the capital city of Algiers", "the enclave of Gorazde"
PLACE_NOUNS = frozenset({"city", "town", "capital", "village", "enclave", "region", "province",
                         "district", "area", "port", "island", "state", "county", "suburb",
                         "outskirts", "neighbourhood", "neighborhood", "valley", "governorate"})
_PREPS = frozenset({"in", "at", "near", "inside", "outside", "around", "within", "into",
                    "from", "across", "throughout", "outside", "off", "to", "toward",
                    "towards"})


@lru_cache(maxsize=4)
def _nouns(data_dir: str) -> dict[str, frozenset[str]]:
    path = Path(data_dir) / "place_nouns.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else {}
    out = {}
    for key in ("from_place", "based_in", "based_verbs"):
        items = (data or {}).get(key) or []
        if not isinstance(items, list):
            raise DetenteError("E304", f"{path.name}: {key} must be a list")
        out[key] = frozenset(norm(str(x)) for x in items)
    return out


def place_nouns(kb: KB) -> dict[str, frozenset[str]]:
    return _nouns(kb.data_dir or str(_data_dir()))


def _key(tokens) -> tuple[str, ...]:
    keys = (norm(t.text) for t in tokens if not t.is_space)
    return tuple(k for k in keys if k not in ("-", "–"))


def doc_countries_of(matches) -> frozenset[str]:
    """ISO3 codes of the countries, demonyms and capitals matched in a document."""
    return frozenset(m.entries[0].country for m in matches
                     if m.kind in ("country", "demonym", "capital", "seat")
                     and m.entries[0].country)


def place_index(doc, kb: KB, date: dt.date | None, doc_countries: frozenset[str],
                skip=None) -> dict[int, str]:
    """Token index -> ISO3 for gazetteer places of ``doc`` (module docstring); ``skip``
    (a bytearray of claimed tokens) leaves resolved actors out."""
    out: dict[int, str] = {}
    for e in doc.ents:
        if e.label_ not in PLACE_LABELS or (skip is not None and any(skip[e.start:e.end])):
            continue
        hit = kb.place_country(_key(e), date=date, doc_countries=doc_countries)
        if hit is None and e.label_ == "FAC" and len(e) > 1:  # "Esfahan Uranium Conversion..."
            for n in range(min(3, len(e) - 1), 0, -1):
                hit = kb.place_country(_key(e[:n]), date=date, doc_countries=doc_countries)
                if hit:
                    e = e[:n]
                    break
        if hit:
            for i in range(e.start, e.end):
                out[i] = hit[0]
    for tok in doc:
        if tok.i in out or tok.pos_ != "PROPN" or (skip is not None and skip[tok.i]):
            continue
        key = (norm(tok.text),)
        if key in kb.cities:  # the hand list: "Karachi police" (NER labels vary)
            out[tok.i] = kb.cities[key]
        elif tok.text[:1].isupper() and tok.ent_type_ not in ("PERSON", "ORG") and \
                tok.dep_ == "pobj" and (tok.head.lower_ in _PREPS or (
                    tok.head.lower_ == "of" and tok.head.head.lower_ in PLACE_NOUNS)):
            hit = kb.place_country(key, date=date, doc_countries=doc_countries)
            if hit:
                out[tok.i] = hit[0]
    return out


def ctx_place_index(ctx, kinds=()) -> dict[int, str]:
    """:func:`place_index` of a resolver context's document (computed once per document:
    several passes ask for it), with the KB matches of ``kinds`` ("country", "demonym",
    "capital", "seat") added over it; a capital or seat the gazetteer dated otherwise
    keeps the dated country ("Juba" in 1988). A fresh dict each call."""
    if ctx.place_cache is None:
        ctx.place_cache = place_index(ctx.doc, ctx.kb, ctx.date, doc_countries_of(ctx.matches))
    out = dict(ctx.place_cache)
    for m in ctx.matches:
        if m.kind in kinds and m.entries[0].country:
            for i in range(m.start, m.end):
                if m.kind not in ("capital", "seat") or i not in out:  # dated places win
                    out[i] = m.entries[0].country
    return out


def place_of_phrase(places: dict[int, str], obj) -> str | None:
    """Country of a prepositional object: a place itself, or a place noun with an
    "of <place>" ("the town of Samarra") or an appositive place ("Bam, Iran")."""
    iso3 = places.get(obj.i)
    if iso3:
        return iso3
    if obj.lower_ in PLACE_NOUNS:
        for prep in obj.children:
            if prep.dep_ == "prep" and prep.lower_ == "of":
                for o in prep.children:
                    if o.dep_ == "pobj" and places.get(o.i):
                        return places[o.i]
    return None


def based_in_country(places: dict[int, str], head, verbs: frozenset[str]) -> str | None:
    """Country of "<head> based/headquartered in <place>"."""
    for acl in head.children:
        if acl.dep_ not in ("acl", "relcl") or acl.lower_ not in verbs:
            continue
        for prep in acl.children:
            if prep.dep_ == "prep" and prep.lower_ in ("in", "at", "near", "out"):
                for o in prep.children:
                    if o.dep_ == "pobj":
                        iso3 = place_of_phrase(places, o)
                        if iso3:
                            return iso3
    return None


def _from_place(places: dict[int, str], head) -> str | None:
    for prep in head.children:
        if prep.dep_ == "prep" and prep.lower_ == "from":
            for o in prep.children:
                if o.dep_ == "pobj":
                    return place_of_phrase(places, o)
    return None


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


def pass_place_actors(ctx) -> None:
    """The ``person+from-place``, ``group+based-in`` and ``org+place-name`` mentions."""
    from .resolver import Draft  # local import: the resolver imports the agents pass

    doc, kb = ctx.doc, ctx.kb
    places = ctx_place_index(ctx, PLACE_MATCH_KINDS)
    nouns = place_nouns(kb)
    _org_mentions(ctx, places, Draft)
    for tok in doc:
        if tok.pos_ != "NOUN" or ctx.claimed[tok.i] or ctx.dateline[tok.i]:
            continue
        low = tok.lower_
        if low in nouns["from_place"]:
            iso3, reason = _from_place(places, tok), "person+from-place"
        elif low in nouns["based_in"]:
            iso3, reason = based_in_country(places, tok, nouns["based_verbs"]), "group+based-in"
        else:
            continue
        if not iso3:
            continue
        start = _np_start(ctx, tok)
        sector = _role_sector(ctx, start, tok.i + 1)
        ctx.add(Draft(start, tok.i + 1, iso3 + (sector or ""), iso3, sector, None, reason, 0.7))


_BARE = ("country", "capital-metonym", "country(locative)")


def _name_spans(doc):
    """ORG entities, and chains of capitalised proper nouns ending in a proper-noun head
    ("Kenya Anti-Corruption Commission", when the NER finds no ORG)."""
    seen = set()
    for e in doc.ents:
        if e.label_ == "ORG" and len(e) >= 2:
            seen.add((e.start, e.end))
            yield e.start, e.end
    for h in doc:
        if h.pos_ != "PROPN" or h.dep_ == "compound" or h.ent_type_ in _NOT_ORG:
            continue
        p = h.i
        while p > 0 and doc[p - 1].dep_ == "compound" and doc[p - 1].head.i <= h.i and \
                doc[p - 1].pos_ == "PROPN":
            p -= 1
        if h.i - p >= 1 and (p, h.i + 1) not in seen and \
                all(t.text[:1].isupper() or not t.is_alpha for t in doc[p:h.i + 1]):
            yield p, h.i + 1


_NOT_ORG = frozenset({"PERSON", "GPE", "LOC", "DATE", "EVENT", "NORP", "TIME", "CARDINAL"})


def _org_mentions(ctx, places: dict[int, str], Draft) -> None:
    """Unresolved organisation names that hold a place or a country."""
    for start, end in list(_name_spans(ctx.doc)):
        if ctx.dateline[start]:
            continue
        inner = [d for d in ctx.drafts if start <= d.start and d.end <= end]
        if any(ctx.claimed[i] for i in range(start, end)
               if not any(d.start <= i < d.end for d in inner)):
            continue  # overlaps a mention that crosses its edge
        if any(d.reason not in _BARE for d in inner):
            continue  # holds a resolved actor of its own
        found = {places[i] for i in range(start, end) if i in places}
        if len(found) != 1 or (end - 1) in places:
            continue  # no place, two places, or the name ends in the place ("Bam, Iran")
        iso3 = found.pop()
        for d in inner:
            ctx.drafts.remove(d)
            for i in range(d.start, d.end):
                ctx.claimed[i] = 0
        sector = _role_sector(ctx, start, end)
        ctx.add(Draft(start, end, iso3 + (sector or ""), iso3, sector, None,
                      "org+place-name", 0.7))


def place_at(doc, where: Token | Span, kb: KB, date: dt.date | None = None,
             doc_countries: frozenset[str] = frozenset()) -> str | None:
    """ISO3 of the place a token or span names on ``date``, or None.

    For the event coder's "place as target" ("blocked roads in Algiers" -> DZA). Takes
    the token's GPE/LOC/FAC entity, a capitalised proper noun, or a place noun with "of
    <place>" ("the capital city of Algiers", "the Bosnian town of Gorazde"); a lowercase
    word alone is never a place. Countries, capitals, cities, regions and provinces are
    known; contested places (Jerusalem, Crimea, Kashmir) are None; ``date`` maps a
    place to the state that held it (Juba before 2011-07-09 -> SDN); ``doc_countries``
    (e.g. the countries of the article's actor mentions) tells namesakes apart."""
    hit = locate(doc, where, kb, date, doc_countries)
    return hit[0] if hit else None


def locate(doc, where: Token | Span, kb: KB, date: dt.date | None = None,
           doc_countries: frozenset[str] = frozenset()) -> tuple[str, str] | None:
    """(ISO3, reason) for :func:`place_at`."""
    tok = where.root if isinstance(where, Span) else where
    if isinstance(where, Span) and where.label_ in PLACE_LABELS:
        span = where
    elif tok.ent_type_ in PLACE_LABELS:
        span = next((e for e in doc.ents if e.start <= tok.i < e.end), doc[tok.i:tok.i + 1])
    elif tok.lower_ in PLACE_NOUNS:
        for prep in tok.children:
            if prep.dep_ == "prep" and prep.lower_ == "of":
                for o in prep.children:
                    if o.dep_ == "pobj" and o.text[:1].isupper():
                        return locate(doc, o, kb, date, doc_countries)
        return None
    elif tok.pos_ == "PROPN" and tok.text[:1].isupper():
        start = tok.i
        while start > 0 and doc[start - 1].dep_ == "compound" and doc[start - 1].pos_ == "PROPN":
            start -= 1
        span = doc[start:tok.i + 1]
    else:
        return None
    return kb.place_country(_key(span), date=date, doc_countries=doc_countries)


def place_name_keys(name: str) -> tuple[str, ...]:
    """Token keys of a place name written as a string (for ``KB.place_country``)."""
    return tuple(alias_keys(name))
