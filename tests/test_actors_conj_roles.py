"""A plural role noun shares its role with every country conjoined to its object."""

import pytest

from conftest import resolve_text

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("text,codes", [
    ("The leaders of China and Russia met in Beijing.", {"CHNGOV", "RUSGOV"}),
    ("The ambassadors of France, Italy and Spain presented their credentials.", {"FRAGOV", "ITAGOV", "ESPGOV"}),
])
def test_conjoined_countries_share_a_plural_role(nlp, kb, text, codes):
    assert codes <= {m.code for m in resolve_text(nlp, kb, text)}


def test_a_singular_role_is_not_shared(nlp, kb):
    ms = resolve_text(nlp, kb, "The president of Kenya and Uganda's army chief met.")
    assert "UGAGOV" not in {m.code for m in ms}


@pytest.mark.parametrize("text,name,code", [
    ("The Department of Education will investigate Yale.", "Department of Education", "GOV"),
    ("Protesters were arrested by the Capitol Police on Saturday.", "Capitol Police", "COP"),
    ("The Interior Ministry said it arrested three Kenyan nationals.", "Interior Ministry", "GOV"),
])
def test_a_state_body_of_no_named_country_keeps_its_sector(nlp, kb, text, name, code):
    """Every named body gets a code: the bare sector when the text names no country for it
    (the sentence's country is as often the counterpart, as with the Kenyans above)."""
    ms = {m.text: m.code for m in resolve_text(nlp, kb, text)}
    assert ms.get(name) == code, ms


def test_a_country_before_the_body_still_composes_and_a_venue_is_no_party(nlp, kb):
    ms = {m.text: m.code for m in resolve_text(nlp, kb, "China's Foreign Ministry criticised Japan.")}
    assert ms.get("China's Foreign Ministry") == "CHNGOV"
    ms = {m.text: m.code for m in resolve_text(
        nlp, kb, "The two leaders met at the campus of the Far Eastern Federal University.")}
    assert not any("University" in t for t in ms), ms
