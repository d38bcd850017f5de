"""'its/their forces', and forces a subject sends somewhere, belong to the clause's subject,
not to the place they stand in or go to."""

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


@pytest.mark.parametrize("text,agent,code", [
    ("Russia deployed troops to Syria.", "troops", "RUSMIL"),
    ("Egypt sent police to Gaza on Monday.", "police", "EGYCOP"),
    # the sender is no country: the destination still does not own the troops
    ("NATO sent troops to Kosovo.", "troops", None),
])
def test_forces_moved_somewhere_belong_to_who_moves_them(nlp, kb, text, agent, code):
    ms = {m.text: m.code for m in resolve_text(nlp, kb, text)}
    got = next((c for t, c in ms.items() if t.endswith(agent)), None)
    assert got == code or (code is None and got in (None, "MIL", "COP")), ms


def test_a_deployment_is_aimed_at_its_destination(nlp, lex, kb):
    from detente.actors import resolve_doc
    from detente.coding import code_doc

    doc = nlp("NATO sent troops to Kosovo.")
    evs = code_doc(doc, resolve_doc(doc, "t", None, kb), "t", None, lex, kb)
    assert any(e.source_actor == "IGOWSTNAT" and e.target_country == "XKX" for e in evs), \
        [(e.source_actor, e.cameo, e.target_actor) for e in evs]
