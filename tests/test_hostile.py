"""Hostile input through a whole `analyze` run, in worker processes: every bad file is reported
per file (run summary, run record, exit status), every good file is stored."""

import json
import shutil
import subprocess
import sys

import pytest

import detente

from conftest import EXAMPLES

GOOD = sorted(EXAMPLES.glob("*.md"))[:2]
ENGLISH = ("Russian Foreign Minister Sergei Lavrov met his Chinese counterpart in Beijing on Tuesday. "
           "The two ministers discussed sanctions and signed an agreement on energy cooperation. ")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    d = tmp_path_factory.mktemp("hostile")
    for f in GOOD:
        shutil.copy(f, d / f.name)
    (d / "empty.txt").write_bytes(b"")
    (d / "binary.txt").write_bytes(bytes(range(256)) * 40)
    # not UTF-8: cp1252 English is decoded by charset-normalizer and stored; Russian in cp1251 is not English
    (d / "cp1252.txt").write_bytes(("Caf\u00e9 talks \u2013 " + ENGLISH * 3).encode("cp1252"))
    (d / "cp1251.txt").write_bytes(("Министр иностранных дел России встретился с китайским коллегой в Пекине. "
                                    "Стороны обсудили санкции и подписали соглашение о сотрудничестве. " * 3)
                                   .encode("cp1251"))
    (d / "huge.txt").write_text(ENGLISH * 400, "utf-8")  # over the size limit given below
    (d / "scripts.html").write_text("<html><head><script>" + "var a = 'Russia attacks China';" * 200 +
                                    "</script></head><body><script>document.write('x')</script>"
                                    "<noscript>enable JS</noscript></body></html>", "utf-8")
    (d / "feed.jsonl").write_text(json.dumps({"id": "feed-ok", "text": ENGLISH * 2}) + "\n{oops\n"
                                  + json.dumps({"id": "feed-notext"}) + "\n", "utf-8")
    (d / "rows.csv").write_text("id,text\ncsv-ok,\"" + ENGLISH * 2 + "\"\ncsv-bad,a,b,c\n", "utf-8")
    (d / "de.txt").write_text("Die Regierung in Berlin hat am Dienstag neue Sanktionen gegen Russland beschlossen. "
                              "Der Bundeskanzler sagte, die Maßnahmen seien notwendig und angemessen.", "utf-8")
    (d / "nosentences.txt").write_text("-- 2016 -- 04 -- 12 --\n\n" + "... 42 ... 17 ... 99 ...\n" * 20, "utf-8")
    return d


EXPECTED = {  # file (or record) -> code
    "empty.txt": "E101", "binary.txt": "E102", "cp1251.txt": "E106", "huge.txt": "E104",
    "scripts.html": "E110", "feed.jsonl:2": "E105", "feed.jsonl:3": "E105", "rows.csv#2": "E105",
    "de.txt": "E106", "nosentences.txt": "E111",
}


def _by_file(skipped: list[dict]) -> dict[str, str]:
    out = {}
    for s in skipped:
        name = s["path"].split("/")[-1]  # JSONL lines are file:line, CSV rows file#row
        assert s["reason"], s
        out[name] = s["code"]
    return out


def test_hostile_corpus_in_workers(hostile, tmp_path):
    run = detente.analyze([hostile], store=tmp_path / "s", workers=2, max_file_bytes=20_000)
    skipped = json.loads(run.skipped)
    got = _by_file(skipped)
    assert {k: got.get(k) for k in EXPECTED} == EXPECTED, skipped
    assert set(got) == set(EXPECTED)
    assert run.status == "partial" and run.articles_skipped == len(EXPECTED)
    stored = sorted(detente.open(tmp_path / "s").articles.article_id)
    assert stored == sorted([f.stem for f in GOOD] + ["cp1252", "feed-ok", "csv-ok"])
    rec = detente.open(tmp_path / "s").runs.iloc[-1]
    assert rec.status == "partial" and _by_file(json.loads(rec.skipped)) == got


def test_cli_reports_each_file_and_strict_exit_status(hostile, tmp_path):
    store = tmp_path / "s"
    cmd = [sys.executable, "-m", "detente", "analyze", str(hostile), "--store", str(store), "--quiet",
           "--workers", "1"]
    r = subprocess.run(cmd, capture_output=True, text=True, env={"COLUMNS": "200", **_env()})
    assert r.returncode == 0, r.stderr  # a partial run stores the good files and succeeds by default
    for name, code in EXPECTED.items():
        if name == "huge.txt":  # the CLI keeps the default 20 MB limit
            continue
        line = next((ln for ln in r.stdout.splitlines() if name in ln), "")
        assert code in line, (name, r.stdout)
    again = subprocess.run(cmd + ["--strict"], capture_output=True, text=True, env={"COLUMNS": "200", **_env()})
    assert again.returncode == 1 and "E106" in again.stdout  # --strict: skipped inputs fail the command
    runs = detente.open(store).runs
    assert list(runs.status) == ["partial", "partial"]


def _env():
    import os

    return {k: v for k, v in os.environ.items() if k != "COLUMNS"}
