"""Prefixed words stay whole ("re-ignited"), so the parser sees the verb (detente.nlp)."""

from conftest import code_with_actors as _code


def test_prefix_hyphen_word_is_one_token(nlp):
    doc = nlp("Cuba and Angola have re-ignited ties; Peru re-established relations.")
    assert [t.text for t in doc if "-" in t.text] == ["re-ignited", "re-established"]
    assert doc.text == "Cuba and Angola have re-ignited ties; Peru re-established relations."
    ignited = next(t for t in doc if t.text == "re-ignited")
    assert ignited.pos_ == "VERB" and any(c.dep_ == "dobj" for c in ignited.children)


def test_other_hyphens_are_split_as_before(nlp):
    # an actor adjective after "anti-" must stay its own token; "re" alone is no prefix
    doc = nlp("The anti-Russian sanctions were re-examined by the re - election panel.")
    assert "Russian" in [t.text for t in doc]
    assert "re - election" not in [t.text for t in doc]


def test_prefixed_verbs_are_coded(nlp, lex):
    evs = _code(nlp, lex, "Cuba and Angola have re-ignited ties.",
                [("Cuba", "CUB", "CUB"), ("Angola", "AGO", "AGO")])
    assert sorted((e.source_actor, e.target_actor, e.cameo) for e in evs) == \
        [("AGO", "CUB", "050"), ("CUB", "AGO", "050")]
    evs = _code(nlp, lex, "Iran re-imposed the ban on Iraq.", [("Iran", "IRN", "IRN"), ("Iraq", "IRQ", "IRQ")])
    assert [(e.source_actor, e.target_actor, e.cameo) for e in evs] == [("IRN", "IRQ", "163")]
    evs = _code(nlp, lex, "Peru re-established relations with Chile.",
                [("Peru", "PER", "PER"), ("Chile", "CHL", "CHL")])
    assert [(e.source_actor, e.target_actor, e.cameo) for e in evs] == [("PER", "CHL", "050")]


def test_prefix_merges_are_the_token_walks(nlp):
    # the merge looks only where a prefix word meets a hyphen token; the plain walk over every
    # token, written out here, must find the same merges
    texts = ["Re-elected, the co-chair re-Elected non-aligned pre-1990 de-escalation re-re-ignited.",
             "co- operation, re -ignite, re-ignite-d, Counter-attacked counter-Attack", "re-", "re-a", "x"]
    prefixes = {"re", "co", "pre", "de", "counter", "non"}
    for text in texts:
        raw = nlp.tokenizer(text)
        expect, i = [], 0
        while i + 2 < len(raw):
            a, h, w = raw[i], raw[i + 1], raw[i + 2]
            if a.lower_ in prefixes and h.text == "-" and not a.whitespace_ and not h.whitespace_ \
                    and w.is_alpha and w.is_lower:
                expect.append(a.text + h.text + w.text)
                i += 3
            else:
                i += 1
        doc = nlp(text)
        assert [t.text for t in doc if t.text in expect] == expect
        assert len(doc) == len(raw) - 2 * len(expect)
    assert len(nlp(texts[0])) < len(nlp.tokenizer(texts[0]))


def test_a_blank_line_starts_a_sentence(nlp):
    doc = nlp("Russia warns Ukraine\n\nMoscow said on Monday that it would respond. It gave no date.\n \n"
              "Kyiv rejected the warning.")
    starts = [t.text for t in doc if t.is_sent_start]
    assert starts[:2] == ["Russia", "Moscow"] and "Kyiv" in starts
    assert not any(t.is_sent_start for t in doc if t.text == "warning")
