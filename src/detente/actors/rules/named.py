"""Rules ``named`` and ``titled_people``: KB entities and titled people.

``named``: named entities from the KB (people, IGOs, media, companies, user actors),
extended left over titles and nationality ("Russian Foreign Minister Sergei Lavrov"); an
organisation followed by a member noun stays the organisation ("Taliban
fighters"), a person name modifying a role noun is the state ("the Kim regime").
Companies pass the guards of :func:`company_ok` first (dates, product names, and for
names that are ordinary words or places, "Apple", "Shell", "Amazon", the context).

``titled_people``: people missing from the KB but titled with a nationality
("South Korean President Park Gyeun-Hye" -> KORGOV, reason title+demonym).
"""

from __future__ import annotations

from ..doc.context import Basis, Context, Draft, extend_left, role_after
from ..doc.matching import Match
from ..doc.syntax import inside_person, locative
from ..kb.keys import norm
from ..kb.model import Entry
from ..kb.places import gazetteer
from ..kb.tenure import company_code, entity_code
from .registry import rule

NAMED_KINDS = ("person", "actor", "group", "agency", "igo", "ngo", "media", "company", "bloc")
KIND_REASON = {"igo": "igo", "ngo": "ngo", "bloc": "bloc", "group": "armed-group", "agency": "state-agency",
               "company": "company"}
KIND_BASIS = {"person": Basis.PERSON, "igo": Basis.INTERNATIONAL, "bloc": Basis.INTERNATIONAL,
              "group": Basis.ARMED_GROUP}
# role nouns after an organisation's name that stay the organisation ("Taliban fighters",
# "Hamas leaders", "FBI agents")
MEMBER_SECTORS = frozenset({"REB", "INS", "UAF", "SEP", "MIL", "GOV", "COP", "SPY", "HLH", "NGO"})
# "Gazprom executives", "Huawei bankers": people of a company stay the company
COMPANY_MEMBER_SECTORS = frozenset({"BUS"})
# words before a name that make an ambiguous one a common noun or a place ("the Amazon")
_DETERMINERS = frozenset({"the", "a", "an", "this", "that", "these", "those", "its", "their", "his",
                          "her", "our", "my", "your", "some", "no", "every", "each"})
# capitalised words that may follow an ambiguous company name without making it part of
# another name ("Apple CEO Tim Cook", "Shell Chief Executive ...", "Amazon Inc"); any other
# capitalised word makes it one ("Orange Revolution", "Apple Daily", "Amazon River")
_COMPANY_NEXT = frozenset({"ceo", "cfo", "coo", "chief", "chairman", "chairwoman", "president",
                           "founder", "boss", "inc", "corp", "corporation", "co", "ltd", "plc", "sa",
                           "ag", "se", "nv", "llc", "group", "holdings", "'s", "'"})
# prepositions before an online platform that make it the medium ("wrote on Twitter")
_MEDIUM_PREPS = frozenset({"on", "via", "through", "over", "across"})
# what may open a sentence-like stretch, where a capital proves nothing
_OPENERS = frozenset({'"', "“", "'", "‘", ":", "(", "—", "–"})
# entity labels that say an ambiguous name is something else here ("the Amazon" LOC)
_NOT_COMPANY_ENTS = frozenset({"LOC", "GPE", "FAC", "PRODUCT", "WORK_OF_ART", "EVENT", "NORP",
                               "PERSON", "LANGUAGE"})
# for organisations the parser's GPE and NORP labels prove nothing ("the Quad" GPE)
_NOT_ORG_ENTS = frozenset({"LOC", "FAC", "PRODUCT", "WORK_OF_ART", "EVENT", "PERSON", "LANGUAGE"})


_NUMBER_WORDS = frozenset({"million", "billion", "trillion", "thousand", "percent", "per", "%", "bn",
                           "m", "mn", "tonnes", "tons", "barrels", "jobs", "workers", "employees"})


def _product_after(doc, end: int) -> bool:
    """A model designation after the name: "Boeing 737", "Airbus A320", "Lockheed F-35"
    (letters and digits, or a bare number of three digits or more that counts nothing:
    "fined Apple 13 billion euros" is no product)."""
    if end >= len(doc):
        return False
    tok = doc[end]
    if tok.ent_type_ in ("DATE", "TIME", "MONEY", "PERCENT", "QUANTITY"):
        return False
    if any(c.isdigit() for c in tok.text) and any(c.isalpha() for c in tok.text):
        return True
    if tok.text.isdigit() and len(tok.text) >= 3:
        nxt = doc[end + 1] if end + 1 < len(doc) else None
        return nxt is None or nxt.lower_ not in _NUMBER_WORDS
    return False


def company_ok(ctx: Context, m: Match, entry: Entry) -> bool:
    """May this company match stand for the company? Hand-written because the guards read
    the parse and the KB together (no matcher library knows both):

    * a name not yet in use on the article date is not the company ("Meta" before
      2021-10-28; rows with a ``start``; an end date never blocks: a defunct company is
      still named in the news);
    * a model number after it is a product ("Boeing 737", "Airbus A320");
    * a name inside a longer person name is the person ("Nikola Tesla");
    * an online platform after "on", "via", "through" is the medium ("wrote on Twitter");
    * names that are also ordinary words or places (``kb.guarded``: "Apple", "Shell",
      "Amazon", "Total", "Orange") further need: no determiner before ("the Amazon"), no
      place adverbial ("in Santander"), no title before ("President Meta"), no other
      capitalised word after ("Orange Revolution", "Apple Daily"; a title such as "CEO"
      or a legal suffix is fine), no other proper noun before ("Nikola Tesla" when the
      NER misses the person), no NER label saying it is a place, product or person,
      and at the start of a sentence (where a capital proves nothing: "Shell fire hit the
      school") an ORG label on a name that modifies no noun, or the same name
      capitalised elsewhere in the text, mid-sentence. A name written in capitals
      ("SWIFT") is no ordinary word and skips these."""
    doc = ctx.doc
    if entry.start and ctx.date and ctx.date < entry.start:
        return False
    if _product_after(doc, m.end) or inside_person(doc, m.start, m.end):
        return False
    key = tuple(norm(doc[i].text) for i in range(m.start, m.end))
    root = doc[m.start:m.end].root
    if key in ctx.kb.platforms and root.dep_ == "pobj" and root.head.lower_ in _MEDIUM_PREPS:
        return False  # "wrote on Twitter", "a video posted via Telegram": the medium
    return ambiguous_ok(ctx, m, key)


def ambiguous_ok(ctx: Context, m: Match, key: tuple[str, ...], allow_the: bool = False) -> bool:
    """The context guards of :func:`company_ok` for a name that is also an ordinary word,
    a place or a person's name (``kb.guarded``); True for any other name. Organisations
    (``orgs.csv``: "CARE", "Quad", "Memorial", "Caritas", "Bloomberg") call it with
    ``allow_the``, since "the Quad" is how the news names the group."""
    doc = ctx.doc
    root = doc[m.start:m.end].root
    if key not in ctx.kb.guarded or all(doc[i].text.isupper() and len(doc[i].text) > 1
                                         for i in range(m.start, m.end)):
        return True  # capitals ("SWIFT") are no ordinary word
    first = doc[m.start]
    if m.start > 0 and doc[m.start - 1].lower_ in _DETERMINERS and \
            not (allow_the and doc[m.start - 1].lower_ == "the"):
        return False
    title = ctx.role_at_end.get(m.start)
    if title is not None and title.title:
        return False  # "President Meta" (Ilir Meta): a titled surname
    if locative(root):
        return False
    if m.end < len(doc):
        nxt = doc[m.end]
        if nxt.text[:1].isupper() and nxt.is_alpha and nxt.lower_ not in _COMPANY_NEXT and \
                nxt.lower_ not in ctx.kb.role_first and not nxt.is_sent_start:
            return False
    if allow_the:
        if first.ent_type_ in _NOT_ORG_ENTS - {"PERSON"} or _a_persons_name(ctx, m, key):
            return False
    elif first.ent_type_ in _NOT_COMPANY_ENTS:
        return False
    if m.start > 0 and not first.is_sent_start:
        prev = doc[m.start - 1]
        if prev.pos_ == "PROPN" and prev.is_alpha and prev.text[:1].isupper() and \
                not ctx.claimed[m.start - 1] and m.start not in ctx.match_at_end:
            return False  # "Nikola Tesla": the end of another name
    if first.is_sent_start or (m.start > 0 and doc[m.start - 1].text in _OPENERS):
        if any(t.text == first.text and t.i != first.i and not t.is_sent_start and
               (t.i == 0 or doc[t.i - 1].lower_ not in _DETERMINERS) for t in doc):
            return True  # the text names it mid-sentence too
        modifier = root.dep_ == "compound" and root.head.i >= m.end and \
            doc[m.end].lower_ not in _COMPANY_NEXT and doc[m.end].lower_ not in ctx.kb.role_first
        return first.ent_type_ == "ORG" and not modifier  # "Shell fire hit ...": a modifier
    return True


def _a_persons_name(ctx: Context, m: Match, key: tuple[str, ...]) -> bool:
    """Is this organisation's name someone's name here: the last word of a longer PERSON
    name in the text ("Michael Bloomberg ... Bloomberg said"), or a KB surname the parser
    labels PERSON? The small parser labels many organisations PERSON or GPE ("Russia
    banned Memorial", "the Quad"), so for an organisation the label alone proves nothing."""
    if any(len(ent) > 1 and norm(ent[-1].text) == key[-1] for ent in ctx.person_ents):
        return True
    return ctx.doc[m.start].ent_type_ == "PERSON" and len(key) == 1 and key[0] in ctx.kb.surnames


def _pick_person(ctx: Context, m: Match, seen: dict[str, int]) -> Entry | None:
    """One entity for a match; ambiguous aliases ("Kim") need context."""
    ids: dict[str, Entry] = {}
    for e in m.entries:
        if e.kind in NAMED_KINDS:
            ids.setdefault(e.kb_id, e)
    if len(ids) <= 1:
        return next(iter(ids.values()), None)
    mentioned = [k for k in ids if k in seen]
    if mentioned:
        return ids[max(mentioned, key=lambda k: seen[k])]
    if ctx.date:
        live = [e for k, e in ids.items()
                if any(r.covers(ctx.date) and (r.start or r.end) for r in ctx.kb.by_id.get(k, ()))]
        if len(live) == 1:
            return live[0]
    return None


def _name_start(ctx: Context, m: Match) -> int:
    """Start of the PERSON entity around a KB name match ("Vladmir Putin" around "Putin")."""
    tok = ctx.doc[m.start]
    if tok.ent_type_ != "PERSON" or tok.ent_iob_ == "B":
        return m.start
    p = m.start
    while p > 0 and ctx.doc[p - 1].ent_type_ == "PERSON" and ctx.doc[p - 1].pos_ == "PROPN" \
            and not ctx.claimed[p - 1] and p not in ctx.role_at_end:
        p -= 1
        if ctx.doc[p].ent_iob_ == "B":
            break
    return p


# entity types of a named place an armed group's name can be part of ("the Sea of Azov")
_PLACE_ENTS = frozenset({"LOC", "FAC"})


def _place_reading(ctx: Context, m: Match) -> bool:
    """True if a group whose name is also a place ("Azov", "Fano", "Badr") is the place
    here: inside a longer place name ("the Sea of Azov", "the Azov Sea") or heading an
    adverbial of place ("a festival in Fano"). Groups named like no place are never
    dropped by this (no gazetteer lookup can tell a militia from its namesake, so the
    parse decides)."""
    doc = ctx.doc
    if " ".join(norm(t.text) for t in doc[m.start:m.end]) not in gazetteer(ctx.kb).names:
        return False
    if (doc[m.start].ent_iob_ == "I" and doc[m.start].ent_type_ in _PLACE_ENTS) or \
            (m.end < len(doc) and doc[m.end].ent_iob_ == "I" and doc[m.end].ent_type_ in _PLACE_ENTS):
        return True
    if m.end < len(doc) and doc[m.end].lower_ == "sea" or \
            m.start >= 2 and doc[m.start - 1].lower_ == "of" and doc[m.start - 2].lower_ == "sea":
        return True
    return locative(doc[m.start:m.end].root)


@rule("named")
def pass_named(ctx: Context) -> None:
    """KB entities, extended left over titles and nationality."""
    seen = ctx.seen_people
    for m in ctx.matches:
        if m.kind not in NAMED_KINDS or ctx.dateline[m.start]:
            continue
        if m.kind == "bloc" and len(m.entries[0].name.split()) <= 2 and m.end - m.start == 1 \
                and not m.entries[0].note.startswith("CAMEO region"):
            if m.start == 0 or ctx.doc[m.start - 1].lower_ != "the":
                continue  # "West" alone is a direction or a name part; "the West" is the bloc
        entry = _pick_person(ctx, m, seen)
        if entry is None:
            continue
        if entry.kind == "bloc" and entry.note.startswith("CAMEO region"):
            root = ctx.doc[m.start:m.end].root
            if locative(root) or (root.dep_ == "compound" and root.head.i >= m.end):
                continue  # "in Europe", "the Middle East peace process": places
        if entry.kind in ("group", "agency", "ngo") and inside_person(ctx.doc, m.start, m.end):
            continue  # "Richard Wagner", "Wagner Rossi": a name, not the group
        if entry.kind == "company" and not company_ok(ctx, m, entry):
            continue
        if entry.kind in ("igo", "ngo", "media", "bloc") and not ambiguous_ok(
                ctx, m, tuple(norm(ctx.doc[i].text) for i in range(m.start, m.end)), allow_the=True):
            continue  # "Care must be taken", "Memorial Day", "Michael Bloomberg"
        if entry.kind == "group" and _place_reading(ctx, m):
            continue  # "the Sea of Azov", "in Fano": the place, not the militia
        if entry.kind == "actor" and len(entry.code) == 3:
            root = ctx.doc[m.start:m.end].root  # imported country aliases include cities
            if root.ent_type_ in ("GPE", "LOC", "FAC") and locative(root):
                continue
        if entry.kind == "company":  # a company's rows differ only in names; its home by date
            home = company_code(ctx.kb, entry.kb_id, ctx.date)
            row, code, country, sector, reason, conf = entry, (home or entry).code, \
                (home or entry).country, entry.sector, "company", 1.0
        else:
            row, code, country, sector, reason, conf = entity_code(ctx.kb, entry, ctx.date)
        name_start = m.start
        if row.kind == "person":
            name_start = _name_start(ctx, m)
        start, title, tcountry, former = extend_left(ctx, name_start)
        if row.kind in ("igo", "bloc"):
            # "Sweden's NATO bid", "Ukraine's EU accession": the country owns what follows,
            # not the organisation, and stays a mention of its own
            start = name_start
        if row.kind == "agency" and tcountry and tcountry != country:
            continue  # "Kenya's National Intelligence Service" is not South Korea's
        if row.kind == "media":
            reason = "state-media" if row.note.split(";")[0].strip() == "state" else "media"
        elif row.kind in KIND_REASON:
            reason = KIND_REASON[row.kind]
        if row.kind == "company" and country != entry.country:
            reason += f"(home@{ctx.date})"  # a dated home (company_homes.csv)
        basis = KIND_BASIS.get(row.kind, Basis.KB_ENTITY)
        # undated text: "former President X" is no longer in office (with a date, the
        # person's tenure decides)
        if former and sector not in ("ELI",) and row.kind == "person" and country and \
                ctx.date is None:
            code, sector, reason, basis = country + "ELI", "ELI", "eli:former-title", Basis.FORMER_TITLE
        key = entry.kb_id if row.kind == "person" else None
        d = Draft(start, m.end, code, country, sector, entry.kb_id, reason, conf,
                  person_key=key, name_span=(name_start, m.end) if key else None, basis=basis)
        added = ctx.claim(d)
        if added and row.kind in ("group", "agency", "ngo", "company"):
            # (after the group's possessive too: "the Taliban's supreme leader")
            poss = m.end < len(ctx.doc) and ctx.doc[m.end].lower_ in ("'s", "’s")
            after = m.end + 1 if poss else m.end
            tail = role_after(ctx, after, limit=2)
            members = COMPANY_MEMBER_SECTORS if row.kind == "company" else MEMBER_SECTORS
            # (one modifier between: "a FARC *dissident* commander", "a Hamas *military* commander")
            gap = range(after, tail[1].start) if tail else range(0)
            if tail and len(gap) <= 1 and all(ctx.doc[k].dep_ in ("amod", "compound") for k in gap) \
                    and tail[1].sector in members:
                ctx.replace(d, Draft(d.start, tail[0], code, country, sector, entry.kb_id,
                                     reason + "+member", conf * 0.95, basis=basis))
        if added and key:
            seen[key] = m.start
            # "the Kim regime": a person name modifying a role noun
            tail = role_after(ctx, m.end, limit=2)
            if tail and country and tail[1].start == m.end and not tail[1].title:
                ctx.replace(d, Draft(d.start, tail[0], country + tail[1].sector, country,
                                     tail[1].sector, entry.kb_id, "person+role", 0.8,
                                     basis=Basis.ROLE_NOUN))


@rule("titled_people", after="unknown_orgs")
def pass_titled_people(ctx: Context) -> None:
    """PERSON entities missing from the KB but titled with a nationality."""
    seats = [(m.start, m.end) for m in ctx.matches if m.kind == "seat"]
    for ent in ctx.person_ents:
        if not ctx.free(ent.start, ent.end) or ctx.dateline[ent.start]:
            continue
        start, title, country, former = extend_left(ctx, ent.start)
        if country is None:
            continue
        if any(a <= ent.start and ent.end <= b for a, b in seats):
            continue  # "Russia's *Duma*", "India's *Lok Sabha*": a seat of power the NER calls a person
        if title is None and not former and len(ent) == 1 and norm(ent[0].text) in ctx.kb.surnames:
            continue  # "Russia's Putin": a leader's surname, for the surname rule
        if title is not None and not former:
            sector = title.sector
            reason = "title+demonym"
            conf = 0.9
        else:
            sector = "ELI" if former else None
            reason = "former+demonym" if former else "possessor-country"
            conf = 0.6
        code = country + (sector or "")
        ctx.claim(Draft(start, ent.end, code, country, sector, None, reason, conf,
                      person_key="name:" + ent[-1].lower_, name_span=(ent.start, ent.end),
                      basis=Basis.TITLE))
