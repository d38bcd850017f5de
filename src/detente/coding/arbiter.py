"""The argument arbiter: a learned model decides who is the source and who the target.

The rules of :mod:`.roles` propose one reading per construction; on text they were not
written for, a construction they do not know leaves an argument unattached. The arbiter
looks at every candidate argument of a trigger at once and scores it as source, target
or neither from features of the parse (GUIDE §4: the rules propose and explain, the
model arbitrates):

* the dependency path from the trigger to the mention (arcs up to the lowest common
  ancestor, arcs down to the mention, prepositions by their word), its first and last
  arc, the clause boundaries it crosses;
* voice, order and distance, the trigger's part of speech, CAMEO root and lexicon lemma;
* what the rules said (proposed as source, as target, or neither), and what the
  mention is (a resolved actor and its sector, a named entity and its type, a noun
  phrase, a possessor).

Candidate arguments are the resolved actor mentions of the sentence, its named entities
and its noun chunks (one per head token). The model is a multinomial logistic
regression trained by ``scripts/train_arbiter.py`` (fixed seed, cross-validated on the
``tune`` halves of the gold sets) and shipped as ``data/models/arbiter.json``: a
sparse table of feature weights, so coding needs no scikit-learn, only a few dot
products per mention.
"""

from __future__ import annotations

import json
import math
import threading
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from spacy.tokens import Span, Token

from ..actors import doc_column, doc_datelines, doc_noun_chunk_bounds, doc_text, doc_tokens, noun_chunk_span
from ..types import ActorMention

CLASSES = ("none", "source", "target")
MODEL_FILE = "arbiter.json"
# named-entity types that never act or are acted upon
_NOT_ACTORS = frozenset({"DATE", "TIME", "MONEY", "PERCENT", "CARDINAL", "ORDINAL",
                         "QUANTITY"})
# arcs that open a new clause: an argument beyond one is seldom the trigger's own
_CLAUSE_ARCS = frozenset({"ccomp", "advcl", "relcl", "acl", "xcomp", "conj", "parataxis",
                          "pcomp", "csubj"})
_MAX_PATH = 6


@dataclass(frozen=True, slots=True)
class Mention:
    """A candidate argument: its head token, token span, text span, and actor if resolved."""

    head: int
    first: int
    last: int  # exclusive token index
    start: int
    end: int
    text: str
    actor: ActorMention | None
    kind: str  # "actor", "entity" or "chunk"


def sentence_mentions(sent: Span, actor_spans: dict[int, tuple[ActorMention, int, int]]
                      ) -> list[Mention]:
    """Candidate arguments of a sentence, one per head token (an actor mention wins over a
    named entity, which wins over a noun chunk). ``actor_spans`` maps a token index to
    (actor, first token, end token) for every token inside a resolved actor mention."""
    doc = sent.doc
    out: dict[int, Mention] = {}
    seen_actor: set[int] = set()
    for i, (m, a, b) in sorted(actor_spans.items()):
        if id(m) in seen_actor:
            continue
        seen_actor.add(id(m))
        head = doc[a:b].root
        out[head.i] = Mention(head.i, a, b, m.start, m.end, m.text, m, "actor")
    ents, chunks = sentence_spans(sent)
    # the heads' part of speech and entity type, and the spans' text, from what is read
    # once per document (actors.doc_column, doc_text)
    pos, ent, text = doc_column(doc, "pos_"), doc_column(doc, "ent_type_"), doc_text(doc)
    datelines = doc_datelines(doc)  # "MOSCOW (Reuters) - ": where the story was filed, no argument
    for kind, spans in (("entity", [e for e in ents if e.label_ not in _NOT_ACTORS]),
                        ("chunk", chunks)):
        for sp in spans:
            head = sp.root
            h = head.i
            if h in out or h in actor_spans:
                continue
            if any(a <= sp.start_char < b for a, b in datelines):
                continue
            if kind == "chunk" and pos[h] == "PRON":
                continue  # an unresolved pronoun is no evidence of who
            if ent[h] in _NOT_ACTORS or head.like_num:
                continue
            start, end = sp.start_char, sp.end_char
            out[h] = Mention(h, sp.start, sp.end, start, end, text[start:end], None, kind)
    return [out[k] for k in sorted(out)]


_DOC_SPANS = threading.local()  # the last document's entities and noun chunks, per thread


def sentence_spans(sent: Span) -> tuple[list[Span], list[Span]]:
    """``(list(sent.ents), list(sent.noun_chunks))``, the same spans in the same order.

    spaCy's ``Span.noun_chunks`` and ``Span.ents`` rebuild the whole document's chunks and
    entities for every sentence they are asked about, so a document's coding cost grew with
    the square of its length (a third of the coder's time on 25-sentence articles). Both are
    read here once per document and sliced per sentence. Hand-written because spaCy has no
    per-sentence index of either; both lists are sorted by start and do not overlap, which
    is what the slicing relies on (the noun-chunk iterator yields each chunk after the last
    one ended; a doc's entities are its BILUO runs, left to right).
    """
    doc = sent.doc
    memo = getattr(_DOC_SPANS, "memo", None)
    if memo is None or memo[0] is not doc or memo[1] != len(doc):
        ents = list(doc_tokens(doc)[1])  # read once with the resolver's
        # the chunks' bounds, read once from the columns; a chunk's Span is built only for
        # the sentences asked about (the arbiter reads about half of them)
        chunks = doc_noun_chunk_bounds(doc)
        memo = (doc, len(doc), ents, [e.start for e in ents], chunks, [c[0] for c in chunks])
        _DOC_SPANS.memo = memo  # holds the doc, so ``is`` above never matches a new doc at its address
    _, _, ents, ent_starts, chunks, chunk_starts = memo
    lo, hi = sent.start, sent.end
    in_ents = []
    for e in ents[bisect_left(ent_starts, lo):]:  # Span.ents: stop at the first one that ends past the span
        if e.end > hi:
            break
        in_ents.append(e)
    in_chunks = []
    for k in range(bisect_left(chunk_starts, lo), len(chunks)):  # Span.noun_chunks: those inside the span
        start, end = chunks[k]
        if start >= hi:
            break
        if end <= hi:
            in_chunks.append(noun_chunk_span(doc, k))
    return in_ents, in_chunks


def _arc(t: Token) -> str:
    if t.dep_ == "pobj" and t.head.dep_ in ("prep", "agent"):
        return f"pobj:{t.head.lower_}"
    return t.dep_


_SKIP_ARCS = ("prep", "agent")  # a preposition is named on its object's arc instead


def dep_path(trig: Token, head: Token) -> tuple[list[str], list[str]]:
    """Arcs from the trigger up to the lowest common ancestor, and from there down."""
    return DepPaths(trig.doc).path(trig.i, head.i)


class DepPaths:
    """:func:`dep_path` between tokens of one document, each token's head, arc and chain
    of ancestors read from spaCy once instead of once per (trigger, mention) pair: the
    arbiter asks for the path from each trigger to every candidate argument of its
    sentence, and spaCy builds a new ``Token`` object at each step of each walk (most of
    the arbiter's cost). Hand-written because spaCy keeps no such index; the paths are
    those of the walk over ``Token.head`` they replace (same arcs, same order)."""

    def __init__(self, doc):
        self.doc = doc
        # the document's heads, arcs, words, parts of speech and entity types, read once
        # per document (actors.doc_column)
        self._head, self._dep, self._lower, self._pos, self._ent = (
            doc_column(doc, a) for a in ("head", "dep_", "lower_", "pos_", "ent_type_"))
        self._tok: dict[int, tuple[int, str, str]] = {}  # i -> (head, dep, arc)
        self._up: dict[int, tuple[list[int], dict[int, int]]] = {}
        self._paths: dict[tuple[int, int], tuple[list[str], list[str]]] = {}

    def _info(self, i: int) -> tuple[int, str, str]:
        info = self._tok.get(i)
        if info is None:
            h, dep = self._head[i], self._dep[i]
            # _arc(doc[i]), from the columns
            arc = f"pobj:{self._lower[h]}" if dep == "pobj" and self._dep[h] in _SKIP_ARCS else dep
            info = self._tok[i] = (h, dep, arc)
        return info

    def attrs(self, i: int) -> tuple[str, str, str]:
        """``(pos_, ent_type_, dep_)`` of token ``i``."""
        return self._pos[i], self._ent[i], self._dep[i]

    def _chain(self, i: int) -> tuple[list[int], dict[int, int]]:
        """The token and its ancestors (``[t, *t.ancestors]``), and each one's place in it."""
        up = self._up.get(i)
        if up is None:
            chain = [i]
            h = self._info(i)[0]
            while h != chain[-1] and len(chain) <= len(self.doc):  # spaCy's own guard on a cycle
                chain.append(h)
                h = self._info(h)[0]
            up = self._up[i] = (chain, {t: k for k, t in enumerate(chain)})
        return up

    def path(self, trig: int, head: int) -> tuple[list[str], list[str]]:
        """:func:`dep_path` of tokens ``trig`` and ``head``; the lists are shared, do not
        change them."""
        got = self._paths.get((trig, head))
        if got is not None:
            return got
        chain, pos = self._chain(trig)
        down: list[str] = []
        x = head
        while x not in pos:
            h, dep, arc = self._info(x)
            if dep not in _SKIP_ARCS:
                down.append(arc)
            if h == x:
                break
            x = h
        up = []
        for t in chain[: pos.get(x, len(chain))]:
            _, dep, arc = self._info(t)
            if dep not in _SKIP_ARCS:
                up.append(arc)
        down.reverse()
        got = self._paths[(trig, head)] = (up, down)
        return got


def _bucket(n: int) -> str:
    return "1" if n <= 1 else "2" if n <= 2 else "3-4" if n <= 4 else "5-8" if n <= 8 else "9+"


def features(trig: Token, m: Mention, code: str, lemma_key: str, rule_src: bool,
             rule_tgt: bool, passive: bool, paths: DepPaths | None = None) -> list[str]:
    """The feature strings of one (trigger, mention) pair (``paths``: the document's
    :class:`DepPaths`, when the caller keeps one)."""
    paths = paths or DepPaths(trig.doc)
    hpos, hent, hdep = paths.attrs(m.head)
    tpos = paths.attrs(trig.i)[0]
    up, down = paths.path(trig.i, m.head)
    up, down = up[:_MAX_PATH], down[:_MAX_PATH]
    last = down[-1] if down else (f"^{up[-1]}" if up else "self")
    first = up[0] if up else (down[0] if down else "self")
    rule = "src" if rule_src else "tgt" if rule_tgt else "no"
    root = code[:2]
    order = "before" if m.head < trig.i else "after"
    kind = m.kind if m.actor is None else f"actor:{m.actor.sector or 'state'}"
    ent = hent or "-"
    ups, downs = "/".join(up), "/".join(down)
    f = [
        "bias", f"rule={rule}", f"path={ups}|{downs}",
        f"up={ups}", f"down={downs}", f"last={last}", f"first={first}",
        f"nup={len(up)}", f"ndown={len(down)}", f"order={order}",
        f"dist={_bucket(abs(m.head - trig.i))}", f"kind={kind}", f"ent={ent}",
        f"hpos={hpos}", f"tpos={tpos}", f"root={root}",
        f"rule={rule}|last={last}", f"rule={rule}|kind={kind}", f"root={root}|last={last}",
        f"root={root}|rule={rule}", f"tpos={tpos}|last={last}",
        f"voice={'pass' if passive else 'act'}|last={last}",
        f"order={order}|last={last}", f"lemma={lemma_key}|last={last}",
        f"tpos={tpos}|path={ups}|{downs}",
    ]
    crossed = [a for a in up + down if a.split(":")[0] in _CLAUSE_ARCS]
    f += [f"cross={a}" for a in crossed] or ["cross=none"]
    if hdep == "poss":
        f.append("poss")
    if m.first <= trig.i < m.last:
        f.append("contains_trigger")
    return f


def rank_features(trig: Token, mentions: list[Mention]) -> dict[int, list[str]]:
    """Where each candidate stands among the others, by head token: the first three on
    each side of the trigger by distance ("rank=b0" is the nearest before it), and the
    nearest resolved actor on each side. Who acts and who is acted on is most often the
    nearest candidate in its direction; the other features see one mention at a time."""
    before = sorted((m for m in mentions if m.head < trig.i), key=lambda m: trig.i - m.head)
    after = sorted((m for m in mentions if m.head > trig.i), key=lambda m: m.head - trig.i)
    out: dict[int, list[str]] = {m.head: ["rank=far"] for m in mentions}
    for side, ms in (("b", before), ("a", after)):
        for k, m in enumerate(ms[:3]):
            out[m.head] = [f"rank={side}{k}"]
        near = next((m for m in ms if m.actor is not None), None)
        if near is not None:
            out[near.head].append(f"near_actor_{'before' if side == 'b' else 'after'}")
    return out


class ArbiterModel:
    """Sparse multinomial logistic regression over feature strings."""

    def __init__(self, intercept: list[float], coef: dict[str, list[float]],
                 meta: dict | None = None):
        self.intercept = intercept
        self.coef = coef
        self.meta = meta or {}

    def proba(self, feats: list[str]) -> tuple[float, float, float]:
        # the same additions in the same order as a loop over a list of three sums, so
        # the same floats; locals instead of list items only save the indexing
        z0, z1, z2 = self.intercept
        get = self.coef.get
        for f in feats:
            w = get(f)
            if w is not None:
                z0 += w[0]
                z1 += w[1]
                z2 += w[2]
        mx = max(z0, z1, z2)
        e0, e1, e2 = math.exp(z0 - mx), math.exp(z1 - mx), math.exp(z2 - mx)
        s = e0 + e1 + e2
        return e0 / s, e1 / s, e2 / s

    def to_json(self) -> dict:
        return {"classes": list(CLASSES), "intercept": self.intercept, "coef": self.coef,
                "meta": self.meta}

    @classmethod
    def from_json(cls, d: dict) -> "ArbiterModel":
        if tuple(d.get("classes", ())) != CLASSES:
            raise ValueError(f"arbiter model classes {d.get('classes')} != {CLASSES}")
        return cls(list(d["intercept"]), {k: list(v) for k, v in d["coef"].items()},
                   d.get("meta"))


@lru_cache(maxsize=1)
def load_arbiter() -> ArbiterModel | None:
    """The shipped model (None when the package was built without one)."""
    try:
        text = resources.files("detente.coding").joinpath("data", "models", MODEL_FILE) \
            .read_text("utf-8")
    except (FileNotFoundError, OSError):
        return None
    return ArbiterModel.from_json(json.loads(text))


__all__ = ["Mention", "ArbiterModel", "CLASSES", "DepPaths", "features", "load_arbiter",
           "rank_features", "sentence_mentions", "dep_path"]
