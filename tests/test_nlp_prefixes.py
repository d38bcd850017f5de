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
