"""What is read of a Doc once (actors/doc/read.py) is what spaCy's Token, Span and Doc give."""

from __future__ import annotations

import pytest

from detente.actors import (children_of, conjuncts_of, doc_children, doc_column, doc_noun_chunk_bounds,
                            doc_noun_chunks, doc_sents, doc_text, doc_tokens, noun_chunk_span, sent_of)
from detente.actors.doc.matching import _longest_first
from detente.actors.doc.read import _COLUMNS
from detente.coding.arbiter import DepPaths, _arc

FLAGS = ("is_space", "is_alpha", "whitespace_")


@pytest.fixture(scope="module")
def docs(nlp):
    texts = [
        "Russia and North Korea signed a treaty in Vladivostok on Thursday. The U.S. "
        "condemned the deal, and Japan said it wouldn't consult South Korea.\n\nOfficials in "
        "Beijing declined to comment.  Moscow's envoy met Kim Jong-un's sister in Pyongyang.",
        "Talks.",
        "",
        "\n\n  Erdoğan’s spokesman, citing sources in São Paulo, said the shipments had continued "
        "through 2024 — despite sanctions ",
    ]
    return list(nlp.pipe(texts))


def _expected(tok, name):
    if name == "head":
        return tok.head.i
    value = getattr(tok, name)
    return bool(value) if name in FLAGS else value


@pytest.mark.parametrize("name", sorted(_COLUMNS))
def test_each_column_is_the_token_attribute(docs, name):
    for doc in docs:
        assert doc_column(doc, name) == [_expected(t, name) for t in doc]


def test_text_tokens_and_entities_and_switching_documents(docs):
    for doc in docs + docs[::-1]:  # alternate documents: the per-thread memo must follow
        assert doc_text(doc) == doc.text
        tokens, ents = doc_tokens(doc)
        assert [t.i for t in tokens] == list(range(len(doc)))
        assert [(e.start, e.end, e.label_) for e in ents] == [(e.start, e.end, e.label_) for e in doc.ents]
        for sent in doc.sents:  # the coder's evidence: Span.text as a slice of the text
            assert doc_text(doc)[sent.start_char:sent.end_char] == sent.text
    assert any(doc_column(d, "is_space").count(True) for d in docs)  # the texts have spaces


def test_children_index_is_spacys_children(docs, nlp):
    # a non-projective parse too: children outside the token's span of text in between
    built = nlp.make_doc("They said yesterday that it rained")
    from spacy.tokens import Doc
    odd = Doc(nlp.vocab, words=["a", "b", "c", "d", "e"], heads=[1, 1, 4, 1, 1],
              deps=["det", "ROOT", "dobj", "nsubj", "conj"])
    for doc in [*docs, built, odd]:
        kids = doc_children(doc)
        tokens = doc_tokens(doc)[0]
        assert [[c.i for c in k] for k in kids] == [[c.i for c in t.children] for t in doc]
        for t in doc:
            assert list(children_of(t)) == list(t.children)
            assert all(c is tokens[c.i] for c in children_of(t))  # the shared Token objects


def test_conjuncts_read_from_columns_are_spacys(docs, nlp):
    more = list(nlp.pipe([
        "Russia, China, Iran and North Korea met, talked and signed deals with India and Japan.",
        "The US and Philippine forces and the Indian and Chinese troops withdrew or stayed.",
    ]))
    n = 0
    for doc in [*docs, *more]:
        tokens = doc_tokens(doc)[0]
        for t in doc:
            got = conjuncts_of(t)
            assert [c.i for c in got] == [c.i for c in t.conjuncts]
            assert all(c is tokens[c.i] for c in got)
            n += len(got)
    assert n > 10


def test_sentence_of_a_token_is_spacys(docs, nlp):
    from spacy.tokens import Doc
    for doc in docs:
        assert [(s.start, s.end) for s in doc_sents(doc)] == [(s.start, s.end) for s in doc.sents]
        for t in doc:
            assert (sent_of(t).start, sent_of(t).end) == (t.sent.start, t.sent.end)
    bare = Doc(nlp.vocab, words=["Russia", "talks"])  # no sentence starts: spaCy's error stays
    with pytest.raises(ValueError, match="E030"):
        sent_of(bare[0])


def test_noun_chunks_read_from_columns_are_spacys(docs, nlp):
    from spacy.tokens import Doc
    # coordinated noun phrases, a conjunct whose first conjunct is no noun phrase, a
    # chunk inside another's left edge
    more = list(nlp.pipe([
        "Iran, Iraq and the Syrian government of Bashar al-Assad and its allies met and talked.",
        "The big and the small states voted; tall, fat men and their wives left the city.",
    ]))
    bare = Doc(nlp.vocab, words=["Russia", "talks"])  # no parse: spaCy's error stays
    for doc in [*docs, *more]:
        want = [(c.start, c.end, c.label_) for c in doc.noun_chunks]
        doc_tokens(doc, fresh=True)  # a chunk alone first, then the bounds, then all chunks
        alone = [noun_chunk_span(doc, k) for k in range(len(want))]
        assert [(c.start, c.end, c.label_) for c in alone] == want
        assert doc_noun_chunk_bounds(doc) == [w[:2] for w in want]
        got = doc_noun_chunks(doc)
        assert [(c.start, c.end, c.label_) for c in got] == want
    with pytest.raises(ValueError, match="E029"):
        doc_noun_chunks(bare)


def test_dependency_paths_read_from_columns_match_spacy(docs):
    doc = docs[0]
    paths = DepPaths(doc)
    for t in doc:
        h, dep, arc = paths._info(t.i)
        assert (h, dep, arc) == (t.head.i, t.dep_, _arc(t))
        assert paths.attrs(t.i) == (t.pos_, t.ent_type_, t.dep_)


def _scan_every_position(keys, lengths, probe):
    """The greedy scan as first written: every position, longest first."""
    out, p, n = [], 0, len(keys)
    while p < n:
        hit = None
        for L in lengths.get(keys[p][1], ()):
            if L <= n - p:
                hit = probe(keys[p:p + L], tuple(k for _, k, _ in keys[p:p + L]))
                if hit is not None:
                    break
        if hit is not None:
            out.append(hit)
            p += L
        else:
            p += 1
    return out


def test_greedy_scan_visiting_phrase_starts_only_finds_the_same_matches():
    words = "the north korean army and the korean army of north korea met north korea".split()
    keys = [(i, w, False) for i, w in enumerate(words)]
    phrases = {("north", "korea"), ("north", "korean", "army"), ("korean", "army"), ("korea",),
               ("army", "of", "north"), ("north",)}
    lengths: dict[str, tuple[int, ...]] = {}
    for ph in phrases:
        lengths[ph[0]] = tuple(sorted({*lengths.get(ph[0], ()), len(ph)}, reverse=True))

    def probe(window, key):
        return (window[0][0], window[-1][0] + 1) if key in phrases else None

    got = _longest_first(keys, lengths, probe)
    assert got == _scan_every_position(keys, lengths, probe)
    assert got[:2] == [(1, 4), (6, 8)]  # "north korean army", then "korean army"
    # with the index of the first two words: the same matches, fewer windows probed
    pairs: dict[tuple[str, str], tuple[int, ...]] = {}
    for ph in phrases:
        if len(ph) >= 2:
            pairs[ph[:2]] = tuple(sorted({*pairs.get(ph[:2], ()), len(ph)}, reverse=True))
    probed = []

    def counting(window, key):
        probed.append(key)
        return probe(window, key)

    assert _longest_first(keys, lengths, counting, pairs) == got
    assert all(len(k) == 1 or k[:2] in pairs for k in probed)
    assert ("north", "korea", "met") not in probed  # "north korea" starts no three-word phrase
