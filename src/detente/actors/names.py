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
   after a full name is already linked by :mod:`.coref`.
3. ``title+sentence-country`` (0.6): a titled person missing from the KB ("President
   Levy Mwanawasa ... the Zambian people") takes the only country of the sentence,
   by the same context rules as generic agents (a place on the person, on the clause,
   else the single country named in the sentence). Without a country the titled
   name stays unresolved: a bare "GOV" would claim more than the text says.
"""

from __future__ import annotations

from .agents import _context_country, _place_index
from .kb import norm
from .resolver import Context, Draft, extend_left
from .tenure import role_at

TOP_POSTS = frozenset({"head_of_state", "head_of_government", "supreme_leader", "party_leader",
                       "foreign_minister", "defense_minister"})


def _by_surname(ctx: Context, key: str, top_only: bool) -> tuple[str | None, object] | None:
    """(kb_id or None, Role) for the people with surname ``key`` on the context date,
    or None when there is none or they disagree."""
    ids = ctx.kb.surnames.get(key, ())
    if not ids:
        return None
    if top_only:
        ids = tuple(k for k in ids if any(r.role in TOP_POSTS for r in ctx.kb.by_id.get(k, ())))
        if len(ids) != 1:
            return None
    if ctx.date is not None and len(ids) > 1:
        live = [k for k in ids if any(r.covers(ctx.date) and (r.start or r.end)
                                      for r in ctx.kb.by_id.get(k, ()))]
        ids = tuple(live) or ids
    roles = [role_at(ctx.kb, k, ctx.date) for k in ids]
    roles = [r for r in roles if r is not None]
    if not roles or len({(r.code, r.country) for r in roles}) != 1:
        return None
    return (ids[0] if len(ids) == 1 else None), roles[0]


def _cue_in_sentence(ctx: Context, i: int) -> bool:
    """True if the sentence of token ``i`` names another actor or a country."""
    sent = ctx.doc[i].sent
    if any(sent.start <= d.start < sent.end for d in ctx.drafts):
        return True
    return any(sent.start <= m.start < sent.end and m.start != i for m in ctx.matches
               if m.kind in ("country", "demonym", "capital", "seat", "igo"))


def _add_person(ctx: Context, start: int, end: int, key: str, hit, how: str, former: bool,
                cap: float) -> bool:
    kb_id, role = hit
    code, sector = role.code, role.sector
    if former and role.country and sector != "ELI":
        code, sector = role.country + "ELI", "ELI"
    who = kb_id or f"{len(ctx.kb.surnames[key])} people"
    return ctx.add(Draft(start, end, code, role.country, sector, kb_id, f"{how}→{who}",
                         min(role.confidence, cap), person_key=kb_id or "name:" + key,
                         name_span=(end - 1, end)))


def pass_names(ctx: Context) -> None:
    """Titled and surname-only people (module docstring, rules 1-3)."""
    places = None
    for ent in ctx.person_ents:  # rules 1 and 3: a title before a PERSON entity
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
        if former:
            continue
        if places is None:
            places = _place_index(ctx)
        iso3, reason, conf = _context_country(ctx, places, ent.root, title.sector,
                                              (start, ent.end))
        if iso3 is None:
            continue  # a title alone says nothing about whose official this is
        ctx.add(Draft(start, ent.end, iso3 + title.sector, iso3, title.sector, None,
                      reason.replace("agent", "title"), conf,
                      person_key="name:" + norm(ent[-1].text), name_span=(ent.start, ent.end)))
    doc = ctx.doc
    found = []
    for tok in doc:  # rule 2: a lone surname of one leader ("Putin", "Erdogan")
        if tok.pos_ != "PROPN" or not tok.text[:1].isupper() or ctx.claimed[tok.i] or \
                ctx.dateline[tok.i]:
            continue
        key = norm(tok.text)
        if key not in ctx.kb.surnames:
            continue
        if tok.ent_iob_ == "I" or (tok.i + 1 < len(doc) and doc[tok.i + 1].ent_iob_ == "I"):
            continue  # part of a longer name ("Ivanka Trump", "Trump Tower")
        if any(0 <= j < len(doc) and doc[j].pos_ == "PROPN" and doc[j].text[:1].isupper()
               for j in (tok.i - 1, tok.i + 1)):
            continue
        hit = _by_surname(ctx, key, top_only=True)
        if hit is not None:
            found.append((tok, key, hit))
    # a lone surname needs a second actor in its sentence (a country, another leader):
    # "Johnson scored twice" is not the British prime minister
    sents = [tok.sent.start for tok, _, _ in found]
    for (tok, key, hit), s in zip(found, sents):
        if sents.count(s) > 1 or _cue_in_sentence(ctx, tok.i):
            _add_person(ctx, tok.i, tok.i + 1, key, hit, "surname-only", False, 0.6)
