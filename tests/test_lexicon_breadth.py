"""Lexicon breadth by phenomenon: predicates of international news that the lexicon
codes from the CAMEO codebook (peacekeeping contributions, "call off", blockades,
ceasefire violations, deals struck, money given by amount, relief operations, symbolic
ceremonies, released statements). Actors are hand-placed so these tests check the
lexicon, not the actor resolver. The sentences are written for these tests."""

import pytest

from conftest import code_with_actors

_code = code_with_actors


def _dyads(evs):
    return [(e.source_actor, e.target_actor, e.cameo) for e in evs]


def _top(evs):
    assert evs, "no event"
    return max(evs, key=lambda e: e.confidence)


# --- 074: peacekeeping is provided, not a force posture (154) -----------------------

def test_deploying_troops_to_a_peacekeeping_mission_is_074(nlp, lex):
    evs = _code(nlp, lex, "Ghana is sending 400 soldiers to the UN peacekeeping mission in Lebanon.",
                [("Ghana", "GHA", "GHA"), ("UN", "IGOUNO", None), ("Lebanon", "LBN", "LBN")])
    assert _top(evs).cameo == "074"
    assert not any(e.cameo == "154" for e in evs)


def test_deployed_as_peacekeepers_is_074(nlp, lex):
    evs = _code(nlp, lex, "Fiji deployed 200 troops as peacekeepers in the Golan Heights.",
                [("Fiji", "FJI", "FJI")])
    assert _top(evs).cameo == "074"


def test_peacekeepers_arriving_in_a_country_provide_peacekeeping(nlp, lex):
    evs = _code(nlp, lex, "Bangladeshi peacekeepers arrived in Bangui on Tuesday.",
                [("Bangladeshi peacekeepers", "BGDMIL", "BGD"), ("Bangui", "CAF", "CAF")])
    assert ("BGDMIL", "CAF", "074") in _dyads(evs)


def test_ready_to_contribute_troops_is_intent_to_provide_peacekeeping(nlp, lex):
    evs = _code(nlp, lex, "Uruguay is ready to contribute troops to the stabilization force in Haiti.",
                [("Uruguay", "URY", "URY"), ("Haiti", "HTI", "HTI")])
    assert _top(evs).cameo == "0334"


def test_sending_troops_without_peacekeeping_stays_force_posture(nlp, lex):
    evs = _code(nlp, lex, "Russia is sending 3,000 troops to the border with Ukraine.",
                [("Russia", "RUS", "RUS"), ("Ukraine", "UKR", "UKR")])
    assert _top(evs).cameo == "154"


# --- "call" halts only with "off" ------------------------------------------------

def test_calling_off_a_visit_is_125(nlp, lex):
    evs = _code(nlp, lex, "The Turkish president called off his visit to Denmark.",
                [("Turkish president", "TURGOV", "TUR"), ("Denmark", "DNK", "DNK")])
    assert ("TURGOV", "DNK", "125") in _dyads(evs)


def test_calling_a_meeting_does_not_cancel_it(nlp, lex):
    evs = _code(nlp, lex, "The Kenyan president called a meeting of his security chiefs.",
                [("Kenyan president", "KENGOV", "KEN")])
    assert not any(e.cameo.startswith("12") for e in evs)


def test_calling_a_strike_organizes_it(nlp, lex):
    evs = _code(nlp, lex, "The dockworkers' union called a national strike in Chile.",
                [("dockworkers' union", "CHLLAB", "CHL"), ("Chile", "CHL", "CHL")])
    assert evs and all(e.cameo.startswith("14") for e in evs)


def test_calling_off_an_offensive_is_087(nlp, lex):
    evs = _code(nlp, lex, "The Syrian army called off its offensive on the rebel town.",
                [("Syrian army", "SYRMIL", "SYR")])
    assert _top(evs).cameo == "087"


def test_giving_up_fighting_deescalates(nlp, lex):
    evs = _code(nlp, lex, "Forty insurgents gave up fighting in Kunduz province.",
                [("insurgents", "AFGINS", "AFG")])
    assert "087" in {e.cameo for e in evs}
    assert not any(e.cameo.startswith("19") for e in evs)


# --- force: blockades and ceasefire violations ------------------------------------

def test_imposing_a_blockade_is_191_not_a_sanction(nlp, lex):
    evs = _code(nlp, lex, "The Turkish navy imposed a blockade on the Cypriot ports.",
                [("Turkish navy", "TURMIL", "TUR"), ("Cypriot", "CYP", "CYP")])
    assert _top(evs).cameo == "191"


def test_economic_sanctions_stay_163(nlp, lex):
    evs = _code(nlp, lex, "Canada imposed sanctions on Belarus.",
                [("Canada", "CAN", "CAN"), ("Belarus", "BLR", "BLR")])
    assert ("CAN", "BLR", "163") in _dyads(evs)


def test_violating_a_ceasefire_agreement_is_196(nlp, lex):
    evs = _code(nlp, lex, "Armenia accused Azerbaijan of violating the ceasefire agreement.",
                [("Armenia", "ARM", "ARM"), ("Azerbaijan", "AZE", "AZE")])
    assert "196" in {e.cameo for e in evs}
    evs = _code(nlp, lex, "Azerbaijan violated the truce agreement twice on Sunday.",
                [("Azerbaijan", "AZE", "AZE")])
    assert _top(evs).cameo == "196"


def test_violating_a_trade_agreement_stays_128(nlp, lex):
    evs = _code(nlp, lex, "Brazil violated the trade agreement with Argentina.",
                [("Brazil", "BRA", "BRA"), ("Argentina", "ARG", "ARG")])
    assert _top(evs).cameo == "128"


# --- deals struck, aid by amount, relief -----------------------------------------

def test_striking_a_deal_is_an_agreement(nlp, lex):
    evs = _code(nlp, lex, "Sudan struck a deal with the African Union on border monitoring.",
                [("Sudan", "SDN", "SDN"), ("African Union", "IGOAFRAU", None)])
    assert ("SDN", "IGOAFRAU", "057") in _dyads(evs)
    assert not any(e.cameo.startswith("19") for e in evs)


def test_giving_an_amount_of_money_is_economic_aid(nlp, lex):
    evs = _code(nlp, lex, "South Korea gave $5 million to Ethiopia for drought relief.",
                [("South Korea", "KOR", "KOR"), ("Ethiopia", "ETH", "ETH")])
    assert ("KOR", "ETH", "071") in _dyads(evs)


def test_firearms_are_military_aid(nlp, lex):
    evs = _code(nlp, lex, "Washington delivered 300 firearms to the Somali army.",
                [("Washington", "USAGOV", "USA"), ("Somali army", "SOMMIL", "SOM")])
    assert ("USAGOV", "SOMMIL", "072") in _dyads(evs)


def test_shelter_materials_are_humanitarian_aid(nlp, lex):
    evs = _code(nlp, lex, "Norway distributed shelter kits to families displaced by the floods in Pakistan.",
                [("Norway", "NOR", "NOR"), ("Pakistan", "PAK", "PAK")])
    assert _top(evs).cameo == "073"


def test_medical_operation_is_relief_not_military_operation(nlp, lex):
    evs = _code(nlp, lex, "The Indian navy carried out a medical evacuation operation in Yemen.",
                [("Indian navy", "INDMIL", "IND"), ("Yemen", "YEM", "YEM")])
    assert _top(evs).cameo == "073"
    assert not any(e.cameo.startswith("19") for e in evs)


def test_military_operation_is_still_force(nlp, lex):
    evs = _code(nlp, lex, "The Indian army carried out a military operation against the rebels.",
                [("Indian army", "INDMIL", "IND"), ("rebels", "INDREB", "IND")])
    assert _top(evs).cameo.startswith("19")


def test_opening_airspace_to_a_foreign_military_is_military_cooperation(nlp, lex):
    evs = _code(nlp, lex, "Uzbekistan opened its airspace to American bombers.",
                [("Uzbekistan", "UZB", "UZB"), ("American bombers", "USAMIL", "USA")])
    assert ("UZB", "USAMIL", "062") in _dyads(evs)


# --- statements and appeals -------------------------------------------------------

def test_attending_a_ceremony_is_a_symbolic_act(nlp, lex):
    evs = _code(nlp, lex, "The Polish president attended a ceremony marking the end of the war.",
                [("Polish president", "POLGOV", "POL")])
    assert _top(evs).cameo == "017"


def test_releasing_a_statement_is_not_a_release_of_persons(nlp, lex):
    evs = _code(nlp, lex, "The Chilean foreign ministry released a statement on Monday.",
                [("Chilean foreign ministry", "CHLGOV", "CHL")])
    assert not any(e.cameo.startswith("08") for e in evs)


def test_releasing_prisoners_is_still_a_release(nlp, lex):
    evs = _code(nlp, lex, "Myanmar released 300 prisoners on Monday.", [("Myanmar", "MMR", "MMR")])
    assert _top(evs).cameo == "0841"


@pytest.mark.parametrize("text, code", [
    ("Qatar is pushing for a ceasefire in Gaza.", "0256"),
    ("Qatar is pressing for a negotiated settlement in Gaza.", "027"),
    ("Qatar seeks the release of the hostages held in Gaza.", "0253"),
])
def test_specific_appeals(nlp, lex, text, code):
    evs = _code(nlp, lex, text, [("Qatar", "QAT", "QAT")])
    assert _top(evs).cameo == code
