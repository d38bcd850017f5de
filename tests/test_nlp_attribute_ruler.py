"""detente's attribute ruler and lemmatizer give the stock spaCy components' result, token for
token (detente.nlp).

The stock ``attribute_ruler`` runs a Matcher with all its patterns over every token; detente's
replacement finds the same matches from each token's attribute values and caches them. The stock
rule lemmatizer tests every base form again; detente's caches every answer. These tests run both
on the same tagged and parsed documents and compare every attribute either can set, on real text
and on rules built to exercise each kind of pattern.
"""

import spacy
from spacy.attrs import IDS
from spacy.tokens import Doc

from conftest import EXAMPLES, SEEDS
from detente.nlp import FastAttributeRuler, FastLemmatizer, _compile_ruler

COLUMNS = [IDS[a] for a in ("TAG", "POS", "MORPH", "LEMMA", "DEP", "HEAD", "NORM", "ORTH")]


def _both(stock, fast, doc):
    a, b = doc.copy(), doc.copy()
    stock(a)
    fast(b)
    return a, b


def _same(a, b) -> bool:
    return (a.to_array(COLUMNS) == b.to_array(COLUMNS)).all() and [str(t.morph) for t in a] == \
        [str(t.morph) for t in b]


def _before_ruler(nlp, text):
    doc = nlp.make_doc(text)
    for name, proc in nlp.pipeline:
        if name == "attribute_ruler":
            return doc
        doc = proc(doc)
    raise AssertionError("no attribute_ruler in the pipeline")


def test_pipeline_uses_the_fast_components_under_the_stock_names(nlp):
    assert isinstance(nlp.get_pipe("attribute_ruler"), FastAttributeRuler)
    assert isinstance(nlp.get_pipe("lemmatizer"), FastLemmatizer)
    names = nlp.pipe_names
    assert names.index("parser") < names.index("attribute_ruler") < names.index("lemmatizer") < names.index("ner")


def test_detente_spacy_stock_keeps_spacys_own_components(monkeypatch):
    from detente.nlp import load_pipeline

    monkeypatch.setenv("DETENTE_SPACY_STOCK", "1")
    stock = load_pipeline.__wrapped__()  # (not the cached pipeline)
    assert [type(stock.get_pipe(n)).__name__ for n in ("attribute_ruler", "lemmatizer")] == \
        ["AttributeRuler", "EnglishLemmatizer"]
    assert "detente_prefixes" in stock.pipe_names  # detente's own additions stay


def test_same_as_the_stock_ruler_and_lemmatizer_on_real_text(nlp):
    fast, lemmas = nlp.get_pipe("attribute_ruler"), nlp.get_pipe("lemmatizer")
    texts = [p.read_text("utf-8") for p in sorted(EXAMPLES.glob("*.md"))]
    if SEEDS.is_dir():
        texts += [p.read_text("utf-8") for p in sorted(SEEDS.glob("*")) if p.is_file()]
    texts += ["There is no deal, and there are no talks.", "They'd've gone; I'm sure he's got it.",
              "Nothin' doin', y' know: we ain't n't going.", "  Leading spaces\n\n\nand blank lines.  "]
    diffs = []
    for text in texts:
        doc = _before_ruler(nlp, text)
        a, b = _both(fast.stock, fast, doc)
        a, b = lemmas.stock(a), lemmas(b)
        if not _same(a, b) or [t.lemma_ for t in a] != [t.lemma_ for t in b]:
            diffs.append([(x.text, x.pos_, x.lemma_, str(x.morph), y.pos_, y.lemma_, str(y.morph))
                          for x, y in zip(a, b) if (x.pos, x.lemma, x.morph) != (y.pos, y.lemma, y.morph)][:5])
    assert len(texts) > 20 and diffs == []
    # and the stock components do change these docs: the comparison is not between two no-ops
    doc = _before_ruler(nlp, texts[0])
    ruled = fast.stock(doc.copy())
    assert [t.pos_ for t in ruled] != [t.pos_ for t in doc]
    assert [t.lemma_ for t in lemmas.stock(ruled.copy())] != [t.lemma_ for t in ruled]


def _toy_pipeline(patterns):
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add_patterns(patterns)
    return nlp, ruler


def _toy_doc(nlp, words, tags, deps=None, heads=None):
    return Doc(nlp.vocab, words=words, tags=tags, deps=deps, heads=heads)


def test_rule_order_multi_token_rules_and_set_tests_match_the_stock_ruler():
    patterns = [
        {"patterns": [[{"TAG": "NN"}]], "attrs": {"POS": "NOUN", "MORPH": "Number=Sing"}},
        {"patterns": [[{"TAG": "VBZ"}], [{"TAG": "VBD"}]], "attrs": {"POS": "VERB"}},
        # a later rule overrides an earlier one on the same token, attribute by attribute
        {"patterns": [[{"TAG": "NN", "LOWER": {"IN": ["deal", "talks"]}}]], "attrs": {"LEMMA": "DEAL"}},
        {"patterns": [[{"LOWER": "is", "TAG": "VBZ"}]], "attrs": {"POS": "AUX", "LEMMA": "be"}},
        # two-token rules, the target by a positive and by a negative index
        {"patterns": [[{"DEP": "expl"}, {"LOWER": {"IN": ["is", "was"]}}]], "attrs": {"POS": "PRON"}, "index": 0},
        {"patterns": [[{"LOWER": "no"}, {"TAG": "NN"}]], "attrs": {"MORPH": "Polarity=Neg"}, "index": -1},
        {"patterns": [[{"DEP": {"NOT_IN": ["", "det"]}, "TAG": "DT"}]], "attrs": {"POS": "PRON"}},
        {"patterns": [[{"LOWER": {"REGEX": "^n'?t$"}}]], "attrs": {"POS": "PART", "LEMMA": "not"}},
        {"patterns": [[{"IS_SPACE": True}]], "attrs": {"TAG": "_SP", "POS": "SPACE"}},
    ]
    nlp, stock = _toy_pipeline(patterns)
    compiled = _compile_ruler(stock)
    assert compiled is not None
    fast = FastAttributeRuler(stock, compiled)
    words = ["There", "is", "no", "deal", "and", "that", "was", "n't", "talks", " ", "is", "no", "deal"]
    tags = ["EX", "VBZ", "DT", "NN", "CC", "DT", "VBD", "RB", "NN", "_SP", "VBZ", "DT", "NN"]
    deps = ["expl", "ROOT", "det", "attr", "cc", "nsubj", "conj", "neg", "attr", "dep", "conj", "det", "attr"]
    heads = [1, 1, 3, 1, 1, 6, 1, 6, 6, 8, 1, 12, 10]
    doc = _toy_doc(nlp, words, tags, deps, heads)
    a, b = _both(stock, fast, doc)
    assert _same(a, b)
    # what the rules did, so that a silent no-op on both sides cannot pass
    assert [t.pos_ for t in b][:4] == ["PRON", "AUX", "", "NOUN"]
    # MORPH is set whole: the later rule's replaces the earlier one's
    assert b[3].lemma_ == "DEAL" and str(b[3].morph) == "Polarity=Neg" and str(b[12].morph) == "Polarity=Neg"
    assert str(b[8].morph) == "Number=Sing"
    assert b[5].pos_ == "PRON" and b[2].pos_ == ""  # "that" is nsubj, "no" is det
    assert b[7].lemma_ == "not" and b[9].pos_ == "SPACE"
    # a second call uses the cache and still agrees
    a, b = _both(stock, fast, doc)
    assert _same(a, b)


def test_a_pattern_it_cannot_read_leaves_the_stock_ruler_in_place():
    nlp, stock = _toy_pipeline([{"patterns": [[{"TAG": "NN", "OP": "+"}]], "attrs": {"POS": "NOUN"}}])
    assert _compile_ruler(stock) is None
    from spacy.tokens import Token

    Token.set_extension("detente_test_seen", default=False, force=True)
    nlp, stock = _toy_pipeline([{"patterns": [[{"TAG": "NN"}]], "attrs": {"_": {"detente_test_seen": True}}}])
    assert _compile_ruler(stock) is None
    nlp, stock = _toy_pipeline([{"patterns": [[{"LENGTH": {">=": 3}}]], "attrs": {"POS": "NOUN"}}])
    assert _compile_ruler(stock) is None
    from detente.nlp import _speed_up_attribute_ruler

    _speed_up_attribute_ruler(nlp)
    assert type(nlp.get_pipe("attribute_ruler")).__name__ == "AttributeRuler"
