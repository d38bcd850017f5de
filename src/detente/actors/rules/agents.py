"""Generic agents ("police", "protesters", "the government", "gunmen") with a country.

Runs after the named, place and short-reference passes, on role phrases they left
unclaimed. Agents with a country modifier ("Iraqi troops", "Kenya's police", "the
Croatian government's request", "the Government of Turkey") are already coded by
:func:`.countries.pass_places`; this pass codes the rest, by the first rule that applies:

1. ``agent+member-of`` (0.75): "from/of" a resolved mention with a country — "doctors
   from two American aid groups" -> USAHLH;
   ``agent+locative`` (0.8): a place phrase attached to the agent itself — "police in
   Kiev" -> UKRCOP, "a terrorist group based in Trinidad" -> TTOREB; the place is a
   country, a capital, a city of ``cities.yaml`` or a gazetteer place (:mod:`.places`);
2. ``agent+clause-locative`` (0.7): such a place phrase attached to the verb that
   governs the agent — "Police arrested 20 people in Karachi" -> PAKCOP;
3. ``agent+sentence-country`` (0.6): the only country named in the sentence (by a
   resolved mention or a country/demonym/capital/city word) — "Kenyan officials said
   police fired tear gas" -> KENCOP;
4. ``agent-no-country`` (0.4): otherwise the sector alone ("COP", "REB").

A city modifier gives its country ("Karachi police" -> PAKCOP, ``agent+city-modifier``);
an IGO modifier keeps the IGO's code ("U.N. peacekeepers" -> IGOUNO, reason ``igo+role``);
"supporters/followers/loyalists of <person>" take the person's country (OPP, or CVL
for a sitting official's; ``followers-of-person``, 0.7);
"X-led forces" are X's (``country-led+role``), "X-backed rebels" are not
(``agent-sponsored``, no country, unless a place rule gives where they are:
``agent-sponsored+locative``); a role written as part of a hyphenated modifier
("rebel-held") is no agent.
An agent modified by an unresolved proper name ("Amal militants") names a group, not a
country: it keeps the sector alone (``agent-named-group``, 0.5); when the modifiers are
all ethnic or religious words (NER label NORP: "Moslem forces in east Bosnia") the
place rules above (member-of, locative, clause-locative; not the sentence's country,
which is as often a counterpart) give the country (``agent+ethnic+...``, confidence
x 0.9). Armed groups in the KB ("Taliban militants") are resolved earlier,
as the group.
IGO agents ("international monitors") never take a country. Places used as context
are not actors: "in Kiev" alone yields nothing. Role words that are not agents alone
("business", "intelligence") are listed under ``_not_agents`` in roles.yaml.
"""

from __future__ import annotations

from ..doc.context import Basis, Context, Draft
from ..doc.matching import RoleMatch
from ..doc.places import context_country, place_words
from ..doc.syntax import LEADER_BODIES, stance_prefixed
from ..kb.keys import norm
from .registry import rule

PLACE_KINDS = ("country", "capital", "seat", "demonym")
NO_CONTEXT_SECTORS = frozenset({"IGO"})
# people named by whom they follow: "supporters of former President Ahmed Ben Bella"
FOLLOWER_NOUNS = frozenset({"supporters", "followers", "loyalists", "partisans"})


def _is_agent(ctx: Context, r: RoleMatch) -> bool:
    """True if the role phrase heads a noun phrase that can act ("police", not "police
    station"; "officials", not "Official" inside "Official Secrets Act")."""
    doc = ctx.doc
    if not ctx.free(r.start, r.end) or ctx.dateline[r.start]:
        return False
    key = tuple(norm(t.text) for t in doc[r.start:r.end] if not t.is_space)
    if key in ctx.kb.non_agents:
        return False
    head = doc[r.end - 1]
    if head.dep_ in ("compound", "amod") and head.head.i >= r.end:
        return False  # a modifier: "police station", "army base"
    nxt = doc[r.end] if r.end < len(doc) else None
    if nxt is not None and nxt.text in ("-", "–") and not head.whitespace_:
        return False  # part of a compound modifier: "rebel-held area", "police-run camp"
    if r.sector == "CVL" and nxt is not None and nxt.lower_ in ("'s", "’s", "'", "’"):
        return False  # a classifier: "a children's hospital", "women's rights", "farmers' union"
    if r.title and nxt is not None and nxt.pos_ == "PROPN":
        return False  # a title in front of a name the other passes could not resolve
    first = doc[r.start]
    if first.text[:1].isupper() and not first.is_sent_start and r.start > 0 and \
            doc[r.start - 1].pos_ == "PROPN" and not ctx.claimed[r.start - 1]:
        return False  # part of a proper name: "Kurdistan Workers' Party"
    return True


def _left_modifiers(ctx: Context, places: dict[int, str],
                    r: RoleMatch) -> tuple[int, bool, str | None]:
    """(span start, has an unresolved proper-name modifier, country of a city modifier)
    for words modifying the agent from the left ("riot police", "Taliban militants",
    "Karachi police")."""
    doc, head, p = ctx.doc, ctx.doc[r.end - 1], r.start
    named, city = False, None
    while p > 0 and not ctx.claimed[p - 1]:
        tok = doc[p - 1]
        if tok.dep_ not in ("amod", "compound", "nmod") or tok.head.i < p or \
                tok.head.i > head.i or tok.pos_ not in ("ADJ", "NOUN", "PROPN", "VERB"):
            break
        if tok.tag_ == "VBG" and tok.i > 0 and doc[tok.i - 1].dep_ == "prep" \
                and doc[tok.i - 1].head.pos_ in ("VERB", "AUX", "ADJ"):
            break  # "accused Iran of *supporting* rebels": a gerund, not a modifier
        if tok.i in places and stance_prefixed(doc, tok.i):
            p -= 2  # "pro-Russian protesters": a stance, whoever they are
            continue
        if tok.i in places:
            city = places[tok.i]
        elif tok.pos_ == "PROPN" or tok.ent_type_ in ("ORG", "NORP"):
            named = True
        p -= 1
    return p, named and city is None, city


def _followers_of(ctx: Context, r: RoleMatch) -> tuple[str, str] | None:
    """(country, sector) of "supporters/followers/loyalists of <person>": the person's
    country; ``OPP`` for followers of someone out of office or in opposition, ``CVL`` for
    a sitting official's ("supporters of President X rallied")."""
    head = ctx.doc[r.end - 1]
    if r.end - r.start != 1 or norm(head.text) not in FOLLOWER_NOUNS:
        return None
    for prep in head.children:
        if prep.dep_ != "prep" or prep.lower_ != "of":
            continue
        for obj in prep.children:
            d = next((d for d in ctx.drafts if d.start <= obj.i < d.end), None) \
                if obj.dep_ == "pobj" else None
            if d is not None and d.country and d.person_key:
                return d.country, ("CVL" if d.sector not in ("ELI", "OPP", "REB", None) else "OPP")
    return None


# bare country and demonym mentions (no role, not a place phrase, not misspelt)
BARE_PLACE = frozenset({Basis.DEMONYM, Basis.COUNTRY})


def _place_draft_before(ctx: Context, start: int) -> Draft | None:
    """A bare country/demonym mention ending right before ``start`` ("Russian" in "U.S.
    and Russian negotiators", parsed as a conjunct and so left without its role)."""
    for d in ctx.drafts:
        if d.end == start and d.basis in BARE_PLACE and d.country and d.sector is None:
            return d
    return None


def _led_by(ctx: Context, start: int) -> Draft | None:
    """The country mention in "Vietnamese-led forces", "Saudi-led coalition" (the
    leading country's own forces; "-backed" is a sponsor, see :func:`_backed`)."""
    doc = ctx.doc
    if start >= 2 and doc[start].lower_ == "led" and doc[start - 1].text in ("-", "–"):
        return _place_draft_before(ctx, start - 1)
    return None


def _coordinated(ctx: Context, d: Draft, root, sector: str) -> None:
    """Give the role to the other conjuncts of a merged modifier ("U.S." in "U.S. and
    Russian negotiators" -> USAGOV); ``root`` is the modifier's own head token."""
    if root.dep_ != "conj":
        return
    for e in ctx.drafts:
        if e is not d and e.start <= root.head.i < e.end and e.basis in BARE_PLACE \
                and e.country and e.sector is None:
            e.code, e.sector = e.country + sector, sector
            e.reason, e.confidence = "coordinated-modifier+role", 0.85
            e.basis = Basis.ROLE_NOUN


def _backed(ctx: Context, start: int) -> bool:
    """True for "US-backed rebels", "Saudi-led forces": the country is a sponsor."""
    doc = ctx.doc
    return start >= 2 and doc[start - 1].text in ("-", "–") and ctx.claimed[start - 2] == 1 \
        and doc[start].pos_ in ("VERB", "ADJ") and doc[start].lower_.endswith("ed") \
        and doc[start].lower_ != "led"


def _ethnic_modifiers(doc, start: int, end: int) -> bool:
    """True if the proper-name modifiers in [start, end) are all nationality, ethnic or
    religious words (NER label NORP: "Moslem forces", "Tamil refugees", "Kurdish
    fighters"), which name people of the place they are in, not an organisation."""
    names = [t for t in doc[start:end] if t.pos_ == "PROPN" or t.ent_type_ in ("ORG", "NORP")]
    return bool(names) and all(t.ent_type_ == "NORP" for t in names)


def _igo_before(ctx: Context, start: int) -> Draft | None:
    """An IGO or bloc mention modifying the agent: "U.N. peacekeepers"."""
    for d in ctx.drafts:
        if d.end == start and d.country is None and d.basis is Basis.INTERNATIONAL:
            return d
    return None


def _merge_modifier(ctx: Context, r: RoleMatch, start: int, named: bool) -> bool:
    """Attach the agent to a bare country mention just before it ("U.S. and Russian
    negotiators", "Vietnamese-led forces"), or to an IGO ("U.N. peacekeepers" keeps
    IGOUNO); True if it did."""
    igo = _igo_before(ctx, start)
    if igo is not None:
        ctx.extend(igo, r.end)
        igo.reason, igo.basis = igo.reason + "+role", Basis.ROLE_NOUN
        return True
    prev = _place_draft_before(ctx, start) if not named else None
    d = prev or (_led_by(ctx, start) if not named else None)
    if d is None:
        return False
    root = ctx.doc[d.start:d.end].root
    ctx.extend(d, r.end)
    d.code, d.sector = d.country + r.sector, r.sector
    d.reason = "modifier+role(coordinated)" if prev else "country-led+role"
    d.basis = Basis.ROLE_NOUN
    d.confidence = 0.9 if prev else 0.7
    if prev is not None:
        _coordinated(ctx, d, root, r.sector)
    return True


def _leader_of(ctx: Context, head) -> str | None:
    """The country of the leader who owns a government body: "Modi's *government*", "the
    Obama *administration*", "Erdogan's *spokesman*" (a resolved person as the body's
    possessor or modifier), whatever other countries the sentence names."""
    if norm(head.text) not in LEADER_BODIES:
        return None
    for c in head.children:
        if c.dep_ in ("poss", "compound") and c.i < head.i:
            d = ctx.draft_at(c.i)
            if d is not None and d.basis == Basis.PERSON and d.country:
                return d.country
    return None


@rule("agents", after="place_actors")
def pass_agents(ctx: Context) -> None:
    """Generic agents on unclaimed role phrases (see the module docstring)."""
    doc = ctx.doc
    places = place_words(ctx)
    for r in list(ctx.roles):
        if not _is_agent(ctx, r):
            continue
        start, named, city = _left_modifiers(ctx, places, r)
        if _merge_modifier(ctx, r, start, named):
            continue
        followed = _followers_of(ctx, r)
        if followed is not None:
            iso3, sector = followed
            ctx.claim(Draft(start, r.end, iso3 + sector, iso3, sector, None,
                            "followers-of-person", 0.7, basis=Basis.AGENT))
            continue
        if city is not None:
            iso3, reason, conf = city, "agent+city-modifier", 0.8
        elif _backed(ctx, start):
            # "Iran-backed militias *in Syria*": the sponsor is not theirs, but where they
            # are is, as for ethnic modifiers (place rules only, never the sentence's country)
            iso3, reason, conf = context_country(ctx, places, doc[r.end - 1], r.sector,
                                                  (start, r.end), sentence=False)
            reason = reason.replace("agent+", "agent-sponsored+") if iso3 else "agent-sponsored"
            conf = 0.9 * conf if iso3 else 0.5
        elif named and _ethnic_modifiers(doc, start, r.start):
            iso3, reason, conf = context_country(ctx, places, doc[r.end - 1], r.sector,
                                                  (start, r.end), sentence=False)
            reason = reason.replace("agent+", "agent+ethnic+") if iso3 else "agent-named-group"
            conf = 0.9 * conf if iso3 else 0.5
        elif named:
            iso3, reason, conf = None, "agent-named-group", 0.5
        elif r.sector in NO_CONTEXT_SECTORS:
            iso3, reason, conf = None, "agent-no-country", 0.4
        elif (leader := _leader_of(ctx, doc[r.end - 1])) is not None:
            iso3, reason, conf = leader, "agent+leader", 0.85
        else:
            iso3, reason, conf = context_country(ctx, places, doc[r.end - 1], r.sector,
                                                  (start, r.end))
        ctx.claim(Draft(start, r.end, (iso3 or "") + r.sector, iso3, r.sector, None, reason, conf,
                        basis=Basis.AGENT if iso3 else Basis.AGENT_NO_COUNTRY))
