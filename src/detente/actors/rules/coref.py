"""Short references inside one article, each with a simple, explainable rule.

* "the North" / "the South" -> PRK / KOR when the article is about Korea;
* a surname after a full name ("Putin", "the reclusive Kim") -> that person; with
  several people of one surname (the Kims) the most recent one before it;
  East Asian names (PRK, KOR, CHN, TWN, VNM, MNG) take the family name first;
* epithets ("the marshal", "the dictator") -> the most recent person mention with a
  government or military role within the last three sentences;
* he/him/his/she/her -> the only person mentioned in this and the previous sentence,
  when that person is resolved (no guess when two people, or an unresolved one, are
  candidates); "his government" -> that person's country + GOV;
* a bare role noun conjoined to a resolved role mention ("North Korea's Air Force and
  Navy") -> the same country.
"""

from __future__ import annotations

from ..doc.context import FAMILY_FIRST, Basis, Context, Draft, role_after
from ..doc.read import doc_column, doc_sents
from ..kb.keys import norm
from .registry import rule

EPITHETS = frozenset({"marshal", "leader", "dictator", "strongman", "despot", "tyrant",
                      "president", "premier", "chairman", "general", "autocrat", "generalissimo"})
PRONOUNS = {"he": "", "him": "", "his": "poss", "she": "", "her": "poss?", "himself": "",
            "herself": ""}
WINDOW_SENTENCES = 3


def _surname(doc, d: Draft) -> str | None:
    if d.name_span is None:
        return None
    toks = [t for t in doc[d.name_span[0]:d.name_span[1]] if t.is_alpha]
    if len(toks) < 2:
        return norm(toks[0].text) if toks else None
    return norm(toks[0].text if d.country in FAMILY_FIRST else toks[-1].text)


def _sent_index(doc) -> list[int]:
    idx = [0] * len(doc)
    for k, s in enumerate(doc_sents(doc)):  # doc.sents, read once per Doc
        for i in range(s.start, s.end):
            idx[i] = k
    return idx


@rule("coref", after="places")
def pass_short_refs(ctx: Context) -> None:
    doc = ctx.doc
    sent_of = _sent_index(doc)
    _north_south(ctx)
    people = sorted((d for d in ctx.drafts if d.person_key and d.code), key=lambda d: d.start)
    _repeated_names(ctx, people)
    by_surname: dict[str, list[Draft]] = {}
    for d in people:
        s = _surname(doc, d)
        if s:
            by_surname.setdefault(s, []).append(d)
    lowers, pos = doc_column(doc, "lower_"), doc_column(doc, "pos_")  # read once per document
    for tok in ctx.tokens:
        i = tok.i
        if ctx.claimed[i] or ctx.dateline[i]:
            continue
        low = lowers[i]
        if low not in EPITHETS and low not in PRONOUNS and pos[i] != "PROPN":
            continue  # none of the three cases below (the same tests, read from the columns)
        if tok.pos_ == "PROPN" and tok.text[:1].isupper() and norm(tok.text) in by_surname:
            _surname_ref(ctx, tok, by_surname[norm(tok.text)])
        elif low in EPITHETS and i > 0 and tok.pos_ == "NOUN":
            _epithet(ctx, tok, sent_of)
        elif low in PRONOUNS and tok.pos_ == "PRON":
            _pronoun(ctx, tok, sent_of)
    _conj_roles(ctx)


def _name_key(span) -> tuple[str, ...]:
    return tuple(norm(t.text) for t in span if t.is_alpha)


def _repeated_names(ctx: Context, people: list[Draft]) -> None:
    """A full name repeated later in the article is the same person, even when only the
    first mention could be resolved (by its title): "North Korean leader Kim Jong Un ...
    Kim Jong Un"."""
    names: dict[tuple[str, ...], Draft] = {}
    for d in people:
        if d.name_span and d.name_span[1] - d.name_span[0] > 1:
            names.setdefault(_name_key(ctx.doc[d.name_span[0]:d.name_span[1]]), d)
    if not names:
        return
    for ent in ctx.person_ents:
        if not ctx.free(ent.start, ent.end) or ctx.dateline[ent.start]:
            continue
        d = names.get(_name_key(ent))
        if d is not None:
            ctx.claim(_copy(d, ent.start, ent.end, f"same-name→{d.kb_id or d.person_key}", 0.85))


def _north_south(ctx: Context) -> None:
    korea = any(d.country in ("PRK", "KOR") for d in ctx.drafts)
    if not korea:
        return
    toks, texts = ctx.tokens, doc_column(ctx.doc, "text")  # the words, read once per document
    for tok in toks:
        if texts[tok.i] not in ("North", "South") or ctx.claimed[tok.i] or ctx.dateline[tok.i]:
            continue
        if tok.dep_ in ("compound", "amod") and tok.head.i > tok.i:
            continue  # "North Atlantic", "South China Sea"
        prev = toks[tok.i - 1] if tok.i > 0 else None
        conj = tok.dep_ == "conj" and tok.head.text in ("North", "South")
        if not ((prev is not None and prev.lower_ == "the") or conj):
            continue
        code = "PRK" if tok.text == "North" else "KOR"
        ctx.claim(Draft(tok.i, tok.i + 1, code, code, None, f"C:{code}", "korea-context", 0.85,
                        basis=Basis.COREFERENCE))


def _copy(d: Draft, start: int, end: int, reason: str, conf: float) -> Draft:
    return Draft(start, end, d.code, d.country, d.sector, d.kb_id, reason, conf,
                 person_key=d.person_key, name_span=(start, end), basis=Basis.COREFERENCE)


def _surname_ref(ctx: Context, tok, candidates: list[Draft]) -> None:
    if tok.ent_type_ == "PERSON":
        ent = next((e for e in ctx.person_ents if e.start <= tok.i < e.end), None)
        if ent is not None and len([t for t in ent if t.is_alpha]) > 1:
            return  # another person with the same surname ("Kim Yo Jong")
    before = [d for d in candidates if d.start < tok.i]
    d = before[-1] if before else candidates[0]
    who = d.kb_id or d.person_key
    tail = role_after(ctx, tok.i + 1, limit=2)
    if tail and tail[1].start == tok.i + 1 and not tail[1].title and d.country:
        ctx.claim(Draft(tok.i, tail[0], d.country + tail[1].sector, d.country, tail[1].sector,
                        d.kb_id, f"surname+role→{who}", 0.8, basis=Basis.ROLE_NOUN))
        return
    ctx.claim(_copy(d, tok.i, tok.i + 1, f"surname→{who}", 0.9 if len(candidates) == 1 else 0.8))


def _epithet(ctx: Context, tok, sent_of: list[int]) -> None:
    doc = ctx.doc
    start = tok.i
    while start > 0 and doc[start - 1].pos_ == "ADJ" and not ctx.claimed[start - 1]:
        start -= 1
    if start == 0 or doc[start - 1].lower_ != "the":
        return
    nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
    if nxt is not None and nxt.pos_ == "PROPN":
        return  # a title before a name, not an epithet
    here = sent_of[tok.i]
    cands = [d for d in ctx.drafts if d.person_key and d.start < tok.i and
             here - sent_of[d.start] < WINDOW_SENTENCES and d.sector in ("GOV", "MIL")]
    if not cands:
        return
    d = max(cands, key=lambda x: x.start)
    ctx.claim(_copy(d, start, tok.i + 1, f"epithet→{d.kb_id or d.person_key}", 0.75))


def _pronoun(ctx: Context, tok, sent_of: list[int]) -> None:
    here = sent_of[tok.i]
    same = next((i for i in range(tok.i, -1, -1) if sent_of[i] < here), -1) + 1
    prev = next((i for i in range(tok.i, -1, -1) if sent_of[i] < here - 1), -1) + 1
    # named people in the current sentence, then also in the previous one; failing any,
    # an unnamed office holder ("China's defence minister ... he")
    for roles, lo in ((False, same), (False, prev), (True, same), (True, prev)):
        ids = _persons_between(ctx, lo, tok.i, roles)
        if ids:
            break
    if len(ids) != 1:
        return
    d = next(iter(ids.values()))
    if d is None or not d.code:
        return
    who = d.kb_id or d.person_key
    if tok.dep_ == "poss":
        tail = role_after(ctx, tok.i + 1, limit=3)
        if tail and d.country:
            ctx.claim(Draft(tok.i, tail[0], d.country + tail[1].sector, d.country, tail[1].sector,
                            d.kb_id, f"pronoun+role→{who}", 0.7, basis=Basis.ROLE_NOUN))
            return
    ctx.claim(_copy(d, tok.i, tok.i + 1, f"pronoun→{who}", 0.7))


# titles held by one person ("the defence minister"), unlike bodies ("the ministry") or
# groups ("officials")
PERSON_TITLES = frozenset({"minister", "president", "premier", "ambassador", "envoy", "general",
                           "commander", "secretary", "spokesman", "spokeswoman", "spokesperson",
                           "chancellor", "king", "queen", "prince", "emir", "sheikh", "monarch",
                           "governor", "mayor", "senator", "prosecutor", "judge", "diplomat",
                           "counterpart", "chief", "leader", "negotiator", "foreign_minister"})


def _one_person(head) -> bool:
    return head.tag_ in ("NN", "NNP") and head.lower_ in PERSON_TITLES


def _persons_between(ctx: Context, lo: int, hi: int, roles: bool = False) -> dict[str, Draft | None]:
    """Distinct people (resolved drafts or unresolved PERSON entities) in tokens [lo, hi);
    with ``roles``, the holders of one-person offices named by their title instead."""
    ids: dict[str, Draft | None] = {}
    for d in ctx.drafts:
        if not lo <= d.start < hi:
            continue
        if roles:
            if d.basis is Basis.ROLE_NOUN and d.code and _one_person(ctx.doc[d.end - 1]):
                ids[f"role:{d.start}"] = d
        elif d.person_key:
            ids[d.person_key] = d
    if roles:
        return ids
    for ent in ctx.person_ents:
        if lo <= ent.start < hi and ctx.free(ent.start, ent.end):
            ids.setdefault("name:" + ent[-1].lower_, None)
    return ids


def _conj_roles(ctx: Context) -> None:
    """Bare role nouns: conjoined to a country+role mention ("Air Force and Navy"), or
    repeating the sector of one earlier in the same sentence ("China's state press ...
    state media") take its country. Role nouns after a possessive or determiner that
    names someone else ("its navy", "our media") are left alone."""
    doc = ctx.doc
    role_drafts = [d for d in ctx.drafts if d.basis is Basis.ROLE_NOUN and d.country]
    for r in ctx.roles:
        if not ctx.free(r.start, r.end) or r.title:
            continue
        head = doc[r.start:r.end].root
        if any(c.dep_ == "poss" for c in head.children):
            continue
        if head.dep_ == "conj":
            for d in role_drafts:
                if d.start <= head.head.i < d.end:
                    ctx.claim(Draft(r.start, r.end, d.country + r.sector, d.country, r.sector,
                                    d.kb_id, "conj-role", 0.8, basis=Basis.ROLE_NOUN))
                    break
            continue
        if r.start > 0 and (prev := ctx.draft_at(r.start - 1)) is not None and prev.end == r.start:
            continue  # "backed by *African Union* troops": its modifier names whose they are
        sent = doc[r.start].sent
        same = [d for d in role_drafts if sent.start <= d.start < r.start and
                d.sector == r.sector]
        if len({d.country for d in same}) == 1:
            d = same[-1]
            ctx.claim(Draft(r.start, r.end, d.code, d.country, d.sector, d.kb_id,
                            "role-repeat-in-sentence", 0.6, basis=Basis.ROLE_NOUN))
