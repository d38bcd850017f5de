"""Exports: every format round-trips, codes stay strings, every column is documented, errors are numbered.

The store is built from hand-made dataclasses (no spaCy model): sentences with tabs,
newlines, quotes and commas, CAMEO codes with leading zeros (010, 0312, 042).
"""

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pandas as pd
import pyarrow.parquet as pq
import pytest

from detente.engines.local import refresh_events
from detente.errors import DetenteError
from detente.exports import FORMATS, TABLES, dictionary, export, to_markdown
from detente.exports.dictionary import table_doc
from detente.store import Store
from detente.types import ActorMention, Article, EventMention, RunRecord

ROOT = Path(__file__).resolve().parents[1]

TEXT_A = ('MOSCOW — Russia\'s foreign minister said on Wednesday:\t"We will cooperate militarily,\n'
          'with "our friends" in Pyongyang," before talks.\n'
          'Russian Foreign Minister Sergei Lavrov met North Korean officials in Moscow, the ministry said.\n'
          'Russia made a statement on North Korea, commas, and all.\n')
TEXT_B = ("Beijing sent aviation fuel to Pyongyang in March, officials said.\n"
          "China called on North Korea to resume talks.\n")
SENTENCES = {
    "m1": ("a", 'Russia\'s foreign minister said on Wednesday:\t"We will cooperate militarily,\n'
                'with "our friends" in Pyongyang," before talks.', "cooperate", "RUSGOV", "PRKGOV",
           "0312", 1, 5.2, "AGREE", "intent", "2015-01-21"),
    "m2": ("a", "Russian Foreign Minister Sergei Lavrov met North Korean officials in Moscow, the ministry said.",
           "met", "RUSGOV", "PRKGOV", "042", 1, 1.9, "CONSULT", "asserted", "2015-01-21"),
    "m3": ("a", "Russia made a statement on North Korea, commas, and all.", "made a statement", "RUSGOV", "PRKGOV",
           "010", 1, 0.0, None, "asserted", "2015-01-21"),
    "m4": ("b", "Beijing sent aviation fuel to Pyongyang in March, officials said.", "sent", "CHNGOV", "PRKGOV",
           "071", 2, 7.4, "AID", "asserted", "2014-03-01"),
    "m5": ("b", "China called on North Korea to resume talks.", "called on", "CHNGOV", "PRKGOV", "0256", 1, 3.0,
           "REQUEST", "asserted", "2014-03-01"),
}


def _mention(mid, art_text, spec):
    art, sent, trig, src, tgt, cameo, quad, gold, plover, modality, date = spec
    s = art_text.index(sent)
    t = s + sent.index(trig)
    return EventMention(art, src, src[:3], tgt, tgt[:3], cameo, cameo[:2], quad, gold, plover, modality, False, None,
                        False, date, "day", "test", 0.9 if mid != "m3" else 0.5, sent, s, s + len(sent), trig, t,
                        t + len(trig), sent[:3], s, s + 3, None, None, None, None, "military" if cameo == "0312" else
                        None, mid)


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    path = tmp_path_factory.mktemp("exports") / "store"
    st = Store(path, create=True)
    texts = {"a": TEXT_A, "b": TEXT_B}
    arts = [Article("a", TEXT_A, "h-a", "a.txt", "txt", "Lavrov in Moscow", "https://ex.example/a?x=1,2",
                    "Wire, Inc.", "2015-01-22", language="en"),
            Article("b", TEXT_B, "h-b", "b.txt", "txt", "Fuel", "https://ex.example/b", "Daily", "2014-03-02",
                    language="en", masked=((0, 0),))]
    mentions = [_mention(mid, texts[spec[0]], spec) for mid, spec in SENTENCES.items()]
    actors = [ActorMention("a", "Russia", TEXT_A.index("Russia"), TEXT_A.index("Russia") + 6, "RUSGOV", "RUS", "GOV",
                           None, "capital-metonym", TEXT_A.index("Russia") - 0, TEXT_A.index("talks.") + 6)]
    with st.writer():
        st.write_batch("b1", arts, actors, mentions)
        st.write_run(RunRecord("r1", "2026-01-01T00:00:00", "2026-01-01T00:00:01", "0", "m", 1, "[]", 2, 2, 0, 0, 1,
                               5, 1.0, "ok"))
        refresh_events(st, "t1")
    return path


def _export(store, tmp_path, table, fmt, **kw):
    return export(store, table, fmt, tmp_path / f"{table}-{kw.get('names', 'snake')}.{fmt}", **kw)


@pytest.mark.parametrize("fmt", ["csv", "tsv", "parquet", "jsonl", "sqlite"])
@pytest.mark.parametrize("names", ["snake", "gdelt"])
def test_every_exported_column_is_documented(store, tmp_path, fmt, names):
    for table in TABLES:
        r = _export(store, tmp_path, table, fmt, names=names)
        p = Path(r.path)
        if fmt in ("csv", "tsv"):
            cols = list(pd.read_csv(p, sep="," if fmt == "csv" else "\t", dtype=str, nrows=0).columns)
        elif fmt == "parquet":
            cols = pq.read_schema(p).names
        elif fmt == "jsonl":
            lines = p.read_text("utf-8").splitlines()
            cols = list(json.loads(lines[0])) if lines else table_doc(table).names(names)
        else:
            cols = [row[1] for row in sqlite3.connect(p).execute(f'PRAGMA table_info("{table}")')]
        assert cols == table_doc(table).names(names), (table, fmt)
    assert set(dictionary()) == set(TABLES)


def test_docs_columns_md_is_generated_from_the_dictionary():
    assert (ROOT / "docs" / "columns.md").read_text("utf-8") == to_markdown() + "\n", \
        "run python scripts/gen_columns_doc.py"


def test_pandas_reads_csv_tsv_parquet_back_with_codes_as_strings(store, tmp_path):
    texts = {"a": TEXT_A, "b": TEXT_B}
    for fmt, sep in (("csv", ","), ("tsv", "\t")):
        r = _export(store, tmp_path, "mentions", fmt)
        df = pd.read_csv(r.path, sep=sep, dtype=str, keep_default_na=False)
        assert {"010", "0312", "042", "071", "0256"} == set(df.cameo)
        assert set(df.cameo_root) == {"01", "03", "04", "07", "02"}
        for row in df.itertuples():  # tabs, newlines and quotes inside sentences survive the quoting
            assert texts[row.article_id][int(row.start):int(row.end)] == row.sentence
        # the documented dtypes (the sidecar schema) give typed columns and string codes
        schema = json.loads(Path(r.path + ".schema.json").read_text("utf-8"))
        dtypes = {f["name"]: {"string": str, "integer": "Int64", "number": float, "boolean": "boolean"}[f["type"]]
                  for f in schema["fields"]}
        typed = pd.read_csv(r.path, sep=sep, dtype=dtypes)
        assert typed.cameo.tolist() == df.cameo.tolist() and typed.quad_class.dtype == "Int64"
        assert typed.target_start.isna().all() and typed.hedged.dtype == "boolean"
    r = _export(store, tmp_path, "events", "parquet")
    t = pq.read_table(r.path)
    for c in ("cameo", "cameo_base", "cameo_root", "source_actor", "event_id"):
        assert str(t.schema.field(c).type) == "string"
    assert t.schema.field("cameo").metadata[b"description"].startswith(b"CAMEO event code")
    ev = t.to_pandas()
    assert {"010", "0312", "042"} <= set(ev.cameo) and set(ev.cameo_base) >= {"010", "031", "042"}
    assert pq.read_metadata(r.path).metadata[b"detente_table"] == b"events"


def test_events_carry_evidence_of_their_strongest_mention(store, tmp_path):
    r = _export(store, tmp_path, "events", "jsonl")
    rows = [json.loads(x) for x in Path(r.path).read_text("utf-8").splitlines()]
    texts = {"a": TEXT_A, "b": TEXT_B}
    assert len(rows) == 5
    for row in rows:
        assert row["evidence_mention_id"] in row["mention_ids"]
        assert texts[row["article_id"]][row["start"]:row["end"]] == row["sentence"]
        assert texts[row["article_id"]][row["trigger_start"]:row["trigger_end"]] == row["trigger"]
        assert row["url"] and row["outlet"] and isinstance(row["cameo"], str)
        assert row["sqldate"] == int(row["event_date"].replace("-", ""))
        assert row["source_role"] == "GOV" and row["source_country"] in ("RUS", "CHN")


def test_gdelt_names_for_events_and_mentions(store, tmp_path):
    r = _export(store, tmp_path, "events", "csv", names="gdelt")
    df = pd.read_csv(r.path, dtype=str, keep_default_na=False)
    for c in ("GLOBALEVENTID", "SQLDATE", "Actor1Code", "Actor1CountryCode", "Actor2Code", "Actor2CountryCode",
              "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale", "NumMentions",
              "NumSources", "NumArticles", "SOURCEURL", "Actor1Type1Code"):
        assert c in df.columns
    assert set(df.EventCode) >= {"010", "0312"} and set(df.SQLDATE) == {"20150121", "20140301"}
    assert "sentence" in df.columns and "article_id" in df.columns  # provenance kept under its own names
    m = pd.read_csv(_export(store, tmp_path, "mentions", "tsv", names="gdelt").path, sep="\t", dtype=str)
    assert {"GLOBALEVENTID", "MentionSourceName", "MentionIdentifier", "ActionCharOffset"} <= set(m.columns)
    assert m.GLOBALEVENTID.notna().all() and set(m.MentionSourceName) == {"Wire, Inc.", "Daily"}
    r = _export(store, tmp_path, "articles", "csv", names="gdelt")
    assert any("no GDELT column names" in n for n in r.notes)


def test_sqlite_for_datasette_and_r(store, tmp_path):
    r = export(store, "all", "sqlite", tmp_path / "d.sqlite")
    con = sqlite3.connect(r.path)
    decl = {row[1]: row[2] for row in con.execute('PRAGMA table_info("events")')}
    assert decl["cameo"] == decl["cameo_root"] == decl["source_actor"] == "TEXT" and decl["quad_class"] == "INTEGER"
    assert {t for (t,) in con.execute("SELECT typeof(cameo) FROM mentions")} == {"text"}
    assert {c for (c,) in con.execute("SELECT cameo FROM mentions")} >= {"010", "0312"}
    idx = {row[1]: [c[2] for c in con.execute(f'PRAGMA index_info("{row[1]}")')]
           for row in con.execute('PRAGMA index_list("events")')}
    assert ["source_actor", "target_actor"] in idx.values() and ["event_date"] in idx.values()
    documented = {(t, c) for t, c in con.execute("SELECT table_name, column_name FROM _columns")}
    for t in TABLES:
        for row in con.execute(f'PRAGMA table_info("{t}")'):
            assert (t, row[1]) in documented
    assert dict(con.execute("SELECT table_name, rows FROM _tables"))["events"] == 5


def test_plover_jsonl_follows_the_spec_names(store, tmp_path):
    r = export(store, "events", "plover", tmp_path / "e.plover.jsonl")
    recs = [json.loads(x) for x in Path(r.path).read_text("utf-8").splitlines()]
    assert len(recs) == 4 and r.notes  # the CAMEO 010 statement has no PLOVER type: left out, and said so
    for rec in recs:
        assert {"id", "date", "source", "recipient", "event", "mode", "context", "quad_code", "event_scale",
                "event_text", "text", "text_info", "cite_info", "coder"} <= set(rec)
        assert isinstance(rec["event"], list) and rec["event"][0] in ("AGREE", "CONSULT", "AID", "REQUEST")
        assert rec["source"][0]["code"] in ("RUS", "CHN") and rec["source"][0]["sector"] == "GOV"
        assert rec["recipient"][0]["detente_code"] == "PRKGOV" and isinstance(rec["cameo"], str)
    agree = next(x for x in recs if x["event"] == ["AGREE"])
    assert agree["cameo"] == "0312" and agree["context"] == "military" and "\t" in agree["text"]


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_graph_formats_keep_event_ids_and_weights(store, tmp_path, fmt):
    r = export(store, "network", fmt, tmp_path / f"n.{fmt}", start="2015-01-01", end="2015-12-31",
               asserted_only=False)
    g = (nx.read_graphml if fmt == "graphml" else nx.read_gexf)(r.path)
    assert set(g.edges) == {("RUS", "PRK")}  # the 2014 Chinese events are outside the window
    d = g["RUS"]["PRK"]
    assert float(d["weight"]) == 3 and int(d["events"]) == 3
    events = pd.read_parquet(_export(store, tmp_path, "events", "parquet").path)
    rus = set(events[events.source_country == "RUS"].event_id)
    assert set(d["event_ids"].split()) == rus
    export(store, "network", "csv", tmp_path / "n.csv", level="actor")
    e = pd.read_csv(tmp_path / "n.csv", dtype=str)
    assert set(e.source) == {"RUSGOV", "CHNGOV"}  # asserted only by default: the intent is left out
    assert e.set_index("source").loc["RUSGOV", "events"] == "2"


def test_errors_are_numbered_and_nothing_is_overwritten(store, tmp_path):
    cases = [(("nope", "csv"), "E401"), (("events", "xml"), "E402"), (("articles", "plover"), "E402"),
             (("events", "graphml"), "E402")]
    for (table, fmt), code in cases:
        with pytest.raises(DetenteError) as e:
            export(store, table, fmt, tmp_path / "x")
        assert e.value.code == code
    with pytest.raises(DetenteError) as e:
        export(store, "events", "csv", tmp_path / "x.csv", start="2015-01-01")
    assert e.value.code == "E303"
    for bad in ({"start": "2015-13-01"}, {"level": "planet"}):
        with pytest.raises(DetenteError) as e:
            export(store, "network", "csv", tmp_path / "x.csv", **bad)
        assert e.value.code == "E303" and not (tmp_path / "x.csv").exists()
    out = tmp_path / "e.csv"
    export(store, "events", "csv", out)
    out.write_text("mine", "utf-8")
    with pytest.raises(DetenteError) as e:
        export(store, "events", "csv", out)
    assert e.value.code == "E403" and out.read_text("utf-8") == "mine"
    export(store, "events", "csv", out, force=True)
    assert out.read_text("utf-8").startswith('"event_id"')
    blocker = tmp_path / "a-file"
    blocker.write_text("x", "utf-8")
    with pytest.raises(DetenteError) as e:
        export(store, "events", "csv", blocker / "sub" / "e.csv")
    assert e.value.code == "E404"
    empty = tmp_path / "empty"
    Store(empty, create=True)
    with pytest.raises(DetenteError) as e:
        export(empty, "events", "csv", tmp_path / "none.csv")
    assert e.value.code == "E204" and not (tmp_path / "none.csv").exists()


def test_cli_export_errors_have_no_traceback(store, tmp_path):
    def cli(*args):
        return subprocess.run([sys.executable, "-m", "detente", *map(str, args)], capture_output=True, text=True)

    r = cli("export", "events", "--format", "csv", "--output", tmp_path / "c.csv", "--store", store, "--names",
            "gdelt")
    assert r.returncode == 0 and "5 events" in r.stdout
    r = cli("export", "events", "--format", "csv", "--output", tmp_path / "c.csv", "--store", store)
    assert r.returncode == 2 and "E403" in r.stderr and "Traceback" not in r.stderr
    r = cli("export", "bogus", "--store", store)
    assert r.returncode == 2 and "E401" in r.stderr and "Traceback" not in r.stderr


def test_all_to_a_folder_writes_one_file_per_table(store, tmp_path):
    r = export(store, "all", "parquet", tmp_path / "out")
    assert sorted(Path(p).name for p in r.files) == sorted(f"{t}.parquet" for t in TABLES)
    assert r.rows["events"] == 5 and r.rows["mentions"] == 5
    assert set(FORMATS) >= {"csv", "tsv", "parquet", "jsonl", "sqlite", "plover", "graphml", "gexf"}
