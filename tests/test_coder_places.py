"""Place as target: a material event aimed at no actor takes the state of the place
where it happened, at the event's date (the gazetteer, see actors/doc/places.py)."""

import datetime as dt

import pytest


@pytest.fixture(scope="module")
def code(nlp, kb, lex):
    from detente.actors import resolve_doc
    from detente.coding import code_doc

    def run(text, date="2020-06-01"):
        d = dt.date.fromisoformat(date)
        doc = nlp(text)
        evs = code_doc(doc, resolve_doc(doc, "t", d, kb), "t", d, lex, kb)
        return sorted(evs, key=lambda e: -e.confidence)
    return run


def test_city_of_a_blockade_is_the_target(code):
    evs = code("Riot police suspended food deliveries in Mosul on Wednesday.")
    assert evs and evs[0].target_country == "IRQ"
    assert evs[0].target_text and "Mosul" in evs[0].target_text


def test_people_acted_on_stay_the_target(code):
    evs = code("Gunmen killed five villagers in Kandahar on Monday.")
    assert evs and evs[0].target_actor != "AFG"


def test_place_is_read_at_the_event_date(code):
    old = code("Rebels shelled the town of Juba on Sunday, killing 20 people.", "1988-03-01")
    new = code("Rebels shelled the town of Juba on Sunday, killing 20 people.", "2016-03-01")
    assert old and old[0].target_country == "SDN"
    assert new and new[0].target_country == "SSD"


def test_no_place_target_for_verbal_events(code):
    evs = code("The minister criticised the decision in Brussels.")
    assert all(e.target_actor is None or e.target_country != "BEL" for e in evs)


def test_capital_metonym_is_read_at_the_article_date(nlp, kb):
    from detente.actors import resolve_doc

    def codes(text, date):
        return [m.code for m in resolve_doc(nlp(text), "t", dt.date.fromisoformat(date), kb)]
    assert "USRGOV" in codes("Moscow rejected the proposal.", "1985-05-01")
    assert "RUSGOV" in codes("Moscow rejected the proposal.", "2015-05-01")
    assert codes("Zagreb rejected the proposal.", "1985-05-01") == []
    assert codes("Zagreb rejected the proposal.", "2005-05-01") == ["HRVGOV"]
