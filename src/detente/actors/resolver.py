"""Resolve the actor mentions of one parsed article: ``resolve_doc(doc, id, date, kb)``.

Pure function over a spaCy Doc (tagger, parser and NER are used; nothing is
re-parsed). Passes, each claiming tokens so mentions never overlap:

Before the passes, date-dependent names are moved to the country they mean on the
article date (:mod:`.dated_names`: "Congolese" is COD since 1997).

1. named entities from the KB (people, IGOs, media, user actors), extended left
   over titles and nationality ("Russian Foreign Minister Sergei Lavrov");
1b. organisations missing from the KB, by the head noun of their name
   (:mod:`.orgnames`: "Nigerian Union of Teachers" -> NGALAB, "Third World Water
   Forum" -> NGO);
2. people missing from the KB but titled with a nationality ("South Korean
   President Park Gyeun-Hye" -> KORGOV, reason title+demonym);
2b. ethnic and national groups by their country of residence (:mod:`.ethnic`:
   "Bosnian Serbs" -> BIH, "ethnic Turks ... Sweden's decision" -> SWE);
3. countries, demonyms, capitals and seats of power, extended right over role
   nouns ("Russia's armed forces chief of staff" -> RUSMIL, "North Korean
   defectors" -> PRKREF); capitals and seats only when they are not an adverbial
   of place ("in Seoul", datelines);
4. in-article short references (:mod:`.coref`): "the North"/"the South", surnames,
   epithets ("the marshal"), pronouns with one unambiguous antecedent;
5. people by title and surname or title alone (:mod:`.names`): "President Obama",
   "Putin" (a surname unique to one leader), "President Levy Mwanawasa" with the
   sentence's only country;
6. generic agents (:mod:`.agents`): "police in Kiev" -> UKRCOP, "gunmen" -> UAF, with
   the country from a locative or the single country of the sentence, else none.
"""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass, replace

from spacy.attrs import IS_TITLE

from ..types import ActorMention
from .dated_names import redate_matches
from .kb import KB, Entry, norm
from .matching import Match, RoleMatch, dateline_ranges, find_matches, find_roles, token_keys
from .tenure import role_at
from .userfile import user_reason

LOCATIVE_PREPS = frozenset({"in", "at", "near", "inside", "outside", "around", "within",
                            "throughout", "across", "into", "onto", "via", "along", "beyond",
                            "outside", "off", "above", "below", "under"})
TITLE_MODIFIERS = frozenset({"current", "former", "late", "then", "ex", "incoming", "outgoing",
                             "new", "acting", "interim", "de", "facto", "first", "deputy", "vice",
                             "senior", "top", "chief", "young", "veteran", "longtime", "also"})
FORMER = frozenset({"former", "late", "ex", "then", "erstwhile"})
NAMED_KINDS = ("person", "actor", "group", "agency", "igo", "ngo", "media", "bloc")
KIND_REASON = {"igo": "igo", "ngo": "ngo", "bloc": "bloc", "group": "armed-group", "agency": "state-agency"}
# role nouns after an organisation's name that stay the organisation ("Taliban fighters",
# "Hamas leaders", "FBI agents")
MEMBER_SECTORS = frozenset({"REB", "INS", "UAF", "SEP", "MIL", "GOV", "COP", "SPY", "HLH", "NGO"})


@dataclass
class Draft:
    """A mention under construction (token span, resolution, explanation)."""

    start: int
    end: int
    code: str
    country: str | None
    sector: str | None
    kb_id: str | None
    reason: str
    confidence: float = 1.0
    person_key: str | None = None  # identity of a person mention (kb_id or name)
    name_span: tuple[int, int] | None = None  # the name part of a person mention


class Context:
    """Everything the passes share for one Doc."""

    def __init__(self, doc, kb: KB, date: dt.date | None):
        self.doc, self.kb, self.date = doc, kb, date
        keys = token_keys(doc)
        self.keys = keys
        self.matches = find_matches(doc, kb, keys)
        self.matches += misspelt_countries(doc, kb, self.matches, keys)
        self.matches.sort(key=lambda m: m.start)
        self.matches = redate_matches(doc, kb, self.matches, date)
        self.roles = find_roles(doc, kb, keys)
        self.role_at_start = {r.start: r for r in self.roles}
        self.role_at_end = {r.end: r for r in self.roles}
        self.match_at_start = {m.start: m for m in self.matches}
        self.match_at_end = {m.end: m for m in self.matches}
        self.claimed = bytearray(len(doc))
        for m in self.matches:  # user "do not code" names (PETRARCH [---]) stay unresolved
            if m.kind == "ignore":
                self.claimed[m.start:m.end] = b"\x01" * (m.end - m.start)
        self.drafts: list[Draft] = []
        self.person_ents = [e for e in doc.ents if e.label_ == "PERSON"]
        self.place_cache: dict[int, str] | None = None  # gazetteer index, built on first use
        ranges = dateline_ranges(doc.text)
        self.dateline = bytearray(len(doc))
        for a, b in ranges:
            for tok in doc.char_span(a, b, alignment_mode="expand") or ():
                self.dateline[tok.i] = 1

    def free(self, start: int, end: int) -> bool:
        return not any(self.claimed[start:end])

    def add(self, d: Draft) -> bool:
        if d.start >= d.end or not self.free(d.start, d.end):
            return False
        for i in range(d.start, d.end):
            self.claimed[i] = 1
        self.drafts.append(d)
        return True


def misspelt_countries(doc, kb: KB, matches: list[Match], keys) -> list[Match]:
    """Country names one typo away from a KB name ("Ethopia", "Quatar's emir"), as
    matches of the country entry marked ``note="misspelt"``."""
    taken = {i for m in matches for i in range(m.start, m.end)}
    title = doc.to_array([IS_TITLE])  # one C call; building spaCy tokens is the costly part
    out = []
    for i, key, _ in keys:
        if len(key) < 6 or not title[i] or i in taken or key in kb.first_keys:
            continue
        iso3 = kb.misspelt_country(key)
        tok = doc[i] if iso3 else None
        if tok is None or tok.pos_ != "PROPN" or not tok.text[:1].isupper() or \
                tok.ent_type_ == "PERSON":
            continue
        nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
        if nxt is not None and nxt.pos_ == "PROPN" and nxt.text[:1].isupper():
            continue  # a word of a longer name: "Liberal Renewal Party" is not Liberia
        if iso3:
            e = next((e for e in kb.aliases.get((norm(kb.countries[iso3].name),), ())
                      if e.kind == "country"), None) or Entry(f"C:{iso3}", "country", iso3,
                                                              iso3, None, iso3)
            out.append(Match(tok.i, tok.i + 1, (replace(e, note="misspelt"),)))
    return out


# --- resolution of KB entries -------------------------------------------------------------

def entity_code(kb: KB, entry: Entry, date: dt.date | None) -> tuple[Entry, str, str | None,
                                                                      str | None, str, float]:
    """(row, code, country, sector, reason, confidence) of an entity on ``date``
    (see :func:`.tenure.role_at`)."""
    r = role_at(kb, entry.kb_id, date)
    if r is None:
        return entry, entry.code, entry.country, entry.sector, \
            entry.kind if entry.kind != "actor" else "kb", 1.0
    return r.row, r.code, r.country, r.sector, r.reason, r.confidence


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


# --- left extension: titles and nationality before a name ----------------------------------

def extend_left(ctx: Context, start: int) -> tuple[int, RoleMatch | None, str | None, bool]:
    """Walk left over "[Nationality|Country's] [modifiers] [Title]" before a name.

    Returns (new start, title role or None, country ISO3 or None, former?)."""
    doc, p = ctx.doc, start
    title: RoleMatch | None = None
    country: str | None = None
    former = False
    while p > 0 and not ctx.claimed[p - 1]:
        q = p
        while q > 1 and doc[q - 1].is_space and "\n" not in doc[q - 1].text:
            q -= 1  # non-breaking spaces between a title and a name
        if q != p and (q in ctx.role_at_end or q in ctx.match_at_end):
            p = q
        r = ctx.role_at_end.get(p)
        prev = doc[p - 1]
        if r is not None and not any(ctx.claimed[r.start:r.end]):
            title = title or r
            p = r.start
            continue
        if prev.lower_ in TITLE_MODIFIERS and prev.pos_ in ("ADJ", "ADV", "NOUN", "PROPN", "X"):
            former = former or prev.lower_ in FORMER
            p -= 1
            continue
        if prev.text == "-" and p >= 2 and doc[p - 2].lower_ in ("ex", "then"):
            former = True
            p -= 2
            continue
        m = ctx.match_at_end.get(p)
        if m is not None and m.kind in ("demonym", "country"):
            m = _residence_of(ctx, m) or m  # "Bosnian Serb leader X": Bosnia's
            country, p = m.entries[0].country, m.start
            break
        if prev.lower_ in ("'s", "’s") and p >= 2:
            m = ctx.match_at_end.get(p - 1)
            if m is not None and m.kind in ("country", "capital", "seat"):
                country, p = m.entries[0].country, m.start
                break
        break
    if title is None and country is None:
        return start, None, None, former
    return p, title, country, former


def _residence_of(ctx: Context, m: Match) -> Match | None:
    """The country match right before an ethnic word ("Bosnian" before "Serb"), see
    :mod:`.ethnic` rule 1."""
    lex = ctx.kb.ethnic
    if lex is None or m.end - m.start != 1 or not lex.residence_word(norm(ctx.doc[m.start].text)):
        return None
    prev = ctx.match_at_end.get(m.start)
    if prev is not None and prev.kind in ("demonym", "country") and \
            ctx.doc[m.start - 1].whitespace_ and ctx.free(prev.start, prev.end):
        return prev
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


def role_after(ctx: Context, j: int, limit: int = 6) -> tuple[int, RoleMatch] | None:
    """The last role phrase in the noun-phrase tail starting at token ``j``.

    "armed forces chief of staff" -> MIL; "Navy ship" -> Navy (MIL); "state press"
    -> MED. Scanning stops at tokens that cannot continue a noun phrase."""
    doc = ctx.doc
    best = None
    p = j
    end = min(len(doc), j + limit)
    while p < end:
        if ctx.claimed[p]:
            break
        r = ctx.role_at_start.get(p)
        if r is not None:
            best = (r.end, r)
            p = r.end
            continue
        tok = doc[p]
        if tok.is_space and "\n" not in tok.text:
            p += 1
            continue
        if tok.pos_ in ("CCONJ", "PUNCT") and tok.text in ("and", ",") and p + 1 < end and \
                doc[p + 1].pos_ == "ADJ" and p > j and doc[p - 1].pos_ == "ADJ":
            p += 1  # "diminutive and psychotic leader"
            continue
        if tok.pos_ in ("ADJ", "NOUN", "PROPN", "NUM") or tok.text in ("-",) or \
                tok.lower_ == "state":
            if tok.ent_type_ == "PERSON" or p in ctx.match_at_start:
                break
            p += 1
            continue
        break
    return best


# --- passes ----------------------------------------------------------------------------------

def _inside_person(doc, start: int, end: int) -> bool:
    """True if tokens [start, end) are part of a longer PERSON entity."""
    return (start > 0 and doc[start].ent_iob_ == "I" and doc[start].ent_type_ == "PERSON") or \
        (end < len(doc) and doc[end].ent_iob_ == "I" and doc[end].ent_type_ == "PERSON")


def pass_named(ctx: Context, seen: dict[str, int]) -> None:
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
            if _locative(root) or (root.dep_ == "compound" and root.head.i >= m.end):
                continue  # "in Europe", "the Middle East peace process": places
        if entry.kind in ("group", "agency", "ngo") and _inside_person(ctx.doc, m.start, m.end):
            continue  # "Richard Wagner", "Wagner Rossi": a name, not the group
        if entry.kind == "actor" and len(entry.code) == 3:
            root = ctx.doc[m.start:m.end].root  # imported country aliases include cities
            if root.ent_type_ in ("GPE", "LOC", "FAC") and _locative(root):
                continue
        row, code, country, sector, reason, conf = entity_code(ctx.kb, entry, ctx.date)
        name_start = m.start
        if row.kind == "person":
            name_start = _name_start(ctx, m)
        start, title, tcountry, former = extend_left(ctx, name_start)
        if row.kind == "agency" and tcountry and tcountry != country:
            continue  # "Kenya's National Intelligence Service" is not South Korea's
        if row.kind == "media":
            reason = "state-media" if row.note.split(";")[0].strip() == "state" else "media"
        elif row.kind in KIND_REASON:
            reason = KIND_REASON[row.kind]
        if former and sector not in ("ELI",) and row.kind == "person" and country and \
                "outside" not in reason and ctx.date is None:
            code, sector, reason = country + "ELI", "ELI", "eli:former-title"
        key = entry.kb_id if row.kind == "person" else None
        d = Draft(start, m.end, code, country, sector, entry.kb_id, reason, conf,
                  person_key=key, name_span=(name_start, m.end) if key else None)
        added = ctx.add(d)
        if added and row.kind in ("group", "agency", "ngo"):
            tail = role_after(ctx, m.end, limit=2)
            if tail and tail[1].start == m.end and tail[1].sector in MEMBER_SECTORS:
                ctx.drafts.pop()
                for i in range(d.start, d.end):
                    ctx.claimed[i] = 0
                ctx.add(Draft(d.start, tail[0], code, country, sector, entry.kb_id,
                              reason + "+member", conf * 0.95))
        if added and key:
            seen[key] = m.start
            # "the Kim regime": a person name modifying a role noun
            tail = role_after(ctx, m.end, limit=2)
            if tail and country and tail[1].start == m.end and not tail[1].title:
                ctx.drafts.pop()
                for i in range(d.start, d.end):
                    ctx.claimed[i] = 0
                ctx.add(Draft(d.start, tail[0], country + tail[1].sector, country,
                              tail[1].sector, entry.kb_id, "person+role", 0.8))


def pass_titled_people(ctx: Context) -> None:
    """PERSON entities missing from the KB but titled with a nationality."""
    for ent in ctx.person_ents:
        if not ctx.free(ent.start, ent.end) or ctx.dateline[ent.start]:
            continue
        start, title, country, former = extend_left(ctx, ent.start)
        if country is None:
            continue
        if title is not None and not former:
            sector = title.sector
            reason = "title+demonym"
            conf = 0.9
        else:
            sector = "ELI" if former else None
            reason = "former+demonym" if former else "possessor-country"
            conf = 0.6
        code = country + (sector or "")
        ctx.add(Draft(start, ent.end, code, country, sector, None, reason, conf,
                      person_key="name:" + ent[-1].lower_, name_span=(ent.start, ent.end)))


def _locative(tok) -> bool:
    """True if ``tok`` heads an adverbial of place ("in Seoul", "at the White House")."""
    while tok.dep_ == "conj" and tok.head is not tok:
        tok = tok.head
    if tok.dep_ == "pobj" and tok.head.lower_ in LOCATIVE_PREPS:
        return True
    return tok.dep_ in ("npadvmod",) and tok.ent_type_ == "GPE" and tok.i == tok.sent.start


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
    added = ctx.add(Draft(r.start, m.end, e.country + r.sector, e.country, r.sector, e.kb_id,
                          "role-of-country", 0.9))
    if added and ctx.doc[r.start:r.end].root.tag_ in ("NNS", "NNPS"):
        _conj_of_country(ctx, m, r.sector)  # "the ambassadors of A, B and C"
    return added


def _conj_of_country(ctx: Context, m: Match, sector: str) -> None:
    """Countries conjoined to the object of a plural role noun share the role."""
    root = ctx.doc[m.start:m.end].root
    for tok in root.conjuncts:
        o = ctx.match_at_start.get(tok.i) or next(
            (x for x in ctx.matches if x.start <= tok.i < x.end), None)
        if o is None or o.kind != "country" or not ctx.free(o.start, o.end) or tok.i < m.end:
            continue
        c = o.entries[0]
        ctx.add(Draft(o.start, o.end, c.country + sector, c.country, sector, c.kb_id,
                      "role-of-country+conj", 0.85))


# successor states whose capital was the predecessor's seat of government: "Moscow" in
# 1985 is the Soviet government, "Belgrade" in 1995 the Yugoslav one; any other capital
# of a state that did not exist yet (Juba in 1988, Kiev in 1985) stands for no government
_SHARED_SEATS = frozenset({("RUS", "USR"), ("SRB", "YUG")})


def _dated_seat(ctx: Context, code: str, iso3: str) -> tuple[str | None, str]:
    """(code, country) of a capital metonym at the article date (see _SHARED_SEATS)."""
    if ctx.date is None or not iso3:
        return code, iso3
    from .places import gazetteer  # the dated-sovereignty rules live with the gazetteer

    state = gazetteer(ctx.kb).sovereign(iso3, "", ctx.date)
    if state == iso3:
        return code, iso3
    if (iso3, state) in _SHARED_SEATS:
        return state + code[len(iso3):], state
    return None, iso3


def pass_places(ctx: Context) -> None:
    """Countries, demonyms, capitals and seats, with role nouns after them."""
    doc = ctx.doc
    for m in ctx.matches:
        if m.kind not in ("country", "demonym", "capital", "seat") or ctx.dateline[m.start]:
            continue
        if not ctx.free(m.start, m.end):
            continue
        e = m.entries[0]
        iso3 = e.country
        root = _root(doc, m.start, m.end)
        if root.ent_type_ == "PERSON" and m.kind == "capital" and e.kb_id not in ctx.kb.user_sources:
            continue  # "Washington" the person (NER tags of a user's invented names are noise)
        if _role_of_country(ctx, m, e):
            continue
        j = m.end
        poss = j < len(doc) and doc[j].lower_ in ("'s", "’s")
        tail = role_after(ctx, j + 1 if poss else j)
        if tail is not None and (poss or root.dep_ in ("amod", "compound", "nmod") or
                                 root.head.i >= tail[1].start):
            sector = tail[1].sector
            how = {"country": "country", "demonym": "demonym"}.get(m.kind, "capital")
            reason = f"{how}{'-possessive' if poss else ''}+role"
            if e.note == "misspelt":
                reason += "(misspelt)"
            ctx.add(Draft(m.start, tail[0], iso3 + sector, iso3, sector, e.kb_id, reason, 0.95))
            continue
        if m.kind in ("capital", "seat"):
            if _locative(root):
                continue
            if root.dep_ == "compound" and root.head.i >= m.end and not poss:
                continue  # "the Beijing Olympics": a city name as a modifier
            reason = "capital-metonym" if m.kind == "capital" else "seat-of-power"
            code, iso3 = _dated_seat(ctx, e.code, iso3)
            if code is None:
                continue  # "Juba" in 1988: a provincial town then, no government's seat
            if iso3 != e.country:
                reason += "+predecessor"
            ctx.add(Draft(m.start, m.end, code, iso3, e.sector, e.kb_id, reason, 0.95))
        elif m.kind == "country":
            loc = _locative(root)
            reason = "country(locative)" if loc else "country"
            if e.note == "misspelt":
                reason += "(misspelt)"
            ctx.add(Draft(m.start, m.end, e.code, iso3, None, e.kb_id, reason,
                          (0.5 if loc else 1.0) * (0.7 if e.note == "misspelt" else 1.0)))
        else:  # demonym
            if root.dep_ in ("amod", "compound", "nmod") and root.head.i > root.i:
                reason, conf = "demonym-modifier", 0.7
            else:
                reason, conf = "demonym-noun", 0.9
            ctx.add(Draft(m.start, m.end, e.code, iso3, None, e.kb_id, reason, conf))


# --- public ------------------------------------------------------------------------------------

def resolve_doc(doc, article_id: str, article_date: dt.date | None, kb: KB) -> list[ActorMention]:
    """All actor mentions of one article, sorted by offset, non-overlapping."""
    from .agents import pass_agents
    from .coref import pass_short_refs
    from .ethnic import pass_ethnic
    from .names import pass_names
    from .orgnames import pass_unknown_orgs
    from .place_rules import pass_place_actors

    ctx = Context(doc, kb, article_date)
    seen: dict[str, int] = {}
    pass_named(ctx, seen)
    pass_unknown_orgs(ctx)
    pass_titled_people(ctx)
    pass_ethnic(ctx)
    pass_places(ctx)
    pass_short_refs(ctx)
    pass_names(ctx)
    pass_place_actors(ctx)
    pass_agents(ctx)
    out = []
    for d in sorted(ctx.drafts, key=lambda x: x.start):
        span = doc[d.start:d.end]
        sent = doc[d.start].sent
        out.append(ActorMention(
            article_id=article_id, text=span.text, start=span.start_char, end=span.end_char,
            code=d.code, country=d.country, sector=d.sector, kb_id=d.kb_id,
            reason=user_reason(kb, d.kb_id, d.reason) if kb.user_sources else d.reason,
            sentence_start=sent.start_char, sentence_end=sent.end_char,
            confidence=round(d.confidence, 3)))
    return out


def actor_at(doc, token_index: int, mentions: list[ActorMention]) -> ActorMention | None:
    """The mention covering token ``token_index`` of ``doc`` (mentions sorted by start)."""
    tok = doc[token_index]
    starts = [m.start for m in mentions]
    k = bisect.bisect_right(starts, tok.idx) - 1
    if k >= 0 and mentions[k].start <= tok.idx < mentions[k].end:
        return mentions[k]
    return None
