"""The type arbiter: a learned model re-decides an event's PLOVER type among the types
the codebook says it is easily confused with.

The lexicon gives each trigger one CAMEO code, and so one PLOVER type. Where PLOVER's
own definitions draw a line that a verb does not ("agreed *a trade deal*" signs an
agreement, SUPPORT; "agreed *to hold talks*" promises, AGREE; "launched cyber-attacks"
is COERCE, "launched air strikes" ASSAULT; "will not release the pilots *until* ..."
is a demand, REQUEST, not a refusal), the context decides. The model reads that
context from the parse:

* the trigger's lemma, part of speech and lexicon code;
* its object, prepositional objects, modifiers, open complements and governing verb;
* auxiliaries, negation, conditional marks ("until", "unless") and the modality the
  coder assigned;
* the sectors of the source and target (armed actors fighting each other vs a force
  acting on civilians or property), or the head of an unresolved target phrase.

It is a multinomial logistic regression over the 15 types of the ``plv_dev`` vocabulary
(CONCEDE and RETREAT as YIELD), trained by ``scripts/train_typer.py`` (fixed seed,
5-fold cross-validated on the ``tune`` halves) and shipped as ``data/models/typer.json``,
a sparse table of weights read without scikit-learn.

The model may only move an event to a type that the codebook's "potential
ambiguities" sections (``../shared/eval/plover/PLOVER_MANUAL.tex``) pair with the
lexicon's type (:data:`NEIGHBOURS`), and only when it prefers that type by a margin
chosen in cross-validation. The new CAMEO code is the trigger lemma's own lexicon code
of that type when the lexicon has one, otherwise the most general code of the type with
the same pentaclass (:func:`code_for`).
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from importlib import resources

from spacy.tokens import Token

from .tables import CameoInfo, cameo_info, load_tables

MODEL_FILE = "typer.json"

TYPES = ("AGREE", "CONSULT", "SUPPORT", "COOPERATE", "AID", "YIELD", "REQUEST", "ACCUSE",
         "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT")

# Type pairs whose boundary the PLOVER codebook discusses (its "potential ambiguities"
# sections), or which the held-out error analysis names. A switch is allowed
# only along these edges (both directions).
_EDGES = (
    ("AGREE", "SUPPORT"),    # sign/finalize an agreement is SUPPORT; a promise to, AGREE
    ("AGREE", "CONSULT"),    # future meetings and invitations are AGREE
    ("AGREE", "COOPERATE"),  # promised future cooperation is AGREE
    ("AGREE", "AID"),        # broad promises of aid are AGREE
    ("AGREE", "REQUEST"),    # calls to end a conflict express intent: AGREE
    ("SUPPORT", "YIELD"),    # pardons, amnesties, regret are CONCEDE
    ("SUPPORT", "COOPERATE"),  # military cooperation is COOPERATE
    ("COOPERATE", "AID"),    # mutual benefit vs the recipient's benefit
    ("AID", "YIELD"),        # opening borders to, releasing: concessions vs aid
    ("AID", "SANCTION"),     # court-ordered payments are SANCTION
    ("REQUEST", "YIELD"),    # withdrawing a demand is CONCEDE
    ("REQUEST", "PROTEST"),  # demands made by demonstrating are PROTEST
    ("REQUEST", "THREATEN"),  # requests are less forceful than threats
    ("REQUEST", "REJECT"),   # "will not X until Y" states a demand
    ("REQUEST", "ACCUSE"),   # calls to act against vs condemnation
    ("CONSULT", "ACCUSE"),   # summoning an ambassador to complain is ACCUSE
    ("ACCUSE", "COERCE"),    # misinformation: allege or coerce by the wording
    ("ACCUSE", "SANCTION"),  # a conviction is SANCTION, not an allegation
    ("REJECT", "SANCTION"),  # withdrawing aid is SANCTION
    ("REJECT", "COERCE"),    # barring entry is REJECT, expelling COERCE
    ("THREATEN", "COERCE"),  # an in-absentia arrest warrant is a threat
    ("SANCTION", "COERCE"),
    ("PROTEST", "ASSAULT"),  # violent riots vs demonstrations
    ("COERCE", "ASSAULT"),   # force against civilians/property vs fighting
    ("MOBILIZE", "ASSAULT"),  # deploying vs using force
)
NEIGHBOURS: dict[str, frozenset[str]] = {
    t: frozenset({b for a, b in _EDGES if a == t} | {a for a, b in _EDGES if b == t})
    for t in TYPES}

_FOLD = {"CONCEDE": "YIELD", "RETREAT": "YIELD", "DEMAND": "REQUEST",
         "DISAPPROVE": "ACCUSE", "INVESTIGATE": "ACCUSE", "FIGHT": "ASSAULT"}


def fold(plover: str | None) -> str | None:
    """A PLOVER type (2021 or pre-2021 name) in the 15-type vocabulary."""
    return _FOLD.get(plover, plover) if plover else None


def _lem(t: Token) -> str:
    return t.lemma_.lower()


def _sector(arg) -> str:
    if arg is None:
        return "none"
    if arg.actor is None:
        return "unresolved"
    a = arg.actor
    if a.sector:
        return a.sector
    return "state" if a.country else "igo"


def type_features(trig: Token, code: str, modality: str, source, target,
                  target_np=None) -> list[str]:
    """The feature strings of one event: its trigger's context, code and arguments."""
    lem = _lem(trig)
    lex_type = fold(cameo_info(code).plover) or "none"
    f = ["bias", f"lex={lex_type}", f"code={code}", f"root={code[:2]}", f"lemma={lem}",
         f"lemma={lem}|lex={lex_type}", f"tpos={trig.pos_}", f"modality={modality}",
         f"modality={modality}|lex={lex_type}"]
    passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in trig.children)
    if passive:
        f.append("passive")
    for c in trig.children:
        d = c.dep_
        if d in ("dobj", "attr", "oprd") or (d == "nsubjpass"):
            f += [f"obj={_lem(c)}", f"obj={_lem(c)}|lemma={lem}"]
            f += [f"objmod={_lem(m)}" for m in c.children if m.dep_ in ("amod", "compound")]
        elif d in ("prep", "agent"):
            objs = [o for o in c.children if o.dep_ == "pobj"]
            f.append(f"prep={c.lower_}")
            f += [f"prep={c.lower_}|pobj={_lem(o)}" for o in objs]
        elif d in ("amod", "compound", "nmod") and trig.pos_ in ("NOUN", "PROPN"):
            f.append(f"mod={_lem(c)}")
        elif d == "xcomp":
            f += [f"xcomp={_lem(c)}", f"xcomp={_lem(c)}|lemma={lem}"]
        elif d in ("aux", "auxpass") and c.lower_ not in ("be", "is", "are", "was", "were",
                                                         "been", "has", "have", "had"):
            f.append(f"aux={c.lower_}")
        elif d == "neg":
            f.append("neg")
        elif d == "advcl":
            f += [f"mark={m.lower_}" for m in c.children if m.dep_ == "mark"]
    if trig.dep_ in ("dobj", "pobj", "nsubj", "xcomp", "ccomp", "attr"):
        f.append(f"gov={_lem(trig.head)}")
        f.append(f"dep={trig.dep_}")
    f += [f"src={_sector(source)}", f"tgt={_sector(target)}",
          f"src={_sector(source)}|tgt={_sector(target)}|lex={lex_type}",
          f"tgt={_sector(target)}|lex={lex_type}"]
    if target is None and target_np is not None and target_np.token is not None:
        head = trig.doc[target_np.token]
        f.append(f"tnp={_lem(head)}")
    elif target is not None and target.actor is None:
        f.append(f"tnp={_lem(trig.doc[target.token])}")
    return f


class TypeModel:
    """Sparse multinomial logistic regression over feature strings, one score per type."""

    def __init__(self, classes: list[str], intercept: list[float],
                 coef: dict[str, list[float]], meta: dict | None = None):
        self.classes = list(classes)
        self.intercept = intercept
        self.coef = coef
        self.meta = meta or {}
        self.margin = float(self.meta.get("margin", 0.0))
        self._at = {c: k for k, c in enumerate(self.classes)}

    def proba(self, feats: list[str]) -> dict[str, float]:
        z = list(self.intercept)
        for name in feats:
            w = self.coef.get(name)
            if w is not None:
                for k, v in enumerate(w):
                    z[k] += v
        mx = max(z)
        e = [math.exp(v - mx) for v in z]
        s = sum(e)
        return {c: e[k] / s for k, c in enumerate(self.classes)}

    def decide(self, lex_type: str, feats: list[str], trig: Token | None = None
               ) -> tuple[str, float]:
        """The type to code (the lexicon's unless a codebook neighbour wins by the
        margin) and the model's probability of it. ``trig`` is for subclasses that record
        what they were asked (the training script's)."""
        p = self.proba(feats)
        here = p.get(lex_type, 0.0)
        best = max(NEIGHBOURS.get(lex_type, ()), key=lambda t: p.get(t, 0.0), default=None)
        if best is not None and p[best] - here > self.margin:
            return best, p[best]
        return lex_type, here

    def to_json(self) -> dict:
        return {"classes": self.classes, "intercept": self.intercept, "coef": self.coef,
                "meta": self.meta}

    @classmethod
    def from_json(cls, data: dict) -> "TypeModel":
        return cls(data["classes"], data["intercept"], data["coef"], data.get("meta"))


@lru_cache(maxsize=1)
def load_typer() -> TypeModel | None:
    """The shipped type model, or None when the package has none."""
    path = resources.files("detente.coding").joinpath(f"data/models/{MODEL_FILE}")
    if not path.is_file():
        return None
    return TypeModel.from_json(json.loads(path.read_text("utf-8")))


_PENTA = {**dict.fromkeys(("01", "02"), 0), **dict.fromkeys(("03", "04", "05"), 1),
          **dict.fromkeys(("06", "07", "08"), 2),
          **dict.fromkeys(("09", "10", "11", "12", "13", "16"), 3),
          **dict.fromkeys(("14", "15", "17", "18", "19", "20"), 4)}


@lru_cache(maxsize=1)
def _general_codes() -> dict[str, list[str]]:
    """PLOVER type -> CAMEO codes that map to it, most general (shortest) first."""
    out: dict[str, list[str]] = {}
    tables = load_tables()
    for code in sorted((c for c in tables.names if len(c) >= 3), key=lambda c: (len(c), c)):
        t = fold(cameo_info(code).plover)
        if t:
            out.setdefault(t, []).append(code)
    return out


def code_for(new_type: str, old_code: str, lemma_codes: list[str]) -> str | None:
    """The CAMEO code an event moved to ``new_type`` is coded with: the trigger lemma's
    own lexicon code of that type if there is one, else the most general code of the type
    in the pentaclass of the old code (then any pentaclass)."""
    for c in lemma_codes:
        if fold(cameo_info(c).plover) == new_type:
            return c
    codes = _general_codes().get(new_type, [])
    same = [c for c in codes if _PENTA.get(c[:2]) == _PENTA.get(old_code[:2])]
    return (same or codes or [None])[0]


def retype(info: CameoInfo, trig: Token, modality: str, source, target, target_np,
           lemma_codes: list[str], model: TypeModel) -> tuple[CameoInfo, str | None]:
    """``info`` or the CameoInfo of the type the model prefers, and the overruled type
    (None when nothing changed)."""
    lex_type = fold(info.plover)
    if lex_type is None:
        return info, None
    feats = type_features(trig, info.code, modality, source, target, target_np)
    new, _ = model.decide(lex_type, feats, trig)
    if new == lex_type:
        return info, None
    code = code_for(new, info.code, lemma_codes)
    if code is None:
        return info, None
    return cameo_info(code), lex_type
