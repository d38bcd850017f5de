"""Non-state armed groups and state agencies: codes, dated status, member nouns."""

from __future__ import annotations

import datetime as dt

import pytest

from detente.actors import load_kb, resolve_doc
from detente.coding import code_doc


@pytest.fixture(scope="module")
def full_kb():
    return load_kb()


def _at(ms, text, anchor):
    a = text.index(anchor)
    return next(m for m in ms if m.start <= a < m.end)


@pytest.mark.parametrize("date,code", [(dt.date(1998, 5, 1), "AFGGOVTAL"),
                                       (dt.date(2010, 5, 1), "AFGREBTAL"),
                                       (dt.date(2023, 5, 1), "AFGGOVTAL")])
def test_taliban_status_follows_the_date(nlp, full_kb, date, code):
    text = "The Taliban rejected the proposal."
    m = _at(resolve_doc(nlp(text), "t", date, full_kb), text, "Taliban")
    assert m.code == code and m.reason == "armed-group"


@pytest.mark.parametrize("text,anchor,code", [
    ("Hamas militants fired rockets at Israel.", "Hamas", "PSEREBHMS"),
    ("The Islamic State claimed the bombing.", "Islamic", "IMGMUSISI"),
    ("ISIS fighters withdrew from the town.", "ISIS", "IMGMUSISI"),
    ("Al-Qaeda in the Arabian Peninsula denied it.", "Qaeda", "IMGMUSALQ"),
    ("Houthi rebels seized a ship in the Red Sea.", "Houthi", "YEMREBHTI"),
    ("The PKK ended its armed struggle.", "PKK", "TURREBPKK"),
    ("Wagner mercenaries arrived in Mali.", "Wagner", "RUSMILWAG"),
    ("FARC guerrillas signed the accord.", "FARC", "COLREBFAR"),
    ("The FBI arrested two men.", "FBI", "USACOP"),
])
def test_group_and_agency_codes(nlp, full_kb, text, anchor, code):
    assert _at(resolve_doc(nlp(text), "t", None, full_kb), text, anchor).code == code


def test_member_noun_stays_the_group(nlp, full_kb):
    text = "Taliban fighters attacked a checkpoint."
    m = _at(resolve_doc(nlp(text), "t", dt.date(2015, 1, 1), full_kb), text, "fighters")
    assert m.text == "Taliban fighters" and m.code == "AFGREBTAL"


def test_a_person_named_like_a_group_is_not_the_group(nlp, full_kb):
    text = "Richard Wagner wrote operas in Bayreuth."
    ms = resolve_doc(nlp(text), "t", None, full_kb)
    assert not [m for m in ms if m.code.startswith("RUSMIL")]


def test_group_redated_at_the_event_date(nlp, full_kb, lex):
    text = "In 1999, the Taliban attacked the opposition in the north."
    doc = nlp(text)
    actors = resolve_doc(doc, "t", dt.date(2015, 3, 1), full_kb)
    assert _at(actors, text, "Taliban").code == "AFGREBTAL"
    evs = code_doc(doc, actors, "t", dt.date(2015, 3, 1), lex, full_kb)
    assert any(e.source_actor == "AFGGOVTAL" for e in evs)


def test_kb_counts_groups_and_agencies(full_kb):
    assert full_kb.stats["armed_groups"] >= 40 and full_kb.stats["agencies"] >= 20
