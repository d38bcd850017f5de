"""A capital standing for its government is read at the event's date, not the article's."""

import datetime as dt

import pytest

pytestmark = pytest.mark.slow


def _events(nlp, lex, text, article_date):
    from detente.actors import load_kb, resolve_doc
    from detente.coding import code_doc

    kb = load_kb()
    doc = nlp(text)
    return code_doc(doc, resolve_doc(doc, "t", article_date, kb), "t", article_date, lex, kb)


@pytest.mark.parametrize("text,moscow", [
    ("In 1961, Pyongyang and Moscow signed a treaty of friendship.", "USRGOV"),
    ("The 1961 treaty between Pyongyang and Moscow obliges each to defend the other.", "USRGOV"),
    ("In March 2016, Pyongyang and Moscow signed a treaty of friendship.", "RUSGOV"),
])
def test_moscow_is_the_soviet_government_before_1992(nlp, lex, text, moscow):
    evs = _events(nlp, lex, text, dt.date(2016, 6, 1))
    codes = {(e.source_actor, e.target_actor) for e in evs if e.cameo.startswith("05")}
    assert ("PRKGOV", moscow) in codes and (moscow, "PRKGOV") in codes, codes
    e = next(e for e in evs if e.target_actor == moscow)
    if moscow == "USRGOV":  # the mention says which date it was read at
        assert e.event_date.startswith("1961")


def test_a_capital_before_its_state_stands_for_no_government(nlp, lex):
    evs = _events(nlp, lex, "In 1985, Kiev and Warsaw signed a trade agreement.", dt.date(2016, 6, 1))
    assert not any(e.source_actor and e.source_actor.startswith("UKR") or
                   e.target_actor and e.target_actor.startswith("UKR") for e in evs)


def test_an_inanimate_subject_does_not_become_a_source(nlp, lex):
    evs = _events(nlp, lex, "The 1961 treaty between Pyongyang and Moscow obliges each to defend the other.",
                  dt.date(2016, 6, 1))
    assert all(e.source_actor or not e.source_text or "treaty" not in e.source_text for e in evs)
