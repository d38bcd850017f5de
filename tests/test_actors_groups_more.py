"""The extended armed-group KB (groups.csv): the file's rows, the loader's errors, codes
on written sentences, the guards for names that are also places or words, dated status,
and events that keep a group as their source or target."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from detente.actors import load_kb, resolve_doc
from detente.actors.kb.build import GROUP_SECTORS, _Builder, read_groups
from detente.actors.kb.keys import alias_keys
from detente.actors.kb.model import data_dir
from detente.coding import code_doc
from detente.errors import DetenteError

GROUPS = Path(data_dir()) / "groups.csv"
D = dt.date(2023, 6, 1)


@pytest.fixture(scope="module")
def full_kb():
    return load_kb()


@pytest.fixture(scope="module")
def rows():
    with open(GROUPS, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _at(ms, text, anchor):
    a = text.index(anchor)
    return next((m for m in ms if m.start <= a < m.end), None)


# --- the file ---------------------------------------------------------------------------

def test_file_has_several_hundred_groups(rows, full_kb):
    assert len({r["kb_id"] for r in rows}) >= 300
    assert full_kb.stats["armed_groups"] == len({r["kb_id"] for r in rows})


def test_every_row_is_valid(rows, full_kb):
    for n, r in enumerate(rows, start=2):
        assert r["kb_id"].startswith("grp:") and r["kind"] == "group", n
        assert r["sector"] in GROUP_SECTORS, n
        assert not r["country"] or r["country"] in full_kb.countries, n
        assert r["code"].startswith(r["country"] + r["sector"] if r["country"] else "IMG"), n
        assert r["name"].strip() and r["name"] == r["name"].strip(), n


def test_dated_rows_of_one_group_are_distinct(rows):
    seen = set()
    for r in rows:
        key = (r["kb_id"], r["start"], r["end"])
        assert key not in seen, key
        seen.add(key)
    # every group has at most one undated (fallback) row
    undated = [r["kb_id"] for r in rows if not (r["start"] or r["end"])]
    assert len(undated) == len(set(undated))


def _spans(rows, kb_id):
    return [(dt.date.fromisoformat(r["start"]) if r["start"] else dt.date.min,
             dt.date.fromisoformat(r["end"]) if r["end"] else dt.date.max)
            for r in rows if r["kb_id"] == kb_id and (r["start"] or r["end"])]


def test_no_alias_is_shared_by_two_groups_unless_dated_apart(rows):
    owners: dict[tuple[str, ...], set[str]] = {}
    for r in rows:
        for a in [r["name"]] + [x for x in r["aliases"].split(";") if x]:
            a = a[4:] if a.lower().startswith("the ") else a
            owners.setdefault(tuple(alias_keys(a)), set()).add(r["kb_id"])
    shared = {k: v for k, v in owners.items() if len(v) > 1}
    for key, ids in shared.items():
        a, b = sorted(ids)
        sa, sb = _spans(rows, a), _spans(rows, b)
        assert sa and sb, (key, ids)  # both must carry dates
        assert all(x[1] <= y[0] or y[1] <= x[0] for x in sa for y in sb), (key, ids)
    assert ("sla",) in shared  # the South Lebanon Army and the Sudan Liberation Army


def test_group_aliases_do_not_hide_other_actors(full_kb, rows):
    """A group alias never takes the key of a country, an IGO or a state agency
    ("ISI" stays Pakistan's intelligence service)."""
    ids = {r["kb_id"] for r in rows}
    for key, entries in full_kb.aliases.items():
        kinds = {e.kind for e in entries}
        if "group" in kinds and any(e.kb_id in ids for e in entries):
            assert not kinds & {"country", "demonym", "igo", "agency", "capital", "seat"}, key


# --- the loader's errors ----------------------------------------------------------------

HEADER = "kb_id,kind,code,country,sector,name,aliases,start,end,note\n"


@pytest.mark.parametrize("line,reason", [
    ("grp:x,group,XXXREBXYZ,XXX,REB,Xyz Front,,,,", "unknown country 'XXX'"),
    ("grp:x,group,IRQFOOXYZ,IRQ,FOO,Xyz Front,,,,", "unknown sector 'FOO'"),
    ("grp:x,group,SYRREBXYZ,IRQ,REB,Xyz Front,,,,", "must be upper case and begin with"),
    ("grp:x,group,IRQREBXYZ,IRQ,REB,Xyz Front,,2020-13-01,,", "bad date '2020-13-01'"),
    ("grp:x,group,IRQREBXYZ,IRQ,REB,Xyz Front,,2020-01-01,2019-01-01,", "before start"),
    ("x,group,IRQREBXYZ,IRQ,REB,Xyz Front,,,,", "'grp:' kb_id"),
    ("grp:x,igo,IRQREBXYZ,IRQ,REB,Xyz Front,,,,", "kind 'igo'"),
    ("grp:x,group,IRQREBXYZ,IRQ,REB,Xyz Front,Xyz, Front,,,,", "needs double quotes"),
])
def test_malformed_row_names_file_line_and_reason(tmp_path, full_kb, line, reason):
    p = tmp_path / "groups.csv"
    p.write_text(HEADER + "grp:ok,group,IRQREBOKY,IRQ,REB,Oky Front,,,,\n" + line + "\n",
                 encoding="utf-8")
    with pytest.raises(DetenteError) as e:
        read_groups(_Builder(), p, full_kb.countries)
    assert e.value.code == "E304"
    assert "groups.csv: line 3" in str(e.value) and reason in str(e.value)


def test_missing_column_is_reported(tmp_path, full_kb):
    p = tmp_path / "groups.csv"
    p.write_text("kb_id,kind,code,country,sector,name\n", encoding="utf-8")
    with pytest.raises(DetenteError, match="line 1: missing columns aliases"):
        read_groups(_Builder(), p, full_kb.countries)


def test_valid_file_is_read(tmp_path, full_kb):
    p = tmp_path / "groups.csv"
    p.write_text(HEADER + "grp:ok,group,IRQREBOKY,IRQ,REB,Oky Front,\"Oky, the front\";OKF,,,\n",
                 encoding="utf-8")
    b = _Builder()
    assert read_groups(b, p, full_kb.countries) == 1
    assert b.aliases[("okf",)][0].code == "IRQREBOKY"


# --- codes on written sentences ---------------------------------------------------------

@pytest.mark.parametrize("text,anchor,code", [
    ("Peshmerga has intensified its forces around Sinjar.", "Peshmerga", "IRQMILPSH"),
    ("The Popular Mobilisation Forces entered the town at dawn.", "Popular", "IRQMILPMF"),
    ("Kataib Hezbollah fired rockets at a US base in Syria.", "Kataib", "IRQREBKTH"),
    ("Asa'ib Ahl al-Haq denied any role in the kidnapping.", "Asa'ib", "IRQREBAAH"),
    ("Ahrar al-Sham and Jaysh al-Islam rejected the ceasefire.", "Ahrar", "SYRREBAHS"),
    ("Ahrar al-Sham and Jaysh al-Islam rejected the ceasefire.", "Jaysh", "SYRREBJAI"),
    ("The Free Syrian Army shelled a government checkpoint.", "Free", "SYRREBFSA"),
    ("Hezb-e-Islami threatened to shell the air base.", "Hezb", "AFGOPPHIG"),
    ("Naxalites blew up a police vehicle in the forest.", "Naxalites", "INDINSCPM"),
    ("The CPI (Maoist) called a strike across three states.", "CPI", "INDINSCPM"),
    ("ULFA-I claimed the grenade attack.", "ULFA", "INDSEPULF"),
    ("Militants of the Balochistan Liberation Army attacked a train.", "Balochistan", "PAKSEPBLA"),
    ("The al-Aqsa Martyrs' Brigades claimed the shooting.", "Aqsa", "PSEREBAMB"),
    ("Gunmen from the Lions' Den opened fire on soldiers.", "Lions", "PSEREBLDN"),
    ("Fighters loyal to the Oromo Liberation Army ambushed a bus.", "Oromo", "ETHREBOLA"),
    ("SPLM-IO forces accused the army of attacking their base.", "SPLM", "SSDREBSIO"),
    ("The Janjaweed burned villages across the region.", "Janjaweed", "SDNMILJJW"),
    ("The Freedom of Russia Legion crossed into Belgorod.", "Freedom", "RUSREBFRL"),
    ("Kadyrovites were deployed near Bakhmut.", "Kadyrovites", "RUSMILKDY"),
    # 2023: after Russia's annexation (2022-09-30) a Russian-installed administration
    ("The Donetsk People's Republic announced a mobilisation.", "Donetsk", "RUSGOVDPR"),
    ("The Karen National Union seized an army outpost.", "Karen", "MMRREBKNU"),
    ("ARSA militants attacked police posts in Rakhine.", "ARSA", "MMRREBARS"),
    ("The Maute group took hostages in Marawi.", "Maute", "PHLREBMAU"),
    ("The MEK held a rally in Paris.", "MEK", "IRNREBMEK"),
    ("Jaish al-Adl claimed the attack on border guards.", "Jaish", "IRNREBJAD"),
    ("The CJNG blocked roads with burning trucks.", "CJNG", "MEXCRMCJN"),
    ("Members of MS-13 were deported.", "MS-13", "SLVCRMMSX"),
    ("Mai-Mai militiamen attacked a mining site.", "Mai", "CODUAFMAI"),
    ("Anti-balaka fighters clashed with Seleka rebels.", "balaka", "CAFUAFABK"),
    ("Anti-balaka fighters clashed with Seleka rebels.", "Seleka", "CAFREBSLK"),
    ("Ansar Dine destroyed shrines in Timbuktu.", "Ansar", "MLIREBAND"),
    ("The Sinai Province claimed the bombing.", "Sinai", "IMGMUSISI"),
])
def test_group_codes(nlp, full_kb, text, anchor, code):
    m = _at(resolve_doc(nlp(text), "t", D, full_kb), text, anchor)
    assert m is not None and m.code == code and m.reason.startswith("armed-group")


def test_member_noun_after_a_new_group(nlp, full_kb):
    text = "Peshmerga fighters attacked Islamic State militants near Kirkuk."
    ms = resolve_doc(nlp(text), "t", D, full_kb)
    assert _at(ms, text, "Peshmerga").text == "Peshmerga fighters"
    assert _at(ms, text, "Islamic").code == "IMGMUSISI"


# --- guards: names that are also places or words --------------------------------------

@pytest.mark.parametrize("text,bad", [
    ("A cargo ship sank in the Sea of Azov on Sunday.", "UKRMILAZV"),
    ("Russian warships patrolled the Azov Sea near Mariupol.", "UKRMILAZV"),
    ("The film festival in Fano opened on Monday.", "ETHREBFNO"),
    ("Amal Clooney represented the journalists in court.", "LBNOPPAML"),
    ("The Australian Defence Force said the ADF would send two ships.", "CODREBADF"),
    ("The report was published as a PDF on Tuesday.", "MMRREBPDF"),
    ("A novel about the Knights Templar sold well.", "MEXCRMKTC"),
    ("Police in Nepal arrested two Maoists of the ruling coalition.", "INDINSCPM"),
    ("The Rada voted to extend martial law.", "LBYMILRAD"),
    ("The NDA government in Delhi announced a budget.", "NGAREBNDA"),
    ("He fought in the White Army against the Bolsheviks.", "SSDUAFWHA"),
    ("The Islamic Group of states met in Jeddah.", "EGYREBGIS"),
])
def test_ambiguous_names_are_not_the_group(nlp, full_kb, text, bad):
    assert not [m for m in resolve_doc(nlp(text), "t", D, full_kb) if m.code == bad]


@pytest.mark.parametrize("text,anchor,code", [
    ("Azov fighters surrendered at the steel plant.", "Azov", "UKRMILAZV"),
    ("The Azov Regiment defended the city for weeks.", "Azov", "UKRMILAZV"),
    ("The Fano militia clashed with the Ethiopian army.", "Fano", "ETHREBFNO"),
    ("The Badr Organization backed the prime minister.", "Badr", "IRQMILBDR"),
])
def test_the_group_reading_survives_the_guards(nlp, full_kb, text, anchor, code):
    m = _at(resolve_doc(nlp(text), "t", D, full_kb), text, anchor)
    assert m is not None and m.code == code


# --- dated status ----------------------------------------------------------------------

@pytest.mark.parametrize("text,anchor,date,code", [
    ("The SLA shelled a village.", "SLA", dt.date(1996, 4, 1), "LBNMILSLA"),
    ("The SLA shelled a village.", "SLA", dt.date(2008, 4, 1), "SDNREBSLA"),
    ("Hezb-e-Islami fighters ambushed a convoy.", "Hezb", dt.date(2010, 4, 1), "AFGREBHIG"),
    ("Hezb-e-Islami joined the talks.", "Hezb", dt.date(2018, 4, 1), "AFGOPPHIG"),
    ("RENAMO attacked a bus on the highway.", "RENAMO", dt.date(1990, 4, 1), "MOZREBREN"),
    ("RENAMO won seats in parliament.", "RENAMO", dt.date(2004, 12, 1), "MOZOPPREN"),
    ("RENAMO attacked a bus on the highway.", "RENAMO", dt.date(2016, 4, 1), "MOZREBREN"),
    ("Ansar Bayt al-Maqdis attacked a checkpoint.", "Ansar", dt.date(2013, 9, 1), "EGYREBABM"),
    ("Ansar Bayt al-Maqdis attacked a checkpoint.", "Ansar", dt.date(2016, 9, 1), "IMGMUSISI"),
    ("The Badr Brigade fought Iraqi troops.", "Badr", dt.date(1991, 3, 10), "IRQREBBDR"),
    ("The Rwandan Patriotic Front advanced on Kigali.", "Rwandan", dt.date(1994, 5, 1), "RWAREBRPF"),
    ("The Rwandan Patriotic Front won the election.", "Rwandan", dt.date(2017, 8, 5), "RWAGOVRPF"),
])
def test_status_follows_the_date(nlp, full_kb, text, anchor, date, code):
    m = _at(resolve_doc(nlp(text), "t", date, full_kb), text, anchor)
    assert m is not None and m.code == code


def test_shared_acronym_without_a_date_is_not_guessed(nlp, full_kb):
    text = "The SLA shelled a village."
    assert not [m for m in resolve_doc(nlp(text), "t", None, full_kb)
                if m.code in ("LBNMILSLA", "SDNREBSLA")]


# --- events keep the group as source or target ------------------------------------------

@pytest.mark.parametrize("text,source,target", [
    ("Kataib Hezbollah fired rockets at a US base in Syria.", "IRQREBKTH", "USA"),
    ("Peshmerga fighters attacked Islamic State militants near Kirkuk.", "IRQMILPSH", "IMGMUSISI"),
    ("Sinaloa Cartel gunmen ambushed Mexican soldiers.", "MEXCRMSIN", "MEXMIL"),
    ("M23 rebels clashed with Wazalendo militias near Goma.", "CODREBM23", "CODMILWZL"),
    ("The Ethiopian army accused Fano militiamen of killing civilians.", "ETHMIL", "ETHREBFNO"),
    ("Hizbul Mujahideen militants attacked an Indian army camp.", "INDREBHMJ", "INDMIL"),
])
def test_event_keeps_the_group(nlp, full_kb, lex, text, source, target):
    doc = nlp(text)
    evs = code_doc(doc, resolve_doc(doc, "t", D, full_kb), "t", D, lex, full_kb)
    assert any(e.source_actor == source and e.target_actor == target for e in evs), \
        [(e.source_actor, e.cameo, e.target_actor) for e in evs]
