"""Companies as actors (issue 14 item 4): the company KB (actors/data/companies.csv),
its loader's errors, the guards on names that are ordinary words or places, dates, and
events that get their company source or target. Sentences written for these tests."""

from __future__ import annotations

import csv
import datetime as dt
import shutil

import pytest
from conftest import mention_at, resolve_text

from detente.actors.kb import build_kb, data_dir
from detente.actors.kb.build import COMPANY_COLUMNS
from detente.errors import DetenteError

COMPANIES = data_dir() / "companies.csv"
# the industry words actors/data/README.md documents
INDUSTRIES = {"oil", "gas", "nuclear", "power", "mining", "steel", "chemicals", "defence", "aerospace",
              "space", "tech", "platform", "telecom", "semiconductors", "cyber", "finance", "shipping",
              "shipbuilding", "rail", "auto", "airline", "pmc", "security", "construction", "pharma",
              "agri", "consumer", "retail", "trading", "conglomerate", "media"}


def _rows():
    with open(COMPANIES, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


# --- the data file -------------------------------------------------------------------

def test_company_file_schema_and_codes(kb):
    rows = _rows()
    assert tuple(rows[0]) == COMPANY_COLUMNS
    ids = {r["kb_id"] for r in rows}
    assert len(ids) >= 400  # several hundred companies
    for r in rows:
        assert r["kind"] == "company" and r["kb_id"].startswith("co:")
        assert r["country"] in kb.countries, r
        assert r["sector"] == "BUS" and r["code"] == r["country"] + "BUS", r
        assert r["industry"] in INDUSTRIES, r
        # rows sharing a kb_id are one company: same country
    by_id: dict[str, set[str]] = {}
    for r in rows:
        by_id.setdefault(r["kb_id"], set()).add(r["country"])
    assert all(len(v) == 1 for v in by_id.values())
    assert kb.stats["companies"] == len(ids)
    assert "companies.csv" in kb.sources


def test_company_names_never_shadow_other_actors(kb):
    """No company name or alias is also a country, organisation, armed group or person
    name of the KB (Wagner stays the armed group of groups.csv; state media stay in
    orgs.csv)."""
    clash = []
    for key, entries in kb.aliases.items():
        kinds = {e.kind for e in entries}
        if "company" in kinds and kinds - {"company"}:
            clash.append((key, sorted(kinds)))
        if "company" in kinds and len({e.kb_id for e in entries}) > 1:
            clash.append((key, sorted({e.kb_id for e in entries})))
    assert clash == []
    assert kb.match_keys(("wagner",))[0].kind == "group"
    assert kb.match_keys(("xinhua",))[0].kind == "media"


def test_company_surnames_do_not_take_peoples_surnames(nlp):
    """A one-word company name that is a KB surname too must be marked ambiguous (so the
    surname index keeps it: "Meta" is also Ilir Meta); other one-word company names must
    not be anyone's surname."""
    from detente.actors import load_kb
    from detente.actors.kb.model import SURNAME_FIRST

    full = load_kb()  # the shipped people
    surnames = set()
    for key, entries in full.aliases.items():
        for e in entries:
            if e.kind == "person" and len(key) >= 2:
                surnames.add(key[0] if e.country in SURNAME_FIRST else key[-1])
    bad = [k for k, es in full.aliases.items()
           if len(k) == 1 and k[0] in surnames and any(e.kind == "company" for e in es)
           and k not in full.guarded]
    assert bad == []
    assert "meta" in full.surnames


def test_ambiguous_names_are_names_of_their_row():
    rows = _rows()
    marked = {a for r in rows for a in r["ambiguous"].split(";") if a}
    assert {"Apple", "Shell", "Amazon", "Total", "Meta", "Alphabet", "Orange", "Vale"} <= marked


@pytest.mark.parametrize("body, line, msg", [
    ("co:x,company,RUSBUS,XXX,BUS,Xco,,,,energy,state,,", 3, "country 'XXX'"),
    ("co:x,company,RUSGOV,RUS,GOV,Xco,,,,energy,state,,", 3, "RUSBUS"),
    ("co:x,firm,RUSBUS,RUS,BUS,Xco,,,,energy,state,,", 3, "kind must be 'company'"),
    ("co:x,company,RUSBUS,RUS,BUS,Xco,,2020-13-01,,energy,state,,", 3, "bad date"),
    ("co:x,company,RUSBUS,RUS,BUS,Xco,,2020-01-01,2019-01-01,energy,state,,", 3, "before start"),
    ("co:x,company,RUSBUS,RUS,BUS,Xco,,,,energy,owned,,", 3, "owner 'owned'"),
    ("co:x,company,RUSBUS,RUS,BUS,Xco,,,,energy,state,Apple,", 3, "ambiguous name 'Apple'"),
    ("co:x,company,RUSBUS,RUS,BUS,Xco,a,b,c", 3, "want 13 fields"),
    ("x,company,RUSBUS,RUS,BUS,Xco,,,,energy,state,,", 3, "kb_id (co:...)"),
])
def test_malformed_company_row_raises_e304_with_file_and_line(tmp_path, body, line, msg):
    for name in ("countries.csv", "orgs.csv", "roles.yaml"):
        shutil.copy(data_dir() / name, tmp_path / name)
    good = "co:ok,company,FRABUS,FRA,BUS,Okco,,,,energy,private,,"
    (tmp_path / "companies.csv").write_text(",".join(COMPANY_COLUMNS) + "\n" + good + "\n" + body + "\n",
                                            encoding="utf-8")
    with pytest.raises(DetenteError) as ei:
        build_kb(data_dir=tmp_path)
    assert ei.value.code == "E304"
    assert f"companies.csv: line {line}" in str(ei.value) and msg in str(ei.value)


def test_company_file_missing_columns(tmp_path):
    for name in ("countries.csv", "orgs.csv", "roles.yaml"):
        shutil.copy(data_dir() / name, tmp_path / name)
    (tmp_path / "companies.csv").write_text("kb_id,name\nco:a,A\n", encoding="utf-8")
    with pytest.raises(DetenteError, match=r"E304.*line 1: missing columns"):
        build_kb(data_dir=tmp_path)


# --- resolution ----------------------------------------------------------------------

@pytest.mark.parametrize("text, anchor, code", [
    ("Gazprom cut gas supplies to Poland.", "Gazprom", "RUSBUS"),
    ("Huawei denied spying for Beijing.", "Huawei", "CHNBUS"),
    ("The United States sanctioned Rosneft.", "Rosneft", "RUSBUS"),
    ("Saudi Aramco signed a supply deal with Sinopec.", "Saudi Aramco", "SAUBUS"),
    ("Saudi Aramco signed a supply deal with Sinopec.", "Sinopec", "CHNBUS"),
    ("Lockheed Martin will deliver more jets to Poland.", "Lockheed", "USABUS"),
    ("Kyiv accused Rosatom of running the plant under Russian guns.", "Rosatom", "RUSBUS"),
    ("Washington added SMIC to its trade blacklist.", "SMIC", "CHNBUS"),
    ("Belgium's Euroclear holds frozen Russian assets.", "Euroclear", "BELBUS"),
    ("Banks were cut off from SWIFT last week.", "SWIFT", "BELBUS"),
    ("The ministry said Rheinmetall would build a plant in Ukraine.", "Rheinmetall", "DEUBUS"),
    ("Turkey's Baykar sold drones to Kyiv.", "Baykar", "TURBUS"),
    ("Officials said Equinor would raise gas output for Europe.", "Equinor", "NORBUS"),
])
def test_companies_resolve_to_home_country_bus(nlp, kb, text, anchor, code):
    m = mention_at(resolve_text(nlp, kb, text), text, anchor)
    assert m is not None and m.code == code and m.sector == "BUS"
    assert m.reason == "company" and m.kb_id and m.kb_id.startswith("co:")


def test_company_members_stay_the_company(nlp, kb):
    text = "Gazprom executives met Chinese officials in Beijing."
    m = mention_at(resolve_text(nlp, kb, text), text, "Gazprom")
    assert m.code == "RUSBUS" and m.text == "Gazprom executives"


@pytest.mark.parametrize("text, anchor, code", [
    # the company: a capitalised name where a company stands
    ("Apple agreed to pay the European Union a large sum.", "Apple", "USABUS"),
    ("The European Commission fined Apple 13 billion euros.", "Apple", "USABUS"),
    ("Brazil said Amazon must pay more tax.", "Amazon", "USABUS"),
    ("Nigeria told Shell to clean up the delta.", "Shell", "GBRBUS"),
    ("Apple CEO Tim Cook met Chinese officials.", "Apple", "USABUS"),
    # not the company
    ("Fires spread across the Amazon as Brazil sent troops.", "Amazon", None),
    ("Brazil deployed troops to protect the Amazon rainforest.", "Amazon", None),
    ("The Orange Revolution swept Ukraine in 2004.", "Orange", None),
    ("Shell fire hit a school as Russia shelled the town.", "Shell", None),
    ("The total cost of the war rose, Ukraine said.", "total", None),
    ("Police in Santander arrested two Moroccan men.", "Santander", None),
    ("Serbia honoured Nikola Tesla on Friday.", "Tesla", None),
    ("President Meta met Albanian officials in Tirana.", "Meta", None),
])
def test_ambiguous_company_names_are_guarded(nlp, kb, text, anchor, code):
    m = mention_at(resolve_text(nlp, kb, text), text, anchor)
    got = m.code if m is not None and m.reason == "company" else None
    assert got == code


def test_product_names_are_not_the_company(nlp, kb):
    text = "Russia bought Boeing 737 planes and Airbus A320 jets from Iran."
    ms = resolve_text(nlp, kb, text)
    assert [m.text for m in ms if m.reason == "company"] == []
    text = "Boeing said it would cut jobs."
    assert mention_at(resolve_text(nlp, kb, text), text, "Boeing").code == "USABUS"


def test_names_not_yet_in_use_do_not_match(nlp, kb):
    text = "Meta removed accounts run from Russia, the company said."
    late = mention_at(resolve_text(nlp, kb, text, dt.date(2023, 5, 2)), text, "Meta")
    assert late is not None and late.code == "USABUS" and late.reason == "company"
    early = mention_at(resolve_text(nlp, kb, text, dt.date(2015, 5, 2)), text, "Meta")
    assert early is None or early.reason != "company"
    # the old name keeps matching after a rename: the platform is still Facebook
    text = "Facebook removed accounts run from Russia, the company said."
    m = mention_at(resolve_text(nlp, kb, text, dt.date(2023, 5, 2)), text, "Facebook")
    assert m.code == "USABUS" and m.kb_id == "co:meta"
    # undated text: every name matches
    text = "Equinor and Statoil are one company."
    ms = resolve_text(nlp, kb, text)
    assert {m.kb_id for m in ms if m.reason == "company"} == {"co:equinor"}
    early = mention_at(resolve_text(nlp, kb, "Equinor signed a deal with Russia.", dt.date(2010, 1, 1)),
                       "Equinor signed a deal with Russia.", "Equinor")
    assert early is None


def test_defunct_company_still_named(nlp, kb):
    text = "A court ordered Russia to pay Yukos shareholders."
    m = mention_at(resolve_text(nlp, kb, text, dt.date(2014, 7, 28)), text, "Yukos")
    assert m is not None and m.code == "RUSBUS"


# --- events --------------------------------------------------------------------------

def _events(nlp, kb, lex, text, date=None):
    from detente.coding import code_text

    return code_text(text, date, nlp=nlp, kb=kb, lexicon=lex)["events"]


@pytest.mark.parametrize("text, source, target, root", [
    ("Gazprom cut gas supplies to Poland.", "RUSBUS", "POL", "16"),
    ("The United States sanctioned Rosneft.", "USA", "RUSBUS", "16"),
    ("Huawei denied spying for Beijing.", "CHNBUS", "CHNGOV", "01"),
    ("Apple agreed to pay the EU.", "USABUS", "IGOEUREEC", "03"),
    ("Ukraine accused Rosatom of looting the plant.", "UKR", "RUSBUS", "11"),
    ("Russia accused Baykar of arming Ukraine.", "RUS", "TURBUS", "11"),
])
def test_events_get_their_company_source_or_target(nlp, kb, lex, text, source, target, root):
    evs = _events(nlp, kb, lex, text)
    assert any(e["source_actor"] == source and e["target_actor"] == target and
               e["cameo"].startswith(root) for e in evs), \
        [(e["source_actor"], e["target_actor"], e["cameo"]) for e in evs]


def test_gazprom_cut_is_a_162(nlp, kb, lex):
    evs = _events(nlp, kb, lex, "Gazprom cut gas supplies to Poland.")
    assert [(e["source_actor"], e["target_actor"], e["cameo"]) for e in evs] == [("RUSBUS", "POL", "162")]


def test_platform_after_on_or_via_is_the_medium(nlp, kb):
    text = "The president wrote on Twitter that Russia had lied."
    m = mention_at(resolve_text(nlp, kb, text), text, "Twitter")
    assert m is None or m.reason != "company"
    text = "Russia blocked Telegram and fined Google."
    ms = resolve_text(nlp, kb, text)
    assert mention_at(ms, text, "Telegram").code == "AREBUS"
    assert mention_at(ms, text, "Google").code == "USABUS"
    # a company that is no platform keeps its reading after "on"
    text = "Washington imposed sanctions on Rosneft."
    assert mention_at(resolve_text(nlp, kb, text), text, "Rosneft").code == "RUSBUS"


def test_capitals_lift_the_guard(nlp, kb):
    """"Swift" is a surname and a word; "SWIFT" in capitals is the payment network."""
    text = "Russian banks were cut off from the SWIFT system."
    assert mention_at(resolve_text(nlp, kb, text), text, "SWIFT").code == "BELBUS"
    text = "Taylor Swift praised the troops."
    m = mention_at(resolve_text(nlp, kb, text), text, "Swift")
    assert m is None or m.reason != "company"


def test_lookup_knows_companies_and_their_dates(kb):
    from detente.actors import lookup

    assert [(r["code"], r["kb_id"], r["reason"]) for r in lookup("Gazprom", None, kb)] == \
        [("RUSBUS", "co:gazprom", "company")]
    assert lookup("Meta", dt.date(2022, 1, 5), kb)[0]["code"] == "USABUS"
    assert all(r["kb_id"] != "co:meta" for r in lookup("Meta", dt.date(2015, 1, 5), kb))


def test_user_file_gives_a_company_phoenix_code(nlp, tmp_path):
    """The README's way to Phoenix's MNC codes: a user row with the company's kb_id."""
    from detente.actors import load_kb

    f = tmp_path / "mnc.csv"
    f.write_text("kb_id,name,aliases,code,kind,start,end,country,sector,note\n"
                 "co:exxon,ExxonMobil,Exxon,MNCUSA,company,,,USA,MNC,Phoenix code\n", encoding="utf-8")
    kb = load_kb(str(f))
    text = "The United States sanctioned Exxon."
    m = mention_at(resolve_text(nlp, kb, text), text, "Exxon")
    assert (m.code, m.country, m.kb_id) == ("MNCUSA", "USA", "co:exxon")
    text = "The United States sanctioned Chevron."
    assert mention_at(resolve_text(nlp, kb, text), text, "Chevron").code == "USABUS"
