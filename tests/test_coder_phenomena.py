"""Coder phenomena: light-verb event nouns, announced futures as intent/threat,
negated futures as refusals, adjective and "consider" wrappers. Actors are hand-built
so these tests check the coder alone."""


from conftest import code_with_actors

_code = code_with_actors


def test_light_verb_noun_without_target(nlp, lex):
    evs = _code(nlp, lex, "Japan expressed deep concern on Tuesday.", [("Japan", "JPN", "JPN")])
    assert [(e.cameo, e.source_actor, e.target_actor) for e in evs] == [("012", "JPN", None)]
    evs = _code(nlp, lex, "Afghan President Ghani announced a weeklong ceasefire.",
                [("Afghan President Ghani", "AFGGOV", "AFG")])
    assert evs and evs[0].cameo == "0871" and evs[0].modality == "asserted"


def test_bare_event_noun_without_source_or_target_is_no_event(nlp, lex):
    evs = _code(nlp, lex, "Concern grew in Japan.", [("Japan", "JPN", "JPN")])
    assert evs == []


def test_announced_future_is_intent_or_threat(nlp, lex):
    evs = _code(nlp, lex, "Israel will evacuate its settlements in Gaza.",
                [("Israel", "ISR", "ISR")])
    assert evs and evs[0].cameo.startswith("03") and evs[0].modality == "intent"
    evs = _code(nlp, lex, "Turkey said it would launch a military operation against Syria.",
                [("Turkey", "TUR", "TUR"), ("Syria", "SYR", "SYR")])
    assert evs and evs[0].cameo.startswith("13") and evs[0].target_actor == "SYR"


def test_past_and_hypothetical_keep_their_code(nlp, lex):
    evs = _code(nlp, lex, "Russia attacked Ukraine.", [("Russia", "RUS", "RUS"), ("Ukraine", "UKR", "UKR")])
    assert evs[0].cameo == "190" and evs[0].modality == "asserted"
    evs = _code(nlp, lex, "Iran might attack Israel.", [("Iran", "IRN", "IRN"), ("Israel", "ISR", "ISR")])
    assert evs[0].cameo == "190" and evs[0].modality == "hypothetical"
    evs = _code(nlp, lex, "Russia did not attack Ukraine.",
                [("Russia", "RUS", "RUS"), ("Ukraine", "UKR", "UKR")])
    assert evs[0].cameo == "190" and evs[0].modality == "negated"


def test_negated_future_cooperation_is_refusal(nlp, lex):
    evs = _code(nlp, lex, "The United States will not lift the sanctions on Iran.",
                [("United States", "USA", "USA"), ("Iran", "IRN", "IRN")])
    assert evs and evs[0].cameo.startswith("12") and evs[0].modality == "negated"


def test_adjective_and_consider_wrappers(nlp, lex):
    evs = _code(nlp, lex, "Syria is willing to withdraw its troops from Lebanon.",
                [("Syria", "SYR", "SYR"), ("Lebanon", "LBN", "LBN")])
    assert evs and evs[0].cameo.startswith("03") and evs[0].source_actor == "SYR"
    evs = _code(nlp, lex, "The EU is considering sending aid to Greece.",
                [("EU", "IGOEUR", None), ("Greece", "GRC", "GRC")])
    assert evs and evs[0].cameo == "014" and evs[0].target_actor == "GRC"
    # a weighed action that is no event of the lexicon makes no event
    assert _code(nlp, lex, "The EU is considering changing its logo.", [("EU", "IGOEUR", None)]) == []


def test_attempt_is_not_rewritten_as_intent(nlp, lex):
    evs = _code(nlp, lex, "North Korea tried to hack into the computers of South Korea.",
                [("North Korea", "PRK", "PRK"), ("South Korea", "KOR", "KOR")])
    # coerced/destroyed property (17x), not an announced intent (03x) or threat (13x); the
    # type model may read the hacking as PLOVER COERCE (cyber) rather than 1712's ASSAULT
    assert evs and evs[0].cameo_root == "17"
