"""International organisations, NGOs and media as actors (issue 14 item 4): the extended
``orgs.csv``, its loader's errors, the guards on names that are ordinary words, dates of
predecessors, and events that get their organisation as source or target. Sentences
written for these tests."""

from __future__ import annotations

import csv
import datetime as dt
import shutil

import pytest
from conftest import mention_at, resolve_text

from detente.actors.kb import build_kb, data_dir
from detente.actors.kb.build import ORG_COLUMNS, ORG_KINDS
from detente.actors.kb.keys import alias_keys
from detente.errors import DetenteError

ORGS = data_dir() / "orgs.csv"


def _rows():
    with open(ORGS, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _key(name: str) -> tuple[str, ...]:
    name = name.strip()
    if name.lower().startswith("the ") and len(name) > 4:
        name = name[4:]
    return tuple(alias_keys(name))


def _overlap(a: dict, b: dict) -> bool:
    lo = max(a["start"] or "0000", b["start"] or "0000")
    hi = min(a["end"] or "9999", b["end"] or "9999")
    return lo <= hi


# --- the data file -------------------------------------------------------------------

def test_org_file_schema_and_counts(kb):
    rows = _rows()
    assert tuple(rows[0]) == ORG_COLUMNS
    kinds = {}
    for r in rows:
        kinds[r["kind"]] = kinds.get(r["kind"], 0) + 1
        prefix, sectors = ORG_KINDS[r["kind"]]
        assert r["kb_id"].startswith(prefix) and r["sector"] in sectors, r
        assert not r["country"] or r["country"] in kb.countries, r
        assert r["code"].startswith(r["country"] + r["sector"]), r
        if r["kind"] == "media":
            assert r["code"] == r["country"] + "MED", r
        if r["kind"] == "igo":
            assert not r["country"] and r["code"].startswith("IGO"), r
    assert kinds["igo"] >= 200 and kinds["ngo"] >= 120 and kinds["media"] >= 150


def test_ids_unique_per_dated_row_and_aliases_not_shared():
    """Rows sharing a kb_id must be dated apart; no name is shared by two entities unless
    their dates are apart (a predecessor and its successor)."""
    rows = _rows()
    by_id: dict[str, list[dict]] = {}
    for r in rows:
        by_id.setdefault(r["kb_id"], []).append(r)
    for kb_id, rs in by_id.items():
        for i, a in enumerate(rs):
            for b in rs[i + 1:]:
                assert (a["start"] or a["end"]) and (b["start"] or b["end"]) and not _overlap(a, b), kb_id
    owner: dict[tuple[str, ...], dict] = {}
    clash = []
    for r in rows:
        for name in {_key(n) for n in [r["name"]] + r["aliases"].split(";") if n.strip()}:
            o = owner.setdefault(name, r)
            if o["kb_id"] != r["kb_id"] and _overlap(o, r):
                clash.append((name, o["kb_id"], r["kb_id"]))
    assert clash == []


def test_org_names_shadow_no_other_actor(kb):
    """No organisation name of the KB is also a country, company, armed group or another
    organisation's name (so "IOC" is left to Indian Oil, "RSF" to Sudan's RSF)."""
    orgs = {"igo", "ngo", "media", "bloc", "agency"}
    clash = [(k, sorted({e.kb_id for e in es})) for k, es in kb.aliases.items()
             if {e.kind for e in es} & orgs and len({e.kb_id for e in es}) > 1
             and not all(e.kind in orgs and (e.start or e.end) for e in es)]
    assert clash == []


def test_ambiguous_org_names_are_marked_and_guarded(kb):
    marked = {a for r in _rows() for a in r["ambiguous"].split(";") if a}
    assert {"CARE", "Quad", "Memorial", "Caritas", "Bloomberg", "ICAN"} <= marked
    assert ("care",) in kb.guarded and ("quad",) in kb.guarded and ("memorial",) in kb.guarded


def test_guarded_org_name_keeps_a_persons_surname():
    """A one-word organisation name that is a KB surname is marked ambiguous, so the
    surname index keeps it ("Ocha": Prayut Chan-o-cha; "OCHA" the UN office)."""
    from detente.actors import load_kb
    from detente.actors.kb.model import SURNAME_FIRST

    full = load_kb()
    surnames = set()
    for key, entries in full.aliases.items():
        for e in entries:
            if e.kind == "person" and len(key) >= 2:
                surnames.add(key[0] if e.country in SURNAME_FIRST else key[-1])
    orgs = {"igo", "ngo", "media", "bloc", "agency"}
    bad = [k for k, es in full.aliases.items() if len(k) == 1 and k[0] in surnames
           and any(e.kind in orgs for e in es) and k not in full.guarded]
    assert bad == []
    assert "ocha" in full.surnames


@pytest.mark.parametrize("body, msg", [
    ("igo:x,igo,IGOXXX,,NGO,Xorg,,,,,", "sector 'NGO'"),
    ("igo:x,club,IGOXXX,,IGO,Xorg,,,,,", "kind 'club'"),
    ("x,igo,IGOXXX,,IGO,Xorg,,,,,", "kb_id starting 'igo:'"),
    ("med:x,media,RUSMED,XXX,MED,Xpaper,,,,,", "country 'XXX'"),
    ("med:x,media,FRAMED,RUS,MED,Xpaper,,,,,", "'RUSMED'"),
    ("igo:x,igo,igoxxx,,IGO,Xorg,,,,,", "upper case"),
    ("igo:x,igo,IGOXXX,,IGO,Xorg,,2020-02-30,,,", "bad date"),
    ("igo:x,igo,IGOXXX,,IGO,Xorg,,2020-01-01,2019-01-01,,", "before start"),
    ("igo:x,igo,IGOXXX,,IGO,Xorg,XO,,,Quad,", "ambiguous name 'Quad'"),
    ("igo:x,igo,IGOXXX,,IGO,Xorg", "want 11 fields"),
])
def test_malformed_org_row_raises_e304_with_file_and_line(tmp_path, body, msg):
    for name in ("countries.csv", "roles.yaml", "cities.yaml", "ethnic_groups.yaml", "org_words.yaml",
                 "dated_names.csv"):
        shutil.copy(data_dir() / name, tmp_path / name)
    good = "igo:ok,igo,IGOOKO,,IGO,Okorg,,,,,"
    (tmp_path / "orgs.csv").write_text(",".join(ORG_COLUMNS) + "\n" + good + "\n" + body + "\n",
                                       encoding="utf-8")
    with pytest.raises(DetenteError) as ei:
        build_kb(data_dir=tmp_path)
    assert ei.value.code == "E304"
    assert "orgs.csv: line 3" in str(ei.value) and msg in str(ei.value)


def test_org_file_missing_columns(tmp_path):
    shutil.copy(data_dir() / "countries.csv", tmp_path / "countries.csv")
    (tmp_path / "orgs.csv").write_text("kb_id,name\nigo:a,A\n", encoding="utf-8")
    with pytest.raises(DetenteError) as ei:
        build_kb(data_dir=tmp_path)
    assert ei.value.code == "E304" and "orgs.csv: line 1: missing columns" in str(ei.value)


# --- resolution ----------------------------------------------------------------------

@pytest.mark.parametrize("text, anchor, code", [
    ("India and MERCOSUR agreed to cut tariffs on farm goods.", "MERCOSUR", "IGOSAMMER"),
    ("SADC sent troops to northern Mozambique.", "SADC", "IGOSAFDEVSAD"),
    ("IGAD mediators met both sides in Addis Ababa.", "IGAD", "IGOEAFDEVIAD"),
    ("The OIC condemned the burning of the Koran.", "OIC", "IGOMOSOIC"),
    ("CARICOM leaders urged Haiti to hold elections.", "CARICOM", "IGOCRBCCM"),
    ("The Asian Development Bank approved a loan to Pakistan.", "Asian Development Bank", "IGOASADEVADB"),
    ("OCHA said aid convoys were blocked near Goma.", "OCHA", "IGOUNOHLHOCH"),
    ("The IOM evacuated migrants from Libya.", "IOM", "IGOUNOREFIOM"),
    ("UNDP pledged support to Yemen's farmers.", "UNDP", "IGOUNODEVUDP"),
    ("UNMISS peacekeepers protected civilians in Malakal.", "UNMISS", "IGOUNOMILMSS"),
    ("The Pacific Islands Forum criticised Japan's plan.", "Pacific Islands Forum", "IGOPACPIF"),
    ("Save the Children said schools in Gaza were hit.", "Save the Children", "NGODEVSTC"),
    ("The Norwegian Refugee Council warned of famine in Sudan.", "Norwegian Refugee Council", "NGOREFNRC"),
    ("Mercy Corps suspended its work in Ethiopia.", "Mercy Corps", "NGODEVMCO"),
    ("Crisis Group urged Kenya to talk to the opposition.", "Crisis Group", "NGOICG"),
    ("B'Tselem accused Israel of abuses in the West Bank.", "B'Tselem", "ISRNGOHRI"),
    ("Tasnim News Agency reported that Iran tested a missile.", "Tasnim", "IRNMED"),
    ("The Kyiv Independent reported new strikes.", "Kyiv Independent", "UKRMED"),
    ("The minister denied a Fox News report on Monday.", "Fox News", "USAMED"),
    ("The Andean Community lifted tariffs on Bolivian goods.", "Andean Community", "IGOSAMCAN"),
])
def test_named_organisations_get_their_codes(nlp, kb, text, anchor, code):
    m = mention_at(resolve_text(nlp, kb, text), text, anchor)
    assert m is not None and m.code == code, m


@pytest.mark.parametrize("text, anchor, code", [
    # the organisation
    ("CARE said it had delivered food to Gaza.", "CARE", "NGODEVCAR"),
    ("The Quad warned China over the South China Sea.", "Quad", "IGOWSTQUD"),
    ("Russia's Supreme Court ordered Memorial to close.", "Memorial", "RUSNGOHRI"),
    ("Caritas appealed for aid to Lebanon.", "Caritas", "NGOCHRCTH"),
    ("ICAN urged Japan to sign the treaty.", "ICAN", "NGOICN"),
    # not the organisation
    ("Care must be taken with the new rules, Germany said.", "Care", None),
    ("Americans marked Memorial Day with parades.", "Memorial", None),
    ("Former mayor Michael Bloomberg visited Kyiv.", "Bloomberg", None),
    ("Michael Bloomberg visited Kyiv, and Bloomberg said Russia had lied.", "Bloomberg said", None),
    ("Officials gathered at the Lincoln Memorial in Washington.", "Memorial", None),
])
def test_ambiguous_org_names_are_guarded(nlp, kb, text, anchor, code):
    m = mention_at(resolve_text(nlp, kb, text), text, anchor)
    got = m.code if m is not None and m.kb_id and not m.kb_id.startswith(("p:", "C:", "D:")) else None
    assert got == code, m


def test_lower_case_words_are_never_organisations(nlp, kb):
    text = "The quad bikes and the memorial drew crowds, and care workers went on strike."
    ms = resolve_text(nlp, kb, text)
    assert [m for m in ms if m.kb_id and m.kb_id.startswith(("igo:", "ngo:", "med:"))] == []


def test_predecessors_are_dated(kb):
    """GATT until 1994, the WTO after; the OAU before the African Union; UN missions that
    were replaced (MONUC -> MONUSCO, UNMIS -> UNMISS) end where their successors begin."""
    by = {r["kb_id"]: r for r in _rows()}
    assert by["igo:gatt"]["end"] == "1994-12-31"
    assert by["igo:monuc"]["end"] < by["igo:monusco"]["start"]
    assert by["igo:unmis"]["end"] <= by["igo:unmiss"]["start"]
    assert by["igo:csce"]["end"] == "1994-12-31"
    assert by["igo:sadcc"]["end"] < by["igo:sadc"]["start"]
    assert kb.by_id["igo:gatt"][0].end == dt.date(1994, 12, 31)


def test_predecessor_in_a_dated_article(nlp, kb):
    text = "GATT members agreed to cut tariffs on textiles."
    m = mention_at(resolve_text(nlp, kb, text, dt.date(1990, 5, 1)), text, "GATT")
    assert m is not None and m.code == "IGOBUSGAT" and m.confidence >= 0.9
    # outside its dates the name still means the body, with less confidence
    late = mention_at(resolve_text(nlp, kb, text, dt.date(2010, 5, 1)), text, "GATT")
    assert late is not None and late.code == "IGOBUSGAT" and late.confidence < m.confidence


# --- events --------------------------------------------------------------------------

def _events(nlp, kb, lex, text, date=None):
    from detente.coding import code_text

    return code_text(text, date, nlp=nlp, kb=kb, lexicon=lex)["events"]


@pytest.mark.parametrize("text, source, target", [
    ("The OIC condemned Sweden.", "IGOMOSOIC", "SWE"),
    ("The Asian Development Bank approved a loan to Pakistan.", "IGOASADEVADB", "PAK"),
    ("Israel accused Save the Children of bias.", "ISR", "NGODEVSTC"),
    ("The Quad warned China.", "IGOWSTQUD", "CHN"),
    ("Ethiopia expelled the Norwegian Refugee Council.", "ETH", "NGOREFNRC"),
    ("Russia banned Memorial.", "RUS", "RUSNGOHRI"),
    ("SADC criticised Zimbabwe.", "IGOSAFDEVSAD", "ZWE"),
])
def test_events_get_their_organisation(nlp, kb, lex, text, source, target):
    evs = _events(nlp, kb, lex, text)
    assert any(e["source_actor"] == source and e["target_actor"] == target for e in evs), \
        [(e["source_actor"], e["target_actor"], e["cameo"]) for e in evs]
