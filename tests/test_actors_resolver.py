"""Resolver behaviour on real-style sentences, one phenomenon per test."""

from __future__ import annotations

import datetime as dt

import pytest

from detente.actors import actor_at, resolve_doc

D2015 = dt.date(2015, 2, 10)


def resolve(nlp, kb, text, date=D2015):
    doc = nlp(text)
    return doc, resolve_doc(doc, "t", date, kb)


def code_of(mentions, text, anchor):
    a = text.index(anchor)
    got = [m for m in mentions if m.start <= a < m.end]
    return got[0].code if got else None


def test_title_and_demonym_make_one_mention(nlp, kb):
    text = "Russian Foreign Minister Sergei Lavrov told reporters on Jan. 21 that talks would go on."
    _, ms = resolve(nlp, kb, text)
    assert ms[0].text == "Russian Foreign Minister Sergei Lavrov"
    assert ms[0].code == "RUSGOV" and ms[0].kb_id == "P:lavrov"


def test_title_demonym_without_kb_entry(nlp, kb):
    text = "Russian Foreign Minister Anatoly Brezhnikov told reporters that talks would go on."
    _, ms = resolve(nlp, kb, text)
    m = ms[0]
    assert m.code == "RUSGOV" and m.reason == "title+demonym" and m.kb_id is None


def test_date_dependent_role_before_during_after(nlp, kb):
    text = "Dmitry Medvedev met the delegation in the capital."
    assert code_of(resolve(nlp, kb, text, dt.date(2005, 1, 1))[1], text, "Medvedev") == "RUSELI"
    _, during = resolve(nlp, kb, text, dt.date(2010, 1, 1))
    assert during[0].code == "RUSGOV" and during[0].reason == "head_of_state@2010-01-01"
    _, pm = resolve(nlp, kb, text, dt.date(2015, 1, 1))
    assert pm[0].reason == "head_of_government@2015-01-01"
    _, after = resolve(nlp, kb, text, dt.date(2021, 1, 1))
    assert after[0].code == "RUSELI" and after[0].reason.startswith("eli:outside-tenure")


def test_capital_as_subject_and_possessor_is_government(nlp, kb):
    text = "Pyongyang hasn't confirmed the visit. Moscow's new opening to Pyongyang worries Seoul."
    _, ms = resolve(nlp, kb, text)
    codes = [(m.text, m.code, m.reason) for m in ms]
    assert ("Pyongyang", "PRKGOV", "capital-metonym") in codes
    assert [c for t, c, _ in codes] == ["PRKGOV", "RUSGOV", "PRKGOV", "KORGOV"]


def test_place_where_something_happened_is_not_an_actor(nlp, kb):
    text = "Protesters gathered in Seoul on Sunday, and talks were held at the White House."
    _, ms = resolve(nlp, kb, text)
    assert code_of(ms, text, "Seoul") is None
    assert code_of(ms, text, "White House") is None


def test_dateline_is_not_an_actor(nlp, kb):
    text = "SEOUL, South Korea — North Korea fired two missiles on Monday."
    _, ms = resolve(nlp, kb, text)
    assert code_of(ms, text, "SEOUL") is None
    assert code_of(ms, text, "South Korea") is None
    assert code_of(ms, text, "North Korea") == "PRK"


def test_possessive_role_chain(nlp, kb):
    text = "Russia's armed forces chief of staff made a surprise announcement."
    _, ms = resolve(nlp, kb, text)
    assert ms[0].text == "Russia's armed forces chief of staff" and ms[0].code == "RUSMIL"


def test_demonym_headed_groups(nlp, kb):
    text = "North Korean defectors say Chinese officials returned them, and South Korean troops watched."
    _, ms = resolve(nlp, kb, text)
    assert [(m.text, m.code) for m in ms] == [
        ("North Korean defectors", "PRKREF"), ("Chinese officials", "CHNGOV"),
        ("South Korean troops", "KORMIL")]


def test_state_media_by_name(nlp, kb):
    text = "KCNA and Xinhua reported the meeting, as did ITAR-TASS."
    _, ms = resolve(nlp, kb, text)
    assert [m.code for m in ms] == ["PRKMED", "CHNMED", "RUSMED"]


def test_igos_and_blocs(nlp, kb):
    text = "NATO and the European Union criticised the move, while the IAEA and the West waited."
    _, ms = resolve(nlp, kb, text)
    assert [m.code for m in ms] == ["IGOWSTNAT", "IGOEUREEC", "IGOUNOIAE", "WST"]
    assert all(m.country is None for m in ms)


def test_historical_states(nlp, kb):
    text = "The Soviet Union and East Germany signed a treaty; Yugoslavia objected."
    _, ms = resolve(nlp, kb, text)
    assert [m.code for m in ms] == ["USR", "DDR", "YUG"]


def test_surname_and_epithet_and_pronoun(nlp, kb):
    text = ("Russian Foreign Minister Sergei Lavrov said Kim Jong Un could attend. "
            "It would be the reclusive Kim's first official state visit. "
            "Pyongyang has not confirmed the marshal's attendance.")
    _, ms = resolve(nlp, kb, text)
    assert code_of(ms, text, "Kim's") == "PRKGOV"
    m = [x for x in ms if x.text == "Kim"][0]
    assert m.reason == "surname→P:kju"
    assert code_of(ms, text, "marshal") == "PRKGOV"
    text2 = "Valery Gerasimov said his government is entering talks."
    _, ms2 = resolve(nlp, kb, text2)
    assert [(m.text, m.code) for m in ms2] == [("Valery Gerasimov", "RUSMIL"),
                                               ("his government", "RUSGOV")]


@pytest.mark.parametrize("text,anchor", [
    # a pronoun with two people before it: no antecedent
    ("Vladimir Putin met Andrew Salmon in the city. He said the talks went well.", "He said"),
    # "the North" is a Korea only in a Korean context
    ("The army moved to the North after the floods in Italy.", "North"),
], ids=["ambiguous-pronoun", "north-without-korea"])
def test_left_unresolved(nlp, kb, text, anchor):
    _, ms = resolve(nlp, kb, text)
    assert code_of(ms, text, anchor) is None


def test_a_person_without_a_state_role_gets_no_state_code(nlp, kb):
    """A named person the text gives no affiliation keeps the generic CVL (no country)."""
    text = "\u201cRussia is a very old flame,\u201d said Andrew Salmon, military historian."
    _, ms = resolve(nlp, kb, text)
    assert code_of(ms, text, "Andrew Salmon") == "CVL"


def test_north_and_south_in_korea_context(nlp, kb):
    text = ("Putin will meet South Korea's president. Tension between the North and South "
            "is rising.")
    _, ms = resolve(nlp, kb, text)
    assert code_of(ms, text, "North and") == "PRK"
    assert [m.code for m in ms if m.reason == "korea-context"] == ["PRK", "KOR"]


def test_compounds_with_hyphens(nlp, kb):
    text = "The Sino-Soviet split and the Russia-North Korea opening surprised the US-led bloc."
    _, ms = resolve(nlp, kb, text)
    assert [m.code for m in ms] == ["CHN", "USR", "RUS", "PRK", "USA"]
    assert kb.code_for_country_phrase("North Korea") == "PRK"
    assert kb.code_for_country_phrase("US") == "USA"
    assert kb.code_for_country_phrase("Sino") == "CHN"
    assert kb.code_for_country_phrase("Christchurch") is None


def test_actor_at_maps_tokens_to_mentions(nlp, kb):
    doc, ms = resolve(nlp, kb, "North Korean leader Kim Jong Un sent Putin a message.")
    assert actor_at(doc, 4, ms).code == "PRKGOV"  # "Kim" inside the long mention
    assert actor_at(doc, 7, ms).kb_id == "P:putin"
    assert actor_at(doc, 6, ms) is None  # "sent"
    span = doc.char_span(ms[0].start, ms[0].end)
    assert span is not None and span.root.text == "Un"


def test_undated_article_uses_latest_role(nlp, kb):
    _, ms = resolve(nlp, kb, "Sergei Lavrov spoke.", date=None)
    assert ms[0].code == "RUSGOV" and "no date" in ms[0].reason and ms[0].confidence < 1


def test_role_of_country(nlp, kb):
    text = "The President of Russia sent condolences to the Government of Turkey."
    _, ms = resolve(nlp, kb, text)
    assert [(m.text, m.code, m.reason) for m in ms] == [
        ("President of Russia", "RUSGOV", "role-of-country"),
        ("Government of Turkey", "TURGOV", "role-of-country")]


def test_demonym_with_role_even_if_ner_says_person(nlp, kb):
    text = "Sri Lankan military officials in Colombo claimed that they had attacked two camps."
    _, ms = resolve(nlp, kb, text)
    assert [(m.text, m.code) for m in ms] == [("Sri Lankan military officials", "LKAMIL")]


def test_person_name_modifying_role_noun(nlp, kb):
    text = "North Korean leader Kim Jong Un spoke. Chinese officials are exasperated with the Kim regime."
    _, ms = resolve(nlp, kb, text)
    assert code_of(ms, text, "Kim regime") == "PRKGOV"


def test_dateline_with_agency_and_plain_hyphen_is_no_actor(nlp, kb):
    from conftest import resolve_text

    text = "SOCHI, Russia (Meridian Wire) - Kim Yong Nam attended the opening ceremony."
    assert not [m for m in resolve_text(nlp, kb, text) if m.text == "Russia"]
    text = "Russia (the host) - and China - attended the ceremony."  # no dateline: no caps place
    assert [m for m in resolve_text(nlp, kb, text) if m.text == "Russia"]


def test_named_legislatures_are_their_countrys(nlp, kb):
    from conftest import mention_at, resolve_text

    for text, anchor, code in [("The bill was ratified by the State Duma in April.", "Duma", "RUSLEG"),
                               ("The Knesset approved the budget.", "Knesset", "ISRLEG"),
                               ("The Bundestag voted to send tanks.", "Bundestag", "DEULEG")]:
        m = mention_at(resolve_text(nlp, kb, text), text, anchor)
        assert m is not None and m.code == code, (text, m)
