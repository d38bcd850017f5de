"""Incremental stories and events: adding articles step by step gives exactly the events of a full recompute.

No model: articles and event mentions are written to the store by hand, with
the windows, reprints, undated articles and changed versions that make the
increment non-trivial (a new mention that bridges two stored events, a
changed article that splits one, a reprint that turns up later).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import random
import shutil

import pandas as pd
import pytest

from conftest import recomputed
from detente.analysis import consolidate, find_stories
from detente.analysis.incremental import STATE_FILE, refresh
from detente.store import Store
from detente.types import Article, EventMention

ACTORS = ["RUSGOV", "CHNGOV", "PRKGOV", "USAGOV"]
CODES = ["042", "0421", "036", "111", "172"]
GRANS = ["day", "day", "article", "month", "year", "unknown"]
WORDS = ("talks summit sanctions treaty envoy ministry border trade missile pipeline visit loan aid protest "
         "drill fleet accord grain oil gas port rail bank court vote").split()


def _text(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(120))


def _article(aid: str, text: str, published: str | None, outlet: str) -> Article:
    h = hashlib.sha256(f"{text}|{published}|{outlet}".encode()).hexdigest()
    return Article(aid, text, h, f"{aid}.txt", "txt", outlet=outlet, published=published, language="en")


def _mention(aid: str, k: int, src: str, tgt: str, code: str, date: str | None, gran: str) -> EventMention:
    return EventMention(
        aid, src, src[:3], tgt, tgt[:3], code, code[:2], 1, 3.4, "CONSULT", "asserted", False, None, False,
        date, gran if date else "unknown", "test", 0.8, "s", k, k + 1, "met", k, k + 1,
        mention_id=hashlib.sha1(f"{aid}|{k}|{src}|{tgt}|{code}|{date}".encode()).hexdigest()[:16])


def _mentions(rng: random.Random, aid: str, published: str | None, n: int = 4) -> list[EventMention]:
    out = []
    for k in range(n):
        src, tgt = rng.sample(ACTORS, 2)
        gran = rng.choice(GRANS)
        if published is None or gran == "unknown":
            date = None if rng.random() < 0.7 or published is None else published
        else:
            date = (dt.date.fromisoformat(published) - dt.timedelta(days=rng.randrange(20))).isoformat()
        out.append(_mention(aid, k, src, tgt, rng.choice(CODES), date, gran))
    return out


def _steps(seed: int = 3):
    """Four batches: dated and undated articles, reprints of earlier ones (some undated), and a changed version."""
    rng = random.Random(seed)
    start = dt.date(2015, 1, 1)
    texts: dict[str, tuple[str, str | None, list[EventMention]]] = {}
    steps = []
    n = 0
    for step in range(4):
        batch = []
        for _ in range(12):
            aid = f"a{n:03d}"
            n += 1
            if texts and rng.random() < 0.25:  # a reprint: the same text and sentences, another outlet
                src_id = rng.choice(sorted(texts))
                text, pub, ments = texts[src_id]
                pub2 = None if pub is None or rng.random() < 0.5 else (
                    dt.date.fromisoformat(pub) + dt.timedelta(days=rng.randrange(1, 4))).isoformat()
                ms = [_mention(aid, m.start, m.source_actor, m.target_actor, m.cameo, m.event_date,
                               m.date_granularity) for m in ments]
            else:
                text = _text(rng)
                pub2 = None if rng.random() < 0.3 else (start + dt.timedelta(days=rng.randrange(120))).isoformat()
                ms = _mentions(rng, aid, pub2)
            texts[aid] = (text, pub2, ms)
            batch.append((_article(aid, text, pub2, f"Outlet {rng.randrange(5)}"), ms))
        if step == 3:  # a new version of an early article: other text, other mentions
            aid = "a002"
            pub = "2015-02-01"
            text = _text(rng)
            batch.append((_article(aid, text, pub, "Outlet 9"), _mentions(rng, aid, pub, 6)))
        steps.append(batch)
    return steps


def _write(store: Store, batch_id: str, batch) -> None:
    with store.writer():
        store.write_batch(batch_id, [a for a, _ in batch], [], [m for _, ms in batch for m in ms])


def _events(store: Store) -> pd.DataFrame:
    con = store.connect()
    try:
        df = con.execute("SELECT * EXCLUDE (batch_id, stored_at) FROM events").df()
    finally:
        con.close()
    df["mention_ids"] = df["mention_ids"].map(lambda v: tuple(v))
    return df.sort_values("event_id").reset_index(drop=True)


def _stories(store: Store) -> pd.DataFrame:
    con = store.connect()
    try:
        return con.execute("SELECT article_id, story_id, is_copy, similarity, reason FROM stories "
                           "ORDER BY article_id").df()
    finally:
        con.close()


def _layout(store: Store) -> dict[str, dict[str, list[str]]]:
    """Which rows each partition file of the derived tables holds."""
    import pyarrow.parquet as pq

    key = {"events": "event_id", "stories": "article_id"}
    return {t: {p.parent.name: sorted(pq.read_table(p, columns=[key[t]])[key[t]].to_pylist())
                for p in sorted(store.path.glob(f"{t}/*/{t}.parquet"))} for t in key}


def _files(store: Store) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(store.path)): (p.stat().st_ino, p.stat().st_mtime_ns)
            for t in ("events", "stories") for p in store.path.glob(f"{t}/*/{t}.parquet")}


def test_incremental_equals_full_recompute(tmp_path):
    inc = Store(tmp_path / "inc", create=True)
    for i, batch in enumerate(_steps()):
        _write(inc, f"b{i}", batch)
        with inc.writer():
            n = refresh(inc, f"t{i}")
        assert n == len(_events(inc))
        # The same store recomputed from scratch (a copy, with its state removed) gives the same rows.
        fs = recomputed(inc, tmp_path / f"full{i}")
        pd.testing.assert_frame_equal(_events(inc), _events(fs))
        pd.testing.assert_frame_equal(_stories(inc), _stories(fs))
        assert _layout(inc) == _layout(fs)  # the same rows in the same month files
    assert len(_layout(inc)["events"]) > 3
    ev = _events(inc)
    assert ev["num_articles"].max() > 1  # reprints and same-window reports merged
    assert not ev["mention_ids"].map(lambda m: any(x.startswith("x") for x in m)).any()


def test_incremental_matches_the_in_memory_reference(tmp_path):
    """The stored state path agrees with consolidate()/find_stories() over all current rows at once."""
    st = Store(tmp_path / "s", create=True)
    for i, batch in enumerate(_steps(seed=11)):
        _write(st, f"b{i}", batch)
        with st.writer():
            refresh(st, f"t{i}")
    con = st.connect()
    mentions = con.execute("SELECT * FROM event_mentions").df()
    articles = con.execute("SELECT article_id, content_hash, text, masked, outlet, published, "
                           "originally_published_by, f.first_stored FROM articles JOIN (SELECT article_id, "
                           "min(stored_at) AS first_stored FROM article_versions GROUP BY 1) f USING (article_id)"
                           ).df()
    con.close()
    stories = find_stories(articles)
    pub = dict(zip(articles["article_id"], articles["published"]))
    dates: dict[str, list[str]] = {}
    for s in stories:
        if isinstance(pub[s.article_id], str):
            dates.setdefault(s.story_id, []).append(pub[s.article_id])
    ref = consolidate(mentions, articles[["article_id", "outlet", "published"]],
                      frozenset(s.article_id for s in stories if s.is_copy),
                      {s.article_id: (s.story_id, min(dates.get(s.story_id, [None]) or [None])) for s in stories})
    got = _events(st)
    assert sorted(e.event_id for e in ref) == got["event_id"].tolist()
    by_id = {e.event_id: e for e in ref}
    for row in got.itertuples():
        e = by_id[row.event_id]
        date = row.event_date if isinstance(row.event_date, str) else None
        assert (row.num_mentions, row.num_articles, row.num_sources, row.cameo, date) == (
            e.num_mentions, e.num_articles, e.num_sources, e.cameo, e.event_date)
        assert row.mention_ids == e.mention_ids
    assert [(s.article_id, s.story_id, s.is_copy) for s in stories] == \
        list(_stories(st)[["article_id", "story_id", "is_copy"]].itertuples(index=False, name=None))


def test_event_ids_stay_when_unrelated_articles_are_added(tmp_path):
    st = Store(tmp_path / "s", create=True)
    steps = _steps(seed=5)
    _write(st, "b0", steps[0])
    with st.writer():
        refresh(st, "t0")
    before = _events(st).set_index("event_id")
    far = [(_article("z1", _text(random.Random(9)), "2019-06-01", "Far"),
            [_mention("z1", 0, "RUSGOV", "CHNGOV", "042", "2019-06-01", "day")])]
    _write(st, "b1", far)
    with st.writer():
        refresh(st, "t1")
    after = _events(st).set_index("event_id")
    assert set(before.index) < set(after.index)
    pd.testing.assert_frame_equal(before, after.loc[before.index])


def test_a_stale_state_means_a_full_recompute(tmp_path):
    """If the events file is not the one the state was committed with, nothing is trusted."""
    st = Store(tmp_path / "s", create=True)
    steps = _steps(seed=7)
    _write(st, "b0", steps[0])
    with st.writer():
        refresh(st, "t0")
    good = _events(st)
    lost = list((st.path / "events").glob("*/events.parquet"))
    assert lost
    lost[0].unlink()  # as if a crash lost a derived file
    with st.writer():
        n = refresh(st, "t1")
    assert n == len(good)
    pd.testing.assert_frame_equal(_events(st), good)


@pytest.mark.parametrize("dated_original", [False, True])
def test_undated_reprint_joins_its_originals_events(tmp_path, dated_original):
    """A near-duplicate copy with no date: its mentions join the original's events and are counted.

    Its sentences are coded as the coder codes an undated article (no date); the
    original has none either, or its publication date (article-dated mentions)."""
    rng = random.Random(1)
    text = _text(rng)
    pub = "2015-03-02" if dated_original else None
    orig_ms = [_mention("orig", 0, "RUSGOV", "PRKGOV", "042", pub, "article"),
               _mention("orig", 5, "CHNGOV", "USAGOV", "111", pub, "article")]
    copy_ms = [_mention("copy", m.start, m.source_actor, m.target_actor, m.cameo, None, "unknown") for m in orig_ms]
    st = Store(tmp_path / "s", create=True)
    _write(st, "b0", [(_article("orig", text, pub, "Global Times"), orig_ms)])
    with st.writer():
        refresh(st, "t0")
    first = _events(st)
    _write(st, "b1", [(_article("copy", text + " Reprinted.", None, "Echo Daily"), copy_ms)])
    with st.writer():
        refresh(st, "t1")
    after = _events(st)
    assert _stories(st).set_index("article_id").loc["copy", "is_copy"]
    assert after["event_id"].tolist() == first["event_id"].tolist()  # no new event, same ids
    assert (after["num_articles"] == 2).all() and (after["num_sources"] == 2).all()
    assert (after["num_mentions"] == 2).all()
    assert all(any(m in ids for m in (x.mention_id for x in copy_ms)) for ids in after["mention_ids"])


def test_identical_files_under_two_names_then_one_changes(tmp_path):
    """Two articles with one content hash; changing one must leave the other's signature in place."""
    rng = random.Random(4)
    text = _text(rng)
    st = Store(tmp_path / "s", create=True)
    a = _article("x1", text, "2015-01-01", "A")
    b = Article("x2", text, a.content_hash, "x2.txt", "txt", outlet="A", published="2015-01-01", language="en")
    _write(st, "b0", [(a, [_mention("x1", 0, "RUSGOV", "CHNGOV", "042", "2015-01-01", "day")]),
                      (b, [_mention("x2", 0, "RUSGOV", "CHNGOV", "042", "2015-01-01", "day")])])
    with st.writer():
        refresh(st, "t0")
    _write(st, "b1", [(_article("x1", _text(rng), "2015-01-01", "A"),
                       [_mention("x1", 1, "USAGOV", "CHNGOV", "111", "2015-01-02", "day")])])
    with st.writer():
        refresh(st, "t1")
    _write(st, "b2", [(_article("x3", text + " again", "2015-01-03", "B"), [])])
    with st.writer():
        refresh(st, "t2")
    stories = _stories(st).set_index("article_id")
    assert stories.loc["x3", "story_id"] == "x2" and not stories.loc["x1", "is_copy"]


def test_an_update_reclusters_only_the_months_it_touches(tmp_path, caplog):
    """Consolidation is bounded by the period: a new report in one month redoes that month's events only,
    however long the chain of overlapping reports on its dyad, and the result equals a full recompute."""
    import logging

    rng = random.Random(2)
    start = dt.date(2015, 1, 2)
    batch = []
    for i in range(90):  # a report every 4 days through a year: windows overlap in one long chain
        d = (start + dt.timedelta(days=4 * i)).isoformat()
        batch.append((_article(f"r{i:03d}", _text(rng), d, f"Outlet {i % 3}"),
                      [_mention(f"r{i:03d}", 0, "RUSGOV", "CHNGOV", "042", d, "article")]))
    st = Store(tmp_path / "s", create=True)
    _write(st, "b0", batch)
    with st.writer():
        refresh(st, "t0")
    before = _events(st).set_index("event_id")
    assert len(before) >= 12 and before["num_mentions"].max() <= 9
    _write(st, "b1", [(_article("new", _text(rng), "2015-06-20", "Late"),
                       [_mention("new", 0, "RUSGOV", "CHNGOV", "042", "2015-06-20", "article")])])
    with caplog.at_level(logging.INFO, logger="detente.analysis.incremental"):
        with st.writer():
            refresh(st, "t1")
    stat = [r.getMessage() for r in caplog.records if "re-clustered" in r.getMessage()][-1]
    reclustered = int(stat.split(" mentions re-clustered")[0].rsplit(", ", 1)[1])
    assert reclustered <= 10  # the June cell (about 8 reports), not the 91 of the chain
    after = _events(st).set_index("event_id")
    assert set(after.index) == set(before.index)  # the June report joined June's event: no id moved
    grown = after.index[after["mention_ids"].map(lambda ids: _mention("new", 0, "RUSGOV", "CHNGOV", "042",
                                                                      "2015-06-20", "article").mention_id in ids)]
    assert len(grown) == 1 and after.loc[grown[0], "num_mentions"] == before.loc[grown[0], "num_mentions"] + 1
    rest = before.index.drop(grown)
    pd.testing.assert_frame_equal(before.loc[rest], after.loc[rest])
    fs = recomputed(st, tmp_path / "full")
    pd.testing.assert_frame_equal(_events(st), _events(fs))


def test_an_update_rewrites_only_the_month_files_it_touches(tmp_path):
    """Events and stories are stored one file per month: a new dated report rewrites its month's
    files and leaves every other month's file as it was (same inode, same time)."""
    rng = random.Random(5)
    batch = []
    for i in range(36):  # three reports a month through 2015, one undated article
        d = dt.date(2015, 1 + i // 3, 3 + 9 * (i % 3)).isoformat()
        batch.append((_article(f"r{i:03d}", _text(rng), d, f"Outlet {i % 4}"),
                      [_mention(f"r{i:03d}", 0, "RUSGOV", "CHNGOV", "042", d, "article"),
                       _mention(f"r{i:03d}", 1, "USAGOV", "PRKGOV", "111", d, "day")]))
    batch.append((_article("u", _text(rng), None, "Nowhere"), [_mention("u", 0, "PRKGOV", "CHNGOV", "036", None, "unknown")]))
    st = Store(tmp_path / "s", create=True)
    _write(st, "b0", batch)
    with st.writer():
        refresh(st, "t0")
    layout = _layout(st)
    months = [f"2015-{m:02d}" for m in range(1, 13)]
    undated = [p for p in layout["events"] if p.startswith("undated-")]
    assert sorted(layout["events"]) == months + undated and len(undated) == 1
    assert sorted(layout["stories"]) == months + undated
    ev = _events(st).set_index("event_id")
    for part, ids in layout["events"].items():  # each event lies in the file of its month
        dates = ev.loc[ids, "event_date"]
        assert (dates.isna().all() if part in undated else (dates.str[:7] == part).all()), (part, dates)
    before = _files(st)
    _write(st, "b1", [(_article("new", _text(rng), "2015-06-20", "Late"),
                       [_mention("new", 0, "RUSGOV", "CHNGOV", "042", "2015-06-19", "day")])])
    with st.writer():
        refresh(st, "t1")
    after = _files(st)
    changed = sorted(f for f in after if after[f] != before.get(f))
    assert changed == ["events/2015-06/events.parquet", "stories/2015-06/stories.parquet"]
    fs = recomputed(st, tmp_path / "full")
    pd.testing.assert_frame_equal(_events(st), _events(fs))
    assert _layout(st) == _layout(fs)


def test_a_store_in_the_one_file_layout_is_read_then_rewritten_by_month(tmp_path):
    """A store written before partitions (one events file, one stories file, a state of version 3):
    readers see its rows as they were; it counts as stale, and the next refresh rewrites it by month
    (one full recompute) with the same rows."""
    import json as _json

    import pyarrow as pa
    import pyarrow.parquet as pq

    st = Store(tmp_path / "s", create=True)
    for i, batch in enumerate(_steps(seed=11)[:2]):
        _write(st, f"b{i}", batch)
    with st.writer():
        refresh(st, "t0")
        st.mark_derived_fresh(st.articles_fingerprint(), "t0")
    events, stories = _events(st), _stories(st)
    # Turn it into the old layout: one file per table in the table's folder, the old views.sql.
    for t in ("events", "stories"):
        parts = sorted(st.path.glob(f"{t}/*/{t}.parquet"))
        whole = pa.concat_tables([pq.read_table(p) for p in parts])
        pq.write_table(whole, st.path / t / f"{t}-20250101T000000000000-aaaaaa.parquet")
        for p in parts:
            shutil.rmtree(p.parent)
    (st.path / "views.sql").write_text("-- an old views.sql\n")
    import duckdb

    con = duckdb.connect(str(st.path / STATE_FILE))
    con.execute("UPDATE meta SET v = '3' WHERE k = 'version'")
    con.close()
    assert st.derived_stale() and "older detente" in st.derived_stale()
    pd.testing.assert_frame_equal(_events(st), events)  # read in the old layout meanwhile
    pd.testing.assert_frame_equal(_stories(st), stories)
    with st.writer():
        assert refresh(st, "t1") == len(events)
        st.mark_derived_fresh(st.articles_fingerprint(), "t1")
    assert st.derived_stale() is None
    assert not st.legacy_derived_files("events") and not st.legacy_derived_files("stories")
    assert st.derived_partitions("events")
    pd.testing.assert_frame_equal(_events(st), events)
    pd.testing.assert_frame_equal(_stories(st), stories)
    # views.sql, for the duckdb CLI run in the store's folder, reads the new layout
    con = duckdb.connect()
    cwd = os.getcwd()
    try:
        os.chdir(st.path)
        con.execute((st.path / "views.sql").read_text())
        assert con.execute("SELECT count(*) FROM events").fetchone()[0] == len(events)
    finally:
        os.chdir(cwd)
        con.close()
    assert _json.loads((st.path / "derived.json").read_text())["computed_by"] == "t1"


def test_signatures_given_by_the_run_are_those_the_update_computes(tmp_path, monkeypatch):
    """``analyze`` hashes each article as its batch lands and hands the signatures to the update:
    they are the update's own (from the stored text and masks), and given, none is computed again."""
    from datasketch import MinHash

    from detente.analysis.stories import signatures, signatures_of

    steps = _steps()
    arts = [a for a, _ in steps[0]]
    arts[0] = Article(arts[0].article_id, "Moscow said. " + arts[0].text, "masked-one", "x.txt", "txt",
                      outlet="O", published="2015-01-02", language="en", masked=((0, 13),))
    given = signatures_of((a.content_hash, a.text, a.masked) for a in arts)
    store = Store(tmp_path / "s", create=True)
    _write(store, "b0", [(a, ms) for a, (_, ms) in zip(arts, steps[0])])
    con = store.connect()
    stored = con.execute("SELECT content_hash, text, masked FROM articles").df()
    con.close()
    computed = signatures(stored)
    assert set(given) == set(computed) and all((given[k] == computed[k]).all() for k in given)
    assert not (given["masked-one"] == signatures_of([("h", arts[0].text, ())])["h"]).all()  # masks count

    reference = Store(tmp_path / "ref", create=True)
    shutil.copytree(store.path, reference.path, dirs_exist_ok=True)
    with reference.writer():
        refresh(reference, "t")
    calls = []
    monkeypatch.setattr(MinHash, "update_batch", lambda self, b: calls.append(1))
    with store.writer():
        refresh(store, "t", sigs=given)
    assert not calls
    assert _stories(store).equals(_stories(reference)) and _events(store).equals(_events(reference))
