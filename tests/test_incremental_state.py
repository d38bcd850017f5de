"""The incremental state's layout: split by month, so an update reads only the months it can reach.

No model: articles and mentions are written by hand (helpers shared with
``test_incremental.py``).
"""

from __future__ import annotations

import datetime as dt
import random

import duckdb
import pandas as pd

from conftest import recomputed
from detente.analysis.incremental import BLOCK_SIZE, STATE_FILE, refresh
from detente.store import Store

from test_incremental import _article, _events, _mention, _steps, _stories, _text, _write


def _monthly_store(tmp_path, rng):
    """A report every 4 days through a year on one dyad and code, plus one undated article."""
    start = dt.date(2015, 1, 2)
    batch = []
    for i in range(90):
        d = (start + dt.timedelta(days=4 * i)).isoformat()
        batch.append((_article(f"r{i:03d}", _text(rng), d, f"Outlet {i % 3}"),
                      [_mention(f"r{i:03d}", 0, "RUSGOV", "CHNGOV", "042", d, "article")]))
    batch.append((_article("u000", _text(rng), None, "Outlet U"),
                  [_mention("u000", 0, "RUSGOV", "CHNGOV", "042", None, "unknown")]))
    st = Store(tmp_path / "s", create=True)
    _write(st, "b0", batch)
    with st.writer():
        refresh(st, "t0")
    return st


def _tables(st: Store) -> set[str]:
    con = duckdb.connect(str(st.path / STATE_FILE), read_only=True)
    try:
        return {t for (t,) in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    finally:
        con.close()


def test_the_state_is_one_table_pair_per_month(tmp_path):
    st = _monthly_store(tmp_path, random.Random(4))
    tables = _tables(st)
    months = {p for p in st.derived_partitions("events")}
    assert {t[3:] for t in tables if t.startswith("ev@")} == months
    assert {t[4:] for t in tables if t.startswith("mem@")} == months
    assert "2015-06" in months and any(m.startswith("undated-") for m in months)


def test_an_update_never_reads_the_state_of_a_month_it_cannot_reach(tmp_path):
    """A row planted in January's state table that would overlap a June report if January were
    searched: an update adding a June report must leave it alone (it reads June's tables only),
    and the June report must join June's event as a full recompute has it."""
    rng = random.Random(5)
    st = _monthly_store(tmp_path, rng)
    june_key = "\x1f".join(["RUSGOV", "CHNGOV", "04", "2015-06"])
    con = duckdb.connect(str(st.path / STATE_FILE))
    con.execute('INSERT INTO "ev@2015-01" VALUES (\'planted\', ?, DATE \'2015-06-01\', DATE \'2015-06-30\', NULL)',
                [june_key])
    con.close()
    _write(st, "b1", [(_article("new", _text(rng), "2015-06-20", "Late"),
                       [_mention("new", 0, "RUSGOV", "CHNGOV", "042", "2015-06-20", "article")])])
    with st.writer():
        refresh(st, "t1")
    con = duckdb.connect(str(st.path / STATE_FILE), read_only=True)
    planted = con.execute('SELECT count(*) FROM "ev@2015-01" WHERE event_id = \'planted\'').fetchall()[0][0]
    con.close()
    assert planted == 1
    fs = recomputed(st, tmp_path / "full")
    pd.testing.assert_frame_equal(_events(st), _events(fs))


def test_a_state_of_the_previous_layout_is_replaced_and_recomputed(tmp_path):
    """A state file written by the detente before this layout (one events table, DuckDB's default
    blocks, version 4) is replaced by one in the new layout, by one full recompute that gives the
    same events and stories, and keeps its signatures (hashing is the costly part)."""
    st = Store(tmp_path / "s", create=True)
    for i, batch in enumerate(_steps()):
        _write(st, f"b{i}", batch)
    with st.writer():
        refresh(st, "t0")
    events, stories = _events(st), _stories(st)
    con = duckdb.connect(str(st.path / STATE_FILE), read_only=True)
    sigs = sorted(con.execute("SELECT content_hash, sig FROM sigs").fetchall())
    con.close()
    (st.path / STATE_FILE).unlink()
    old = duckdb.connect(str(st.path / STATE_FILE))  # DuckDB's default block size
    old.execute("CREATE TABLE meta (k VARCHAR, v VARCHAR)")
    old.execute("INSERT INTO meta VALUES ('version', '4')")
    old.execute("CREATE TABLE ev (event_id VARCHAR, skey VARCHAR, lo DATE, hi DATE, grp VARCHAR, part VARCHAR)")
    old.execute("CREATE TABLE sigs (article_id VARCHAR, content_hash VARCHAR, sig BLOB, dtype VARCHAR)")
    old.executemany("INSERT INTO sigs VALUES (NULL, ?, ?, '<u8')", sigs)
    assert old.execute("SELECT block_size FROM pragma_database_size()").fetchall()[0][0] != BLOCK_SIZE
    old.close()
    with st.writer():
        refresh(st, "t1")
    pd.testing.assert_frame_equal(_events(st), events)
    pd.testing.assert_frame_equal(_stories(st), stories)
    con = duckdb.connect(str(st.path / STATE_FILE), read_only=True)
    assert con.execute("SELECT block_size FROM pragma_database_size()").fetchall()[0][0] == BLOCK_SIZE
    assert con.execute("SELECT v FROM meta WHERE k = 'version'").fetchall()[0][0] != "4"
    assert sorted(set(con.execute("SELECT content_hash, sig FROM sigs").fetchall())) == sigs
    assert "ev" not in {t for (t,) in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    con.close()
    assert not list(st.path.glob("_cache/*.old*"))


def test_an_update_after_a_removed_articles_file_compares_every_article(tmp_path):
    """While every articles file the state has seen is there, only new files are read; when one
    is gone, every current article is compared with the state, and the result is a full recompute's."""
    steps = _steps(seed=6)
    st = Store(tmp_path / "s", create=True)
    for i, batch in enumerate(steps[:3]):
        _write(st, f"b{i}", batch)
        with st.writer():
            refresh(st, f"t{i}")
    # a batch vanishes (as if a user removed it): its articles and their events must go
    for t in ("articles", "event_mentions", "actor_mentions"):
        (st.path / t / "b1.parquet").unlink(missing_ok=True)
    _write(st, "b3", steps[3])
    with st.writer():
        refresh(st, "t3")
    fs = recomputed(st, tmp_path / "full")
    pd.testing.assert_frame_equal(_events(st), _events(fs))
    pd.testing.assert_frame_equal(_stories(st), _stories(fs))
    assert not _stories(st)["article_id"].isin([a.article_id for a, _ in steps[1]]).any()
