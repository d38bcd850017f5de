"""The place of a material event as its target, when no actor is aimed at.

CAMEO codes the country where a material action lands when the text names no one it
is aimed at: "blocked roads in the capital city of Algiers" is aimed at DZA, "shut down
Khatmandu" at NPL, "suspended aid deliveries in Baghdad" at IRQ, "Sudanese rebels
shelled the southern regional capital Juba" (1988) at SDN. Places are not actors (the
resolver never makes "in Kiev" a mention), so the coder looks them up itself, through
the gazetteer (:func:`detente.actors.locate`), at the event's own date.

The rule applies only to roots where the place stands for the target (material
cooperation and conflict, investigations and visits: see ``locative_code``), only when no
actor was found as target, and only when the objects are things, not people: "killed
five civilians in Baghdad" is aimed at the civilians, who stay the (unresolved) target.
"""

from __future__ import annotations

import datetime as dt

from spacy.tokens import Token

from ..actors import PLACE_NOUNS, locate
from ..actors.kb import KB
from ..types import ActorMention, Basis
from .args import Arg, prep_objects
from .lexicon import Lexicon
from .roles import locative_code

# roots whose direct object may itself be the place acted on ("shelled Juba", "shut down
# Khatmandu", "occupied Kuwait")
OBJECT_PLACE_ROOTS = frozenset({"14", "15", "17", "18", "19", "20"})
_NEAR = frozenset({"near", "around", "outside", "at"})
_WITHDRAWAL_CODES = ("0874",)
_DELIVERY_CODES = ("06", "07")
PLACE_CONFIDENCE = 0.6  # a place standing for its state is weaker evidence than a name
PLACE_FACTOR = 0.7


def _candidates(trig: Token, objs: list[Token], code: str, lex: Lexicon) -> list[Token]:
    loc = lex.settings.locative_preps | _NEAR
    if code.startswith(_WITHDRAWAL_CODES):
        loc = loc | {"from"}  # "troops withdrew *from* Jenin": the place left
    elif code.startswith(_DELIVERY_CODES):
        loc = loc | {"to"}  # "delivered medical supplies *to* Mariupol": where it goes
    out: list[Token] = []
    if code[:2] in OBJECT_PLACE_ROOTS:
        for o in objs:
            out.append(o)
            out += [c for c in o.children if c.dep_ == "appos"]  # "the capital Juba"
    out += prep_objects(trig, loc)
    for o in objs:
        out += prep_objects(o, loc)
    return out


def place_target(trig: Token, objs: list[Token], code: str, lex: Lexicon, kb: KB,
                 date: dt.date | None, doc_countries: frozenset[str], article_id: str,
                 sentence: tuple[int, int] = (0, 0)) -> Arg | None:
    """An :class:`Arg` for the first place (by the order above) that the gazetteer knows,
    with a synthetic actor mention whose code is the place's state on ``date``."""
    if not locative_code(code):
        return None
    # (what is withdrawn is the source's own: "withdrew its troops from Kherson")
    if code[:2] != "09" and not code.startswith(_WITHDRAWAL_CODES) \
            and not all(o.lemma_.lower() in lex.things or _is_place_word(o) for o in objs):
        return None
    doc = trig.doc
    for t in _candidates(trig, objs, code, lex):
        hit = locate(doc, t, kb, date, doc_countries)
        if hit is None:
            continue
        iso3, why = hit
        lo = t.left_edge
        span = doc[lo.i: t.i + 1]
        while span.end < len(doc) and doc[span.end].dep_ in ("appos", "compound") \
                and doc[span.end].head.i == t.i:
            span = doc[span.start: span.end + 1]
        m = ActorMention(article_id, span.text, span.start_char, span.end_char, iso3, iso3, None,
                         None, f"place-as-target:{why}", sentence[0], sentence[1],
                         PLACE_CONFIDENCE, basis=Basis.PLACE)
        return Arg(m, t.i, PLACE_FACTOR, span.text, span.start_char, span.end_char)
    return None


def _is_place_word(t: Token) -> bool:
    """A direct object that is itself a proper-noun place or a place noun ("the city")."""
    return t.pos_ == "PROPN" or t.ent_type_ in ("GPE", "LOC", "FAC") or t.lower_ in PLACE_NOUNS
