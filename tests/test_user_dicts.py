"""User dictionaries end to end: --actors on analyze/code/actors lookup, actors= in the
API, the run record, the importer's --dry-run report, agents files, user-wins reasons."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import detente
from detente.actors import load_kb, lookup
from detente.actors.petrarch import read_dictionary
from detente.cli import app

FIX = Path(__file__).parent / "fixtures" / "metamorphic"
INVENTED = FIX / "invented.yaml"
runner = CliRunner()

SNIPPET = """<!-- small dictionary -->
VALDORIA_ [VLD]
+VALDORIAN_
VARESK_ [VLDGOV]
VALDORIAN_NAVY_ [VLDMIL]
ZIMBABWE_
\t[RHO <790606]
\t[ZBW]
BOROMIR [---]
CHINA_GARDEN [---]
LORIEN [ELR/GAL]
NOBODY_
"""
AGENTS = """!PERSON! = MAN, MEN, WOMAN, WOMEN
HARBOUR_MASTER {HARBOUR_MASTERS} [~GOV]
LIGHTHOUSE_KEEPER [~GOV]
WATCH!PERSON! {} [~COP]
ISLAMIC_EXTREMIST
TRUCE_MONITOR [IGO~]
"""


def _write(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_dry_run_reports_understood_and_why_not(tmp_path):
    src = _write(tmp_path, "small.actors.txt", SNIPPET)
    out = tmp_path / "out.csv"
    r = runner.invoke(app, ["actors", "import", str(src), "--dry-run", "-o", str(out)],
                      env={"COLUMNS": "200"})
    assert r.exit_code == 0, r.output
    assert not out.exists()
    d = read_dictionary(src)
    assert d.understood["state"] == 2 and d.understood["state+role"] == 1
    assert d.understood["capital (state+GOV)"] == 1
    why = {name: reason for _, name, reason in d.problems}
    assert set(why) == {"LORIEN", "NOBODY"} and d.understood["do not code"] == 2
    assert "several codes" in why["LORIEN"]
    assert "no code" in why["NOBODY"]
    assert d.entries == sum(d.understood.values()) + len(d.problems)
    for name in why:
        assert name in r.output


def test_importer_maps_meaning():
    rows = {(r["name"], r["code"]): r for r in read_dictionary_rows(SNIPPET)}
    v = rows[("Valdoria", "VLD")]
    assert v["kind"] == "country" and v["demonyms"] == "Valdorian"
    navy = rows[("Valdorian Navy", "VLDMIL")]
    assert navy["country"] == "VLD" and navy["kind"] == "actor"
    assert rows[("Varesk", "VLDGOV")]["kind"] == "capital"
    assert rows[("Zimbabwe", "RHO")]["end"] == "1979-06-06" and rows[("Zimbabwe", "ZBW")]["end"] == ""


def read_dictionary_rows(text):
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "x.actors.txt"
        p.write_text(text, encoding="utf-8")
        return read_dictionary(p).rows


def test_petrarch_file_loads_directly_and_states_compose(tmp_path, nlp, lex):
    from detente.coding import code_text

    src = _write(tmp_path, "small.actors.txt", SNIPPET)
    kb = load_kb(str(src))
    assert kb.countries["VLD"].status == "user"
    out = code_text("The Valdorian government accused Zimbabwe of piracy.", "1975-03-01",
                    nlp=nlp, kb=kb, lexicon=lex)
    codes = [a["code"] for a in out["actors"]]
    assert codes == ["VLDGOV", "RHO"]  # a dated state name: Rhodesia in 1975
    out = code_text("Valdoria accused Zimbabwe of piracy.", "1990-03-01", nlp=nlp, kb=kb, lexicon=lex)
    assert [a["code"] for a in out["actors"]] == ["VLD", "ZBW"]
    assert "over KB C:ZWE" in out["actors"][1]["reason"]  # the user's file won
    # [---]: never coded, and the KB's reading of the words inside is hidden too
    text = "Thieves robbed the China Garden restaurant."
    assert "CHN" in [a["code"] for a in detente.code(text, "2016-01-01")["actors"]]
    out = code_text(text, "2016-01-01", nlp=nlp, kb=kb, lexicon=lex)
    assert "CHN" not in [a["code"] for a in out["actors"]]


def test_agents_file_extends_role_phrases(tmp_path, nlp, lex):
    from detente.coding import code_text

    agents = _write(tmp_path, "small.agents.txt", AGENTS)
    d = read_dictionary(agents)
    assert d.kind == "agents" and d.understood["role phrase"] == 3
    assert {name for _, name, _ in d.problems} == {"ISLAMIC EXTREMIST", "TRUCE MONITOR"}
    kb = load_kb([str(INVENTED), str(agents)])
    out = code_text("Valdoria's harbour master accused the Ostranian watchmen of smuggling.",
                    "2016-06-15", nlp=nlp, kb=kb, lexicon=lex)
    assert [a["code"] for a in out["actors"]] == ["VLDGOV", "OSRCOP"]


def test_later_file_wins_and_lookup_takes_several_files(tmp_path):
    later = _write(tmp_path, "later.csv", "name,code,kind\nValdoria,VLX,country\n")
    r = runner.invoke(app, ["actors", "lookup", "Valdoria", "--actors", str(INVENTED),
                            "--actors", str(later)], env={"COLUMNS": "200"})
    assert r.exit_code == 0, r.output
    assert "VLX" in r.output and "user:later.csv" in r.output
    kb = load_kb([str(INVENTED)])
    assert lookup("Valdorian", None, kb)[0]["code"] == "VLD"
    assert lookup("Anton Kessler", dt.date(2016, 1, 1), kb)[0]["code"] == "VLDGOV"
    assert lookup("Anton Kessler", dt.date(2001, 1, 1), kb)[0]["code"] == "VLDELI"


def test_code_cli_and_api_take_actors(tmp_path):
    inp = _write(tmp_path, "in.jsonl", json.dumps(
        {"id": "a", "text": "Valdoria's government accused Ostrania of spying.", "date": "2016-06-15"}) + "\n")
    out = tmp_path / "out.jsonl"
    r = runner.invoke(app, ["code", "-i", str(inp), "-o", str(out), "--actors", str(INVENTED)])
    assert r.exit_code == 0, r.output
    ev = json.loads(out.read_text("utf-8"))["events"][0]
    assert (ev["source_actor"], ev["target_actor"]) == ("VLDGOV", "OSR")
    res = detente.code("Valdoria's government accused Ostrania of spying.", "2016-06-15",
                       actors=INVENTED)
    assert (res["events"][0]["source_actor"], res["events"][0]["target_actor"]) == ("VLDGOV", "OSR")


def test_bad_user_file_is_a_numbered_error(tmp_path):
    bad = _write(tmp_path, "bad.csv", "name,code,kind\nValdoria,VL1,country\n")
    inp = _write(tmp_path, "in.jsonl", json.dumps({"text": "x"}) + "\n")
    r = _cli("code", "-i", inp, "-o", tmp_path / "o.jsonl", "--actors", bad)
    assert r.returncode == 2
    assert "E304" in r.stderr and "bad.csv: line 2" in r.stderr and "Traceback" not in r.stderr
    r = _cli("analyze", inp, "--store", tmp_path / "s", "--actors", bad, "-w", "1")
    assert r.returncode == 2 and "E304" in r.stderr and not (tmp_path / "s").exists()
    r = _cli("actors", "lookup", "x", "--actors", tmp_path / "missing.yaml")
    assert r.returncode == 2 and "E302" in r.stderr and "Traceback" not in r.stderr


def _cli(*args):
    import subprocess
    import sys

    return subprocess.run([sys.executable, "-m", "detente", *map(str, args)], capture_output=True,
                          text=True, env={"COLUMNS": "200", **__import__("os").environ})


def test_analyze_records_user_files_and_recodes_when_they_change(tmp_path):
    arts = tmp_path / "arts"
    arts.mkdir()
    (arts / "a.txt").write_text("Valdoria's government accused Ostrania of spying on Monday.\n",
                                encoding="utf-8")
    store = tmp_path / "store"
    detente.analyze([arts], store=store, workers=1)
    db = detente.open(store)
    assert "VLDGOV" not in set(db.actors["code"])
    run = detente.analyze([arts], store=store, workers=1, actors=[INVENTED])
    assert run.articles_stored == 1  # same article, other dictionaries: coded again
    rec = json.loads(run.user_actors)
    assert rec[0]["path"] == str(INVENTED.resolve()) and len(rec[0]["sha256"]) == 64
    db = detente.open(store)
    assert "VLDGOV" in set(db.actors["code"])
    again = detente.analyze([arts], store=store, workers=1, actors=[INVENTED])
    assert again.articles_stored == 0 and again.articles_unchanged == 1


@pytest.mark.skipif(not Path("/work/shared/eval/petrarch").exists(), reason="../shared absent")
def test_shared_dictionaries_every_entry_understood_or_explained():
    for name in ("PETR.Validate.actors.txt", "Phoenix.Countries.actors.txt",
                 "Phoenix.International.actors.txt", "Phoenix.agents.txt"):
        d = read_dictionary(Path("/work/shared/eval/petrarch") / name)
        assert d.entries == sum(d.understood.values()) + len(d.problems), name
        assert all(reason for _, _, reason in d.problems)
        assert len(d.problems) <= 0.05 * d.entries


def test_detente_rows_by_meaning(tmp_path):
    f = _write(tmp_path, "mine.csv",
               "kb_id,name,aliases,code,kind,demonyms,capital,role,start,end\n"
               ",Tarvonia,,TRV,,Tarvonian,Kelm,,,\n"          # 3 letters, no kind: a state
               ",Tarvonian Navy,,TRVMIL,,,,,,\n"              # state + role
               "user:osk,Mira Osk,,TRV,,,,,2010-01-01,\n"    # dated: a person, not a state
               ",Putin,,RUSGOV,person,,,head_of_state,2030-01-01,\n")
    kb = load_kb(str(f))
    assert kb.countries["TRV"].name == "Tarvonia" and "OSK" not in kb.countries
    assert lookup("Tarvonian", None, kb)[0]["code"] == "TRV"
    assert lookup("Kelm", None, kb)[0]["code"] == "TRVGOV"
    navy = lookup("Tarvonian Navy", None, kb)[0]
    assert (navy["country"], navy["sector"]) == ("TRV", "MIL")
    assert lookup("Mira Osk", dt.date(2012, 1, 1), kb)[0]["kb_id"] == "user:osk"
    # a user person named like a KB person takes the name (the user wins)
    assert lookup("Putin", dt.date(2031, 1, 1), kb)[0]["kb_id"] == "user:putin"


def test_user_code_for_a_kb_state_carries_its_other_names(tmp_path):
    # PETR.Validate writes JAPAN [JAP]: "Japanese", "Tokyo" and Japan's office holders follow
    f = _write(tmp_path, "old.actors.txt", "JAPAN [JAP]\nEGYPT [UAR]\nEGYPTIAN [EGY]\n")
    kb = load_kb(str(f))
    assert lookup("Japanese", None, kb)[0]["code"] == "JAP"
    assert lookup("Tokyo", None, kb)[0]["code"] == "JAPGOV"
    assert "JPN->JAP" in lookup("Shinzo Abe", dt.date(2014, 1, 1), kb)[0]["reason"]
    # the file also uses EGY as a state: Egypt is UAR, but "Egyptian" stays EGY as written
    assert lookup("Egypt", None, kb)[0]["code"] == "UAR"
    assert lookup("Egyptian", None, kb)[0]["code"] == "EGY"


def test_petrarch_names_match_without_their_case(tmp_path, nlp, lex):
    from detente.coding import code_text

    f = _write(tmp_path, "tv.actors.txt", "ITHILEN [ITH]\nITHILEN_TELEVISION [ITHTV]\n")
    kb = load_kb(str(f))
    out = code_text("Ithilen television accused Ithilen of censorship.", None, nlp=nlp, kb=kb,
                    lexicon=lex)
    assert out["actors"][0]["code"] == "ITHTV"
    out = code_text("The ithilen television was on.", None, nlp=nlp, kb=kb, lexicon=lex)
    assert "ITHTV" not in [a["code"] for a in out["actors"]]  # the first word keeps its capital


def test_a_later_file_redefines_an_entity_and_takes_a_name(tmp_path):
    a = _write(tmp_path, "a.csv", "kb_id,name,code,kind\nuser:un,United Nations,IGOUNO,igo\n"
                                  "C:JPN,Japan,JPN,country\n")
    b = _write(tmp_path, "b.csv", "kb_id,name,code,kind\nuser:un,United Nations,UNO,igo\n"
                                  ",Japan,JAP,country\n")
    kb = load_kb([str(a), str(b)])
    assert [r["code"] for r in lookup("United Nations", None, kb)] == ["UNO"]
    assert [r["code"] for r in lookup("Japan", None, kb)] == ["JAP"]
    kb = load_kb([str(b), str(a)])
    assert [r["code"] for r in lookup("United Nations", None, kb)] == ["IGOUNO"]
    assert [r["code"] for r in lookup("Japan", None, kb)] == ["JPN"]
