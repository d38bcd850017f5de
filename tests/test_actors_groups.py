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


def test_agency_with_another_country_before_it_is_not_that_agency(nlp, full_kb):
    text = "Kenya's National Intelligence Service warned of attacks."
    ms = resolve_doc(nlp(text), "t", None, full_kb)
    assert not [m for m in ms if m.code == "KORSPY"]


def test_lone_surname_is_not_a_month(nlp, full_kb):
    text = "In May, North Korea tested a missile, Japan said."
    ms = resolve_doc(nlp(text), "t", dt.date(2017, 7, 5), full_kb)
    assert not [m for m in ms if m.text == "May"]


def test_kb_counts_groups_and_agencies(full_kb):
    assert full_kb.stats["armed_groups"] >= 40 and full_kb.stats["agencies"] >= 20


def test_cow_and_gleditsch_ward_crosswalk(full_kb):
    c = full_kb.countries
    assert (c["USA"].cow, c["USA"].gw) == (2, 2)
    assert (c["RUS"].cow, c["USR"].cow) == (365, 365)
    # the three places where the two systems differ
    assert (c["DEU"].cow, c["DEU"].gw) == (255, 260)
    assert (c["YEM"].cow, c["YEM"].gw) == (679, 678)
    assert (c["SRB"].cow, c["SRB"].gw) == (345, 340)
    assert c["PSE"].cow is None and c["TWN"].cow == 713


def test_ngos_and_more_igos(nlp, full_kb):
    text = "Amnesty International accused the International Labour Organization of silence."
    ms = resolve_doc(nlp(text), "t", None, full_kb)
    assert _at(ms, text, "Amnesty").code == "NGOHRIAMN"
    assert _at(ms, text, "Labour").code == "IGOUNOLABILO"
    text = "Red Cross officials suspended aid deliveries in Baghdad."
    m = _at(resolve_doc(nlp(text), "t", None, full_kb), text, "officials")
    assert m.code == "NGOHLHIRC" and m.text == "Red Cross officials"


def test_regions_are_actors_only_outside_locatives(nlp, full_kb):
    text = "Russia warned Europe against new sanctions."
    assert _at(resolve_doc(nlp(text), "t", None, full_kb), text, "Europe").code == "EUR"
    text = "The summit in Europe ended without a deal."
    assert not [m for m in resolve_doc(nlp(text), "t", None, full_kb) if m.code == "EUR"]
