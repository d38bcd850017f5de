"""Evaluative language in a text: the lexicon loader and the scorer (pure, no model).

The lexicon (``data/evaluative.yaml``) is authored for detente rather than taken
from a sentiment package (VADER, AFINN, TextBlob): those score the *content* of
news ("attack", "war", "killed", "sanctions" are negative), so every conflict
report would read as a hostile stance. Stance needs the writer's judgement
("reckless", "a smart move", "welcome step"), while what actors did is already
scored by CAMEO/Goldstein. The lexicon therefore holds judgement words only.

Scoring rules (each :class:`Hit` records which fired):
- words and multiword phrases match whole words, longest match first;
- a negator in the ``negation_window`` words before a term (not across , ; : or a
  dash) flips its polarity and scales it by ``negation_scale``;
- an intensifier right before a term (``intensifier_window`` words) multiplies it;
- a term after a reporting or naming verb in the same sentence ("calling it a success",
  "officials said it was reckless") is marked ``reported``: someone else's evaluation;
- the score is the weight / 3, clipped to [−1, 1].
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..errors import DetenteError
from ..resources import package_text

TOKEN = re.compile(r"[A-Za-z0-9]+(?:['’-][A-Za-z0-9]+)*")
_BARRIER = re.compile(r"[,;:—–()\[\]]|\s-\s|[.!?]")
QUOTE = re.compile(r"“[^”]{0,600}”|\"[^\"\n]{0,600}\"")
MAX_WEIGHT = 3.0


@dataclass(frozen=True, slots=True)
class EvaluativeLexicon:
    terms: dict[tuple[str, ...], float]  # an ignored phrase has weight 0: it masks the terms inside it
    negators: frozenset[tuple[str, ...]]
    intensifiers: dict[tuple[str, ...], float]
    negation_window: int = 3
    negation_scale: float = 0.8
    intensifier_window: int = 2
    reporting: frozenset[tuple[str, ...]] = frozenset()
    reporting_window: int = 6
    max_len: int = 1  # words in the longest term (set by the loader)
    first_words: frozenset[str] = frozenset()  # first words of the terms: other positions are skipped


@dataclass(frozen=True, slots=True)
class Hit:
    """One evaluative term in a text; offsets into that text."""

    start: int
    end: int
    term: str
    weight: float  # the lexicon weight
    score: float  # after negation and intensifiers, in [-1, 1]
    negated: bool
    intensity: float  # product of the intensifiers applied (1.0 if none)
    reported: bool = False  # after a reporting verb in the same clause: someone else's evaluation


def _words(phrase: str) -> tuple[str, ...]:
    return tuple(t.lower().replace("’", "'") for t in TOKEN.findall(phrase))


def _check(data, where: str) -> None:
    def bad(msg: str):
        raise DetenteError("E304", f"{where}: {msg}", "see src/detente/analysis/data/evaluative.yaml for the format")

    if not isinstance(data, dict):
        bad("not a mapping")
    terms = data.get("terms")
    if not isinstance(terms, dict) or not terms:
        bad("`terms` must be a non-empty mapping of phrase -> weight")
    for k, v in terms.items():
        if not isinstance(k, str) or not _words(k):  # YAML reads bare no/yes as booleans
            bad(f"term {k!r} is not a word or phrase")
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not -MAX_WEIGHT <= v <= MAX_WEIGHT or v == 0:
            bad(f"term {k!r}: weight {v!r} must be a non-zero number in [-3, 3]")
    negs = data.get("negators", [])
    if not isinstance(negs, list) or not all(isinstance(n, str) and _words(n) for n in negs):
        bad("`negators` must be a list of words (quote yes/no/on/off in YAML)")
    ints = data.get("intensifiers", {})
    if not isinstance(ints, dict) or any(isinstance(v, bool) or not isinstance(v, (int, float)) or v <= 0
                                         for v in ints.values()):
        bad("`intensifiers` must map words to positive multipliers")
    rep = data.get("reporting", [])
    if not isinstance(rep, list) or not all(isinstance(n, str) and _words(n) for n in rep):
        bad("`reporting` must be a list of words or phrases")
    for key in ("negation_window", "intensifier_window", "reporting_window"):
        if not isinstance(data.get(key, 1), int) or data.get(key, 1) < 0:
            bad(f"`{key}` must be a non-negative integer")


def load_evaluative_lexicon(path: str | Path | None = None, merge: bool = True) -> EvaluativeLexicon:
    """The packaged lexicon, or a user YAML file of the same format (merged over it by default)."""
    base = yaml.safe_load(package_text("detente.analysis", "data/evaluative.yaml"))
    _check(base, "evaluative.yaml")
    if path is not None:
        try:
            user = yaml.safe_load(Path(path).read_text("utf-8"))
        except (OSError, yaml.YAMLError) as e:
            raise DetenteError("E304", f"{path}: cannot read evaluative lexicon: {e}") from e
        _check(user, str(path))
        if merge:
            user = {**base, **user, "terms": {**base["terms"], **user["terms"]},
                    "intensifiers": {**base.get("intensifiers", {}), **user.get("intensifiers", {})},
                    "negators": list(base.get("negators", [])) + list(user.get("negators", [])),
                    "reporting": list(base.get("reporting", [])) + list(user.get("reporting", []))}
        base = user
    ignore = base.get("ignore", [])
    if not isinstance(ignore, list) or not all(isinstance(x, str) and _words(x) for x in ignore):
        raise DetenteError("E304", "evaluative lexicon: `ignore` must be a list of phrases")
    terms = {**{_words(k): float(v) for k, v in base["terms"].items()}, **{_words(x): 0.0 for x in ignore}}
    return EvaluativeLexicon(
        terms=terms,
        max_len=max(len(k) for k in terms),
        first_words=frozenset(k[0] for k in terms),
        negators=frozenset(_words(n) for n in base.get("negators", []) if _words(n)),
        intensifiers={_words(k): float(v) for k, v in base.get("intensifiers", {}).items()},
        negation_window=int(base.get("negation_window", 3)),
        negation_scale=float(base.get("negation_scale", 0.8)),
        intensifier_window=int(base.get("intensifier_window", 2)),
        reporting=frozenset(_words(n) for n in base.get("reporting", [])),
        reporting_window=int(base.get("reporting_window", 6)),
    )


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """Spans inside quotation marks (the voice of a quoted party, not the writer's)."""
    return [m.span() for m in QUOTE.finditer(text)]


def tokens(text: str) -> list[tuple[str, int, int]]:
    """Lower-cased word tokens with their offsets into ``text``."""
    low = text.lower().replace("’", "'")
    if len(low) != len(text):  # a character whose lower case is longer ("İ"): lower each token instead
        return [(m.group().lower().replace("’", "'"), m.start(), m.end()) for m in TOKEN.finditer(text)]
    return [(low[a:b], a, b) for a, b in (m.span() for m in TOKEN.finditer(text))]


def _is_negator(toks, j: int, lex: EvaluativeLexicon) -> bool:
    w = toks[j][0]
    if w.endswith("n't") or (w,) in lex.negators:
        return True
    return j >= 1 and (toks[j - 1][0], w) in lex.negators


def _reported(text: str, toks, i: int, start: int, lex: EvaluativeLexicon) -> bool:
    """A reporting or naming verb in the ``reporting_window`` words before token ``i``, in the same
    sentence (reported speech runs to the end of the sentence: "X said new sanctions would ...")."""
    for j in range(i - 1, max(-1, i - 1 - lex.reporting_window), -1):
        if re.search(r"[;]|[.!?](?:\s|$)|\n", text[toks[j][2]:start]):
            return False
        if (toks[j][0],) in lex.reporting or (j >= 1 and (toks[j - 1][0], toks[j][0]) in lex.reporting):
            return True
    return False


def score_text(text: str, lex: EvaluativeLexicon, skip: list[tuple[int, int]] | None = None) -> list[Hit]:
    """Every evaluative term in ``text`` (offsets into it), outside the ``skip`` spans."""
    toks = tokens(text)
    skip = skip or []
    hits: list[Hit] = []
    i = 0
    longest = lex.max_len
    firsts = lex.first_words
    while i < len(toks):
        match = None
        if firsts and toks[i][0] not in firsts:
            i += 1
            continue
        for n in range(min(longest, len(toks) - i), 0, -1):
            key = tuple(t[0] for t in toks[i:i + n])
            if key in lex.terms:
                match = (n, key)
                break
        if match is None:
            i += 1
            continue
        n, key = match
        start, end = toks[i][1], toks[i + n - 1][2]
        if any(s <= start < e for s, e in skip):
            i += n
            continue
        weight = lex.terms[key]
        if weight == 0.0:  # an ignored phrase ("in that respect")
            i += n
            continue
        intensity, negated = 1.0, False
        for j in range(i - 1, max(-1, i - 1 - max(lex.negation_window, lex.intensifier_window)), -1):
            if _BARRIER.search(text, toks[j][2], start):
                break
            dist = i - j
            w = toks[j][0]
            if dist <= lex.intensifier_window:
                mult = lex.intensifiers.get((w,)) or (j >= 1 and lex.intensifiers.get((toks[j - 1][0], w)))
                if mult:
                    intensity *= mult
            if dist <= lex.negation_window and _is_negator(toks, j, lex):
                negated = True
                break
        raw = weight * intensity * (-lex.negation_scale if negated else 1.0)
        score = max(-1.0, min(1.0, raw / MAX_WEIGHT))
        hits.append(Hit(start, end, text[start:end], weight, round(score, 3), negated, round(intensity, 3),
                        _reported(text, toks, i, start, lex)))
        i += n
    return hits
