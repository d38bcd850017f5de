"""Issue 5 acceptance on constructed article sets and on the seeds (needs the spaCy model).

The constructed articles are written here: a wire report, its reprint under another outlet,
and a second outlet that reports the same meeting with a hedge and one event of its own.
"""

import json
import shutil
import subprocess
import sys

import pandas as pd
import pytest

import detente
from conftest import SEED_DATES

WIRE = """---
title: "Xi and Kim meet in Beijing"
outlet: "North Star Wire"
published: 2018-03-28
genre: news
---
BEIJING — Chinese President Xi Jinping met North Korean leader Kim Jong Un in Beijing on Tuesday.

China delivered a year's worth of aviation fuel to North Korea on Monday, officials said.
"""
REPRINT = WIRE.replace('outlet: "North Star Wire"', 'outlet: "Echo Daily"').replace(
    "published: 2018-03-28", "published: 2018-03-30") + "\nThis article originally appeared at North Star Wire\n"
HEDGED = """---
title: "A quiet summit?"
outlet: "Harbor Review"
published: 2018-03-28
---
Chinese President Xi Jinping reportedly met North Korean leader Kim Jong Un in Beijing on Tuesday.

Russia condemned the United States on Wednesday.
"""


def _write(d, files):
    d.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (d / name).write_text(text, "utf-8")
    return d


@pytest.fixture(scope="module")
def stores(tmp_path_factory):
    """Store A: wire + hedged outlet (analysed twice); store B: the same plus the reprint."""
    root = tmp_path_factory.mktemp("issue5")
    a = _write(root / "a", {"wire.md": WIRE, "hedged.md": HEDGED})
    detente.analyze([a], store=root / "sa")
    ids_first = sorted(detente.open(root / "sa").events.event_id)
    detente.analyze([a], store=root / "sa")  # re-run: nothing new
    b = _write(root / "b", {"wire.md": WIRE, "hedged.md": HEDGED, "reprint.md": REPRINT})
    detente.analyze([b], store=root / "sb")
    return root, ids_first


def _meeting(events):
    m = events[(events.source_country == "CHN") & (events.target_country == "PRK") & (events.cameo_root == "04")]
    assert len(m) == 1, events[["source_actor", "target_actor", "cameo"]]
    return m.iloc[0]


def test_rerun_and_added_reprint_change_no_event_id(stores):
    root, ids_first = stores
    assert sorted(detente.open(root / "sa").events.event_id) == ids_first
    assert sorted(detente.open(root / "sb").events.event_id) == ids_first  # the reprint adds no event


def test_reprint_under_another_outlet_raises_sources_and_articles(stores):
    root, _ = stores
    before, after = detente.open(root / "sa").events, detente.open(root / "sb").events
    assert len(after) == len(before)
    m0, m1 = _meeting(before), _meeting(after)
    assert (m0.num_articles, m0.num_sources) == (2, 2) and (m1.num_articles, m1.num_sources) == (3, 3)
    fuel = after[(after.source_country == "CHN") & (after.cameo_root == "07")].iloc[0]
    assert (fuel.num_articles, fuel.num_sources) == (2, 2)


def test_hedged_and_asserted_reports_are_both_recorded(stores):
    root, _ = stores
    db = detente.open(root / "sa")
    m = _meeting(db.events)
    assert m.modality == "asserted" and m.asserted_any and m.hedged_any
    story = db.story(m.event_id).set_index("outlet")
    assert not story.loc["North Star Wire"].hedged and story.loc["Harbor Review"].hedged
    h = db.hedging().set_index(["outlet", "source", "target"])
    assert h.loc[("Harbor Review", "CHN", "PRK")].hedged_share == 1.0
    assert h.loc[("North Star Wire", "CHN", "PRK")].hedged_share == 0.0


def test_blindspots_and_outlet_table_on_constructed_set(stores):
    root, _ = stores
    db = detente.open(root / "sb")
    b = db.blindspots()
    condemn = b[(b.source_actor.str.startswith("RUS")) & (b.target_actor.str.startswith("USA"))].iloc[0]
    assert condemn.exclusive_to == "Harbor Review" and condemn.outlets_missing == ["Echo Daily", "North Star Wire"]
    fuel = b[b.cameo.str.startswith("07")].iloc[0]
    assert fuel.outlets_missing == ["Harbor Review"]
    assert _meeting(db.events).event_id not in set(b.event_id)  # everyone reports the meeting
    o = db.outlets().set_index("outlet")
    assert o.loc["Harbor Review"].exclusive_events == 1 and o.loc["North Star Wire"].exclusive_events == 0
    assert o.loc["Harbor Review"].hedged_share > 0 == o.loc["North Star Wire"].hedged_share
    g = db.genres().set_index("article_id")
    assert g.loc["wire"].genre == "news" and g.loc["wire"].declared_genre == "news"


def test_export_events_carries_counts_modality_and_evidence(stores, tmp_path):
    """Events carry counts, first/last seen, the strongest modality, all mention ids and the strongest
    mention's evidence; the mentions export gives every mention's article and offsets with its event."""
    root, _ = stores

    def export(table):
        out = tmp_path / f"{table}.jsonl"
        r = subprocess.run([sys.executable, "-m", "detente", "export", table, "--format", "jsonl", "--output", out,
                            "--store", root / "sb"], capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
        return [json.loads(line) for line in out.read_text("utf-8").splitlines()]

    events, mentions = export("events"), export("mentions")
    texts = {p.stem: p.read_text("utf-8") for p in (root / "b").glob("*.md")}
    by_id = {m["mention_id"]: m for m in mentions}
    for row in events:
        for f in ("event_id", "num_mentions", "num_articles", "num_sources", "first_seen", "last_seen",
                  "mention_ids", "modality", "hedged_any", "asserted_any", "event_date", "cameo"):
            assert f in row
        assert isinstance(row["cameo"], str) and len(row["mention_ids"]) == row["num_mentions"]
        assert texts[row["article_id"]][row["start"]:row["end"]] == row["sentence"]
        for mid in row["mention_ids"]:
            m = by_id[mid]
            assert m["event_id"] == row["event_id"] and texts[m["article_id"]][m["start"]:m["end"]] == m["sentence"]
    meet = next(r for r in events if r["num_sources"] == 3)
    assert meet["first_seen"] == "2018-03-28" and meet["last_seen"] == "2018-03-30"
    assert {by_id[m]["outlet"] for m in meet["mention_ids"]} == {"North Star Wire", "Echo Daily", "Harbor Review"}
    assert {by_id[m]["hedged"] for m in meet["mention_ids"]} == {True, False}


def test_cli_outlets_network_triads_and_their_errors(stores, tmp_path):
    from typer.testing import CliRunner

    from detente.cli import app
    from detente.errors import DetenteError
    from detente.store import Store

    root, _ = stores
    store = str(root / "sb")
    runner = CliRunner()

    def run(*args):
        return runner.invoke(app, [*map(str, args)], env={"COLUMNS": "200"})

    r = run("outlets", "--store", store)
    assert r.exit_code == 0 and "Harbor Review" in r.output, r.output
    for extra in (["--by", "actor"], ["--by", "dyad"], ["--blindspots"], ["--genres"]):
        r = run("outlets", *extra, "--store", store)
        assert r.exit_code == 0 and r.exception is None, (extra, r.output)
    assert "Harbor Review" in run("outlets", "--blindspots", "--store", store).output
    r = run("network", "--start", "2018-01-01", "--end", "2018-12-31", "--store", store, "-o", tmp_path / "n.graphml")
    assert r.exit_code == 0 and "CHN" in r.output and (tmp_path / "n.graphml").exists(), r.output
    r = run("triads", "--actors", "USA,RUS,CHN", "--store", store)
    assert r.exit_code == 0 and r.exception is None, r.output
    empty = tmp_path / "empty"
    Store(empty, create=True)
    bad = [(["outlets", "--by", "planet"], "E303"), (["network", "--level", "galaxy"], "E303"),
           (["network", "--start", "soon"], "E303"), (["triads", "--freq", "X"], "E303"),
           (["triads", "--actors", "USA,RUS"], "E303"), (["network", "-o", tmp_path / "n.png"], "E303"),
           (["outlets", "--store", tmp_path / "nowhere"], "E204")]
    bad += [([cmd, "--store", empty], "E204") for cmd in ("outlets", "network", "triads")]
    for args, code in bad:
        r = run(*args) if "--store" in args else run(*args, "--store", store)
        assert isinstance(r.exception, DetenteError) and r.exception.code == code, (args, r.exception)
    # the installed command prints the numbered error without a traceback
    for args, code in ((["triads", "--freq", "X", "--store", store], "E303"), (["outlets", "--store", empty], "E204")):
        p = subprocess.run([sys.executable, "-m", "detente", *map(str, args)], capture_output=True, text=True)
        assert p.returncode == 2 and code in p.stderr and "Traceback" not in p.stderr, p.stderr


# --- the seeds: four outlets framing one rapprochement ------------------------------------------

SEED_OUTLETS = {"000": "Seed Alarm", "001": "Seed News", "002": "Seed Mockery", "003": "Seed Smart Move"}


@pytest.fixture(scope="module")
def seed_db(seeds_dir, tmp_path_factory):
    d = tmp_path_factory.mktemp("seeds-outlets")
    for f in seeds_dir.glob("*.txt"):
        shutil.copy(f, d / f.name)
    rows = ["file,published,outlet"] + [f"{f.name},{SEED_DATES[f.name[:3]]},{SEED_OUTLETS[f.name[:3]]}"
                                        for f in sorted(d.glob("*.txt"))]
    (d / "_meta.csv").write_text("\n".join(rows) + "\n", "utf-8")
    store = tmp_path_factory.mktemp("seed-store") / "s"
    detente.analyze([d], store=store)
    return detente.open(store)


def _rapprochement(db) -> pd.Series:
    """Each outlet's mean stance toward Russia–North Korea: the dyad and the two actors pooled."""
    a = db.evaluations("actor")
    d = db.evaluations("dyad")
    rows = pd.concat([a[a.actor.isin(["RUS", "PRK"])][["outlet", "eval_id", "score"]],
                      d[(d.source == "PRK") & (d.target == "RUS")][["outlet", "eval_id", "score"]]])
    rows = rows.drop_duplicates(["outlet", "eval_id"])  # one word counts once per outlet
    return rows.groupby("outlet").score.mean()


def test_seed_outlets_frame_the_rapprochement_as_a_reader_would(seed_db):
    """The piece calling the opening "a smart move" is favourable; the one calling it "bad and alarming"
    and the one mocking the "bromance" are not; the smart-move piece is the most favourable of the four."""
    s = _rapprochement(seed_db)
    assert set(SEED_OUTLETS.values()) <= set(s.index)
    assert s["Seed Smart Move"] > 0
    assert s["Seed Alarm"] < 0 and s["Seed Mockery"] < 0
    assert s["Seed Smart Move"] == s.max()
    assert s["Seed Smart Move"] - s["Seed Alarm"] > 0.3
    # the evidence of each figure points at words in the article text
    texts = seed_db.articles.set_index("article_id").text
    ev = seed_db.evaluations("actor")
    for r in ev.itertuples():
        assert texts[r.article_id][r.start:r.end] == r.term


def test_seed_news_piece_judges_less_than_the_opinion_pieces(seed_db):
    g = seed_db.genres().set_index("outlet")
    rate = {o: float(next(c for c in g.loc[o].cues if c.startswith("evaluative_rate")).split("=")[1])
            for o in SEED_OUTLETS.values()}
    assert rate["Seed News"] < min(rate[o] for o in ("Seed Alarm", "Seed Mockery", "Seed Smart Move"))
    assert g.loc["Seed News"].opinion_score == g.opinion_score.min()
    assert g.loc["Seed Mockery"].genre == "opinion"
