"""Coder phenomena of sentence structure: quantities read as particles ("up to 16"),
reduced relative clauses that strand a preposition, "between X and Y" parties, and the
ranking of conditional clauses. Actors are hand-built so these tests check the coder."""

from conftest import code_with_actors

_code = code_with_actors


def _dyads(evs):
    return [(e.source_actor, e.target_actor, e.cameo) for e in evs]


def test_up_to_quantity_is_the_object(nlp, lex):
    evs = _code(nlp, lex, "Rebels have kidnapped up to 16 Turkish engineers from a construction site.",
                [("Rebels", "REB", None), ("Turkish engineers", "TURBUS", "TUR")])
    assert ("REB", "TURBUS", "181") in _dyads(evs)


def test_reduced_relative_after_preposition_keeps_the_target(nlp, lex):
    text = ("Chile has granted diplomatic asylum to six Peruvian navy officers holed up in a "
            "diplomatic residence since last week's coup.")
    doc = nlp(text)
    assert not list(next(t for t in doc if t.lower_ == "to").children)  # the parse strands "to"
    evs = _code(nlp, lex, text, [("Chile", "CHL", "CHL"), ("Peruvian navy", "PERMIL", "PER")])
    assert evs and (evs[0].source_actor, evs[0].target_actor) == ("CHL", "PERMIL")


def test_between_parties_of_a_noun_are_its_targets(nlp, lex):
    evs = _code(nlp, lex, "Oman launched a mediation effort between Iran and Saudi Arabia.",
                [("Oman", "OMN", "OMN"), ("Iran", "IRN", "IRN"), ("Saudi Arabia", "SAU", "SAU")])
    assert {("OMN", "IRN"), ("OMN", "SAU")} <= {(e.source_actor, e.target_actor) for e in evs}


def test_between_parties_without_source_act_on_each_other(nlp, lex):
    evs = _code(nlp, lex, "Talks between Serbia and Kosovo resumed in Brussels.",
                [("Serbia", "SRB", "SRB"), ("Kosovo", "XKX", "XKX")])
    pairs = {(e.source_actor, e.target_actor) for e in evs}
    assert pairs == {("SRB", "XKX"), ("XKX", "SRB")}
    assert all(e.cameo.startswith("04") for e in evs)


def test_conditional_clause_ranks_below_main_event(nlp, lex):
    evs = _code(nlp, lex, "The opposition has said it will boycott Tunisia's first "
                "multi-party elections unless the president agrees to step down.",
                [("The opposition", "TUNOPP", "TUN"), ("Tunisia", "TUN", "TUN"),
                 ("the president", "TUNGOV", "TUN")])
    top = {e.trigger: e.confidence for e in evs}
    assert top["boycott"] > top["agrees"]


def test_demand_noun_targets_its_clause_subject(nlp, lex):
    evs = _code(nlp, lex, "The World Health Organization repeated its demand that Egypt open "
                "the border crossing.",
                [("World Health Organization", "IGOUNOHLHWHO", None), ("Egypt", "EGY", "EGY")])
    assert any(e.source_actor == "IGOUNOHLHWHO" and e.target_actor == "EGY" and e.cameo_root == "10"
               for e in evs)


def test_content_of_a_demand_or_call_is_not_asserted(nlp, lex):
    evs = _code(nlp, lex, "Japan repeated its demand that China release the detained fishermen.",
                [("Japan", "JPN", "JPN"), ("China", "CHN", "CHN")])
    inner = [e for e in evs if e.trigger == "release"]
    assert inner and all(e.modality == "hypothetical" for e in inner)
    evs = _code(nlp, lex, "Germany renewed its call for Russia to withdraw its troops from Ukraine.",
                [("Germany", "DEU", "DEU"), ("Russia", "RUS", "RUS"), ("Ukraine", "UKR", "UKR")])
    inner = [e for e in evs if e.trigger == "withdraw"]
    assert inner and all(e.modality != "asserted" for e in inner)


def test_reaction_to_a_drafted_resolution_targets_its_author(nlp, lex):
    evs = _code(nlp, lex, "Moscow rejected a French-sponsored resolution on Syria.",
                [("Moscow", "RUSGOV", "RUS"), ("French", "FRA", "FRA"), ("Syria", "SYR", "SYR")])
    assert evs and (evs[0].source_actor, evs[0].target_actor) == ("RUSGOV", "FRA")


def test_dotted_abbreviation_before_hyphen_is_its_own_token(nlp):
    assert [t.text for t in nlp("a U.S.-drafted resolution")] == ["a", "U.S.", "-", "drafted",
                                                                  "resolution"]
    assert [t.text for t in nlp("U.S.-North Korea talks")][:3] == ["U.S.", "-", "North"]
    assert [t.text for t in nlp("U.S. troops")] == ["U.S.", "troops"]


def test_getting_closer_to_is_cooperation(nlp, lex):
    evs = _code(nlp, lex, "Hanoi has moved closer to Washington in recent years.",
                [("Hanoi", "VNMGOV", "VNM"), ("Washington", "USAGOV", "USA")])
    assert evs and (evs[0].source_actor, evs[0].target_actor, evs[0].cameo) == (
        "VNMGOV", "USAGOV", "050")


def test_debt_write_off_is_aid_to_the_debtor(nlp, lex):
    evs = _code(nlp, lex, "Last year China wrote off most of Zambia's debt.",
                [("China", "CHN", "CHN"), ("Zambia", "ZMB", "ZMB")])
    assert evs and (evs[0].source_actor, evs[0].target_actor, evs[0].cameo) == ("CHN", "ZMB", "071")


def test_signing_a_domestic_law_is_no_agreement(nlp, lex):
    evs = _code(nlp, lex, "President Putin signed a law on internet sovereignty.",
                [("President Putin", "RUSGOV", "RUS")])
    assert not [e for e in evs if e.cameo == "057"]
    evs = _code(nlp, lex, "Armenia and Azerbaijan signed a peace treaty.",
                [("Armenia", "ARM", "ARM"), ("Azerbaijan", "AZE", "AZE")])
    assert any(e.cameo == "057" for e in evs)


def test_reduced_relative_read_as_subject_gives_back_the_noun(nlp, lex):
    text = "The Red Cross operating in Iraq said US and British forces must ensure security."
    doc = nlp(text)
    assert next(t for t in doc if t.text == "operating").dep_ == "nsubj"  # the misparse
    evs = _code(nlp, lex, text, [("Red Cross", "NGOHLHIRC", None), ("Iraq", "IRQ", "IRQ"),
                                 ("British forces", "GBRMIL", "GBR")])
    assert evs and evs[0].source_actor == "NGOHLHIRC"


def test_agentless_passive_withdrawal_is_the_forces_owners(nlp, lex):
    evs = _code(nlp, lex, "Forty UN peacekeepers were shipped out of the town on Friday.",
                [("UN peacekeepers", "IGOUNO", None)])
    assert evs and evs[0].source_actor == "IGOUNO" and evs[0].cameo == "1661"
    evs = _code(nlp, lex, "Syrian troops were withdrawn from Lebanon in 2005.",
                [("Syrian troops", "SYRMIL", "SYR"), ("Lebanon", "LBN", "LBN")])
    assert evs and (evs[0].source_actor, evs[0].target_actor, evs[0].cameo) == (
        "SYRMIL", "LBN", "0874")


def test_later_conjunct_ranks_below_the_first(nlp, lex):
    evs = _code(nlp, lex, "Afghan rebels have kidnapped up to 16 Russian civilian advisers from "
                "a town bazaar and exploded a series of bombs in the capital.",
                [("Afghan rebels", "AFGREB", "AFG"), ("Russian", "RUS", "RUS")])
    assert evs and evs[0].trigger == "kidnapped" and evs[0].target_actor == "RUS"


def test_withdrawal_noun_targets_the_place_left(nlp, lex):
    evs = _code(nlp, lex, "Britain sped up the withdrawal of its remaining forces from Basra.",
                [("Britain", "GBR", "GBR"), ("forces", "MIL", None), ("Basra", "IRQ", "IRQ")])
    assert evs and (evs[0].source_actor, evs[0].target_actor, evs[0].cameo) == ("GBR", "IRQ", "0874")


def test_investigation_targets_its_place(nlp, lex):
    evs = _code(nlp, lex, "The IAEA has dispatched inspectors to a uranium plant in northern Iran.",
                [("IAEA", "IGOUNOIAE", None), ("Iran", "IRN", "IRN")])
    assert evs and (evs[0].source_actor, evs[0].target_actor) == ("IGOUNOIAE", "IRN")


def test_first_conjunct_shares_the_second_ones_arguments(nlp, lex):
    evs = _code(nlp, lex, "Two Japanese charities donated and personally delivered medicine "
                "to Ukraine last week.",
                [("Japanese charities", "JPNNGO", "JPN"), ("Ukraine", "UKR", "UKR")])
    by_trigger = {e.trigger: e.target_actor for e in evs}
    assert by_trigger.get("donated") == "UKR" and by_trigger.get("delivered") == "UKR"


def test_pattern_naming_its_complement_takes_the_complements_target(nlp, lex):
    evs = _code(nlp, lex, "The president has threatened to ban opposition parties from the "
                "coming elections.",
                [("The president", "ZWEGOV", "ZWE"), ("opposition parties", "ZWEOPP", "ZWE")])
    assert evs and evs[0].cameo.startswith("13") and evs[0].target_actor == "ZWEOPP"
    assert not [e for e in evs if e.trigger == "ban"]  # the complement is no second event


def test_sources_own_possessive_is_no_target(nlp, lex):
    evs = _code(nlp, lex, "President Lungu has reneged on his commitment to the Zambian people.",
                [("President Lungu", "ZMBGOV", "ZMB"), ("his", "ZMBGOV", "ZMB"),
                 ("Zambian people", "ZMBCVL", "ZMB")])
    top = [e for e in evs if e.trigger == "reneged"]
    assert top and top[0].target_actor == "ZMBCVL"


def test_accused_act_is_the_accused_ones_and_a_hedged_claim(nlp, lex):
    evs = _code(nlp, lex, "Washington accused Tehran of supplying drones to Moscow.",
                [("Washington", "USAGOV", "USA"), ("Tehran", "IRNGOV", "IRN"),
                 ("Moscow", "RUSGOV", "RUS")])
    act = [e for e in evs if e.trigger == "supplying"]
    assert act and (act[0].source_actor, act[0].target_actor) == ("IRNGOV", "RUSGOV")
    assert act[0].hedged and act[0].attributed_to == "USAGOV"
    # a means ("by doing") stays the subject's own act, and is not hedged
    evs = _code(nlp, lex, "Japan helped Vietnam by donating vaccines.",
                [("Japan", "JPN", "JPN"), ("Vietnam", "VNM", "VNM")])
    means = [e for e in evs if e.trigger == "donating"]
    assert means and means[0].source_actor == "JPN" and not means[0].hedged


def test_call_noun_with_a_for_to_clause_is_an_appeal_to_its_subject(nlp, lex):
    evs = _code(nlp, lex, "Germany renewed its call for Russia to withdraw its troops from Ukraine.",
                [("Germany", "DEU", "DEU"), ("Russia", "RUS", "RUS"), ("Ukraine", "UKR", "UKR")])
    appeal = [e for e in evs if e.trigger == "call"]
    assert appeal and (appeal[0].source_actor, appeal[0].target_actor) == ("DEU", "RUS")
    assert appeal[0].cameo_root == "02" and appeal[0].modality == "asserted"
    # a phone call is no appeal
    evs = _code(nlp, lex, "The phone call between the two leaders lasted an hour.", [])
    assert not [e for e in evs if e.cameo_root == "02"]


def test_a_telephone_call_is_a_consultation_not_an_appeal(nlp, lex):
    evs = _code(nlp, lex, "Macron called Zelensky on Tuesday.",
                [("Macron", "FRAGOV", "FRA"), ("Zelensky", "UKRGOV", "UKR")])
    assert evs and evs[0].cameo == "041"  # "on Tuesday" is no "call on"
    evs = _code(nlp, lex, "Macron called Zelensky to congratulate him.",
                [("Macron", "FRAGOV", "FRA"), ("Zelensky", "UKRGOV", "UKR")])
    assert evs and evs[0].cameo == "041"
    assert all(e.source_actor == "FRAGOV" for e in evs)  # the caller congratulates
    evs = _code(nlp, lex, "Macron called on Zelensky to hold talks.",
                [("Macron", "FRAGOV", "FRA"), ("Zelensky", "UKRGOV", "UKR")])
    assert evs and evs[0].cameo_root == "02"


def test_pronoun_in_a_saying_nouns_clause_is_the_nouns_owner(nlp, lex):
    evs = _code(nlp, lex, "Britain doubted a Russian announcement that it had opened "
                "humanitarian corridors in Syria.",
                [("Britain", "GBR", "GBR"), ("Russian", "RUS", "RUS"), ("Syria", "SYR", "SYR")])
    opened = [e for e in evs if e.trigger == "opened"]
    assert opened and opened[0].source_actor == "RUS"
