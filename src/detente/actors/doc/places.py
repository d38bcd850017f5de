"""Places in a parsed Doc: which tokens name a place of which country, and the
countries an actor takes from the places around it.

* :func:`place_index` marks the tokens of GPE/LOC/FAC entities the gazetteer knows
  (:mod:`..kb.places`), one-word cities of the hand list, and capitalised proper
  nouns heading a place phrase (:data:`.syntax.PLACE_PREPS`) or "the town of X";
  never a lowercase word. :func:`place_words` adds the KB's countries, demonyms,
  capitals and seats over it.
* :func:`context_country` is the chain of context rules a generic agent or an
  untitled official takes its country from (member of a resolved mention, its own
  place phrase, its clause's, the single country of the sentence); the agents,
  names, ethnic and orgnames rules share it and :func:`sentence_countries`.
* :func:`place_at` is for the event coder: the country of the place a token or span
  names ("blocked roads in the capital city of Algiers" -> DZA), or None.

Places stay non-actors on their own: "in Kiev" alone yields no mention (the rules
that make actors of places are in :mod:`..rules.place_actors`).
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path

import yaml
from spacy.tokens import Span, Token

from ...errors import DetenteError
from ..kb.keys import alias_keys, norm
from ..kb.model import KB, data_dir
from ..kb.places import place_country
from .context import Basis, Context
from .read import doc_column
from .syntax import BASED_PREPS, LOCATIVE_PREPS, PLACE_PREPS, governing_verb, in_other_name

PLACE_LABELS = ("GPE", "LOC", "FAC")
PLACE_MATCH_KINDS = ("country", "capital", "seat")
# "the town of Samarra", "the capital city of Algiers", "the enclave of Gorazde"
PLACE_NOUNS = frozenset({"city", "town", "capital", "village", "enclave", "region", "province",
                         "district", "area", "port", "island", "state", "county", "suburb",
                         "outskirts", "neighbourhood", "neighborhood", "valley", "governorate"})
# the place words a generic agent takes its country from (KB matches of these kinds)
PLACE_WORD_KINDS = ("country", "capital", "seat", "demonym")


@lru_cache(maxsize=4)
def _nouns(data_dir: str) -> dict[str, frozenset[str]]:
    path = Path(data_dir) / "place_nouns.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else {}
    out = {}
    for key in ("from_place", "based_in", "based_verbs", "deploy_verbs", "harm_verbs", "report_verbs"):
        items = (data or {}).get(key) or []
        if not isinstance(items, list):
            raise DetenteError("E304", f"{path.name}: {key} must be a list")
        out[key] = frozenset(norm(str(x)) for x in items)
    return out


def place_nouns(kb: KB) -> dict[str, frozenset[str]]:
    return _nouns(kb.data_dir or str(data_dir()))


def _key(tokens) -> tuple[str, ...]:
    keys = (norm(t.text) for t in tokens if not t.is_space)
    return tuple(k for k in keys if k not in ("-", "–"))


def doc_countries_of(matches) -> frozenset[str]:
    """ISO3 codes of the countries, demonyms and capitals matched in a document."""
    return frozenset(m.entries[0].country for m in matches
                     if m.kind in ("country", "demonym", "capital", "seat")
                     and m.entries[0].country)


def place_index(doc, kb: KB, date: dt.date | None, doc_countries: frozenset[str],
                skip=None, tokens: list | None = None, ents: tuple | None = None) -> dict[int, str]:
    """Token index -> ISO3 for gazetteer places of ``doc`` (module docstring); ``skip``
    (a bytearray of claimed tokens) leaves resolved actors out; ``tokens`` and ``ents``
    are ``list(doc)`` and ``doc.ents`` when the caller has them."""
    out: dict[int, str] = {}
    # place_country of each distinct name, asked once per document (the date and the
    # document's countries are the same for all; a document names its places many times)
    known: dict[tuple[str, ...], tuple[str, str] | None] = {}

    def country(key: tuple[str, ...]) -> tuple[str, str] | None:
        if key not in known:
            known[key] = place_country(kb, key, date=date, doc_countries=doc_countries)
        return known[key]

    for e in doc.ents if ents is None else ents:
        if e.label_ not in PLACE_LABELS or (skip is not None and any(skip[e.start:e.end])):
            continue
        hit = country(_key(e))
        if hit is None and e.label_ == "FAC" and len(e) > 1:  # "Esfahan Uranium Conversion..."
            for n in range(min(3, len(e) - 1), 0, -1):
                hit = country(_key(e[:n]))
                if hit:
                    e = e[:n]
                    break
        if hit:
            for i in range(e.start, e.end):
                out[i] = hit[0]
    pos = doc_column(doc, "pos_")  # tok.pos_, read once per document
    tokens = list(doc) if tokens is None else tokens
    for i, p in enumerate(pos):  # the proper nouns not in a place already
        if p != "PROPN" or i in out or (skip is not None and skip[i]):
            continue
        tok = tokens[i]
        key = (norm(tok.text),)
        if key in kb.cities:  # the hand list: "Karachi police" (NER labels vary)
            out[tok.i] = kb.cities[key]
        elif tok.text[:1].isupper() and tok.ent_type_ not in ("PERSON", "ORG") and \
                tok.dep_ == "pobj" and (tok.head.lower_ in PLACE_PREPS or (
                    tok.head.lower_ == "of" and tok.head.head.lower_ in PLACE_NOUNS)):
            hit = country(key)
            if hit:
                out[tok.i] = hit[0]
    return out


def ctx_place_index(ctx, kinds=()) -> dict[int, str]:
    """:func:`place_index` of a resolver context's document (computed once per document:
    several passes ask for it), with the KB matches of ``kinds`` ("country", "demonym",
    "capital", "seat") added over it; a capital or seat the gazetteer dated otherwise
    keeps the dated country ("Juba" in 1988). A fresh dict each call."""
    # the index with the matches of ``kinds`` over it is the same for every pass that asks
    # (the gazetteer index and the matches are fixed once the context is built), so it is
    # built once per set of kinds and copied
    key = "places:" + ",".join(kinds)
    got = ctx.tables.get(key)
    if got is None:
        if ctx.place_cache is None:
            ctx.place_cache = place_index(ctx.doc, ctx.kb, ctx.date, doc_countries_of(ctx.matches),
                                          tokens=ctx.tokens, ents=ctx.ents)
        got = dict(ctx.place_cache)
        for m in ctx.matches:
            if m.kind in kinds and m.entries[0].country and not in_other_name(ctx.doc, m.start, m.end):
                # ("the Indian Ocean", "the Sea of Japan", "Central American" say nothing of who is there)
                for i in range(m.start, m.end):
                    if m.kind not in ("capital", "seat") or i not in got:  # dated places win
                        got[i] = m.entries[0].country
        ctx.tables[key] = got
    return dict(got)


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
            if prep.dep_ == "prep" and prep.lower_ in BASED_PREPS:
                for o in prep.children:
                    if o.dep_ == "pobj":
                        iso3 = place_of_phrase(places, o)
                        if iso3:
                            return iso3
    return None


def locative_country(places: dict[int, str], head, based_verbs=frozenset()) -> str | None:
    """Country of an "in/at/near <place>" phrase attached to ``head`` ("in the town of
    Samarra" too), or of "<head> based in <place>"."""
    for prep in head.children:
        if prep.dep_ != "prep" or prep.lower_ not in LOCATIVE_PREPS:
            continue
        for obj in prep.children:
            if obj.dep_ == "pobj":
                iso3 = place_of_phrase(places, obj)
                if iso3:
                    return iso3
    return based_in_country(places, head, based_verbs) if based_verbs else None


def member_of_country(ctx: Context, head, sector: str) -> str | None:
    """Country of a resolved mention the agent belongs to: "doctors from two American aid
    groups" -> USA, "soldiers of the Iraqi army" -> IRQ, "a spokesman for the Egyptian
    army" -> EGY ("for" a mention with a role; "aid for Syria" is no membership). "from <country>" alone is where
    people came from, which names their country only for refugees ("refugees from
    Myanmar" -> MMRREF, not "peacekeepers from Liberia")."""
    for prep in head.children:
        if prep.dep_ != "prep" or prep.lower_ not in ("from", "of", "for"):
            continue
        for obj in prep.children:
            if obj.dep_ != "pobj":
                continue
            # (or its name compounded on "group": "rebels from *the M23 group*")
            where = [obj.i] + [c.i for c in obj.children if c.dep_ == "compound"]
            for d in ctx.drafts:  # "for" only names an employer: "a spokesman for the army"
                if any(d.start <= i < d.end for i in where) and d.country and \
                        (d.sector or prep.lower_ == "of" or sector == "REF"):
                    return d.country
    return None


# envoys are foreigners where they serve: their country is no clue to a body's
ENVOY_NOUNS = frozenset({"ambassador", "ambassadors", "envoy", "envoys", "diplomat", "diplomats",
                         "consul", "consuls", "attaché", "attache", "chargé", "charge"})


def sentence_countries(ctx: Context, places: dict[int, str], sent,
                        skip: tuple[int, int], others: set[int] = frozenset()) -> set[str]:
    """The countries a sentence names, but for ``skip`` (the agent's own span) and the
    tokens of ``others`` (its counterpart: see :func:`_counterparts`)."""
    found: set[str] = set()
    for d in ctx.drafts:  # an armed group in the sentence is no state's presence there,
        # nor is a foreign envoy ("the foreign ministry summoned the *Russian ambassador*")
        if d.start in others:
            continue
        if sent.start <= d.start < sent.end and d.country and \
                d.basis not in (Basis.AGENT_NO_COUNTRY, Basis.ARMED_GROUP) and \
                ctx.doc[d.end - 1].lower_ not in ENVOY_NOUNS:
            found.add(d.country)
    envoys = [(d.start, d.end) for d in ctx.drafts
              if sent.start <= d.start < sent.end and ctx.doc[d.end - 1].lower_ in ENVOY_NOUNS]
    for i in range(sent.start, sent.end):
        if skip[0] <= i < skip[1] or i in others or ctx.dateline[i] or any(a <= i < b for a, b in envoys):
            continue
        iso3 = places.get(i)
        if iso3:
            found.add(iso3)
    return found


def place_words(ctx: Context) -> dict[int, str]:
    """Token index -> ISO3 for place words: countries, demonyms, capitals, seats (KB
    matches) and gazetteer places (:func:`place_index`; context only)."""
    return ctx_place_index(ctx, PLACE_WORD_KINDS)


_OWNER_PRONOUNS = frozenset({"its", "their"})


def context_country(ctx: Context, places: dict[int, str], head, sector: str,
                     span: tuple[int, int], sentence: bool = True
                     ) -> tuple[str | None, str, float]:
    """(ISO3, reason, confidence) of an agent without a country modifier, by the first
    context rule that applies (rules 1-4 of :mod:`..rules.agents`)."""
    iso3 = member_of_country(ctx, head, sector)
    if iso3:
        return iso3, "agent+member-of", 0.75
    owned = any(c.dep_ == "poss" and c.lower_ in _OWNER_PRONOUNS for c in head.children)
    deployed = head.dep_ == "dobj" and head.head.lemma_.lower() in place_nouns(ctx.kb)["deploy_verbs"]
    if owned or deployed:
        # "Turkey sent *its* troops into Afrin", "Russia deployed troops to Syria": the
        # pronoun, or the verb that moves them, names the owner, the clause's subject (a
        # country word in it: "the North Korean government nor its state media"); the
        # place says where they are, not whose they are, so the locative rules are skipped
        verb = governing_verb(head)
        nouns = place_nouns(ctx.kb)
        if owned and verb is not None and verb.lemma_.lower() in nouns["harm_verbs"]:
            # "Israeli shelling killed one of *its* soldiers": one does not harm one's own;
            # "its" is the reporter's ("the Lebanese army said ..."), or no one's
            rep = verb.head if verb.dep_ in ("ccomp", "parataxis") else None
            verb = rep if rep is not None and rep.lemma_.lower() in nouns["report_verbs"] else None
        subj = [c for c in verb.children if c.dep_ == "nsubj"] if verb is not None else []
        if owned and verb is not None and head.dep_ in ("nsubj", "nsubjpass") and head.head.i == verb.i:
            # the owned phrase is its clause's own subject: "its" is the reporter's
            # ("China said *its* coast guard had expelled ...") or, for the reporter
            # itself, the reported clause's subject ("Israel will strike ..., *its*
            # defence minister said")
            if verb.dep_ in ("ccomp", "parataxis") and verb.head.lemma_.lower() in nouns["report_verbs"]:
                subj = [c for c in verb.head.children if c.dep_ == "nsubj"] or subj
            elif verb.lemma_.lower() in nouns["report_verbs"]:
                subj = [c for x in verb.children if x.dep_ in ("ccomp", "parataxis")
                        for c in x.children if c.dep_ == "nsubj"] or subj
        mine = {t.i for t in head.subtree}
        owners = {places[t.i] for s in subj for t in s.subtree if t.i in places and t.i not in mine}
        if len(owners) == 1:
            return owners.pop(), "agent+possessor-subject" if owned else "agent+sender-subject", 0.75
        if deployed or (subj and not owners):
            # "NATO sent troops to Kosovo", "NATO strengthened *its* forces in Poland":
            # whoever sends or owns them is not a country here; no other country in the
            # sentence says whose they are
            return None, "agent-no-country", 0.4
    else:
        iso3 = locative_country(places, head, place_nouns(ctx.kb)["based_verbs"])
        if iso3:
            return iso3, "agent+locative", 0.8
        verb = governing_verb(head)
        iso3 = locative_country(places, verb) if verb is not None else None
        if iso3:
            return iso3, "agent+clause-locative", 0.7
    found = sentence_countries(ctx, places, head.sent, span, _counterparts(ctx, head)) if sentence else set()
    if len(found) == 1:
        return found.pop(), "agent+sentence-country", 0.6
    return None, "agent-no-country", 0.4


_COUNTERPART_DEPS = frozenset({"dobj", "dative", "attr", "oprd"})
_COUNTERPART_PREPS = frozenset({"with", "to", "against", "on", "from"})


def _counterparts(ctx: Context, head) -> set[int]:
    """Tokens of a state the agent deals with in its own clause: the object of its verb,
    or what the verb does with, to, against, on or from, when that is a country, a capital
    or a seat of power, or someone's "counterpart". A state dealt with is a foreign one
    ("the prime minister urged *Washington* to ...", "the foreign minister met *his
    Chinese counterpart*"); people dealt with may be the agent's own ("police arrested two
    Kenyan activists"), so they still count."""
    if head.dep_ not in ("nsubj", "nsubjpass") or head.head.i == head.i:
        return set()
    states = {i for m in ctx.matches if m.kind in ("country", "capital", "seat")
              for i in range(m.start, m.end)}
    out: set[int] = set()
    for c in head.head.children:
        objs = [c] if c.dep_ in _COUNTERPART_DEPS else \
            [q for q in c.children if q.dep_ == "pobj"] if c.dep_ == "prep" and c.lower_ in _COUNTERPART_PREPS else []
        for o in objs:
            if o.i in states or o.lemma_.lower() == "counterpart":
                out |= {t.i for t in o.subtree}
    return out


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
    return place_country(kb, _key(span), date=date, doc_countries=doc_countries)


def place_name_keys(name: str) -> tuple[str, ...]:
    """Token keys of a place name written as a string (for ``KB.place_country``)."""
    return tuple(alias_keys(name))
