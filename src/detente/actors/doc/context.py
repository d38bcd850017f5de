"""The shared state of one resolution run over a Doc, and the API rules use on it.

:class:`Context` holds the KB matches and role phrases of the Doc (computed once),
the claimed tokens and the :class:`Draft` mentions so far. Rules change it only
through :meth:`Context.claim`, :meth:`Context.release`, :meth:`Context.replace`
and :meth:`Context.extend`, and read it with :meth:`Context.drafts_in`, so that
no two mentions ever overlap. Before any rule runs, date-dependent names are moved
to the country they mean on the article date (:mod:`.dated`: "Congolese" is COD
since 1997) and one-typo country names are matched (:func:`misspelt_countries`).

The helpers below (:func:`extend_left`, :func:`role_after`) read titles,
nationality and role nouns around a position; several rules use them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from spacy.attrs import IS_TITLE

from ...types import Basis
from ..kb.keys import norm
from ..kb.model import KB, Entry
from .dated import redate_matches
from .matching import Match, RoleMatch, doc_datelines, find_matches, find_roles, token_keys
from .read import doc_text, doc_tokens

TITLE_MODIFIERS = frozenset({"current", "former", "late", "then", "ex", "incoming", "outgoing",
                             "new", "acting", "interim", "de", "facto", "first", "deputy", "vice",
                             "senior", "top", "chief", "young", "veteran", "longtime", "also",
                             "ousted", "deposed", "toppled", "overthrown"})
# (an ousted or deposed leader is out of office as a former one is)
FORMER = frozenset({"former", "late", "ex", "then", "erstwhile", "ousted", "deposed", "toppled", "overthrown"})
# countries whose people's names put the family name first ("Kim Jong Un", "Li Keqiang"):
# a short reference to them uses the first word
FAMILY_FIRST = frozenset({"PRK", "KOR", "CHN", "TWN", "VNM", "MNG", "HKG", "MAC"})


@dataclass
class Draft:
    """A mention under construction (token span, resolution, basis, explanation)."""

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
    basis: Basis | None = None  # required: claim() refuses a draft without one


class Context:
    """Everything the passes share for one Doc."""

    def __init__(self, doc, kb: KB, date: dt.date | None):
        self.doc, self.kb, self.date = doc, kb, date
        # the Doc's tokens and entities, read once: spaCy builds a new Token object at each
        # ``doc[i]`` and at each step of ``for tok in doc``, and rebuilds every entity span at
        # each ``doc.ents``; the rules scan the document a dozen times
        self.tokens, self.ents = doc_tokens(doc, fresh=True)
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
        # per-document tables a rule module builds on first use and its later passes reuse
        # (the capitalised words both organisation passes scan for), by the module's key
        self.tables: dict[str, object] = {}
        self.person_ents = [e for e in self.ents if e.label_ == "PERSON"]
        self.place_cache: dict[int, str] | None = None  # gazetteer index, built on first use
        self.seen_people: dict[str, int] = {}  # person kb_id -> token of its latest mention
        self.text = doc_text(doc)  # doc.text, from the tokens read
        ranges = doc_datelines(doc)
        self.dateline = bytearray(len(doc))
        for a, b in ranges:
            for tok in doc.char_span(a, b, alignment_mode="expand") or ():
                self.dateline[tok.i] = 1

    def free(self, start: int, end: int) -> bool:
        return not any(self.claimed[start:end])

    def claim(self, d: Draft) -> bool:
        """Add ``d`` if its tokens are free; False (nothing changes) otherwise."""
        if d.basis is None:
            raise ValueError(f"draft {d.code} ({d.reason}) has no basis")
        if d.start >= d.end or not self.free(d.start, d.end):
            return False
        for i in range(d.start, d.end):
            self.claimed[i] = 1
        self.drafts.append(d)
        return True

    def release(self, d: Draft) -> None:
        """Remove the draft ``d`` and free its tokens."""
        k = next(k for k, x in enumerate(self.drafts) if x is d)
        del self.drafts[k]
        for i in range(d.start, d.end):
            self.claimed[i] = 0

    def replace(self, old: Draft, new: Draft) -> bool:
        """Release ``old`` and claim ``new`` in its place (a longer or recoded mention)."""
        self.release(old)
        return self.claim(new)

    def extend(self, d: Draft, end: int) -> None:
        """Grow the claimed draft ``d`` rightwards to token ``end`` (tokens must be free)."""
        for i in range(d.end, end):
            self.claimed[i] = 1
        d.end = end

    def drafts_in(self, start: int, end: int) -> list[Draft]:
        """The drafts lying wholly inside tokens [start, end), in claiming order."""
        return [d for d in self.drafts if start <= d.start and d.end <= end]

    def draft_at(self, i: int) -> Draft | None:
        """The draft covering token ``i``, if any."""
        return next((d for d in self.drafts if d.start <= i < d.end), None)


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
        if prev.lower_ in TITLE_MODIFIERS and (prev.pos_ in ("ADJ", "ADV", "NOUN", "PROPN", "X")
                                               or prev.lower_ in FORMER):  # "ousted" as a verb
            former = former or prev.lower_ in FORMER
            p -= 1
            continue
        if prev.text == "-" and p >= 2 and doc[p - 2].lower_ in ("ex", "then"):
            former = True
            p -= 2
            continue
        m = ctx.match_at_end.get(p)
        if m is not None and m.kind in ("demonym", "country"):
            m = residence_of(ctx, m) or m  # "Bosnian Serb leader X": Bosnia's
            country, p = m.entries[0].country, m.start
            # "former Panamanian President X" ("the then Iraqi prime minister" held office then)
            former = former or (p > 0 and doc[p - 1].lower_ in FORMER - {"then"})
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


def residence_of(ctx: Context, m: Match) -> Match | None:
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
