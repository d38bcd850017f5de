"""People named by title and surname, or by title alone, without a nationality.

Runs after the in-article short references (:mod:`.coref`) and before the generic
agents, on PERSON entities no earlier pass claimed:

1. ``title+surname→<kb_id>``: a title before a KB person's surname ("President Obama",
   "President Assad's failure"). The surname must name people of the same country
   as a title holder would; several people with one surname (the two Bushes, the two
   Assads) are told apart by the date, and when they would all get the same code on
   that date the code stands without a ``kb_id``.
2. ``surname-only→<kb_id>`` (0.6): a one-word PERSON entity that is the surname of
   exactly one KB person who held a top post (head of state or government, supreme
   leader, party leader, foreign or defence minister) — "Putin offered to negotiate".
   Sentence-level news data introduces leaders this way; in an article the surname
   after a full name is already linked by :mod:`.coref`; a surname the text gives
   to someone missing from the KB ("Li Yunshan ... Li said") is not a leader's. People
   of different states who share a surname are told apart by the countries the text
   names ("Maduro closed Venezuela's border" is Nicolas Maduro). An honorific before the
   surname is part of the mention ("Mr. Sisi", ``honorific+surname``).
3. a titled person missing from the KB takes a country by the strong context rules
   of generic agents (``title+member-of``, ``title+locative``, ``title+clause-locative``),
   else the only country the whole text names (``title+text-country``, 0.6: "President
   Levy Mwanawasa ... the Zambian people" as a one-sentence report; an armed group's
   or an organisation's country counts: "President Dos Sontas ... demands from UNITA"
   -> AGOGOV, "Vice-President Moody Awori ... the Kenya Anti-Corruption Commision" ->
   KENGOV). A former title gives ``<country>ELI`` (``former-title+...``, x 0.9:
   "supporters of former President Ahmed Ben Bella ... Algiers" -> DZAELI). ORG
   entities that are a person's name after a title ("Vice-President Moody Awori",
   tagged ORG by the parser) count as names. In an article that
   names a second country anywhere the guess is not made: the country in the
   sentence is as often the counterpart ("Trade Minister Hiroshige Seko said ...
   Seoul's export controls"). Without a country the titled
   name keeps the title's bare sector (``title-no-country``, 0.4: "President Levy
   Mwanawasa" alone is ``GOV``), so the event it takes part in is not lost and the
   country is not guessed.
"""

from __future__ import annotations

from ..doc.context import Basis, Context, Draft, extend_left
from ..doc.places import context_country, doc_countries_of, place_words
from ..doc.syntax import LEADER_BODIES, PLACE_PREPS
from ..kb.keys import norm
from ..kb.places import place_country
from ..kb.tenure import Role, role_at
from .registry import rule

NAME_ENTS = frozenset({"PERSON", "ORG", "GPE", "NORP", ""})
# "Mr. Sisi": a person, not a word that happens to be a surname
HONORIFICS = frozenset({"mr", "mrs", "ms", "dr", "mister", "madam", "madame", "sir"})
TOP_POSTS = frozenset({"head_of_state", "head_of_government", "supreme_leader", "party_leader",
                       "foreign_minister", "defense_minister"})


def _place_in_locative(ctx: Context, tok, key: str) -> bool:
    """A lone surname that is also a known place and stands after a locative preposition
    (the parser often tags such a city PERSON)."""
    if not (tok.dep_ == "pobj" and tok.head.lower_ in PLACE_PREPS):
        return False

    return place_country(ctx.kb, (key,), date=ctx.date) is not None


def _by_surname(ctx: Context, key: str, top_only: bool) -> tuple[str | None, Role] | None:
    """(kb_id or None, Role) for the people with surname ``key`` on the context date,
    or None when there is none or they disagree. People of different codes are told
    apart by the countries the text names ("Maduro ... Venezuela's borders" is Nicolas
    Maduro, not the Honduran president): when exactly one code's country is named, it
    stands. Namesakes of one code (Bill and Hillary Clinton, both ``USAGOV`` without a
    date) give that code without a ``kb_id``."""
    ids = ctx.kb.surnames.get(key, ())
    if top_only:
        ids = tuple(k for k in ids if any(r.role in TOP_POSTS for r in ctx.kb.by_id.get(k, ())))
    if not ids:
        return None
    if ctx.date is not None and len(ids) > 1:
        live = [k for k in ids if any(r.covers(ctx.date) and (r.start or r.end)
                                      for r in ctx.kb.by_id.get(k, ()))]
        ids = tuple(live) or ids
    roles = [(k, role_at(ctx.kb, k, ctx.date)) for k in ids]
    roles = [(k, r) for k, r in roles if r is not None]
    if len({(r.code, r.country) for _, r in roles}) > 1:
        named = doc_countries_of(ctx.matches)
        roles = [(k, r) for k, r in roles if r.country in named]
    if not roles or len({(r.code, r.country) for _, r in roles}) != 1:
        return None
    return (roles[0][0] if len(roles) == 1 else None), roles[0][1]


def _only_country_of_text(ctx: Context, places: dict[int, str]) -> str | None:
    """The one country the whole text names (places, demonyms, resolved mentions,
    armed groups and organisations with a country: "President Dos Sontas ... demands
    from UNITA" -> AGO), or None. In a one-sentence text this is the sentence's
    country; in an article a second country makes the guess too weak ("Trade Minister
    Hiroshige Seko said ... Seoul's export controls" in a story that also names Japan)."""
    found = set(places.values())
    found.update(d.country for d in ctx.drafts if d.country)
    return found.pop() if len(found) == 1 else None


def _titled_names(ctx: Context) -> list:
    """PERSON entities, and ORG entities the parser gave a person's name ("Vice-President
    Moody Awori" tagged ORG): two or three capitalised words after a title, none of them
    an organisation's head noun or a KB name."""
    out = list(ctx.person_ents)
    ow = ctx.kb.org_words
    heads = ow.heads if ow is not None else {}
    for ent in ctx.ents:
        if ent.label_ != "ORG" or not 2 <= len(ent) <= 3 or not ctx.free(ent.start, ent.end):
            continue
        if not all(t.pos_ == "PROPN" and t.text[:1].isupper() and t.is_alpha for t in ent) or \
                any(norm(t.text) in heads for t in ent):
            continue
        r = ctx.role_at_end.get(ent.start)
        if r is not None and r.title:
            out.append(ent)
    return sorted(out, key=lambda e: e.start)


def _owns_a_body(tok) -> bool:
    """ "Modi's government", "Erdogan's spokesman": the surname owns a leader's body."""
    return any(c.dep_ == "case" for c in tok.children) and tok.dep_ == "poss" \
        and norm(tok.head.text) in LEADER_BODIES


def _cue_in_sentence(ctx: Context, i: int) -> bool:
    """True if the sentence of token ``i`` (or the one before: "Mr. Erdogan" can end a
    sentence for the parser) names another actor or a country."""
    sent = ctx.doc[i].sent
    lo = ctx.doc[sent.start - 1].sent.start if sent.start > 0 else sent.start
    if any(lo <= d.start < sent.end for d in ctx.drafts):
        return True
    return any(lo <= m.start < sent.end and m.start != i for m in ctx.matches
               if m.kind in ("country", "demonym", "capital", "seat", "igo"))


def _add_person(ctx: Context, start: int, end: int, key: str, hit: tuple[str | None, Role],
                how: str, former: bool, cap: float) -> bool:
    kb_id, role = hit
    code, sector = role.code, role.sector
    if former and role.country and sector != "ELI":
        code, sector = role.country + "ELI", "ELI"
    who = kb_id or f"{len(ctx.kb.surnames[key])} people"
    return ctx.claim(Draft(start, end, code, role.country, sector, kb_id, f"{how}→{who}",
                         min(role.confidence, cap), person_key=kb_id or "name:" + key,
                           name_span=(end - 1, end), basis=Basis.PERSON))


def _someone_else(ctx: Context, key: str, i: int) -> bool:
    """True if the text gives the surname at token ``i`` a full name that no KB person
    bearing it holds ("Li Yunshan ... Li said": not Li Keqiang)."""
    ids = set(ctx.kb.surnames.get(key, ()))
    for ent in ctx.person_ents:
        if len(ent) < 2 or ent.start <= i < ent.end or \
                not any(norm(t.text) == key for t in ent):
            continue
        d = ctx.draft_at(ent.start) or ctx.draft_at(ent.end - 1)
        if d is None or d.kb_id not in ids:
            return True
    return False


@rule("names", after="coref")
def pass_names(ctx: Context) -> None:
    """Titled and surname-only people (module docstring, rules 1-3)."""
    places = None
    for ent in _titled_names(ctx):  # rules 1 and 3: a title before a PERSON entity
        if not ctx.free(ent.start, ent.end) or ctx.dateline[ent.start]:
            continue
        start, title, country, former = extend_left(ctx, ent.start)
        if country is not None or title is None or not title.title:
            continue  # a nationality before the name is pass_titled_people's case
        words = [t for t in ent if t.is_alpha]
        if len(words) == 1:
            key = norm(words[0].text)
            hit = _by_surname(ctx, key, top_only=False)
            if hit is not None and hit[1].sector in (title.sector, "ELI", "IGO") and \
                    _add_person(ctx, start, ent.end, key, hit, "title+surname", former, 0.9):
                continue
        if places is None:
            places = place_words(ctx)
        iso3, reason, conf = context_country(ctx, places, ent.root, title.sector,
                                              (start, ent.end), sentence=False)
        if iso3 is None:
            iso3 = _only_country_of_text(ctx, places)
            reason, conf = "title+text-country", 0.6
        if iso3 is None:  # a title without a country: the bare sector keeps the name
            sector = "ELI" if former else title.sector
            ctx.claim(Draft(start, ent.end, sector, None, sector, None,
                            "former-title-no-country" if former else "title-no-country", 0.4,
                            person_key="name:" + norm(ent[-1].text),
                            name_span=(ent.start, ent.end), basis=Basis.TITLE))
            continue
        sector = "ELI" if former else title.sector
        reason = reason.replace("agent", "former-title" if former else "title")
        ctx.claim(Draft(start, ent.end, iso3 + sector, iso3, sector, None,
                        reason, conf * (0.9 if former else 1.0),
                        person_key="name:" + norm(ent[-1].text), name_span=(ent.start, ent.end),
                        basis=Basis.TITLE))
    doc = ctx.doc
    found = []
    for i, key, _ in ctx.keys:  # rule 2: a lone surname of one leader ("Putin", "Erdogan")
        if key not in ctx.kb.surnames or ctx.claimed[i] or ctx.dateline[i]:
            continue
        tok = doc[i]
        if not tok.text[:1].isupper() or tok.ent_type_ not in NAME_ENTS or (
                tok.pos_ != "PROPN" and tok.ent_type_ not in ("PERSON", "ORG")):
            continue  # "May" the month is not Theresa May; a name opening a sentence can be
            # tagged NOUN ("Trump has suspended aid"), the NER still finds it
        honorific = i > 0 and norm(doc[i - 1].text).rstrip(".") in HONORIFICS and \
            not ctx.claimed[i - 1]
        if tok.i + 1 < len(doc) and doc[tok.i + 1].ent_iob_ == "I":
            continue  # part of a longer name ("Trump Tower")
        start, title, country, former = extend_left(ctx, tok.i)
        if title is not None and title.title and country is None:  # "President Buhari" (GPE)
            hit = _by_surname(ctx, key, top_only=False)
            if hit is not None and hit[1].sector in (title.sector, "ELI", "IGO"):
                _add_person(ctx, start, tok.i + 1, key, hit, "title+surname", former, 0.9)
            continue
        if tok.ent_iob_ == "I" and not (honorific and doc[i - 1].ent_iob_ == "B"):
            continue  # "Ivanka Trump"; the model often takes "Mr" into the name ("Mr Xi")
        if any(0 <= j < len(doc) and doc[j].pos_ == "PROPN" and doc[j].text[:1].isupper()
               for j in ((tok.i + 1,) if honorific else (tok.i - 1, tok.i + 1))):
            continue
        if _place_in_locative(ctx, tok, key):
            continue  # "a rally in Lagos": the city, not Ricardo Lagos
        if ctx.kb.ethnic is not None and key in ctx.kb.ethnic.groups and \
                tok.dep_ in ("amod", "compound", "nmod") and tok.head.i > tok.i:
            continue  # "Crimean Tatar activists": a people's word, not Ersin Tatar
        hit = _by_surname(ctx, key, top_only=True)
        if hit is not None and not _someone_else(ctx, key, tok.i):
            found.append((tok, key, hit, honorific))
    # a lone surname needs a second actor in its sentence (a country, another leader):
    # "Johnson scored twice" is not the British prime minister
    sents = [tok.sent.start for tok, _, _, _ in found]
    for (tok, key, hit, honorific), s in zip(found, sents):
        if sents.count(s) > 1 or _cue_in_sentence(ctx, tok.i) or _owns_a_body(tok):
            _add_person(ctx, tok.i - honorific, tok.i + 1, key, hit,
                        "honorific+surname" if honorific else "surname-only", False, 0.6)
