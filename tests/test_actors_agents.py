"""Generic agents ("police", "rebels", "the government"): one rule per test, real-style
sentences, with the negative cases next to the positive ones."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from detente.actors import resolve_doc
from detente.errors import DetenteError

D = dt.date(2014, 5, 2)


def run(nlp, kb, text):
    return resolve_doc(nlp(text), "t", D, kb)


def at(ms, text, anchor):
    """The mention covering the first character of ``anchor`` (or None)."""
    a = text.index(anchor)
    got = [m for m in ms if m.start <= a < m.end]
    return got[0] if got else None


def assert_non_overlapping(ms):
    for a, b in zip(ms, ms[1:]):
        assert a.end <= b.start, (a.text, b.text)


# --- modifiers (coded by the place pass; the agent pass must not undo them) ------------

@pytest.mark.parametrize("text,anchor,code", [
    ("Iraqi troops clashed with militants near the border on Tuesday.", "Iraqi", "IRQMIL"),
    ("Kenyan police fired tear gas at stone-throwing youths in Nairobi.", "Kenyan", "KENCOP"),
    ("Meanwhile, a Swiss court rejected the Croatian government's request for extradition.",
     "Croatian", "HRVGOV"),
])
def test_country_modifier_wins(nlp, kb, text, anchor, code):
    ms = run(nlp, kb, text)
    assert at(ms, text, anchor).code == code
    assert_non_overlapping(ms)


def test_coordinated_modifiers_share_the_role(nlp, kb):
    text = "U.S. and Russian negotiators return to Geneva this week for talks on missiles."
    ms = run(nlp, kb, text)
    assert at(ms, text, "Russian").code == "RUSGOV"
    assert at(ms, text, "negotiators").code == "RUSGOV"
    assert at(ms, text, "U.S.").code == "USAGOV"


def test_possessive_country_is_not_taken_by_role_of_country(nlp, kb):
    text = "Fabius held talks with leaders of Romania's new government on Tuesday."
    ms = run(nlp, kb, text)
    assert at(ms, text, "government").code == "ROUGOV"


# --- context rules -----------------------------------------------------------------------

CONTEXT_CASES = yaml.safe_load((Path(__file__).parent / "fixtures" / "agent_context.yaml").read_text("utf-8"))


@pytest.mark.parametrize("case", CONTEXT_CASES, ids=[c["rule"] for c in CONTEXT_CASES])
def test_context_rule(nlp, kb, case):
    text = case["text"]
    ms = run(nlp, kb, text)
    m = at(ms, text, case["anchor"])
    assert (m.code, m.basis, m.reason) == (case["code"], case["basis"], case["reason"])
    assert m.confidence < 0.95  # below a country modifier's
    assert_non_overlapping(ms)


def test_the_place_of_an_agent_is_context_not_an_actor(nlp, kb):
    text = "Police in Kiev detained dozens of pro-Russian activists on Sunday."
    ms = run(nlp, kb, text)
    assert (at(ms, text, "Police").country, at(ms, text, "Kiev")) == ("UKR", None)


def test_from_a_country_is_origin_only_for_refugees(nlp, kb):
    text = "Bangladesh said it cannot accept any more refugees from Myanmar."
    assert at(run(nlp, kb, text), text, "refugees").code == "MMRREF"
    text = "Nigeria withdrew 200 peacekeepers from Liberia in February."
    m = at(run(nlp, kb, text), text, "peacekeepers")
    assert m.country != "LBR"


# --- no country -------------------------------------------------------------------------

@pytest.mark.parametrize("text,anchor,code", [
    ("Gunmen opened fire on a bus carrying pilgrims, officials said.", "Gunmen", "UAF"),
    ("The government accused the opposition of inciting violence.", "government", "GOV"),
    ("The government accused the opposition of inciting violence.", "opposition", "OPP"),
    ("Security forces killed three insurgents overnight.", "insurgents", "INS"),
    ("The separatists rejected the ceasefire.", "separatists", "SEP"),
    ("Lawmakers voted to strip the court of its powers.", "Lawmakers", "LEG"),
    ("Lawmakers voted to strip the court of its powers.", "court", "JUD"),
    ("Kidnappers released the aid workers after a week.", "Kidnappers", "CRM"),
    ("Kidnappers released the aid workers after a week.", "aid workers", "NGO"),
])
def test_agent_without_country_is_the_sector_alone(nlp, kb, text, anchor, code):
    m = at(run(nlp, kb, text), text, anchor)
    assert (m.code, m.country, m.sector) == (code, None, code)
    assert m.reason == "agent-no-country" and m.confidence <= 0.5


def test_igo_agents_take_no_country(nlp, kb):
    text = "International monitors criticised the army of Sudan."
    ms = run(nlp, kb, text)
    assert at(ms, text, "International").code == "IGO"
    assert at(ms, text, "army").code == "SDNMIL"


def test_igo_modifier_keeps_the_igo(nlp, kb):
    text = "Eritrea has expelled some of the U.N. peacekeepers."
    m = at(run(nlp, kb, text), text, "peacekeepers")
    assert m.code == "IGOUNO" and m.text == "U.N. peacekeepers"


def test_named_group_modifier_gives_no_country(nlp, kb):
    # a group the KB does not know (Amal) names a group, not a country
    text = "Israeli troops fought Amal guerrillas in the hills."
    ms = run(nlp, kb, text)
    m = at(ms, text, "guerrillas")
    assert m.code == "REB" and m.country is None and m.reason == "agent-named-group"


def test_known_armed_group_modifier_keeps_the_group(nlp, kb):
    text = "Israeli troops fought Hezbollah guerrillas in the hills."
    m = at(run(nlp, kb, text), text, "guerrillas")
    assert m.code == "LBNREBHEZ" and m.text == "Hezbollah guerrillas"
    assert m.reason == "armed-group+member"


def test_sponsor_is_not_the_agents_country(nlp, kb):
    text = "US-backed rebels attacked the town."
    m = at(run(nlp, kb, text), text, "rebels")
    assert m.country is None and m.reason == "agent-sponsored"
    text = "Vietnamese-led forces launched artillery fire."
    assert at(run(nlp, kb, text), text, "forces").code == "VNMMIL"


# --- negatives ----------------------------------------------------------------------------

def test_place_alone_and_car_bomb_are_not_agents(nlp, kb):
    text = "In September, a car bomb in Kiev killed a man."
    assert run(nlp, kb, text) == []


@pytest.mark.parametrize("text,anchor", [
    ("A bomb exploded near a police station in the capital.", "police"),
    ("Syrian jets struck a rebel-held area near the frontier.", "rebel"),
    ("The firm does business with the state.", "business"),
    ("He cited intelligence reports.", "intelligence"),
])
def test_role_words_that_are_not_agents(nlp, kb, text, anchor):
    assert at(run(nlp, kb, text), text, anchor) is None


def test_title_before_an_unknown_name_is_not_a_bare_agent(nlp, kb):
    """The title belongs to the person (one mention with the bare sector, since no country
    is known: issue 14, every named actor gets a code), not to an agent of its own."""
    text = "Spokesman Zbigniew Nowak declined to comment."
    m = at(run(nlp, kb, text), text, "Spokesman")
    assert m is not None and m.text == "Spokesman Zbigniew Nowak" and m.country is None


def test_mentions_stay_non_overlapping(nlp, kb):
    text = ("Iraqi troops and police in Baghdad arrested gunmen, while Taliban militants and "
            "U.N. peacekeepers clashed near Kandahar, officials said.")
    ms = run(nlp, kb, text)
    assert_non_overlapping(ms)
    assert at(ms, text, "police").code == "IRQCOP"


# --- data --------------------------------------------------------------------------------

def test_roles_file_schema_is_checked(tmp_path):
    from detente.actors.kb import read_roles

    bad = tmp_path / "roles.yaml"
    bad.write_text("police: {nouns: [police]}\n", encoding="utf-8")
    with pytest.raises(DetenteError):
        read_roles(bad)


def test_cities_are_context_not_aliases(kb):
    assert kb.cities[("kiev",)] == "UKR" and kb.cities[("mosul",)] == "IRQ"
    assert ("kiev",) not in kb.aliases
    assert ("business",) in kb.non_agents


def test_ethnic_modifier_takes_the_country_of_the_place(nlp, kb):
    text = "Bosnian Serbs demanded a truce with Moslem forces in east Bosnia."
    m = at(run(nlp, kb, text), text, "forces")
    assert m.code == "BIHMIL" and m.reason.startswith("agent+ethnic+")
    # the sentence's country alone is not enough: it is as often the counterpart
    text = "Korean companies suffered when Chinese tourists stopped coming."
    m = at(run(nlp, kb, text), text, "companies")
    assert m.country is None
