"""Every named actor gets a code (issue 14 item 4): a country from a city in a body's
name, from a person's nationality, occupation or affiliation, else a bare sector that
keeps the text. Sentences written for these tests."""

import pytest

from conftest import resolve_text

pytestmark = pytest.mark.slow


def _codes(nlp, kb, text):
    return {m.text: m.code for m in resolve_text(nlp, kb, text)}


@pytest.mark.parametrize("text,name,code", [
    ("Two students were detained by Delhi Police after the march.", "Delhi Police", "INDCOP"),
    ("A Copenhagen City Court ruled against the minister.", "Copenhagen City Court", "DNKJUD"),
    ("The Lyon Commercial Court fined the bank.", "Lyon Commercial Court", "FRAJUD"),
])
def test_a_city_in_a_bodys_name_gives_its_country(nlp, kb, text, name, code):
    ms = _codes(nlp, kb, text)
    assert ms.get(name) == code, ms


def test_a_body_whose_name_holds_no_place_keeps_the_bare_sector(nlp, kb):
    ms = _codes(nlp, kb, "The Metropolitan Police questioned the driver.")
    assert ms.get("Metropolitan Police") == "COP", ms


def test_a_university_named_after_a_namesake_place_takes_no_country(nlp, kb):
    """"Stanford" is also an English town; a university's name is as often a person's."""
    ms = _codes(nlp, kb, "Researchers at Stanford University published the report.")
    assert not any(c.endswith("EDU") and len(c) == 6 for c in ms.values()), ms
