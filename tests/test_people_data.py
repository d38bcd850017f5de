"""Schema and fact checks for the shipped people-with-tenures KB (actors/data/people.csv).

No spaCy needed: the file is read with the csv module only.
"""
from __future__ import annotations

import csv
import functools
import datetime as dt
import re
from collections import defaultdict
from pathlib import Path

import pytest

import detente

PEOPLE_CSV = Path(detente.__file__).parent / "actors" / "data" / "people.csv"

HEADER = ["kb_id", "name", "aliases", "country", "sector", "role", "start", "end", "source_note"]
ROLES = {
    "head_of_state", "head_of_government", "foreign_minister", "defense_minister",
    "chief_of_staff", "supreme_leader", "vice_president", "deputy_head_of_government",
    "head_of_legislature", "party_leader", "senior_official",
}
MIL_ROLES = {"chief_of_staff", "senior_official"}
TITLE_WORDS = {
    "president", "king", "queen", "prince", "princess", "emperor", "ayatollah", "general",
    "marshal", "admiral", "minister", "premier", "chairman", "sir", "lord", "dr", "dr.",
    "mr", "mr.", "mrs", "ms", "secretary", "sheikh", "comrade",
}
TODAY = dt.date(2026, 11, 22)


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    with PEOPLE_CSV.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        assert reader.fieldnames == HEADER
        return list(reader)


@functools.lru_cache(maxsize=1)
def igo_names() -> frozenset[str]:
    """Names and aliases of the IGOs in orgs.csv and of the groups of groups.csv (de facto
    states' authorities): the heads people rows without a country may use."""
    out = set()
    for name, keep in (("orgs.csv", lambda r: r["kind"] == "igo"),
                       ("groups.csv", lambda r: r["kind"] == "group")):
        with (PEOPLE_CSV.parent / name).open(encoding="utf-8", newline="") as fh:
            for r in csv.DictReader(fh):
                if keep(r):
                    out.add(r["name"])
                    out.update(a.strip() for a in r["aliases"].split(";") if a.strip())
    return frozenset(out)


def _date(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def _aliases(row: dict[str, str]) -> list[str]:
    return [a.strip() for a in row["aliases"].split(";") if a.strip()]


def _holders(rows, country: str, role: str, on: str) -> set[str]:
    day = _date(on)
    out = set()
    for r in rows:
        if r["country"] != country or r["role"] != role:
            continue
        end = _date(r["end"]) if r["end"] else TODAY
        if _date(r["start"]) <= day < end:
            out.add(r["name"])
    return out


def test_file_ships_in_package_and_is_utf8():
    raw = PEOPLE_CSV.read_bytes()
    raw.decode("utf-8")
    assert raw.splitlines()[0].decode() == ",".join(HEADER)
    assert b"\r\n" not in raw


def test_size(rows):
    assert len(rows) >= 500
    assert len({r["kb_id"] for r in rows}) >= 300


def test_field_values(rows):
    for r in rows:
        assert re.fullmatch(r"p:[a-z0-9]+(-[a-z0-9]+)*", r["kb_id"]), r
        assert r["name"] and r["name"] == r["name"].strip(), r
        assert r["sector"] in {"GOV", "MIL"}, r
        assert r["role"] in ROLES, r
        if r["sector"] == "MIL":
            assert r["role"] in MIL_ROLES, r
        if r["role"] == "chief_of_staff":
            assert r["sector"] == "MIL", r
        if r["country"]:
            assert re.fullmatch(r"[A-Z]{3}", r["country"]), r
        else:
            # only the offices of international organisations have no country; the note
            # names the organisation ("EU: ...", "UN: Secretary-General")
            assert r["source_note"].split(":", 1)[0] in igo_names(), r
        if r["role"] == "supreme_leader":
            assert r["country"] in {"PRK", "IRN"}, r


def test_dates(rows):
    for r in rows:
        start = _date(r["start"])
        assert dt.date(1900, 1, 1) <= start <= TODAY, r
        if r["end"]:
            end = _date(r["end"])
            assert start <= end <= TODAY, r


def test_person_level_consistency(rows):
    names: dict[str, set[str]] = defaultdict(set)
    aliases: dict[str, set[str]] = defaultdict(set)
    for r in rows:
        names[r["kb_id"]].add(r["name"])
        aliases[r["kb_id"]].add(r["aliases"])
    assert {k: v for k, v in names.items() if len(v) > 1} == {}
    assert {k: v for k, v in aliases.items() if len(v) > 1} == {}


def test_no_duplicate_tenures(rows):
    seen = set()
    for r in rows:
        key = (r["kb_id"], r["role"], r["start"])
        assert key not in seen, key
        seen.add(key)


def test_no_overlapping_tenures_of_one_person_in_one_post(rows):
    spans = defaultdict(list)
    for r in rows:
        end = _date(r["end"]) if r["end"] else TODAY
        spans[(r["kb_id"], r["country"], r["role"])].append((_date(r["start"]), end))
    for key, items in spans.items():
        items.sort()
        for (_, e1), (s2, _) in zip(items, items[1:]):
            # senior_official rows may describe overlapping posts of one person
            if key[2] != "senior_official":
                assert s2 >= e1, key


def test_aliases_are_clean(rows):
    for r in rows:
        name_tokens = r["name"].split()
        for a in _aliases(r):
            assert a != r["name"], r
            assert a.split()[0].lower().strip(".") not in TITLE_WORDS, (a, r["kb_id"])
            # never a bare surname: a one-word alias must not be a token of the name
            if " " not in a:
                assert a not in name_tokens, (a, r["kb_id"])


def test_no_alias_shared_between_people(rows):
    owner: dict[str, set[str]] = defaultdict(set)
    canonical: dict[str, set[str]] = defaultdict(set)
    for r in rows:
        canonical[r["name"].lower()].add(r["kb_id"])
        for a in _aliases(r):
            owner[a.lower()].add(r["kb_id"])
    shared = {a: k for a, k in owner.items() if len(k) > 1}
    assert shared == {}
    # nor may an alias be somebody else's canonical name
    clash = {a: k for a, k in owner.items() if canonical.get(a, set()) - k}
    assert clash == {}


def _person(rows, kb_id):
    found = [r for r in rows if r["kb_id"] == kb_id]
    assert found, kb_id
    return found


def test_fact_lavrov(rows):
    fm = [r for r in _person(rows, "p:sergei-lavrov") if r["role"] == "foreign_minister"]
    assert [(r["country"], r["start"], r["end"]) for r in fm] == [("RUS", "2004-03-09", "")]
    assert "Sergey Lavrov" in _aliases(fm[0])


def test_fact_kim_dynasty(rows):
    def leader(kb):
        return [r for r in _person(rows, kb) if r["role"] == "supreme_leader"]

    (il_sung,) = leader("p:kim-il-sung")
    (jong_il,) = leader("p:kim-jong-il")
    (jong_un,) = leader("p:kim-jong-un")
    assert il_sung["end"] == "1994-07-08"
    assert (jong_il["start"], jong_il["end"]) == ("1994-07-08", "2011-12-17")
    assert jong_un["start"].startswith("2011-12") and jong_un["end"] == ""
    assert {"Kim Jong-un", "Kim Jong-Un", "Kim Jongun"} <= set(_aliases(jong_un))
    assert all(r["country"] == "PRK" for r in (il_sung, jong_il, jong_un))


def test_fact_park_geun_hye(rows):
    pres = [r for r in _person(rows, "p:park-geun-hye") if r["role"] == "head_of_state"]
    assert [(r["country"], r["start"], r["end"]) for r in pres] == [
        ("KOR", "2013-02-25", "2017-03-10")
    ]
    assert "Park Gyeun-Hye" in _aliases(pres[0])


def test_fact_soviet_posts_use_usr(rows):
    gorby = _person(rows, "p:mikhail-gorbachev")
    assert {r["country"] for r in gorby} == {"USR"}
    assert all(r["end"] <= "1991-12-25" for r in gorby)
    yeltsin = _person(rows, "p:boris-yeltsin")
    assert {r["country"] for r in yeltsin} == {"RUS"}


def test_fact_jang_song_thaek_spelling(rows):
    (row, *_) = _person(rows, "p:jang-song-thaek")
    assert "Jang Song Taek" in _aliases(row)
    assert row["end"] == "2013-12-12"


def test_namesakes_are_separate_people(rows):
    ri = {r["kb_id"] for r in rows if r["name"] == "Ri Yong Ho"}
    assert ri == {"p:ri-yong-ho", "p:ri-yong-ho-kpa"}
    kpa = _person(rows, "p:ri-yong-ho-kpa")
    assert all(r["sector"] == "MIL" and r["end"] and r["end"] < "2016-01-01" for r in kpa)


@pytest.mark.parametrize(
    "country, role, on, expected",
    [
        ("RUS", "head_of_state", "2010-01-01", "Dmitry Medvedev"),
        ("RUS", "head_of_government", "2010-01-01", "Vladimir Putin"),
        ("RUS", "defense_minister", "2015-01-01", "Sergei Shoigu"),
        ("RUS", "defense_minister", "2024-06-01", "Andrei Belousov"),
        ("RUS", "chief_of_staff", "2016-01-01", "Valery Gerasimov"),
        ("RUS", "foreign_minister", "1997-01-01", "Yevgeny Primakov"),
        ("USR", "foreign_minister", "1991-06-01", "Alexander Bessmertnykh"),
        ("PRK", "head_of_government", "2015-01-01", "Pak Pong Ju"),
        ("PRK", "foreign_minister", "2017-01-01", "Ri Yong Ho"),
        ("PRK", "head_of_legislature", "2015-01-01", "Kim Yong Nam"),
        ("CHN", "head_of_state", "2008-01-01", "Hu Jintao"),
        ("CHN", "foreign_minister", "2023-05-01", "Qin Gang"),
        ("CHN", "defense_minister", "2020-01-01", "Wei Fenghe"),
        ("USA", "foreign_minister", "2014-01-01", "John Kerry"),
        ("USA", "defense_minister", "2018-01-01", "Jim Mattis"),
        ("USA", "chief_of_staff", "2021-01-01", "Mark Milley"),
        ("JPN", "head_of_government", "2015-01-01", "Shinzo Abe"),
        ("KOR", "foreign_minister", "2015-01-01", "Yun Byung-se"),
        ("GBR", "head_of_government", "2017-01-01", "Theresa May"),
        ("IRN", "supreme_leader", "2015-01-01", "Ali Khamenei"),
        ("UKR", "head_of_state", "2015-01-01", "Petro Poroshenko"),
    ],
)
def test_fact_incumbent_on_date(rows, country, role, on, expected):
    assert _holders(rows, country, role, on) == {expected}


def test_core_roles_covered_for_priority_countries(rows):
    have = {(r["country"], r["role"]) for r in rows}
    for cc in ["RUS", "PRK", "CHN", "USA", "KOR", "JPN", "GBR", "FRA"]:
        for role in ["head_of_government" if cc not in {"USA", "KOR"} else "head_of_state",
                     "foreign_minister", "defense_minister", "chief_of_staff"]:
            assert (cc, role) in have, (cc, role)


# posts with one holder at a time (acting holders may overlap the suspended one)
SINGLE_POSTS = {"head_of_state", "head_of_government", "foreign_minister", "defense_minister",
                "chief_of_staff", "supreme_leader"}


def _post_key(r: dict[str, str]) -> tuple[str, str]:
    return (r["country"] or r["source_note"].split(":", 1)[0], r["role"])


def test_one_holder_per_post_at_a_time(rows):
    """Successive holders of a post do not overlap by more than a day, except where a
    row says it is an acting or interim holder, or a rival/co-holder (noted)."""
    posts = defaultdict(list)
    for r in rows:
        if r["role"] in SINGLE_POSTS:
            posts[_post_key(r)].append(r)
    bad = []
    allowed = ("acting", "interim", "rival", "co-", "jointly", "overlap", "caretaker",
               "de facto", "disputed", "parallel")
    for key, items in posts.items():
        items.sort(key=lambda r: r["start"])
        for i, a in enumerate(items):
            a_end = _date(a["end"]) if a["end"] else TODAY
            for b in items[i + 1:]:
                if _date(b["start"]) >= a_end - dt.timedelta(days=1):
                    break
                notes = (a["source_note"] + " " + b["source_note"]).lower()
                if not any(w in notes for w in allowed):
                    bad.append((key, a["kb_id"], a["start"], b["kb_id"], b["start"]))
    assert bad == []


def test_igo_rows_resolve_to_their_organisation():
    """Rows without a country get the code of the IGO their note names (kb loader)."""
    from detente.actors import load_kb
    from detente.actors.kb import alias_keys, role_at

    kb = load_kb()
    assert kb.stats["person_rows_skipped"] == 0

    def code(name, on):
        (e, *_) = [e for e in kb.match_keys(tuple(alias_keys(name))) if e.kind == "person"]
        return role_at(kb, e.kb_id, dt.date.fromisoformat(on)).code

    assert code("Kofi Annan", "2000-06-01") == "IGOUNO"
    assert code("Ban Ki-moon", "2010-06-01") == "IGOUNO"
    assert code("Ban Ki-moon", "2005-06-01") == "KORGOV"
    assert code("Mohamed ElBaradei", "2003-02-01") == "IGOUNOIAE"
    assert code("Jens Stoltenberg", "2018-01-01") == "IGOWSTNAT"
    assert code("Amr Moussa", "2005-01-01") == "IGOMEAARL"
    assert code("Salim Ahmed Salim", "1995-01-01") == "IGOAFROAU"
    assert code("Jean Ping", "2010-01-01") == "IGOAFRAFU"
    assert code("Christine Lagarde", "2015-01-01") == "IGOBUSIMF"
    assert code("Sadako Ogata", "1995-01-01") == "IGOUNOREFHCR"
    assert code("Kofi Annan", "2010-06-01") == "IGOUNO"  # outside tenure: no country to be ELI of


@pytest.mark.parametrize("name", ["UN", "NATO", "IAEA", "OAU", "AU", "Arab League", "OPEC",
                                  "WTO", "IMF", "World Bank", "UNHCR", "OSCE", "ASEAN"])
def test_igo_heads_listed(rows, name):
    heads = [r for r in rows if not r["country"] and r["source_note"].startswith(name + ":")
             and r["role"] == "head_of_government"]
    assert len(heads) >= 3, name


@pytest.fixture(scope="module")
def shipped_kb():
    from detente.actors import load_kb

    return load_kb()


@pytest.mark.parametrize("text, anchor, date, code", [
    ("U.N. Secretary-General Kofi Annan announced the appointment on Monday.", "Annan",
     "2000-03-01", "IGOUNO"),
    ("Ban Ki-moon urged both sides to show restraint.", "Ban", "2010-05-01", "IGOUNO"),
    ("President Abdelaziz Bouteflika said he is prepared to lift the ban.", "Bouteflika",
     "2005-01-01", "DZAGOV"),
    ("President Levy Mwanawasa has reneged on his commitment to the Zambian people.",
     "Mwanawasa", "2004-01-01", "ZMBGOV"),
    ("President Juvenal Habyarimana met rebel leaders in Arusha.", "Habyarimana",
     "1993-06-01", "RWAGOV"),
    ("Vice-President Moody Awori opened the conference in Nairobi.", "Awori", "2005-06-01",
     "KENGOV"),
    ("Supporters of former President Ahmed Ben Bella marched in Algiers.", "Ben Bella",
     "1990-06-01", "DZAELI"),
])
def test_people_resolve_in_sentences(nlp, shipped_kb, text, anchor, date, code):
    """Leaders outside the 48 original countries and IGO heads resolve in running text."""
    from detente.actors import resolve_doc

    ms = resolve_doc(nlp(text), "t", dt.date.fromisoformat(date), shipped_kb)
    a = text.index(anchor)
    got = [m for m in ms if m.start <= a < m.end]
    assert got and got[0].code == code, [(m.text, m.code, m.reason) for m in ms]
