"""PETRARCH/Phoenix actor dictionary import into the user-actors format."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import PEOPLE_FIXTURE as FIXTURE

from detente.actors import import_petrarch, load_kb, lookup, resolve_doc, write_user_actors

PETR = Path("/work/shared/eval/petrarch")

SNIPPET = """<!-- a test dictionary -->
# comment line
AARDVARK_PARTY [SAF]
ZANZIBAR_ [ZNZ] # a country
+ZANZIBARI
+STONE_TOWN_
VLADIMIR_PUTIN_  # CountryInfo.txt
+PUTIN_
+PRESIDENT_PUTIN_
\t[RUSELI 700101-990809]
\t[RUSGOV 990809-080507]
\t[RUSGOV >080508]
\t[RUSELI]
OLD_LEADER_\t[ZNZGOV 19900101-19991231] [ELI]# two brackets on one line
GONE_\t[---]
SOVIET_UNION
+USSR
\t[SUN <911226]
"""


def test_snippet_rows(tmp_path):
    f = tmp_path / "t.actors.txt"
    f.write_text(SNIPPET, encoding="utf-8")
    rows = import_petrarch(str(f))
    putin = [r for r in rows if r["name"] == "Vladimir Putin"]
    assert [(r["code"], r["start"], r["end"]) for r in putin] == [
        ("RUSELI", "1970-01-01", "1999-08-09"), ("RUSGOV", "1999-08-09", "2008-05-07"),
        ("RUSGOV", "2008-05-08", ""), ("RUSELI", "", "")]
    assert putin[0]["aliases"] == "Putin;President Putin" and putin[0]["kind"] == "person"
    old = [r for r in rows if r["name"] == "Old Leader"]
    assert [(r["code"], r["start"]) for r in old] == [("ZNZGOV", "1990-01-01"), ("ELI", "")]
    # [---] means do not code: a name kept only to hide other readings of it
    assert [(r["kind"], r["code"]) for r in rows if r["name"] == "Gone"] == [("ignore", "---")]
    assert [(r["code"], r["end"]) for r in rows if r["name"] == "Soviet Union"] == [
        ("USR", "1991-12-26")]


def test_imported_file_loads_and_resolves(tmp_path):
    f = tmp_path / "t.actors.txt"
    f.write_text(SNIPPET, encoding="utf-8")
    out = tmp_path / "mine.csv"
    write_user_actors(import_petrarch(str(f)), str(out))
    kb = load_kb(user_file=str(out), people_file=str(FIXTURE))
    assert lookup("President Putin", dt.date(1995, 1, 1), kb)[0]["code"] == "RUSELI"
    assert lookup("Putin", dt.date(2005, 1, 1), kb)[0]["code"] == "RUSGOV"
    # YAML output loads too
    out_y = tmp_path / "mine.yaml"
    write_user_actors(import_petrarch(str(f)), str(out_y))
    kb2 = load_kb(user_file=str(out_y), people_file=str(FIXTURE))
    assert lookup("Zanzibari", None, kb2)[0]["code"] == "ZNZ"


def test_imported_city_alias_in_locative_is_not_an_actor(tmp_path):
    from detente.nlp import load_pipeline

    f = tmp_path / "t.actors.txt"
    f.write_text("NEW_ZEALAND_ [NZL]\n+CHRISTCHURCH_\n", encoding="utf-8")
    out = tmp_path / "nz.csv"
    write_user_actors(import_petrarch(str(f)), str(out))
    kb = load_kb(user_file=str(out), people_file=str(FIXTURE))
    doc = load_pipeline()("A gunman attacked two mosques in Christchurch on Friday.")
    assert [m for m in resolve_doc(doc, "t", None, kb) if m.text == "Christchurch"] == []


@pytest.mark.skipif(not PETR.exists(), reason="/work/shared not available")
def test_real_phoenix_dictionaries():
    rows = import_petrarch(str(PETR / "Phoenix.Countries.actors.txt"))
    assert len(rows) > 20000
    lav = [r for r in rows if r["name"] == "Sergey Lavrov"]
    assert ("RUSGOV", "2004-03-09", "") in [(r["code"], r["start"], r["end"]) for r in lav]
    assert "Sergei Lavrov" in lav[0]["aliases"].split(";")
    assert not any(r["name"].startswith("Kim Jong Un") for r in rows)  # stale, as documented
    intl = import_petrarch(str(PETR / "Phoenix.International.actors.txt"))
    assert any(r["code"] == "IGOUNOIAE" for r in intl)
    assert all(not (r["start"] and r["end"]) or r["start"] <= r["end"] for r in rows)
    val = import_petrarch(str(PETR / "PETR.Validate.actors.txt"))
    assert any(r["code"] == "USR" and r["end"] == "1991-12-26" for r in val)
