"""Ethnic groups by residence, unknown organisations, followers of a person, dated names,
titled unknown people with an organisation's country, people named by a place (sentences
written for these tests)."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import mention_at as _at
from conftest import resolve_text as run

from detente.actors import load_kb, resolve_doc
from detente.errors import DetenteError


@pytest.fixture(scope="module")
def full_kb():
    return load_kb()


# --- 1. ethnic and national groups -------------------------------------------------------

def test_country_adjective_before_an_ethnic_noun_is_the_residence(nlp, full_kb):
    text = "Croatian Serbs fled their villages as the fighting spread."
    m = _at(run(nlp, full_kb, text), text, "Serbs")
    assert m.text == "Croatian Serbs" and m.code == "HRVCVL" and m.reason == "residence+ethnic-group"
    text = "Syrian Kurds appealed for help against the advancing militants."
    m = _at(run(nlp, full_kb, text), text, "Kurds")
    assert m.text == "Syrian Kurds" and m.code == "SYRCVL" and m.confidence < 1


def test_residence_pair_keeps_a_role_noun_and_a_title(nlp, full_kb):
    text = "Bosnian Muslim forces shelled the town overnight."
    m = _at(run(nlp, full_kb, text), text, "forces")
    assert m.code == "BIHMIL" and m.text.startswith("Bosnian")
    text = "Bosnian Croat leader Mate Boban rejected the map."
    assert _at(run(nlp, full_kb, text), text, "Boban").country == "BIH"


def test_citizen_nouns_are_not_read_as_residence(nlp, full_kb):
    # in "Chinese Americans" the noun is the residence: no ethnic-group reading
    text = "Chinese Americans gathered in San Francisco on Sunday."
    ms = run(nlp, full_kb, text)
    assert all(m.reason != "residence+ethnic-group" for m in ms)
    # two state adjectives joined by a hyphen are a pair of states
    text = "Serb-Croat talks resumed in Geneva."
    assert all(m.reason != "residence+ethnic-group" for m in run(nlp, full_kb, text))


def test_ethnic_demonym_takes_a_possessor_or_place_of_the_sentence(nlp, full_kb):
    text = "Ethnic Hungarians rallied against Slovakia's new language law, Austrian media said."
    m = _at(run(nlp, full_kb, text), text, "Hungarians")
    assert m.code == "SVKCVL" and m.reason == "ethnic+sentence-place"
    text = "Ethnic Russian militias operating in Moldova refused to disarm, Romania said."
    m = _at(run(nlp, full_kb, text), text, "militias")
    assert m.code == "MDAREB" and m.reason == "ethnic+attached-place"


def test_ethnic_demonym_with_two_candidate_places_keeps_its_own_country(nlp, full_kb):
    text = "Ethnic Serbs marched near Croatia and Hungary."
    assert _at(run(nlp, full_kb, text), text, "Serbs").code == "SRB"


def test_stateless_group_takes_a_sentence_country_where_it_lives(nlp, full_kb):
    text = "Turkish troops fired on Kurdish villagers, the governor said."
    m = _at(run(nlp, full_kb, text), text, "villagers")
    assert m.text == "Kurdish villagers" and m.code == "TURCVL"
    assert m.reason == "ethnic-group+sentence-country"
    text = "Indian police detained Tamil fishermen off the coast, Sri Lanka said."
    # both countries are Tamil homelands: ambiguous, no country from this rule
    m = _at(run(nlp, full_kb, text), text, "Tamil")
    assert m is None or m.country is None or m.basis != "ethnic"


def test_stateless_group_never_takes_a_country_it_does_not_live_in(nlp, full_kb):
    text = "Rohingya refugees were turned away by Australian patrol boats."
    m = _at(run(nlp, full_kb, text), text, "Rohingya")
    assert m is None or m.country != "AUS"
    text = "Uighur activists protested on Sunday."  # no country at all: the homeland
    m = _at(run(nlp, full_kb, text), text, "Uighur")
    assert m.country == "CHN" and m.reason == "ethnic-group+homeland" and m.confidence == 0.5


def test_group_word_inside_a_name_is_not_the_group(nlp, full_kb):
    text = "Karen Bass met Mexican officials on Friday."
    m = _at(run(nlp, full_kb, text), text, "Karen")
    assert m is None or m.basis != "ethnic"


# --- 2. unknown named organisations --------------------------------------------------------

def test_unknown_ngo_without_a_country_is_ngo(nlp, full_kb):
    text = "The Pan-African Forum on Migration urged Libya to close its detention camps."
    m = _at(run(nlp, full_kb, text), text, "Forum")
    assert m.code == "NGO" and m.country is None and m.reason == "unknown-org(ngo)"
    assert m.confidence < 1
    text = "The Regional Monitoring Committee (RMC) reported new violations."
    m = _at(run(nlp, full_kb, text), text, "Committee")
    assert m.text == "Regional Monitoring Committee (RMC)" and m.code == "NGO"


def test_unknown_org_with_a_country_in_its_name(nlp, full_kb):
    text = "The Ghana Federation of Mine Workers called a strike on Monday."
    m = _at(run(nlp, full_kb, text), text, "Federation")
    assert m.code == "GHALAB" and m.reason == "unknown-org(labour)+name-country"
    text = "The Uganda Human Rights Commission criticised the army."
    m = _at(run(nlp, full_kb, text), text, "Commission")
    assert m.code == "UGAGOV"
    text = "The Peruvian Society of Engineers protested the contract."
    assert _at(run(nlp, full_kb, text), text, "Society").code == "PERNGO"


def test_unknown_party_takes_the_country_the_sentence_places_it_in(nlp, full_kb):
    text = "The Liberal Renewal Party won seats in Estonia on Sunday."
    m = _at(run(nlp, full_kb, text), text, "Party")
    assert m.code == "ESTOPP" and m.reason == "unknown-org(party)+sentence-country"
    text = "The Reform Front accused Chile of lying."  # an argument is no residence
    m = _at(run(nlp, full_kb, text), text, "Front")
    assert m.code == "OPP" and m.country is None


def test_country_plus_role_noun_is_left_to_the_role_rule(nlp, full_kb):
    text = "The Croatian Parliament rejected the Slovenian Interior Ministry's proposal."
    ms = run(nlp, full_kb, text)
    assert _at(ms, text, "Parliament").code == "HRVLEG"
    assert _at(ms, text, "Interior").code == "SVNGOV"
    assert not any(m.basis == "org_name" for m in ms)
    # no country named for it: the bare sector (every named body gets a code), not the
    # country of another party of the sentence
    text = "The Interior Ministry said the Soviet Union had agreed."
    ms = run(nlp, full_kb, text)
    m = _at(ms, text, "Interior")
    assert (m.code, m.country, m.basis) == ("GOV", None, "org_name")
    assert _at(ms, text, "Soviet").code == "USR"


def test_two_countries_or_an_igo_word_make_an_igo(nlp, full_kb):
    text = "The Commission of the Highland Livestock Community met in Lima."  # a body not in the KB
    m = _at(run(nlp, full_kb, text), text, "Commission")
    assert m.code == "IGO" and m.reason == "unknown-org(igo)"


# --- 3. followers of a person --------------------------------------------------------------

def test_supporters_of_a_former_leader_take_his_country(nlp, full_kb):
    text = "Hundreds of supporters of former President Julio Ramos marched through Quito."
    ms = run(nlp, full_kb, text)
    m = _at(ms, text, "supporters")
    assert m.code == "ECUOPP" and m.reason == "followers-of-person"
    assert _at(ms, text, "Ramos").code == "ECUELI"


def test_loyalists_of_a_sitting_leader_are_civilians(nlp, full_kb):
    text = "Loyalists of President Idriss Deby rallied in N'Djamena."
    m = _at(run(nlp, full_kb, text, dt.date(2005, 1, 1)), text, "Loyalists")
    assert m.country == "TCD" and m.sector == "CVL"


# --- 5. dated names --------------------------------------------------------------------------

def test_congolese_means_the_drc_after_1997_unless_brazzaville(nlp, full_kb):
    text = "Congolese soldiers crossed the river on Tuesday."
    assert _at(run(nlp, full_kb, text, dt.date(2004, 3, 1)), text, "Congolese").code == "CODMIL"
    assert _at(run(nlp, full_kb, text, dt.date(1990, 3, 1)), text, "Congolese").code == "COGMIL"
    assert _at(run(nlp, full_kb, text), text, "Congolese").code == "CODMIL"  # undated: today
    text = "Congolese soldiers crossed the river from Brazzaville on Tuesday."
    assert _at(run(nlp, full_kb, text, dt.date(2004, 3, 1)), text, "Congolese").code == "COGMIL"
    text = "Zairean troops attacked the rebels."
    assert _at(run(nlp, full_kb, text, dt.date(1994, 3, 1)), text, "Zairean").code == "CODMIL"


def test_dated_names_file_is_checked(tmp_path, full_kb):
    from detente.actors.kb.lexicons import read_dated_names

    bad = tmp_path / "dated_names.csv"
    bad.write_text("name,iso3,start,end,unless,note\nCongolese,XXX,,,,\n", encoding="utf-8")
    with pytest.raises(DetenteError) as e:
        read_dated_names(bad, full_kb.countries)
    assert e.value.code == "E304"


# --- 6. titled unknown people with an organisation's country ---------------------------------

def test_titled_unknown_person_takes_an_armed_groups_country(nlp, full_kb):
    text = "President Amadou Kerekou rejected new demands from the FARC."
    m = _at(run(nlp, full_kb, text), text, "Kerekou")
    assert m.code == "COLGOV" and m.reason == "title+text-country"


def test_titled_name_tagged_org_takes_the_country_of_an_org_name(nlp, full_kb):
    text = ("Deputy Minister Wanjiru Kamau resigned under pressure from the Kenya "
            "Electoral Review Commission.")
    ms = run(nlp, full_kb, text)
    assert _at(ms, text, "Commission").code == "KENGOV"
    assert _at(ms, text, "Kamau").country == "KEN"


# --- 4. "X-led forces" as the subject of a light verb with coordinated event nouns -------

def test_led_forces_are_the_source_of_a_coordinated_event_noun(nlp, full_kb):
    from detente.coding import code_doc, load_lexicon

    text = ("Ethiopian-led troops launched mortar, artillery, and rocket fire against Somali "
            "militants near Baidoa today.")
    doc = nlp(text)
    ms = resolve_doc(doc, "t", None, full_kb)
    assert _at(ms, text, "troops").code == "ETHMIL"
    evs = code_doc(doc, ms, "t", None, load_lexicon(), full_kb)
    assert any(e.source_actor == "ETHMIL" and e.target_actor == "SOMREB" and e.trigger == "fire"
               for e in evs)


@pytest.mark.parametrize("text,agent,code", [
    ("A Kansas woman started a hunger strike.", "Kansas woman", "USACVL"),
    ("Police in Lagos arrested a Texas man.", "Texas man", "USACVL"),
])
def test_a_person_named_by_a_place_is_its_civilian(nlp, kb, text, agent, code):
    ms = {m.text: m.code for m in run(nlp, kb, text)}
    assert ms.get(agent) == code, ms


@pytest.mark.parametrize("text,body", [
    # an envoy is a foreigner where he serves: his country is not the ministry's
    ("The foreign ministry summoned the Russian ambassador over the incursion.", "foreign ministry"),
    ("Police arrested two Iranian diplomats.", "Police"),
])
def test_an_envoys_country_is_no_clue_to_the_body_acting_on_him(nlp, kb, text, body):
    ms = {m.text: m.code for m in run(nlp, kb, text)}
    assert ms.get(body) in ("GOV", "COP"), ms
