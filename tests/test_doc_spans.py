"""The per-document index of entities and noun chunks gives what spaCy's per-sentence properties give."""

from __future__ import annotations

import pytest

from detente.coding.arbiter import sentence_spans


@pytest.fixture(scope="module")
def docs(nlp):
    texts = [
        "Russia and North Korea signed a treaty in Vladivostok on Thursday. The United States "
        "condemned the deal, and Japan said it would consult South Korea.\n\nOfficials in Beijing "
        "declined to comment. Moscow's envoy met Kim Jong Un's sister in Pyongyang last week.",
        "Talks.",
        "\n\nThe ministry of foreign affairs of the Russian Federation, citing sources in Seoul, said "
        "the shipments of artillery shells to Russia had continued through 2024 despite sanctions.",
    ]
    return list(nlp.pipe(texts))


def test_each_sentence_gets_its_own_ents_and_chunks_in_spacy_order(docs):
    n = 0
    for doc in docs:
        for sent in doc.sents:
            ents, chunks = sentence_spans(sent)
            assert [(e.start, e.end, e.label_) for e in ents] == [(e.start, e.end, e.label_) for e in sent.ents]
            assert [(c.start, c.end) for c in chunks] == [(c.start, c.end) for c in sent.noun_chunks]
            n += len(chunks)
    assert n > 10


def test_a_span_that_is_not_a_sentence_and_switching_documents(docs):
    a, b = docs[0], docs[2]
    for sp in (a[3:12], b[0:5], a[0:len(a)], b[5:6], a[2:30]):  # alternate docs: the memo must follow
        ents, chunks = sentence_spans(sp)
        assert [(e.start, e.end) for e in ents] == [(e.start, e.end) for e in sp.ents]
        assert [(c.start, c.end) for c in chunks] == [(c.start, c.end) for c in sp.noun_chunks]
