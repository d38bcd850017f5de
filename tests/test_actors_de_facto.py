"""Actors the KB could not code before (issue 14 item 4): the authorities of de facto
states (groups.csv rows, their names in de_facto.yaml, rule ``de_facto``), their leaders
(people.csv), companies whose home country changed (company_homes.csv), and demonyms
that name a period ("Soviet-era"). Sentences written for these tests."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
import yaml
from conftest import mention_at

from detente.actors import at_event_date, load_kb, lookup, resolve_doc
from detente.actors.kb import build_kb, data_dir
from detente.actors.kb.build import HOME_COLUMNS
from detente.errors import DetenteError

D = dt.date(2023, 5, 10)
# autonomous governments of a recognised state (also in de_facto.yaml): the state's GOV
AUTONOMOUS = {"grp:puntland": "SOM", "grp:republika_srpska": "BIH", "grp:gagauzia": "MDA",
              "grp:krg": "IRQ"}
DE_FACTO = data_dir() / "de_facto.yaml"


@pytest.fixture(scope="module")
def full_kb():
    return load_kb()


def _ms(nlp, kb, text, date=D):
    return resolve_doc(nlp(text), "t", date, kb)


def _code(nlp, kb, text, anchor, date=D):
    m = mention_at(_ms(nlp, kb, text, date), text, anchor)
    return None if m is None else m.code


def _events(nlp, kb, lex, text, date=D):
    from detente.coding import code_text

    evs = code_text(text, date.isoformat() if date else None, nlp=nlp, kb=kb, lexicon=lex)["events"]
    return [(e["source_actor"], e["target_actor"], e["cameo"]) for e in evs]


# --- the data ---------------------------------------------------------------------------

def test_every_de_facto_state_is_a_group_apart_from_its_claimant(full_kb):
    """Each authority has a code that keeps the territory recognisable (a three-letter
    suffix) and is never a recognised government: a de facto state is the claimant's
    country with SEP (never the claimant's GOV, never its patron RUS); an occupying
    power's administration (Crimea since 2014) is the occupier's GOV with the suffix."""
    spec = yaml.safe_load(DE_FACTO.read_text(encoding="utf-8"))
    assert len(spec) >= 7 and full_kb.stats["de_facto_states"] == len(spec)
    for kb_id in spec:
        rows = full_kb.by_id[kb_id]
        base = next(r for r in rows if not (r.start or r.end))
        assert base.kind == "group" and len(base.code) == 9, kb_id
        assert base.code[:6] == base.country + base.sector, kb_id
        if base.sector == "GOV" and kb_id in AUTONOMOUS:
            # an autonomous government inside a recognised state: that state's GOV
            assert "sub-state government" in base.note and base.country == AUTONOMOUS[kb_id], kb_id
        elif base.sector == "GOV":
            assert base.country == "RUS" and "occupying power" in base.note, kb_id
        else:
            assert base.sector == "SEP" and base.country != "RUS", kb_id
    assert set(full_kb.de_facto) == set(spec)


@pytest.mark.parametrize("body, msg", [
    ("grp:nowhere:\n  territory: [Nowhere]\n", "not a kb_id of groups.csv"),
    ("grp:pmr:\n  towns: [Bender]\n", "want the keys"),
    ("grp:pmr:\n  territory: Transnistria\n", "territory must be a list"),
    ("grp:pmr:\n  territory: [Transnistria]\n  from: 2001-01-01\n  until: 1999-01-01\n",
     "is before from"),
])
def test_malformed_de_facto_file_raises_e304(tmp_path, body, msg):
    for name in ("countries.csv", "orgs.csv", "roles.yaml", "groups.csv"):
        shutil.copy(data_dir() / name, tmp_path / name)
    (tmp_path / "de_facto.yaml").write_text(body, encoding="utf-8")
    with pytest.raises(DetenteError) as ei:
        build_kb(data_dir=tmp_path)
    assert ei.value.code == "E304" and "de_facto.yaml" in str(ei.value) and msg in str(ei.value)


def test_leaders_take_their_authority_code(full_kb):
    """People rows without a country whose note names the authority get its code on the
    tenure's start: never the claimant's government, never the patron state's."""
    for kb_id, code in [("p:vadim-krasnoselsky", "MDASEPPMR"), ("p:aslan-bzhania", "GEOSEPABK"),
                        ("p:alan-gagloyev", "GEOSEPSOS"), ("p:ersin-tatar", "CYPSEPTRN"),
                        ("p:muse-bihi-abdi", "SOMSEPSML"), ("p:brahim-ghali", "ESHSEPSDR"),
                        ("p:bako-sahakyan", "AZESEPNKR")]:
        assert {r.code for r in full_kb.by_id[kb_id]} == {code}, kb_id
    # the DPR's head: the separatist authority, then Russia's appointee after the annexation
    assert [r.code for r in full_kb.by_id["p:denis-pushilin"]] == ["UKRSEPDPR", "RUSGOVDPR"]
    # a person with posts in two entities keeps each one's code on its dates
    assert {r.code for r in full_kb.by_id["p:robert-kocharyan"]} == {"AZESEPNKR", "ARMGOV"}


# --- names of the territory, its capital and its people ------------------------------------

@pytest.mark.parametrize("text, anchor, code", [
    ("Somaliland signed a port agreement with Ethiopia.", "Somaliland", "SOMSEPSML"),
    ("Ethiopia signed a port agreement with Somaliland.", "Somaliland", "SOMSEPSML"),
    ("Transnistria's parliament voted to ask Moscow for protection.", "Transnistria", "MDASEPPMR"),
    ("Tiraspol turned down the offer made by Chisinau.", "Tiraspol", "MDASEPPMR"),
    ("Hargeisa protested to Mogadishu over the appointment.", "Hargeisa", "SOMSEPSML"),
    ("Northern Cyprus asked Ankara for more aid.", "Northern", "CYPSEPTRN"),
    ("Abkhaz officials blamed Tbilisi for the incident.", "Abkhaz", "GEOSEPABK"),
    ("South Ossetian forces detained two Georgian citizens.", "Ossetian", "GEOSEPSOS"),
    ("Turkish Cypriot negotiators walked out of the talks.", "Cypriot", "CYPSEPTRN"),
    ("The government of Abkhazia signed a treaty with Russia.", "government", "GEOSEPABK"),
    ("The authorities in Tskhinvali closed the crossing.", "authorities", "GEOSEPSOS"),
    ("Police in Tiraspol detained a Moldovan journalist.", "Police", "MDASEPPMR"),
])
def test_names_stand_for_the_authority(nlp, full_kb, text, anchor, code):
    assert _code(nlp, full_kb, text, anchor) == code


@pytest.mark.parametrize("text, anchor", [
    ("Heavy fighting in Abkhazia left dozens dead.", "Abkhazia"),  # a place
    ("Refugees fled from Transnistria to Ukraine.", "Transnistria"),
    ("The Transnistria settlement talks stalled again.", "Transnistria"),  # a modifier
    ("Russian troops entered the breakaway region of South Ossetia.", "Ossetia"),
    ("Moscow opened an embassy in Sukhumi.", "embassy"),  # Russia's post, not Abkhazia's
    ("Abkhaz wine is sold in Moscow.", "Abkhaz"),  # an adjective without a role
])
def test_places_and_modifiers_stay_no_actor(nlp, full_kb, text, anchor):
    m = mention_at(_ms(nlp, full_kb, text), text, anchor)
    assert m is None or m.kb_id not in full_kb.de_facto, (m.code, m.reason)


def test_other_roles_take_the_claimant_country(nlp, full_kb):
    text = "Abkhaz refugees demonstrated outside the parliament."
    assert _code(nlp, full_kb, text, "refugees") == "GEOREF"


def test_leader_joins_the_territory_name(nlp, full_kb):
    text = "Transnistria's leader Vadim Krasnoselsky rejected the customs rules."
    m = mention_at(_ms(nlp, full_kb, text), text, "Transnistria")
    assert m is not None and m.code == "MDASEPPMR" and m.kb_id == "p:vadim-krasnoselsky"
    assert text[m.start:m.end] == "Transnistria's leader Vadim Krasnoselsky"


def test_unknown_titled_person_takes_the_authority(nlp, full_kb):
    text = "Abkhaz Foreign Minister Zurab Kvaratskhelia thanked Russia for its support."
    m = mention_at(_ms(nlp, full_kb, text), text, "Zurab")
    assert m is not None and m.code == "GEOSEPABK" and m.start == 0


def test_breakaway_region_refers_to_the_only_de_facto_state(nlp, full_kb):
    text = ("Moldova cut gas supplies to Transnistria. The breakaway region's government asked "
            "Moscow for help.")
    assert _code(nlp, full_kb, text, "government") == "MDASEPPMR"
    # two de facto states named: "the breakaway region" is left alone
    two = "Russia recognised Abkhazia and South Ossetia. The breakaway region's leaders thanked Moscow."
    m = mention_at(_ms(nlp, full_kb, two), two, "breakaway")
    assert m is None or m.kb_id not in full_kb.de_facto


def test_names_stand_for_the_authority_only_on_its_dates(nlp, full_kb):
    text = "Azerbaijan accused Karabakh of breaking the truce."
    assert _code(nlp, full_kb, text, "Karabakh", dt.date(2021, 3, 1)) == "AZESEPNKR"
    # the Republic dissolved on 2024-01-01: Karabakh is a region of Azerbaijan again
    assert _code(nlp, full_kb, text, "Karabakh", dt.date(2024, 6, 1)) is None
    # before the declaration of 1992, Abkhaz officials were the Soviet republic's
    assert _code(nlp, full_kb, "Abkhaz officials met the minister.", "Abkhaz",
                 dt.date(1989, 7, 1)) != "GEOSEPABK"


@pytest.mark.parametrize("text, anchor, date, code", [
    ("Crimean authorities banned the Mejlis.", "Crimean", dt.date(2016, 4, 26), "RUSGOVCRM"),
    ("Crimea's leader Sergey Aksyonov thanked Putin.", "Crimea", dt.date(2015, 3, 18), "RUSGOVCRM"),
])
def test_occupation_authority_of_crimea(nlp, full_kb, text, anchor, date, code):
    assert _code(nlp, full_kb, text, anchor, date) == code


@pytest.mark.parametrize("text, anchor, date", [
    ("Crimean authorities asked Kyiv for funds.", "Crimean", dt.date(2010, 4, 1)),  # Ukraine's
    ("Crimean Tatar leader Mustafa Dzhemilev met Turkish officials.", "Mustafa", dt.date(2016, 1, 5)),
    ("Russia moved warships to Crimea.", "Crimea", dt.date(2020, 1, 5)),  # a place
])
def test_crimea_names_that_are_not_the_occupation_authority(nlp, full_kb, text, anchor, date):
    m = mention_at(_ms(nlp, full_kb, text, date), text, anchor)
    assert m is None or m.code != "RUSGOVCRM", (m.code, m.reason)


def test_formal_names_and_dated_status(nlp, full_kb):
    text = "The Donetsk People's Republic accused Kyiv of shelling a market."
    assert _code(nlp, full_kb, text, "Donetsk", dt.date(2016, 2, 1)) == "UKRSEPDPR"
    assert _code(nlp, full_kb, text, "Donetsk", dt.date(2024, 2, 1)) == "RUSGOVDPR"
    text = "The Turkish Republic of Northern Cyprus opened a new crossing point."
    assert _code(nlp, full_kb, text, "Turkish") == "CYPSEPTRN"


def test_leader_re_dated_at_the_event(nlp, full_kb):
    text = "Denis Pushilin met Russian officials."
    ms = _ms(nlp, full_kb, text, dt.date(2024, 3, 1))
    m = mention_at(ms, text, "Denis")
    assert m.code == "RUSGOVDPR"
    then = at_event_date(full_kb, m, "2019-06-01", "month", dt.date(2024, 3, 1))
    assert then.code == "UKRSEPDPR" and "event date" in then.reason


@pytest.mark.parametrize("text, source, target", [
    ("Somaliland signed a port agreement with Ethiopia.", "SOMSEPSML", "ETH"),
    ("Abkhaz officials accused Georgia of provoking the clash.", "GEOSEPABK", "GEO"),
    ("Georgia accused Tskhinvali of shelling its villages.", "GEO", "GEOSEPSOS"),
    ("Transnistrian leader Ivan Petrov thanked Russia for its support.", "MDASEPPMR", "RUS"),
])
def test_events_keep_their_de_facto_source_or_target(nlp, full_kb, lex, text, source, target):
    evs = _events(nlp, full_kb, lex, text)
    assert any(s == source and t == target for s, t, _ in evs), evs


# --- companies whose home country changed ----------------------------------------------------

@pytest.mark.parametrize("date, code", [
    (dt.date(2015, 4, 8), "NLDBUS"),   # Royal Dutch Shell, The Hague
    (dt.date(2022, 1, 30), "NLDBUS"),
    (dt.date(2022, 1, 31), "GBRBUS"),  # Shell plc, London
    (None, "GBRBUS"),                  # undated: today's home
])
def test_company_home_on_the_article_date(nlp, full_kb, date, code):
    text = "Shell agreed to pay Nigeria compensation for the spills."
    assert _code(nlp, full_kb, text, "Shell", date) == code


def test_company_homes_of_other_moves(nlp, full_kb):
    text = "HSBC lent money to China."
    assert _code(nlp, full_kb, text, "HSBC", dt.date(1990, 5, 1)) == "HKGBUS"
    assert _code(nlp, full_kb, text, "HSBC", dt.date(2010, 5, 1)) == "GBRBUS"
    text = "Polymetal sold gold to China."
    assert _code(nlp, full_kb, text, "Polymetal", dt.date(2020, 5, 1)) == "RUSBUS"
    assert _code(nlp, full_kb, text, "Polymetal", dt.date(2024, 5, 1)) == "KAZBUS"


@pytest.mark.parametrize("name, date, code", [
    ("Aeroflot", dt.date(1983, 9, 2), "USRBUS"),  # a Soviet state enterprise then
    ("Aeroflot", dt.date(1992, 1, 1), "RUSBUS"),
    ("Antonov Company", dt.date(1990, 5, 1), "USRBUS"),
    ("Antonov Company", dt.date(2022, 2, 27), "UKRBUS"),
])
def test_soviet_enterprises_were_soviet(full_kb, name, date, code):
    assert lookup(name, date, full_kb)[0]["code"] == code


def test_company_home_at_the_event_date(nlp, full_kb, lex):
    """An event dated in the text takes the company's home then, not the article's."""
    evs = _events(nlp, full_kb, lex, "In 2015, Shell signed a supply deal with Russia.",
                  dt.date(2023, 2, 1))
    assert ("NLDBUS", "RUS") in [(s, t) for s, t, _ in evs], evs


def test_lookup_uses_the_dated_home(full_kb):
    assert lookup("Shell", dt.date(2010, 1, 1), full_kb)[0]["code"] == "NLDBUS"
    assert lookup("Shell", dt.date(2024, 1, 1), full_kb)[0]["code"] == "GBRBUS"


@pytest.mark.parametrize("body, msg", [
    ("co:nosuch,NLD,,2000-01-01,", "not a kb_id of companies.csv"),
    ("co:shell,XXX,,2000-01-01,", "not an ISO3 code"),
    ("co:shell,NLD,,,", "needs a start or an end"),
    ("co:shell,NLD,2005-01-01,2001-01-01,", "is before start"),
    ("co:shell,NLD,,2022-01-30,\nco:shell,FRA,2020-01-01,,", "overlaps another home"),
])
def test_malformed_company_home_raises_e304(tmp_path, body, msg):
    for name in ("countries.csv", "orgs.csv", "roles.yaml", "companies.csv"):
        shutil.copy(data_dir() / name, tmp_path / name)
    (tmp_path / "company_homes.csv").write_text(",".join(HOME_COLUMNS) + "\n" + body + "\n",
                                                encoding="utf-8")
    with pytest.raises(DetenteError) as ei:
        build_kb(data_dir=tmp_path)
    assert ei.value.code == "E304" and "company_homes.csv: line" in str(ei.value)
    assert msg in str(ei.value)


def test_company_home_rows_do_not_change_the_company_rows(full_kb):
    """The dated homes live apart: a company's own rows keep one country."""
    assert {r.country for r in full_kb.by_id["co:shell"]} == {"GBR"}
    assert [h.country for h in full_kb.company_homes["co:shell"]] == ["NLD"]


# --- nationality in a title; demonyms that name a period ------------------------------------

@pytest.mark.parametrize("text", [
    "Lithuanian Defence Minister Audrius Butkevicius met Russian officials in Moscow.",
    "Russian officials met Lithuanian Defence Minister Audrius Butkevicius.",
    "Moscow rejected a demand by Lithuanian Defense Minister Audrius Butkevicius.",
])
def test_unknown_titled_person_keeps_the_country_of_his_title(nlp, kb, text):
    m = mention_at(_ms(nlp, kb, text, dt.date(1993, 5, 1)), text, "Butkevicius")
    assert m is not None and m.code == "LTUGOV", (m.code, m.reason) if m else None


@pytest.mark.parametrize("text, anchor", [
    ("Soviet-era tanks rolled into the square.", "Soviet"),
    ("Moscow wrote off the Soviet-era debt of Cuba.", "Soviet"),
    ("The town still has Soviet-style apartment blocks.", "Soviet"),
])
def test_period_demonym_is_no_actor(nlp, kb, text, anchor):
    assert mention_at(_ms(nlp, kb, text), text, anchor) is None


def test_undated_text_reads_a_dissolved_authority_only_with_a_role(nlp, full_kb):
    """Undated, "Karabakh" alone is today's region (the Republic dissolved in 2024), but
    "the Karabakh authorities" prove the authority existed when the text was written."""
    text = "The Karabakh authorities accused Azerbaijan of blocking the road."
    assert _code(nlp, full_kb, text, "authorities", None) == "AZESEPNKR"
    text = "Azerbaijan accused Karabakh of breaking the truce."
    assert _code(nlp, full_kb, text, "Karabakh", None) is None


@pytest.mark.parametrize("text, anchor", [
    ("Moscow annexed Crimea in March.", "Crimea"),
    ("Sanctions followed the annexation of Crimea.", "Crimea"),
    ("Azerbaijan took control of Karabakh after six weeks of war.", "Karabakh"),
    ("Tbilisi protested against the occupation of Abkhazia.", "Abkhazia"),
])
def test_a_territory_taken_or_held_is_a_place(nlp, full_kb, text, anchor):
    m = mention_at(_ms(nlp, full_kb, text, dt.date(2021, 3, 1)), text, anchor)
    assert m is None or m.kb_id not in full_kb.de_facto, (m.code, m.reason)


def test_lookup_of_territory_names(full_kb):
    row = lookup("Tiraspol", dt.date(2024, 6, 1), full_kb)[0]
    assert row["code"] == "MDASEPPMR" and row["reason"].startswith("de-facto-capital")
    assert lookup("Karabakh", dt.date(2021, 6, 1), full_kb)[0]["code"] == "AZESEPNKR"
    assert lookup("Karabakh", dt.date(2024, 6, 1), full_kb) == []


@pytest.mark.parametrize("text, anchor, code", [
    # a people's commander or leader is not the state the sentence's other country names
    ("Kurdish commander Hevala Zagros met Turkish officials.", "Hevala", "REB"),
    ("Tamil leader Kumaran Selvam rejected the Sri Lankan offer.", "Kumaran", "OPP"),
    # a place attached to the clause still gives the residence
    ("Chechen leader Ruslan Dudov spoke to reporters in Grozny.", "Ruslan", "RUSOPP"),
])
def test_people_title_takes_a_non_state_sector(nlp, kb, text, anchor, code):
    m = mention_at(_ms(nlp, kb, text, dt.date(1999, 5, 1)), text, anchor)
    assert m is not None and m.code == code, (m.code, m.reason) if m else None
    assert text[m.start:m.end].split()[0] in ("Kurdish", "Tamil", "Chechen")


def test_people_word_without_title_keeps_its_residence(nlp, kb):
    text = "Tamil refugees fled the Sri Lankan army."
    assert _code(nlp, kb, text, "Tamil") == "LKAREF"


def test_adjective_joins_a_kb_leader(nlp, full_kb):
    text = "Abkhaz leader Aslan Bzhania met Russian officials."
    m = mention_at(_ms(nlp, full_kb, text), text, "Abkhaz")
    assert m is not None and m.kb_id == "p:aslan-bzhania" and m.code == "GEOSEPABK"
    assert text[m.start:m.end] == "Abkhaz leader Aslan Bzhania"


def test_a_peoples_word_is_not_a_leaders_surname(nlp, full_kb):
    """"Tatar" is Ersin Tatar's surname and the Crimean Tatars' name."""
    text = "The Crimean authorities detained three Crimean Tatar activists."
    ms = _ms(nlp, full_kb, text, dt.date(2015, 5, 1))
    assert mention_at(ms, text, "authorities").code == "RUSGOVCRM"
    assert all(m.kb_id != "p:ersin-tatar" for m in ms)
    text = "Ersin Tatar met the UN envoy. Tatar said the talks had failed."
    ms = _ms(nlp, full_kb, text)
    assert all(m.code == "CYPSEPTRN" for m in ms if "Tatar" in text[m.start:m.end])


def test_occupation_governors_are_russian_officials(nlp, full_kb):
    text = "Vladimir Saldo accused Ukraine of shelling the dam."
    assert _code(nlp, full_kb, text, "Saldo") == "RUSGOV"


def test_user_file_redefining_a_company_drops_its_dated_homes(tmp_path):
    user = tmp_path / "mine.csv"
    user.write_text("kb_id,name,code,kind\nco:shell,Shell,NLDBUS,company\n", encoding="utf-8")
    kb = build_kb(user_file=str(user))
    assert "co:shell" not in kb.company_homes
    assert lookup("Shell", dt.date(2024, 1, 1), kb)[0]["code"] == "NLDBUS"


def test_de_facto_authority_read_at_the_event_date(nlp, full_kb):
    """A name that stands for the authority on the article's date stands for nothing at an
    event before the authority existed (issue 14 item 6, as for capitals)."""
    text = "Stepanakert demanded unification with Armenia."
    m = mention_at(_ms(nlp, full_kb, text, dt.date(2021, 3, 1)), text, "Stepanakert")
    assert m is not None and m.code == "AZESEPNKR"
    assert at_event_date(full_kb, m, "1988-01-01", "year", dt.date(2021, 3, 1)) is None
    assert at_event_date(full_kb, m, "2020-01-01", "year", dt.date(2021, 3, 1)) is m


def test_self_declared_republic_and_places_entered(nlp, full_kb):
    text = "Moldova cut gas to Transnistria. The self-declared republic rejected the move."
    assert _code(nlp, full_kb, text, "self-declared") == "MDASEPPMR"
    text = "Russia recognised Abkhazia. Troops entered the breakaway republic."
    m = mention_at(_ms(nlp, full_kb, text), text, "breakaway")
    assert m is None or m.kb_id not in full_kb.de_facto
    text = "The Russian president visited Abkhazia in August."
    m = mention_at(_ms(nlp, full_kb, text), text, "Abkhazia")
    assert m is None or m.kb_id not in full_kb.de_facto


@pytest.mark.parametrize("text, anchor", [
    ("Kurdish forces clashed with Turkish troops.", "Kurdish"),
    ("Kurdish officials accused Syrian officials of bad faith.", "Kurdish"),
])
def test_peoples_forces_do_not_take_the_counterparts_country(nlp, kb, text, anchor):
    """The sentence's other country is the counterpart: Kurdish forces are not TURMIL."""
    m = mention_at(_ms(nlp, kb, text), text, anchor)
    assert m is None or m.country is None, (m.code, m.reason)


def test_the_side_in_talks_is_the_authority(nlp, full_kb):
    text = "The Transnistrian side rejected the Moldovan proposal at the talks."
    m = mention_at(_ms(nlp, full_kb, text), text, "Transnistrian")
    assert m is not None and m.code == "MDASEPPMR" and text[m.start:m.end] == "Transnistrian side"
