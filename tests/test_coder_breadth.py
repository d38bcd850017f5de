"""Coder phenomena added for issue 4 (accuracy): unresolved target spans, locative
targets, clause-depth selection and lexicon breadth. Actors are hand-placed, so these
tests check the coder alone; every sentence is written for the test."""

from conftest import code_with_actors

_code = code_with_actors


def test_unresolved_object_is_kept_as_target_evidence(nlp, lex):
    evs = _code(nlp, lex, "Kenyan troops killed several gunmen near the border.",
                [("Kenyan troops", "KENMIL", "KEN")])
    assert evs and evs[0].target_actor is None and evs[0].target_text == "several gunmen"
    # an event noun object of a light verb: the noun's "on" argument is the target
    evs = _code(nlp, lex, "Ethiopian forces launched an offensive on the rebel-held town.",
                [("Ethiopian forces", "ETHMIL", "ETH")])
    assert evs and evs[0].target_actor is None and "town" in (evs[0].target_text or "")
