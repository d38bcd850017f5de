"""'its/their forces' belong to the clause's subject, not to the place they stand in."""

import pytest

from conftest import resolve_text

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("text,agent,code", [
    ("Turkey sent its troops into Afrin last week.", "troops", "TURMIL"),
    ("The United States has strengthened its forces in Bahrain.", "forces", "USAMIL"),
    ("Chile and Peru moved their soldiers to the border.", "soldiers", None),
])
def test_an_owner_pronoun_names_the_subject_not_the_place(nlp, kb, text, agent, code):
    ms = {m.text: m.code for m in resolve_text(nlp, kb, text)}
    got = next((c for t, c in ms.items() if t.endswith(agent)), None)
    assert got == code or (code is None and got in (None, "MIL")), ms


def test_without_a_pronoun_the_place_still_gives_the_country(nlp, kb):
    ms = {m.text: m.code for m in resolve_text(nlp, kb, "Troops in Bahrain fired on protesters.")}
    assert "BHRMIL" in ms.values(), ms
