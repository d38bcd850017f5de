"""Argument choice: country-bearing actors over generic agents, possessive "its troops",
place/adversary targets of withdraw/deploy/attack, and "call"/"decline" patterns that
name their complement. Actors are hand-built so these tests check the coder alone."""


from conftest import code_with_actors

_code = code_with_actors


def test_withdraw_own_troops_targets_the_place(nlp, lex):
    evs = _code(nlp, lex, "Syria says it is willing to withdraw its troops from neighboring Lebanon.",
                [("Syria", "SYR", "SYR"), ("troops", "MIL", None), ("Lebanon", "LBN", "LBN")])
    assert evs and evs[0].source_country == "SYR" and evs[0].target_country == "LBN"
    assert evs[0].cameo.startswith("03")


def test_generic_object_yields_to_country_in_prep(nlp, lex):
    evs = _code(nlp, lex, "Turkey deployed troops in northern Iraq.",
                [("Turkey", "TUR", "TUR"), ("troops", "MIL", None), ("Iraq", "IRQ", "IRQ")])
    assert evs and evs[0].target_actor == "IRQ"


def test_country_object_is_kept(nlp, lex):
    evs = _code(nlp, lex, "Russia attacked Ukraine from Belarus.",
                [("Russia", "RUS", "RUS"), ("Ukraine", "UKR", "UKR"), ("Belarus", "BLR", "BLR")])
    assert evs and evs[0].target_actor == "UKR"


def test_possessive_agent_takes_possessor_country(nlp, lex):
    evs = _code(nlp, lex, "Israel said its forces attacked Hamas.",
                [("Israel", "ISR", "ISR"), ("forces", "MIL", None), ("Hamas", "PSEREB", "PSE")])
    att = [e for e in evs if e.cameo.startswith("19")]
    assert att and att[0].source_country == "ISR" and att[0].target_country == "PSE"


def test_declined_to_comment_is_no_comment(nlp, lex):
    evs = _code(nlp, lex, "The Russian embassy declined to comment.",
                [("Russian embassy", "RUSGOV", "RUS")])
    assert all(e.cameo != "120" for e in evs)
    assert [e.cameo for e in evs] == ["011"]


def test_call_with_object_complement_is_insult(nlp, lex):
    evs = _code(nlp, lex, "Chavez called Bush a stupid guy.",
                [("Chavez", "VENGOV", "VEN"), ("Bush", "USAGOV", "USA")])
    assert evs and evs[0].cameo == "111" and evs[0].target_actor == "USAGOV"
    evs = _code(nlp, lex, "Putin phoned Macron on Monday.",
                [("Putin", "RUSGOV", "RUS"), ("Macron", "FRAGOV", "FRA")])
    assert evs and evs[0].cameo == "041"


def test_call_actor_for_is_appeal(nlp, lex):
    evs = _code(nlp, lex, "Haiti called the United Nations for help.",
                [("Haiti", "HTI", "HTI"), ("United Nations", "IGOUNO", None)])
    assert evs and evs[0].cameo.startswith("02")
