"""Rule ``unknown_people``: names missing from the KB that no earlier rule coded, coded by
the words around them, so that an event never loses an argument for want of a KB entry.

Runs last, on PERSON entities and short ORG entities still unclaimed. The first rule that
applies gives the code (basis ``described`` unless said otherwise):

1. ``<reason>+name``: a coded mention modifying the name from the left, over at most
   three lowercase words, takes the name into it — "Nigerian junior foreign minister
   Dubem Oniya" -> NGAGOV, "U.N. mediator Diego Cordovez" -> IGOUNO, "the opposition
   newspaper La Prensa" -> NICMED; a bare nationality gets the sector of a role among
   those words, else ``CVL`` ("German tourist Hans Meyer" -> DEUCVL);
   ``appositive-before+mention`` (0.7): the name in apposition to a noun before it takes
   that noun's mention, its affiliation or its nationality — "A member of the Syrian
   parliament, Mohammed Mamoun" -> SYRLEG, "A German tourist, Hans Meyer" -> DEUCVL;
2. an appositive after the name ("Name, a/an/the ... NOUN ..."):

   * ``appositive+affiliation`` (0.7): the noun is an affiliation noun of
     ``org_words.yaml`` or a role, and "of/for/at/with/to" names a coded mention: the
     person takes that mention's code — "Mohamed Ali, a spokesman for the Egyptian
     army" -> EGYMIL, "Jane Doe, a member of the Kenyan parliament" -> KENLEG;
   * ``appositive+mention`` (0.7): the appositive is itself a coded mention with a
     country, read from its own words (not guessed from the sentence) — "Aya Hijazi, an
     American aid worker" -> USANGO;
   * ``appositive+descriptor`` (0.7 with a nationality, else 0.5): the noun describes an
     organisation (``descriptors`` of ``org_words.yaml``) — "Klockner-Humboldt-Deutz, a
     German engine manufacturer" -> DEUBUS (the NER often tags such a name PERSON);
   * ``appositive+role`` (0.5): a role noun with no country — "Jane Doe, a lawyer" -> JUD;

3. ``descriptor`` (0.7 with a nationality, else 0.5): a descriptor noun right before the
   name, with a nationality before it taken into the mention — "Chinese
   telecommunications giant ZTE" -> CHNBUS, "the international charity Marie Stopes" ->
   NGO;
4. ``person-name-only`` (0.3, basis ``name_only``): a PERSON name of two or more
   capitalised words (or one after "Mr./Ms./Dr.", or one that is the subject of its
   clause, no place and no KB surname: "Roberts said") with nothing known about it gets the
   bare sector ``CVL`` and keeps its text. This is ICEWS's convention for a private
   individual ("Citizen"), without the country the text does not give: the person's
   country is not guessed from the sentence, which as often names the counterpart
   ("Pete Wilson signed an agreement with Israel"). A user who wants only actors with a
   known affiliation drops ``basis == "name_only"``.

A person coded here is referred back to later in the article: the same full name again
(``repeated-name``) and the lone surname (``surname→<name>``; the first word for East
Asian names) take the first mention's code, basis ``coreference``, as :mod:`.coref` does
for people resolved earlier (it runs before this rule, so cannot see these).

A "name" here is capitalised words (with name particles such as "al", "bin", "de"),
none of them a KB name, a known place or an organisation's head noun.
"""

from __future__ import annotations

from ..doc.context import FAMILY_FIRST, Basis, Context, Draft
from ..doc.places import place_words
from ..doc.read import doc_column
from ..kb.keys import norm
from ..kb.places import place_country
from .registry import rule

PARTICLES = frozenset({"al", "el", "bin", "ibn", "abu", "de", "da", "di", "du", "van", "von",
                       "der", "den", "la", "le", "dos", "das", "del", "-", "'", "."})
HONORIFICS = frozenset({"mr", "mrs", "ms", "dr", "mister", "madam", "madame", "sir"})
AFFILIATION_PREPS = frozenset({"of", "for", "at", "with", "to"})
# bare place mentions a descriptor phrase absorbs ("Chinese" in "Chinese ... giant ZTE")
BARE_PLACE = frozenset({Basis.DEMONYM, Basis.COUNTRY})


def _is_name(ctx: Context, places: dict[int, str], start: int, end: int) -> bool:
    doc, ow = ctx.doc, ctx.kb.org_words
    if not doc[start].text[:1].isupper():
        return False
    for t in doc[start:end]:
        if not (t.text[:1].isupper() or norm(t.text) in PARTICLES) or t.i in places:
            return False
        if ow is not None and norm(t.text) in ow.heads:
            return False
    return not any(m.start < end and start < m.end for m in ctx.matches)


def _whole_name(doc, ent) -> bool:
    """False for a PERSON entity that is part of a longer name, modifies a noun or is
    conjoined to a name that is no person's ("shipping line Hyundai [Merchant Marine]",
    "the [Key Resolve] exercises"): the NER's person label is then a guess the name-only
    code should not rest on."""
    if ent.start > 0 and doc[ent.start - 1].text[:1].isupper() and \
            doc[ent.start - 1].pos_ == "PROPN" and not doc[ent.start - 1].is_sent_start:
        return False
    root = ent.root
    if root.dep_ == "conj" and root.head.ent_type_ != "PERSON" and root.head.text[:1].isupper():
        return False  # "drills called Foal Eagle and Key Resolve": a conjunct of a non-person
    return not (root.dep_ in ("compound", "amod", "nmod") and root.head.i >= ent.end)


def _lone_subject(ctx: Context, ent) -> bool:
    """A one-word PERSON name that is the subject of its clause ("Roberts said", "Gambari
    aims to secure ..."; not of a copula: "Coal is North Korea's most important
    export"): a person when it is a plain word (no digits, not an acronym),
    names no place the gazetteer knows ("Bolton") and is no KB surname (several known
    people named "Hussein": a bare ``CVL`` would misname the one meant)."""
    if len(ent) != 1:
        return False
    t = ent[0]
    key = norm(t.text)
    return t.dep_ in ("nsubj", "nsubjpass") and t.head.lemma_ != "be" and t.is_alpha and \
        not t.is_upper and key not in ctx.kb.surnames and \
        place_country(ctx.kb, (key,), date=ctx.date) is None


def _appositive(doc, start: int, end: int):
    """The head of an appositive right after the name ("Name, a spokesman for ...")."""
    if end >= len(doc) or doc[end].text != ",":
        return None
    for t in doc[end + 1:min(len(doc), end + 10)]:
        if t.dep_ == "appos" and start <= t.head.i < end:
            return t
        if t.is_punct and t.text != "-":
            break
    return None


def _role_sector(ctx: Context, tok) -> str | None:
    r = ctx.role_at_end.get(tok.i + 1)
    return r.sector if r is not None else None


def _affiliate(ctx: Context, noun) -> Draft | None:
    """The coded mention after "of/for/at/with/to" of an affiliation noun or role."""
    for prep in noun.children:
        if prep.dep_ != "prep" or prep.lower_ not in AFFILIATION_PREPS:
            continue
        for obj in prep.children:
            d = ctx.draft_at(obj.i) if obj.dep_ == "pobj" else None
            if d is not None and (d.country or d.sector):
                return d
    return None


def _nationality_in(ctx: Context, start: int, end: int) -> Draft | None:
    """A bare country or demonym mention among tokens [start, end)."""
    for d in ctx.drafts:
        if start <= d.start and d.end <= end and d.basis in BARE_PLACE and d.country:
            return d
    return None


def _prefix(ctx: Context, ent, org: bool) -> tuple[Draft, str | None] | None:
    """(mention, sector) for a coded mention that modifies the name from the left, over at
    most three lowercase nouns or adjectives ("Nigerian junior foreign minister Dubem
    Oniya", "U.N. mediator Diego Cordovez", "the opposition newspaper La Prensa"); the
    sector is that of a role among the words in between. For an organisation's name the
    words must hold a descriptor (left to :func:`_descriptor_before`)."""
    doc, p = ctx.doc, ent.start
    while p > 0 and ent.start - p < 3 and not ctx.claimed[p - 1] and \
            doc[p - 1].pos_ in ("NOUN", "ADJ") and doc[p - 1].text.islower() and \
            doc[p - 1].dep_ in ("compound", "amod", "nmod") and doc[p - 1].head.i < ent.end:
        p -= 1
    ow = ctx.kb.org_words
    if org or p == 0 or (ow is not None and any(_descriptor_at(ctx, i)[1]
                                                for i in range(p, ent.start))):
        return None  # "Chinese telecommunications giant Zentao": an organisation
    d = ctx.draft_at(p - 1)
    if d is None or d.end != p or not (d.country or d.basis is Basis.INTERNATIONAL):
        return None
    last = doc[d.end - 1]
    if not (p <= last.head.i < ent.end or ent.root.head.i == last.i):
        return None  # the mention modifies the name (or the name hangs on its head)
    sector = next((r.sector for r in ctx.roles if p <= r.start and r.end <= ent.start), None)
    return d, sector


def _named_by(ctx: Context, ent) -> Draft | None:
    """The mention a name stands in apposition to, before it ("A member of the Syrian
    parliament, Mohammed Mamoun, ..."): the noun's own mention, or its affiliation."""
    h = ent.root.head
    if ent.root.dep_ != "appos" or h.i >= ent.start:
        return None
    own = ctx.draft_at(h.i)
    if own is not None and (own.country or own.basis is Basis.INTERNATIONAL):
        return own
    ow = ctx.kb.org_words
    role = _role_sector(ctx, h)
    if role is not None or (ow is not None and norm(h.text) in ow.affiliation_nouns):
        d = _affiliate(ctx, h)
        if d is not None:
            return d
    nat = _nationality_in(ctx, h.left_edge.i, h.i)  # "A German tourist, Hans Meyer, ..."
    if nat is not None:
        sector = role or "CVL"
        return Draft(nat.start, nat.end, nat.country + sector, nat.country, sector, None, "",
                     basis=Basis.DESCRIBED)
    return None


def _from_appositive(ctx: Context, ap) -> tuple[str, str | None, str | None, str, float] | None:
    """(code, country, sector, reason, confidence) an appositive gives, or None."""
    ow = ctx.kb.org_words
    key = norm(ap.text)
    role = _role_sector(ctx, ap)
    descriptor = _descriptor_at(ctx, ap.i)[1] if ow is not None else None
    if role is not None or (ow is not None and key in ow.affiliation_nouns):
        d = _affiliate(ctx, ap)
        if d is not None:
            return d.code, d.country, d.sector, "appositive+affiliation", 0.7
    own = ctx.draft_at(ap.i)
    if own is not None and own.country and own.sector and own.confidence >= 0.7:
        return own.code, own.country, own.sector, "appositive+mention", 0.7
    sector = descriptor or role
    if sector is None:
        return None
    nat = _nationality_in(ctx, ap.left_edge.i, ap.i)
    how = "appositive+descriptor" if descriptor else "appositive+role"
    if nat is not None:
        return nat.country + sector, nat.country, sector, how, 0.7
    return sector, None, sector, how, 0.5


def _descriptor_at(ctx: Context, k: int) -> tuple[int, str | None]:
    """(first token, sector) of a descriptor ending at token ``k``: a two-word one
    ("hospitality group", "rebel group") before a one-word one ("giant"); (k, None)
    when there is none."""
    doc, ow = ctx.doc, ctx.kb.org_words
    if ow is None or k < 0:
        return k, None
    if k >= 1 and not ctx.claimed[k - 1]:
        two = ow.descriptors.get((norm(doc[k - 1].text), norm(doc[k].text)))
        if two is not None:
            return k - 1, two
    return k, ow.descriptors.get((norm(doc[k].text),))


def _descriptor_before(ctx: Context,
                       start: int) -> tuple[int, str, str | None, Draft | None] | None:
    """(mention start, sector, country, nationality draft) for "[Nationality] [modifiers]
    DESCRIPTOR Name" ("Chinese telecommunications giant ZTE"), or None."""
    doc = ctx.doc
    k = start - 1
    if k < 0 or ctx.claimed[k]:
        return None
    p, sector = _descriptor_at(ctx, k)
    if sector is None:
        return None
    while p > 0 and not ctx.claimed[p - 1] and doc[p - 1].dep_ in ("amod", "compound", "nmod") \
            and doc[p - 1].pos_ in ("ADJ", "NOUN") and doc[p - 1].head.i >= k:
        p -= 1
    d = next((d for d in ctx.drafts if d.end == p and d.basis in BARE_PLACE and d.country), None)
    return (d.start if d else p), sector, (d.country if d else None), d


def _candidates(ctx: Context):
    for e in ctx.ents:
        if e.label_ == "PERSON" or (e.label_ == "ORG" and len(e) <= 4):
            if ctx.free(e.start, e.end) and not ctx.dateline[e.start]:
                yield e


@rule("unknown_people", after="unknown_bodies")
def pass_unknown_people(ctx: Context) -> None:
    """Names missing from the KB, by their appositive, a descriptor before them, or the
    bare sector CVL for a person's name alone (see the module docstring)."""
    doc = ctx.doc
    places = None
    mine: dict[tuple[str, ...], Draft] = {}  # a person's full name -> its first mention
    deferred = []  # one-word names: a surname of someone coded here first (below)
    for ent in list(_candidates(ctx)):
        if not ctx.free(ent.start, ent.end):
            continue
        if places is None:
            places = place_words(ctx)
        if not _is_name(ctx, places, ent.start, ent.end):
            continue
        person = ent.label_ == "PERSON"
        if person and len(ent) == 1:
            deferred.append(ent)
            continue
        name = tuple(norm(t.text) for t in ent)
        first = mine.get(name) if person else None
        if first is not None:  # "Peter Walsh ... Peter Walsh": the same person
            ctx.claim(_copy(first, ent.start, ent.end, "repeated-name", (ent.start, ent.end)))
            continue
        d = _code_name(ctx, ent, person)
        if d is not None and d.name_span is not None:
            mine[name] = d
    _surname_refs(ctx, list(mine.values()))
    for ent in deferred:
        if ctx.free(ent.start, ent.end):
            _code_name(ctx, ent, True)


def _copy(d: Draft, start: int, end: int, reason: str, name_span) -> Draft:
    return Draft(start, end, d.code, d.country, d.sector, d.kb_id, reason,
                 round(d.confidence * 0.9, 3), person_key=d.person_key, name_span=name_span,
                 basis=Basis.COREFERENCE)


def _surname_of(doc, d: Draft) -> str | None:
    toks = [t for t in doc[d.name_span[0]:d.name_span[1]] if t.is_alpha and
            norm(t.text) not in PARTICLES]
    if len(toks) < 2:
        return None
    return norm(toks[0].text if d.country in FAMILY_FIRST else toks[-1].text)


def _surname_refs(ctx: Context, people: list[Draft]) -> None:
    """A lone surname after the full name of a person this rule coded ("Li Wenbo ... Li
    said"), or one the ``names`` and ``titled_people`` rules coded after :mod:`.coref`
    ran ("spokesman John Kirby ... Kirby said"), is that person (basis
    ``coreference``, ``surname→<name>``); a surname two such people share stays alone."""
    people = people + [d for d in ctx.drafts if d.person_key and d.name_span and d.code
                       and d.person_key.startswith("name:") and d not in people
                       and d.basis is not Basis.COREFERENCE]
    if not people:
        return
    doc = ctx.doc
    by: dict[str, list[Draft]] = {}
    for d in people:
        s = _surname_of(doc, d)
        if s:
            by.setdefault(s, []).append(d)
    def full_name(d: Draft) -> str:
        return doc[d.name_span[0]:d.name_span[1]].text

    pos = doc_column(doc, "pos_")  # read once per document
    for tok in ctx.tokens:
        if ctx.claimed[tok.i] or pos[tok.i] != "PROPN" or not tok.text[:1].isupper() or \
                (tok.ent_type_ and tok.ent_type_ != "PERSON"):
            continue
        cands = [d for d in by.get(norm(tok.text), ()) if d.end <= tok.i]
        if len({d.code for d in cands}) != 1 or len({full_name(d) for d in cands}) != 1:
            continue  # no one, or two different people with this surname
        nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
        if nxt is not None and nxt.pos_ == "PROPN" and nxt.text[:1].isupper():
            continue  # part of another name
        d = cands[-1]
        ctx.claim(_copy(d, tok.i, tok.i + 1, f"surname→{full_name(d)}", (tok.i, tok.i + 1)))


def _code_name(ctx: Context, ent, person: bool) -> Draft | None:
    """Code one unclaimed name by the first rule of the module docstring that applies;
    the mention that holds a person's name, or None."""
    doc = ctx.doc
    key = "name:" + norm(ent[-1].text) if person else None
    span = (ent.start, ent.end) if person else None
    pre = _prefix(ctx, ent, org=not person)
    if pre is not None:  # the mention before the name is this person
        d, sector = pre
        ctx.extend(d, ent.end)
        if sector and d.country and not d.sector:
            d.code, d.sector = d.country + sector, sector
        elif d.country and not d.sector:
            d.code, d.sector = d.country + "CVL", "CVL"
        d.reason, d.basis = d.reason + "+name", Basis.DESCRIBED
        d.person_key, d.name_span = key, span
        return d
    by = _named_by(ctx, ent)
    if by is not None:
        d = Draft(ent.start, ent.end, by.code, by.country, by.sector, None,
                  "appositive-before+mention", 0.7, person_key=key, name_span=span,
                  basis=Basis.DESCRIBED)
        return d if ctx.claim(d) else None
    ap = _appositive(doc, ent.start, ent.end)
    got = _from_appositive(ctx, ap) if ap is not None else None
    if got is not None:
        code, iso3, sector, reason, conf = got
        if reason == "appositive+descriptor":  # an organisation the NER took for a person
            key = span = None
        d = Draft(ent.start, ent.end, code, iso3, sector, None, reason, conf, person_key=key,
                  name_span=span, basis=Basis.DESCRIBED)
        return d if ctx.claim(d) else None
    before = _descriptor_before(ctx, ent.start)
    if before is not None:
        start, sector, iso3, nat = before
        if nat is not None:
            ctx.release(nat)
        d = Draft(start, ent.end, (iso3 or "") + sector, iso3, sector, None,
                  "descriptor" + ("+nationality" if iso3 else ""), 0.7 if iso3 else 0.5,
                  basis=Basis.DESCRIBED)
        if not ctx.claim(d) and nat is not None:
            ctx.claim(nat)
        return None  # an organisation
    if not person:
        return None
    start = ent.start
    if start > 0 and norm(doc[start - 1].text).rstrip(".") in HONORIFICS and \
            not ctx.claimed[start - 1]:
        start -= 1
    elif sum(1 for t in ent if t.is_alpha) < 2 and not _lone_subject(ctx, ent):
        return None  # one capitalised word alone is as often a place or a thing
    if not _whole_name(doc, ent):
        return None
    if place_country(ctx.kb, tuple(norm(t.text) for t in ent), date=ctx.date) is not None:
        return None  # "Khan Younis": a town the gazetteer knows, that the tagger calls a person
    d = Draft(start, ent.end, "CVL", None, "CVL", None, "person-name-only", 0.3,
              person_key=key, name_span=span, basis=Basis.NAME_ONLY)
    return d if ctx.claim(d) else None
