"""Resolve the actor mentions of one parsed article: ``resolve_doc(doc, id, date, kb)``.

Pure function over a spaCy Doc (tagger, parser and NER are used; nothing is
re-parsed). It builds the document's :class:`~.doc.context.Context` (KB and role
matches, with date-dependent names moved to the country they mean on the article
date) and runs the registered rules of ``rules/`` in their declared order, each
claiming tokens so mentions never overlap:

1. ``named``: entities from the KB, extended left over titles and nationality
   ("Russian Foreign Minister Sergei Lavrov");
2. ``unknown_orgs``: organisations missing from the KB, by the head noun of their
   name ("Nigerian Union of Teachers" -> NGALAB);
3. ``titled_people``: people missing from the KB but titled with a nationality
   ("South Korean President Park Gyeun-Hye" -> KORGOV);
4. ``ethnic``: ethnic and national groups by their country of residence ("Bosnian
   Serbs" -> BIHCVL);
5. ``places``: countries, demonyms, capitals and seats, extended right over role
   nouns ("Russia's armed forces chief of staff" -> RUSMIL);
6. ``coref``: in-article short references ("the North", surnames, epithets,
   pronouns with one antecedent);
7. ``names``: people by title and surname or title alone ("President Obama");
8. ``place_actors``: people from, groups based in, organisations named after a
   place;
9. ``agents``: generic agents ("police in Kiev" -> UKRCOP, "gunmen" -> UAF);
10. ``unknown_bodies``: state bodies, courts and police of no named country, by their
    own place phrase ("the High Court in Nairobi" -> KENJUD) or the bare sector;
11. ``unknown_people``: names missing from the KB, by the words around them (an
    appositive, a descriptor, a coded mention before the name), else ``CVL`` for a
    person's name alone ("Mohamed Ali, a spokesman for the Egyptian army" -> EGYMIL).

``resolve_doc(..., disable=("coref",))`` leaves rules out, for ablation
(``scripts/ablate_rules.py`` measures what each contributes).
"""

from __future__ import annotations

import bisect
import datetime as dt
import importlib
import pkgutil
from functools import lru_cache

from ..types import ActorMention
from . import rules
from .doc.context import Context
from .doc.read import doc_sents
from .kb.model import KB
from .kb.userfile import user_reason
from .rules.registry import Rule, ordered


@lru_cache(maxsize=1)
def _load_rules() -> None:
    """Import every module of ``rules/`` once, so that each registers its rules."""
    for info in pkgutil.iter_modules(rules.__path__):
        if info.name != "registry":
            importlib.import_module(f"{rules.__name__}.{info.name}")


def rule_order(disable: tuple[str, ...] = ()) -> list[Rule]:
    """The registered rules in the order :func:`resolve_doc` runs them."""
    _load_rules()
    return ordered(tuple(disable))


def resolve_doc(doc, article_id: str, article_date: dt.date | None, kb: KB,
                disable: tuple[str, ...] = ()) -> list[ActorMention]:
    """All actor mentions of one article, sorted by offset, non-overlapping.

    ``disable`` names rules to leave out (see :func:`rule_order`); an unknown
    name raises E303."""
    ctx = Context(doc, kb, article_date)
    for r in rule_order(disable):
        r.fn(ctx)
    out = []
    toks = ctx.tokens
    # the sentences' token starts and character spans, read once (``doc[i].sent`` for each
    # mention builds a Span and walks to both ends of the sentence)
    sents = [(s.start, s.start_char, s.end_char) for s in doc_sents(doc)]
    sent_starts = [s[0] for s in sents]
    for d in sorted(ctx.drafts, key=lambda x: x.start):
        last = toks[d.end - 1]
        start, end = toks[d.start].idx, last.idx + len(last.text)  # Span.start_char, end_char
        _, sent_start, sent_end = sents[bisect.bisect_right(sent_starts, d.start) - 1]
        out.append(ActorMention(
            article_id=article_id, text=ctx.text[start:end], start=start, end=end,
            code=d.code, country=d.country, sector=d.sector, kb_id=d.kb_id,
            reason=user_reason(kb, d.kb_id, d.reason) if kb.user_sources else d.reason,
            sentence_start=sent_start, sentence_end=sent_end,
            confidence=round(d.confidence, 3), basis=d.basis.value))
    return out


def actor_at(doc, token_index: int, mentions: list[ActorMention]) -> ActorMention | None:
    """The mention covering token ``token_index`` of ``doc`` (mentions sorted by start)."""
    tok = doc[token_index]
    starts = [m.start for m in mentions]
    k = bisect.bisect_right(starts, tok.idx) - 1
    if k >= 0 and mentions[k].start <= tok.idx < mentions[k].end:
        return mentions[k]
    return None
