"""The analyst's day: undated articles said out loud, filters validated, machine-readable output."""

import csv
import datetime as dt
import io
import json
import subprocess
import sys

import pytest

import detente
from detente.ingest.published import date_article, estimate_published
from detente.types import Article
from test_exports import store  # noqa: F401  (hand-made store: RUS->PRK 2015, CHN->PRK 2014)

TODAY = dt.date(2026, 1, 1)


def _cli(*args, **kw):
    return subprocess.run([sys.executable, "-m", "detente", *map(str, args)], capture_output=True, text=True, **kw)


# --- 1. publication dates ------------------------------------------------------------------------

@pytest.mark.parametrize("text, date, gran", [
    ("Talks began on March 3, 2015 and ended in 2014.", "2015-03-03", "day"),
    ("It was signed on 21 January 2015; in December 2014 the rouble fell.", "2015-01-21", "day"),
    ("Sanctions from September 2014 hurt; the 2013 test too.", "2014-09-01", "month"),
    ("Since 2013, relations improved; in the 1990s they had collapsed.", "2013-01-01", "year"),
    ("The alliance of the 1950s unraveled.", "1950-01-01", "decade"),
    ("Seen 2016-04-07 at the border.", "2016-04-07", "day"),
])
def test_estimate_is_the_latest_past_date_mentioned(text, date, gran):
    est = estimate_published(text, today=TODAY)
    assert est is not None and (est.date, est.granularity) == (date, gran), est
    assert "lower bound" in est.reason and text[int(est.reason.split("[")[1].split(":")[0]):].strip()


def test_plans_deadlines_and_future_dates_are_not_evidence_of_the_past():
    text = "In 2014 they met. The pipeline is due by 2019 and the treaty runs until 2021; talks resume next 2015."
    assert estimate_published(text, today=TODAY).date == "2014-01-01"
    assert estimate_published("Elections are planned for 2031.", today=TODAY) is None
    assert estimate_published("Kim may visit; nothing is dated here.", today=TODAY) is None
    assert estimate_published("The budget was 2015 million won.", today=TODAY).granularity == "year"


def test_date_article_prefers_its_own_date_then_the_option_then_an_estimate():
    a = Article("x", "In May 2015 they met.", "h", "x.txt", "txt")
    assert date_article(a.__class__("x", a.text, "h", "x.txt", "txt", published="2016-01-01")).published == "2016-01-01"
    given = date_article(a, "2016-02-02")
    assert given.published == "2016-02-02" and given.content_hash != a.content_hash
    est = date_article(a)
    assert est.published is None and est.published_estimate == "2015-05-01"
    assert est.published_estimate_granularity == "month"
    assert date_article(Article("y", "No dates.", "h", "y.txt", "txt")).published_estimate_reason.startswith("no ")


@pytest.fixture(scope="module")
def undated(tmp_path_factory):
    d = tmp_path_factory.mktemp("undated")
    (d / "a.txt").write_text("Russia and North Korea\n\nRussian Foreign Minister Sergei Lavrov met North Korean "
                             "Foreign Minister Ri Su Yong in Moscow on Tuesday. In 2014 Russia wrote off the debt "
                             "of North Korea.\n", "utf-8")
    (d / "b.md").write_text("---\npublished: 2015-03-04\noutlet: Daily\n---\nChina criticized North Korea on "
                            "Monday.\n", "utf-8")
    return d


def test_analyze_counts_undated_articles_and_says_how_to_date_them(undated, tmp_path):
    st = tmp_path / "s"
    r = _cli("analyze", undated, "--store", st, "--workers", "1", env={"COLUMNS": "250", **_env()})
    assert r.returncode == 0, r.stderr
    assert "undated articles" in r.stdout and "1 (1 with a lower-bound estimate" in r.stdout, r.stdout
    assert "--published" in r.stdout and "_meta.csv" in r.stdout
    arts = detente.open(st).articles.set_index("article_id")
    assert arts.loc["a", "published_estimate"] == "2014-01-01" and arts.loc["a", "published_estimate_granularity"] == "year"
    assert arts.loc["b", "published"] == "2015-03-04" and arts.isna().loc["b", "published_estimate"]
    # the dyad view says what it left out and why
    r = _cli("dyad", "RUS", "PRK", "--both", "--store", st, env={"COLUMNS": "250", **_env()})
    assert r.returncode == 0 and "left out" in r.stdout and "no publication date" in r.stdout, r.stdout
    # --published dates the undated article (re-analysed: its hash changed), not the dated one
    r = _cli("analyze", undated, "--store", st, "--workers", "1", "--published", "2015-01-20", env=_env())
    assert r.returncode == 0, r.stderr
    arts = detente.open(st).articles.set_index("article_id")
    assert arts.loc["a", "published"] == "2015-01-20" and arts.loc["b", "published"] == "2015-03-04"
    assert "undated articles" not in r.stdout
    assert detente.open(st).runs.iloc[-1].articles_stored == 1
    r = _cli("analyze", undated, "--store", st, "--published", "someday")
    assert r.returncode == 2 and "E303" in r.stderr and "Traceback" not in r.stderr


def _env():
    import os

    return {k: v for k, v in os.environ.items() if k != "COLUMNS"}


# --- 2. filters and messages ---------------------------------------------------------------------

@pytest.mark.parametrize("args, says", [
    (["events", "--since", "notadate"], "--since"),
    (["events", "--until", "2015-13-01"], "--until"),
    (["events", "--since", "2016-01-01", "--until", "2015-01-01"], "after"),
    (["events", "--modality", "bogus"], "--modality"),
    (["events", "--actor", "XQZ"], "XQZ"),
    (["events", "--actor", "RU$"], "RU$"),
    (["events", "--code", "abc"], "--code"),
    (["events", "--outlet", "Nobody Times"], "Nobody Times"),
    (["events", "--format", "xml"], "--format"),
    (["dyad", "RUS", "ZZZ"], "ZZZ"),
    (["dyad", "RUS", "PRK", "--freq", "D"], "--freq"),
    (["patrons", "QQQ"], "QQQ"),
    (["sql", "SELECT 1", "--format", "yaml"], "--format"),
])
def test_bad_filters_are_E303_and_exit_2(store, args, says):  # noqa: F811
    r = _cli(*args, "--store", store)
    assert r.returncode == 2 and "E303" in r.stderr and says in r.stderr and "Traceback" not in r.stderr, r.stderr


def test_a_filter_matching_nothing_says_so_with_the_filter(store, tmp_path):  # noqa: F811
    r = _cli("events", "--actor", "RUS", "--since", "2030-01-01", "--store", store)
    assert r.returncode == 0 and "no events match --actor RUS --since 2030-01-01" in r.stdout, r.stdout
    assert "yet" not in r.stdout
    from detente.store import Store

    Store(tmp_path / "fresh", create=True)
    r = _cli("events", "--store", tmp_path / "fresh")
    assert r.returncode == 0 and "no events in the store yet" in r.stdout, r.stdout + r.stderr


# --- 3. machine-readable output ------------------------------------------------------------------

def test_events_formats_carry_ids_and_every_column(store):  # noqa: F811
    db = detente.open(store)
    ids = set(db.events.event_id)
    rows = [json.loads(line) for line in _cli("events", "-f", "jsonl", "--store", store).stdout.splitlines()]
    assert {r["event_id"] for r in rows} == ids
    assert all(isinstance(r["cameo"], str) and r["sentence"] and "article_id" in r for r in rows)
    as_json = json.loads(_cli("events", "-f", "json", "--store", store).stdout)
    assert [r["event_id"] for r in as_json] == [r["event_id"] for r in rows]
    table = list(csv.DictReader(io.StringIO(_cli("events", "-f", "csv", "--store", store).stdout)))
    assert [r["event_id"] for r in table] == [r["event_id"] for r in rows]
    assert all(r["cameo"] == j["cameo"] and r["cameo"].startswith("0") for r, j in zip(table, rows))
    # the table shows the ids too
    out = _cli("events", "--store", store).stdout
    assert all(i in out for i in ids)


def test_events_filters_compose(store):  # noqa: F811
    ev = detente.open(store).events

    def ids(*args):
        return {r["event_id"] for r in map(json.loads, _cli("events", "-f", "jsonl", "--store", store,
                                                           *args).stdout.splitlines())}

    assert ids("--source", "RUS") == set(ev[ev.source_actor.fillna("").str.startswith("RUS")].event_id)
    assert ids("--target", "PRK") == set(ev[ev.target_actor.fillna("").str.startswith("PRK")].event_id)
    assert ids("--actor", "RUS", "--actor", "CHN") == ids("--actor", "RUS,CHN") == \
        set(ev[ev.source_actor.fillna("").str[:3].isin(["RUS", "CHN"])
               | ev.target_actor.fillna("").str[:3].isin(["RUS", "CHN"])].event_id)
    dated = ev[ev.event_date.notna()]
    assert ids("--until", "2014-12-31") == set(dated[dated.event_date <= "2014-12-31"].event_id)
    assert ids("--since", "2015-01-01") == set(dated[dated.event_date >= "2015-01-01"].event_id)
    root = ev.cameo.iloc[0][:2]
    assert ids("--code", root) == set(ev[ev.cameo.str.startswith(root)].event_id)
    assert ids("--outlet", "Daily") and ids("--outlet", "Daily") != ids()


@pytest.mark.parametrize("cmd", [["dyad", "RUS", "PRK", "--all-modalities"], ["patrons", "PRK"],
                                 ["network", "--all-modalities"], ["outlets"], ["sql", "SELECT * FROM events"]])
def test_views_write_csv_jsonl_json(store, cmd):  # noqa: F811
    outs = {f: _cli(*cmd, "--format", f, "--store", store) for f in ("csv", "jsonl", "json")}
    assert all(r.returncode == 0 for r in outs.values()), {f: r.stderr for f, r in outs.items()}
    as_json = json.loads(outs["json"].stdout)
    jl = [json.loads(x) for x in outs["jsonl"].stdout.splitlines()]
    rows = list(csv.DictReader(io.StringIO(outs["csv"].stdout)))
    assert as_json and as_json == jl and len(rows) == len(jl)
    assert list(rows[0]) == list(jl[0])


def test_piped_tables_do_not_wrap(store):  # noqa: F811
    r = _cli("events", "--store", store, env=_env())
    long = [line for line in r.stdout.splitlines() if len(line) > 80]
    assert long, "a piped listing must keep its long lines whole"
    r = _cli("sql", "SELECT sentence FROM event_mentions", "--store", store, env=_env())
    assert max(map(len, r.stdout.splitlines())) > 90


# --- 2 (cont.): stdout/stdin, report --force, help pages, completion -------------------------------

def test_dash_means_stdout_for_outputs(store, tmp_path):  # noqa: F811
    r = _cli("export", "events", "--format", "csv", "--output", "-", "--store", store)
    assert r.returncode == 0 and r.stdout.startswith('"event_id"') or r.stdout.startswith("event_id"), r.stdout[:200]
    assert "wrote" in r.stderr and "wrote" not in r.stdout
    assert not (tmp_path / "-").exists()
    r = _cli("network", "--all-modalities", "-o", "-", "--store", store)
    assert r.returncode == 0 and r.stdout.lstrip().startswith("<?xml") and "<graphml" in r.stdout, r.stdout[:300]
    r = _cli("export", "all", "--format", "csv", "--output", "-", "--store", store)
    assert r.returncode == 2 and "E303" in r.stderr


def test_code_reads_stdin_and_writes_stdout():
    line = json.dumps({"id": "x", "text": "Russian Foreign Minister Sergei Lavrov met Kim Jong Un in Pyongyang.",
                       "date": "2023-10-19"})
    r = _cli("code", "--input", "-", "--output", "-", input=line + "\n")
    assert r.returncode == 0, r.stderr
    rows = [json.loads(x) for x in r.stdout.splitlines()]
    assert [x["id"] for x in rows] == ["x"] and rows[0]["events"]


def test_report_refuses_to_overwrite_without_force(store, tmp_path):  # noqa: F811
    pytest.importorskip("jinja2")
    pytest.importorskip("plotly")
    out = tmp_path / "r.html"
    out.write_text("mine", "utf-8")
    r = _cli("report", "--store", store, "--output", out)
    assert r.returncode == 2 and "E403" in r.stderr and out.read_text("utf-8") == "mine"
    r = _cli("report", "--store", store, "--output", out, "--force")
    assert r.returncode == 0 and out.read_text("utf-8").lstrip().lower().startswith("<!doctype html")
    r = _cli("report", "--store", store, "--output", "-")
    assert r.returncode == 0 and r.stdout.lstrip().lower().startswith("<!doctype html") and "wrote" in r.stderr


def test_help_pages_show_metavars_and_brackets():
    for cmd in ("analyze", "events", "dyad", "export", "network", "code", "report"):
        r = _cli(cmd, "--help", env={**_env(), "COLUMNS": "150"})
        assert r.returncode == 0, r.stderr
        for bad in ("<bool>", "<str>", "<int>", "<path>", "<list[", "<int range>"):
            assert bad not in r.stdout, (cmd, bad, r.stdout)
    assert "detente[ray]" in _cli("analyze", "--help", env={**_env(), "COLUMNS": "150"}).stdout
    assert "--since YYYY-MM-DD" in _cli("events", "--help", env={**_env(), "COLUMNS": "150"}).stdout


def test_shell_completion_completes_commands():
    env = {**_env(), "_DETENTE_COMPLETE": "complete_bash", "COMP_WORDS": "detente ev", "COMP_CWORD": "1"}
    r = subprocess.run([sys.executable, "-c", "import sys; sys.argv[0] = 'detente'; from detente.cli import main; "
                        "main()"], capture_output=True, text=True, env=env)
    assert "events" in r.stdout and "eval" in r.stdout, (r.stdout, r.stderr)
    assert "analyze" not in r.stdout
    assert "--show-completion" in _cli("--help").stdout


# --- 3 (cont.): the Python API -------------------------------------------------------------------

def test_api_tables_and_network_graph(store):  # noqa: F811
    import networkx as nx

    db = detente.open(store)
    ev = db.events
    for col in ("event_id", "mention_ids", "evidence_mention_id", "sentence", "start", "end", "url", "outlet",
                "mentions"):
        assert col in ev.columns, col
    row = ev.iloc[0]
    art = db.articles.set_index("article_id").loc[row.article_id]
    assert art.text[row.start:row.end] == row.sentence
    assert {m["mention_id"] for m in row.mentions} == set(row.mention_ids)
    am = db.actor_mentions
    assert {"code", "sentence", "outlet"} <= set(am.columns) and len(am) == len(db.actors)
    st = db.stories
    assert set(st.article_id) == set(db.articles.article_id) and "story_id" in st.columns
    g = db.network(asserted_only=False)
    nodes, edges = db.network_tables(asserted_only=False)
    assert isinstance(g, nx.DiGraph) and g.number_of_edges() == len(edges) and set(g.nodes) == set(nodes.node)
    e = edges.iloc[0]
    assert g.edges[e.source, e.target]["events"] == e.events


def test_code_many_matches_code_and_keeps_order():
    texts = ["Russian Foreign Minister Sergei Lavrov met Kim Jong Un in Pyongyang.",
             "The weather was pleasant.",
             "China criticized North Korea on Monday."]
    dates = ["2023-10-19", None, "2016-01-07"]
    many = list(detente.code_many(texts, dates=dates, batch_size=2))
    assert many == [detente.code(t, d) for t, d in zip(texts, dates)]
    assert list(detente.code_many(texts[:2], dates=dates[:2], n_process=2, batch_size=1)) == many[:2]
    pairs = list(detente.code_many([(t, i) for i, t in enumerate(texts)], dates=dates, as_tuples=True))
    assert [i for _, i in pairs] == [0, 1, 2] and [r for r, _ in pairs] == many
    from detente.errors import DetenteError

    with pytest.raises(DetenteError):
        list(detente.code_many(texts, dates=["2015-01-01"]))


# --- 4. GDELT-exact files ------------------------------------------------------------------------

def test_gdelt_events_and_mentions_are_positionally_exact(store, tmp_path):  # noqa: F811
    import pandas as pd

    from detente.exports import export
    from detente.exports.gdelt import EVENT_COLUMNS, MENTION_COLUMNS, global_event_id

    ev_path, m_path = tmp_path / "e.gdelt.tsv", tmp_path / "m.gdelt.tsv"
    export(store, "events", "gdelt", ev_path)
    export(store, "mentions", "gdelt", m_path)
    raw = ev_path.read_text("utf-8")
    assert '"' not in raw and not raw.startswith("GLOBALEVENTID")
    lines = raw.splitlines()
    assert all(line.count("\t") == 60 for line in lines)
    # a GDELT positional loader: names by position, codes as strings
    names = [n for n, _ in EVENT_COLUMNS]
    df = pd.read_csv(ev_path, sep="\t", header=None, names=names, dtype=str, keep_default_na=False, quoting=3)
    db = detente.open(store)
    ev = db.events.set_index("event_id")
    assert len(df) == len(ev)
    by_gid = {global_event_id(i): i for i in ev.index}
    for r in df.itertuples():
        e = ev.loc[by_gid[int(r.GLOBALEVENTID)]]
        assert r.EventCode == e.cameo and r.EventRootCode == e.cameo[:2] and len(r.EventBaseCode) == 3
        assert r.Actor1Code == (e.source_actor or "") and r.Actor2Code == (e.target_actor or "")
        assert r.QuadClass == str(e.quad_class) and int(r.NumMentions) == e.num_mentions
        if isinstance(e.event_date, str):
            assert r.SQLDATE == e.event_date[:10].replace("-", "") and r.Year == e.event_date[:4]
            assert r.MonthYear == e.event_date[:7].replace("-", "")
        else:
            assert r.SQLDATE == ""
        assert r.AvgTone == "" and r.ActionGeo_Lat == "" and len(r.DATEADDED) == 14
        if r.Actor1Code.startswith("RUS") and len(r.Actor1Code) == 6:
            assert r.Actor1CountryCode == "RUS" and r.Actor1Type1Code == r.Actor1Code[3:]
    assert any(r.EventCode.startswith("0") for r in df.itertuples())
    assert {u for u in df.SOURCEURL if u} <= set(db.articles.url.dropna())
    m = pd.read_csv(m_path, sep="\t", header=None, names=[n for n, _ in MENTION_COLUMNS], dtype=str,
                    keep_default_na=False, quoting=3)
    assert len(m) == len(db.mentions) and set(m.GLOBALEVENTID) <= set(df.GLOBALEVENTID)
    mm = db.mentions.set_index("mention_id")
    arts = db.articles.set_index("article_id")
    for r in m.itertuples():
        assert 0 <= int(r.Confidence) <= 100 and int(r.ActionCharOffset) >= 0
        text = arts.loc[r.MentionIdentifier].text if r.MentionIdentifier in arts.index else None
        if text is not None:
            assert int(r.MentionDocLen) == len(text)
    assert set(mm.trigger_start.astype(str)) >= set(m.ActionCharOffset)


def test_gdelt_format_is_for_events_and_mentions_only(store, tmp_path):  # noqa: F811
    r = _cli("export", "articles", "--format", "gdelt", "--output", tmp_path / "a.tsv", "--store", store)
    assert r.returncode == 2 and "E402" in r.stderr


def test_docs_gdelt_md_is_generated():
    from pathlib import Path

    from detente.exports.gdelt import to_markdown

    doc = Path(__file__).resolve().parents[1] / "docs" / "gdelt.md"
    assert doc.read_text("utf-8") == to_markdown() + "\n", "run python scripts/gen_columns_doc.py"


def test_progress_covers_the_recompute(undated, tmp_path):
    from detente.config import Config
    from detente.engines.local import count_files, run_analyze

    seen = []
    run_analyze([str(undated)], Config(store=str(tmp_path / "p"), workers=1),
                progress=lambda n, label: seen.append((n, label)))
    assert sum(n for n, _ in seen) == count_files([str(undated)]) + 1  # the CLI's bar total
    assert seen[-2] == (0, "consolidating events and stories") and seen[-1] == (1, "done")
