"""What is read of one parsed Doc once and shared by the resolver's rules and the coder:
its tokens and entities (:func:`doc_tokens`), its text (:func:`doc_text`), columns of
token attributes (:func:`doc_column`) and results derived from the parse
(:func:`doc_cache`).

spaCy builds a new ``Token`` object at each ``doc[i]`` and each step of ``for tok in
doc``, a new Python string at each ``tok.lower_`` or ``tok.text``, and new spans at each
``doc.ents`` and ``Span.text``; the rules scan a document a dozen times. The last Doc's
reads are kept per thread: ``resolve_doc`` reads them fresh, then ``code_doc`` on the same
Doc reuses them. The entry holds the Doc, so ``is`` never matches a new Doc at a freed
one's address.

Imports nothing of detente.
"""

from __future__ import annotations

import threading
from bisect import bisect_right

import numpy
from spacy.attrs import DEP, ENT_TYPE, HEAD, IS_ALPHA, IS_SPACE, LOWER, ORTH, POS, SPACY
from spacy.lang.en.syntax_iterators import noun_chunks as _english_noun_chunks
from spacy.parts_of_speech import NAMES as POS_NAMES
from spacy.tokens import Span

class _LastDoc(threading.local):
    memo: "_DocRead | None" = None  # (a class default: read without getattr's fallback)


_LAST_DOC = _LastDoc()  # the last Doc read by doc_tokens, per thread


class _DocRead:
    """What :func:`doc_tokens` and :func:`doc_column` read of one Doc: its tokens, entities,
    text, and columns of token attributes (each read on first use)."""

    __slots__ = ("doc", "n", "tokens", "ents", "text", "columns", "cache", "children")

    def __init__(self, doc):
        self.doc, self.n = doc, len(doc)
        self.tokens, self.ents = list(doc), doc.ents
        self.text: str | None = None
        self.columns: dict[str, list] = {}
        self.cache: dict = {}
        self.children: list[list] | None = None


def _read(doc, fresh: bool = False) -> _DocRead:
    memo = _LAST_DOC.memo
    if fresh or memo is None or memo.doc is not doc or memo.n != len(doc):
        memo = _LAST_DOC.memo = _DocRead(doc)
    return memo


def doc_tokens(doc, fresh: bool = False) -> tuple[list, tuple]:
    """``(list(doc), doc.ents)``: the Doc's tokens and entities, read once for the resolver
    and the coder. spaCy builds a new ``Token`` at each ``doc[i]`` and each step of ``for
    tok in doc``, and new entity spans at each ``doc.ents`` (about a third of a millisecond
    per article); the resolver's rules scan a document a dozen times and the coder reads it
    again. The last Doc's are kept per thread (``resolve_doc`` reads them with ``fresh``,
    then ``code_doc`` on the same Doc reuses them); the entry holds the Doc, so ``is``
    never matches a new Doc at a freed one's address."""
    memo = _read(doc, fresh)
    return memo.tokens, memo.ents


def doc_cache(doc) -> dict:
    """A dict kept with the Doc's reads, for results of pure functions of the parse that
    several rules ask for again and again (its keys name the function and the token)."""
    return _read(doc).cache


def doc_children(doc) -> list[list | tuple]:
    """``[list(tok.children) for tok in doc]`` (a leaf's: an empty tuple): each token's
    children, in document order, as the Token objects of :func:`doc_tokens`. Built once
    per Doc from the head column.
    Hand-written because spaCy has no such index: each ``Token.children`` walks the
    token's left and right arcs again and builds a new ``Token`` for each child (about
    half a microsecond per call), and the coder's rules ask a verb for its children
    several times per rule."""
    memo = _read(doc)
    kids = memo.children
    if kids is None:
        tokens = memo.tokens
        # a leaf's children are one shared empty tuple (most tokens are leaves)
        kids = memo.children = [()] * len(tokens)
        # spaCy yields the left children, then the right ones, each left to right: that is
        # every dependent in the order of its index; the root is its own head, no child
        for i, h in enumerate(doc_column(doc, "head")):
            if h != i:
                k = kids[h]
                if k:
                    k.append(tokens[i])
                else:
                    kids[h] = [tokens[i]]
    return kids


def children_of(tok) -> list | tuple:
    """``list(tok.children)``, from :func:`doc_children` (a list or an empty tuple; do not
    change it)."""
    memo = _LAST_DOC.memo  # doc_children's fast path, asked very often
    doc = tok.doc
    if memo is not None and memo.doc is doc and memo.children is not None and memo.n == len(doc):
        return memo.children[tok.i]
    return doc_children(doc)[tok.i]


def conjuncts_of(tok) -> tuple:
    """``tok.conjuncts``: the tokens coordinated with ``tok`` (not itself), in spaCy's
    order, from the columns and :func:`doc_children`. spaCy's property walks up to the
    first conjunct and down its right children, building a ``Token`` at each step (about
    half a microsecond per call, and the coder asks it of every argument it expands). A
    Doc with its own ``conjuncts`` hook is left to spaCy."""
    doc = tok.doc
    if "conjuncts" in doc.user_token_hooks:
        return tok.conjuncts
    head, dep = doc_column(doc, "head"), doc_column(doc, "dep_")
    i = start = tok.i
    while start != head[start] and dep[start] == "conj":  # up to the first conjunct
        start = head[start]
    kids = doc_children(doc)
    # then down: each conjunct's right children on a "conj" arc (spaCy keeps a queue that
    # is always equal to its output: the output is walked as it grows)
    output = [start]
    for w in output:
        for c in kids[w]:
            if c.i > w and dep[c.i] == "conj":
                output.append(c.i)
    tokens = _read(doc).tokens
    return tuple([tokens[w] for w in output if w != i])


def sent_of(tok):
    """``tok.sent``: the sentence span holding ``tok``, found by bisection in the Doc's
    sentences (read once per Doc). spaCy's property builds a one-token span and scans
    the sentence starts both ways at each call, and the coder asks it of every trigger.
    A Doc with sentence hooks of its own is left to spaCy."""
    doc = tok.doc
    if "sent" in doc.user_token_hooks or "sent" in doc.user_span_hooks or "sents" in doc.user_hooks:
        return tok.sent
    sents = doc_sents(doc)
    return sents[bisect_right(_read(doc).cache["sent_starts"], tok.i) - 1]


def doc_sents(doc) -> list:
    """``list(doc.sents)``, read once per Doc (the resolver, coreference and the coder
    each walk the sentences; spaCy builds every sentence span again at each
    ``doc.sents``). Do not change the list."""
    cache = _read(doc).cache
    sents = cache.get("sents")
    if sents is None:
        sents = cache["sents"] = list(doc.sents)  # (spaCy's E030 without sentence starts)
        cache["sent_starts"] = [s.start for s in sents]
    return sents


# spaCy's English noun-chunk iterator (spacy/lang/en/syntax_iterators.py), whose chunks
# doc_noun_chunks finds from the columns: the arcs of a noun phrase, and its label
_NP_DEPS = frozenset({"oprd", "nsubj", "dobj", "nsubjpass", "pcomp", "pobj", "dative", "appos",
                      "attr", "ROOT"})
_NOMINALS = frozenset({"NOUN", "PROPN", "PRON"})


def doc_noun_chunks(doc) -> list:
    """``list(doc.noun_chunks)``, the same spans in the same order, found once per Doc from
    the columns (:func:`doc_noun_chunk_bounds`)."""
    memo = _read(doc)
    got = memo.cache.get("noun_chunks")
    if got is None:
        got = memo.cache["noun_chunks"] = [noun_chunk_span(doc, k)
                                           for k in range(len(doc_noun_chunk_bounds(doc)))]
    return got


def noun_chunk_span(doc, k: int) -> Span:
    """The ``k``-th span of :func:`doc_noun_chunks`, built alone: a caller that needs the
    chunks of a few sentences builds only theirs (a ``Span`` costs three ``Token``s)."""
    cache = _read(doc).cache
    spans = cache.get("noun_chunks") or cache.get("noun_chunk_spans")  # (spaCy's, see below)
    if spans is not None:
        return spans[k]
    start, end = doc_noun_chunk_bounds(doc)[k]
    return Span(doc, start, end, label=cache["noun_chunk_label"])


def doc_noun_chunk_bounds(doc) -> list[tuple[int, int]]:
    """``[(c.start, c.end) for c in doc.noun_chunks]``, found once per Doc from the columns.
    spaCy's iterator builds a ``Token`` for every word of the document and reads its part
    of speech and arc through it; here only the nominals' left edges are read from spaCy
    (the same loop over the columns otherwise: a nominal not inside the last chunk, on a
    noun-phrase arc or conjoined to one). Another language's iterator, or a Doc without a
    parse (spaCy's error E029), is left to spaCy."""
    memo = _read(doc)
    got = memo.cache.get("noun_chunk_bounds")
    if got is not None:
        return got
    if doc.noun_chunks_iterator is not _english_noun_chunks or not doc.has_annotation("DEP"):
        spans = memo.cache["noun_chunk_spans"] = list(doc.noun_chunks)
        got = [(c.start, c.end) for c in spans]
    else:
        pos, dep, head = doc_column(doc, "pos_"), doc_column(doc, "dep_"), doc_column(doc, "head")
        tokens = memo.tokens
        memo.cache["noun_chunk_label"] = doc.vocab.strings.add("NP")
        got = []
        prev_end = -1
        for i, p in enumerate(pos):
            if p not in _NOMINALS:
                continue
            d = dep[i]
            if d != "conj" and d not in _NP_DEPS:
                continue
            if d == "conj":  # the first conjunct of the coordination must be a noun phrase
                h = head[i]
                while dep[h] == "conj" and head[h] < h:
                    h = head[h]
                if dep[h] not in _NP_DEPS:
                    continue
            # (spaCy tests the left edge first; both tests only skip, so the arcs go first
            # and a Token is built only for a nominal that heads a phrase)
            first = tokens[i].left_edge.i
            if first <= prev_end:  # no chunk inside another
                continue
            prev_end = i
            got.append((first, i + 1))
    memo.cache["noun_chunk_bounds"] = got
    return got


def doc_text(doc) -> str:
    """``doc.text``, joined once per Doc (a Span's ``text`` is
    ``doc_text(doc)[span.start_char:span.end_char]``: spaCy joins the span's tokens again
    at each ``Span.text``)."""
    memo = _read(doc)
    if memo.text is None:
        # Token.text_with_ws is the word and, when the token has a space after it, one " "
        texts, ws = doc_column(doc, "text"), doc_column(doc, "whitespace_")
        memo.text = "".join([t + " " if w else t for t, w in zip(texts, ws)])
    return memo.text


# the token attributes doc_column reads, by their spaCy names: strings, flags and the
# head's index; all are read with one Doc.to_array call at the first request
_COLUMNS = {"text": ORTH, "lower_": LOWER, "pos_": POS, "dep_": DEP, "ent_type_": ENT_TYPE,
            "is_space": IS_SPACE, "is_alpha": IS_ALPHA, "whitespace_": SPACY, "head": HEAD}
_STRING_COLUMNS = ("text", "lower_", "dep_", "ent_type_")
_FLAGS = ("is_space", "is_alpha", "whitespace_")
_NAMES = list(_COLUMNS)
_ATTRS = [_COLUMNS[k] for k in _NAMES]
_HEAD, _POS = _NAMES.index("head"), _NAMES.index("pos_")
_FLAG_COLS = [_NAMES.index(k) for k in _FLAGS]
_STRING_COLS = [_NAMES.index(k) for k in _STRING_COLUMNS]
# part-of-speech id -> its name (spaCy's ids are small integers)
_POS_TABLE = numpy.array([POS_NAMES.get(i) for i in range(max(POS_NAMES) + 1)], dtype=object)
# vocabulary hash -> string, for every vocabulary (a hash names one string whichever
# StringStore holds it); emptied when it grows past _STRINGS_MAX so a long run over
# many documents does not keep every word it has seen
_STRINGS: dict[int, str] = {}
_STRINGS_MAX = 200_000


def doc_column(doc, name: str) -> list:
    """``[tok.<name> for tok in doc]`` for one of the string attributes of ``_COLUMNS``
    (``"text"``, ``"lower_"``, ``"pos_"``, ``"dep_"``, ``"ent_type_"``); booleans for the
    flags ``"is_space"``, ``"is_alpha"`` and ``"whitespace_"`` (a space after the token);
    ``tok.head.i`` for ``"head"``. Read once per Doc, all columns with one
    ``Doc.to_array`` call. Hand-written because spaCy has no such table: each
    ``tok.lower_`` looks the string up in the vocabulary and builds a new Python string,
    and the rules scan every token of a document for its part of speech or its word
    several times over."""
    memo = _LAST_DOC.memo  # _read's test inline: asked a quarter of a million times per 200,000 words
    if memo is None or memo.doc is not doc or memo.n != len(doc):
        memo = _read(doc)
    col = memo.columns.get(name)
    if col is None:
        _read_columns(doc, memo.columns)
        col = memo.columns[name]
    return col


def _read_columns(doc, out: dict[str, list]) -> None:
    n = len(doc)
    if not n:
        out.update((k, []) for k in _NAMES)
        return
    arr = doc.to_array(_ATTRS)  # one row per token, one column per attribute
    # HEAD is the offset to the head, negative ones wrapped in the unsigned array
    out["head"] = (arr[:, _HEAD].astype(numpy.int64) + numpy.arange(n)).tolist()
    out["pos_"] = _POS_TABLE[arr[:, _POS]].tolist()
    for name, k in zip(_FLAGS, _FLAG_COLS):
        out[name] = arr[:, k].astype(bool).tolist()
    # the string columns: each token's hash looked up in the cache of strings seen (one
    # C-level map per column), then the strings not seen yet from the vocabulary
    if len(_STRINGS) > _STRINGS_MAX:
        _STRINGS.clear()
    strings, vocab = _STRINGS, doc.vocab.strings
    get = strings.get
    for name, hashes in zip(_STRING_COLUMNS, arr[:, _STRING_COLS].T.tolist()):
        col = list(map(get, hashes))
        if None in col:  # (or another thread emptied the cache meanwhile)
            for k, text in enumerate(col):
                if text is None:
                    i = hashes[k]
                    col[k] = strings[i] = vocab[i]
        out[name] = col
