"""Organisations missing from the KB, recognised by the head noun of their name.

Runs after the named-entity pass and before titled people and places, on capitalised
names no earlier pass claimed ("Association of African Jurists", "Third World Water
Forum", "Ceasefire Violations Committee (CFVC)", "Nigerian Union of Teachers",
"Kenya Anti-Corruption Commision"). The head noun is the word before the first
"of/for/to/on/against", else the last word; ``data/org_words.yaml`` gives its kind
(party, NGO, state body, business, school, hospital) and sector. The code is:

* ``unknown-org(<kind>)+name-country`` (0.6): a country, demonym, capital or listed
  city inside the name gives the country — "Nigerian Union of Teachers" -> NGALAB
  (a union of workers is ``LAB``), "Kenya Anti-Corruption Commision" -> KENGOV;
* ``unknown-org(igo)`` (0.55): two countries in the name, or an IGO word
  ("Community", "Nations"), -> ``IGO``;
* without a country: NGOs and businesses keep the bare sector (``NGO``, ``BUS``;
  ``unknown-org(<kind>)``, 0.5); a party takes the only country the sentence places
  it in, by a place phrase or a country before a role noun
  (``unknown-org(party)+sentence-country``, 0.5: "the Homeland Union (Conservatives)
  ... the Lithuanian Parliament" -> LTUOPP; a country that is only an argument, as in
  "accused Iraq", is as often the counterpart), else ``OPP`` (0.4); a state body, court,
  police force, school or hospital without a country is left to the later rules, and
  what they leave gets the ``unknown_bodies`` pass: the country of its own place phrase
  ("the High Court in Nairobi" -> KENJUD), else the bare sector ("the Interior
  Ministry" of whom? -> GOV).

A city in the name gives its country through the gazetteer even when the NER tags the
whole name ORG ("Delhi Police" -> INDCOP, ``+name-city``); for universities only places
no namesake can be mistaken for ("Stanford University" is not the English town's).

A role noun of a branch of the state before the head gives its sector ("U.S. Senate
Intelligence Committee" -> USALEG; without a country no mention), and so does a state
organ after the "of" of a committee, council or commission ("Standing Committee of the
Chinese Communist Party" -> CHNGOV, "Council of Ministers of Bosnia" -> BIHGOV). Names that are a
country plus a role noun ("the Lithuanian Parliament", "the Serbian
parliament", "Russian Interior Ministry") are left to :func:`.countries.pass_places`,
which codes them with the role's sector; a name whose head is inside a KB match
("Soviet Union") is not an unknown organisation. A parenthesised acronym or word right
after the name ("(CFVC)", "(Conservatives)") is part of the mention.
"""

from __future__ import annotations

from itertools import compress, count

from ..doc.context import Basis, Context, Draft
from ..doc.places import doc_countries_of, locative_country, place_nouns, place_words
from ..doc.read import doc_column
from ..doc.syntax import LOCATIVE_OR_OF_PREPS, locative
from ..kb.keys import norm
from ..kb.lexicons import OrgWords
from ..kb.places import place_country
from .registry import rule

CONNECT = frozenset({"of", "for", "the", "and", "on", "to", "against", "&"})
HEAD_STOP = frozenset({"of", "for", "to", "on", "against"})
PLACE_KINDS = frozenset({"country", "demonym", "capital", "seat"})
STATE_ROLES = frozenset({"LEG", "JUD", "MIL", "COP", "SPY"})
# bodies that belong to the organ named after their "of" ("the Standing Committee of the
# Communist Party", "the Council of Ministers"): the organ's sector, not NGO
ORGAN_HEADS = frozenset({"committee", "council", "commission", "presidium", "bureau", "board",
                         "secretariat", "politburo"})


def _cap(tok) -> bool:
    return tok.text[:1].isupper() and (tok.is_alpha or tok.text.replace(".", "").isalpha())


def _caps(ctx: Context) -> list[bool]:
    """:func:`_cap` of every token of the document, computed once for both passes (each
    scans every token)."""
    caps = ctx.tables.get("orgnames.caps")
    if caps is None:  # _cap of each token, from the words and is_alpha columns
        texts, alpha = doc_column(ctx.doc, "text"), doc_column(ctx.doc, "is_alpha")
        caps = ctx.tables["orgnames.caps"] = [
            x[:1].isupper() and (a or x.replace(".", "").isalpha()) for x, a in zip(texts, alpha)]
    return caps


def _runs(ctx: Context):
    """(start, end) of maximal runs of capitalised words and connectors, unclaimed."""
    doc, n, i = ctx.tokens, len(ctx.doc), 0  # tokens read once (Context.tokens)
    caps = _caps(ctx)
    # the words, entity types and spaces, read once per document (doc_column)
    lower, ent, text, ws = (doc_column(ctx.doc, a) for a in ("lower_", "ent_type_", "text", "whitespace_"))
    claimed, dateline = ctx.claimed, ctx.dateline
    # a run starts at a capitalised word: the scan visits those only (a word in three),
    # each at most once, in order; i is the first word after the last run
    for s in compress(count(), caps):
        if s < i or claimed[s] or dateline[s]:
            continue
        i = s
        j, last, tail = i, i, False
        while j < n and not claimed[j] and (j == i or not doc[j].is_sent_start):
            if ent[j] in ("DATE", "TIME") or (lower[j] in ("and", "&") and not tail):
                break  # "Association on Friday"; "Glavkosmos and the Indian Space ..."
            tail = tail or lower[j] in HEAD_STOP  # "Centre for Media and Freedom" is one name
            if caps[j]:
                last = j
            elif lower[j] in CONNECT or (text[j] in ("-", "–", "'", "’") and not ws[j - 1]
                                         and j + 1 < n and caps[j + 1]):
                pass  # "Kurdistan Workers' Party": a plural possessive inside the name
            else:
                break
            j += 1
        yield i, last + 1
        i = last + 1


def _head(doc, start: int, end: int) -> int:
    for k in range(start + 1, end):
        if doc[k].lower_ in HEAD_STOP:
            return k - 1
    return end - 1


def _paren(doc, end: int) -> int:
    """End of a parenthesised acronym or word right after the name ("(CFVC)")."""
    if end + 2 < len(doc) and doc[end].text == "(" and _cap(doc[end + 1]) and \
            doc[end + 2].text == ")":
        return end + 3
    return end


def _classify(ow: OrgWords, keys: set[str], head_key: str) -> tuple[str, str, str]:
    kind, sector, rule = ow.heads[head_key]
    if head_key in ow.labour_heads and keys & ow.labour_words:
        return "labour", "LAB", "code"
    if head_key in ow.party_heads and keys & ow.party_words:
        return "party", "OPP", "sentence"
    return kind, sector, rule


def _candidate(ctx: Context, ow: OrgWords, start: int, end: int) -> tuple[int, int, int] | None:
    """(start, end, head) of an organisation name inside the run [start, end), or None."""
    doc, caps = ctx.tokens, _caps(ctx)  # doc[i], read once (Context.tokens)
    starts = [start] + [k for k in range(start + 1, end)
                        if caps[k] and doc[k - 1].lower_ in ("the", "of", "for")]
    for s in starts:
        while s < end and doc[s].lower_ in ("the", "a", "an"):
            s += 1
        if sum(caps[s:end]) < 2:
            continue
        h = _head(doc, s, end)
        if norm(doc[h].text) not in ow.heads or h == s and doc[s].lower_ in CONNECT:
            continue
        if h == end - 1 and (h + 1) in ctx.role_at_end and any(
                m.kind in PLACE_KINDS and s <= m.start < h for m in ctx.matches):
            return None  # "Lithuanian Parliament": a country and a role noun
        if any(m.start <= h < m.end for m in ctx.matches):
            return None  # "Soviet Union": a KB name
        return s, end, h
    return None


def _domestic_countries(ctx: Context, places: dict[int, str], sent,
                        span: tuple[int, int]) -> set[str]:
    """Countries the sentence places a party in: a place phrase ("won the election in
    Britain") or a country before a role noun ("the Lithuanian Parliament"). A country
    that is only an argument ("accused Iraq") is as often the counterpart."""

    doc, found = ctx.doc, set()
    for m in ctx.matches:
        if not (sent.start <= m.start < sent.end) or span[0] <= m.start < span[1] or \
                m.kind not in PLACE_KINDS or not m.entries[0].country or ctx.dateline[m.start]:
            continue
        root = doc[m.start:m.end].root
        j = m.end + (1 if m.end < len(doc) and doc[m.end].lower_ in ("'s", "’s") else 0)
        if (root.dep_ == "pobj" and root.head.lower_ in LOCATIVE_OR_OF_PREPS) or j in ctx.role_at_start:
            found.add(m.entries[0].country)
    return found


@rule("unknown_orgs", after="named")
def pass_unknown_orgs(ctx: Context) -> None:
    """Unknown organisations by their head noun (see the module docstring)."""
    _scan(ctx, late=False)


@rule("unknown_bodies", after="agents")
def pass_unknown_bodies(ctx: Context) -> None:
    """State bodies, courts, police, schools and hospitals whose names give no country and
    that no later rule composed ("China's Foreign Ministry" is the places rule's): the bare
    sector, so the event they take part in is kept ("the Department of Education will
    investigate Yale" -> GOV); a place phrase of their own gives the country ("the High
    Court in Nairobi" -> KENJUD, ``unknown-org(<kind>)+locative``, 0.55). Their country is
    not guessed from the sentence, which as often names the counterpart ("the Interior
    Ministry arrested three Kenyans")."""
    _scan(ctx, late=True)


def _venue(tok) -> bool:
    """An adverbial of place, also through "of" ("met *at the campus of* Far Eastern
    Federal University"): a venue, not a party."""
    while tok.dep_ == "pobj" and tok.head.lower_ == "of" and tok.head.head is not tok.head:
        tok = tok.head.head
    return locative(tok)


# gazetteer matches a university's name is as often a person's or an estate's
# ("Stanford University") as a city's: only places no namesake can be mistaken for
SURE_PLACES = ("place:country", "place:capital", "place:seat", "place:city-list", "place:region")


def _city_in_name(ctx: Context, start: int, head: int, kind: str) -> str | None:
    """Country of a gazetteer place named by the capitalised words before the head noun
    ("Delhi Police" -> IND, "Copenhagen City Court" -> DNK, "Lagos State Police" ->
    NGA). The NER tags such a name ORG as a whole, so the place index, built from place
    entities, misses the city. The longest leading run of words that is a place wins."""
    doc = ctx.doc
    while start < head and doc[start].lower_ in ("the", "a", "an"):
        start += 1
    words = []
    for t in doc[start:head]:
        if not _cap(t) or t.lower_ in CONNECT:
            break
        words.append(norm(t.text))
    for n in range(len(words), 0, -1):
        hit = place_country(ctx.kb, tuple(words[:n]), date=ctx.date,
                            doc_countries=doc_countries_of(ctx.matches))
        if hit is not None and (kind != "education" or hit[1].split("+")[0] in SURE_PLACES):
            return hit[0]
    return None


def _possessor(ctx: Context, start: int) -> tuple[int, str] | None:
    """(start, ISO3) of a country, capital or seat owning the name ("Lebanon's Future
    Television"), releasing the bare mention the places rule may have made of it; state
    bodies are left to the places rule first, which composes "China's Foreign Ministry"
    from a role noun. Called only where the name will be claimed."""
    doc, j = ctx.doc, start - 1
    if j < 1 or doc[j].lower_ not in ("'s", "’s"):
        return None
    m = ctx.match_at_end.get(j)
    if m is None or m.kind not in ("country", "capital", "seat") or not m.entries[0].country \
            or ctx.dateline[m.start] or ctx.claimed[j]:
        return None
    if not ctx.free(m.start, m.end):  # the places rule coded the owner alone: take it in
        d = ctx.draft_at(m.start)
        if d is None or (d.start, d.end) != (m.start, m.end) or d.sector or \
                d.basis not in (Basis.COUNTRY, Basis.CAPITAL, Basis.SEAT):
            return None
        ctx.release(d)
    return m.start, m.entries[0].country


def _scan(ctx: Context, late: bool) -> None:
    ow = ctx.kb.org_words
    if ow is None:
        return
    doc = ctx.doc
    places = None
    for run_start, run_end in list(_runs(ctx)):
        found = _candidate(ctx, ow, run_start, run_end)
        if found is None:
            continue
        start, name_end, h = found
        end = _paren(doc, name_end)
        keys = {norm(t.text) for t in doc[start:end]}
        kind, sector, rule = _classify(ow, keys, norm(doc[h].text))
        if kind == "party" and start > 0 and doc[start - 1].lower_ in ("ruling", "governing"):
            sector = "GOV"  # "the ruling Workers' Party" holds power
        branch = next((r for r in ctx.roles if start <= r.start and r.end <= h and
                       r.sector in STATE_ROLES), None)
        if branch is not None:  # "Senate Intelligence Committee": a body of the Senate
            kind, sector, rule = "state", branch.sector, "skip"
        elif kind == "ngo" and norm(doc[h].text) in ORGAN_HEADS:
            organ = next((r for r in ctx.roles if h < r.start and r.end <= name_end and
                          r.sector in STATE_ROLES | {"GOV"}), None)
            if organ is not None:  # "Standing Committee of the Chinese Communist Party"
                kind, sector, rule = "state", organ.sector, "skip"
        if places is None:
            places = place_words(ctx)
        inside = {places[i] for i in range(start, name_end) if i in places}
        city = None
        if not inside and not keys & ow.igo_words:
            city = _city_in_name(ctx, start, h, kind)
            if city is not None:
                inside = {city}
        if late:  # the second pass: only what the first left for the other rules
            if rule != "skip" or inside or keys & ow.igo_words or _venue(doc[start:end].root):
                continue
            poss = _possessor(ctx, start)
            if poss is not None:  # "Kenya's Anti-Corruption Commission"
                ctx.claim(Draft(poss[0], end, poss[1] + sector, poss[1], sector, None,
                                f"unknown-org({kind})+possessor-country", 0.6,
                                basis=Basis.ORG_NAME))
                continue
            # its own place phrase ("the High Court in Nairobi" -> KENJUD); not the
            # sentence's country, which as often names the counterpart
            loc = locative_country(places, doc[start:end].root,
                                   place_nouns(ctx.kb)["based_verbs"])
            if loc is not None:
                ctx.claim(Draft(start, end, loc + sector, loc, sector, None,
                                f"unknown-org({kind})+locative", 0.55, basis=Basis.ORG_NAME))
                continue
            ctx.claim(Draft(start, end, sector, None, sector, None,
                            f"unknown-org({kind})+no-country", 0.4, basis=Basis.ORG_NAME))
            continue
        reason, conf = f"unknown-org({kind})", 0.5
        if len(inside) > 1 or keys & ow.igo_words:
            code, iso3, sector, reason, conf = "IGO", None, "IGO", "unknown-org(igo)", 0.55
        elif inside:
            iso3 = inside.pop()
            code, conf = iso3 + sector, 0.6
            reason += "+name-city" if city else "+name-country"
        elif rule != "skip" and not keys & ow.igo_words and \
                (poss := _possessor(ctx, start)) is not None:  # "Lebanon's Future Television"
            start, iso3 = poss
            code, reason, conf = iso3 + sector, reason + "+possessor-country", 0.6
        elif rule == "skip":
            continue
        elif rule == "sentence":
            found_c = _domestic_countries(ctx, places, doc[h].sent, (start, end))
            iso3 = found_c.pop() if len(found_c) == 1 else None
            code = (iso3 or "") + sector
            reason, conf = (reason + "+sentence-country", 0.5) if iso3 else (reason, 0.4)
        else:
            iso3, code = None, sector
        ctx.claim(Draft(start, end, code, iso3, sector, None, reason, conf, basis=Basis.ORG_NAME))
