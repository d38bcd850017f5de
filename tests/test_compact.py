"""`detente compact`: many small batch files merged into few, every row and id kept, the derived
tables still fresh and still updated incrementally, refused while another writer holds the store,
and safe to kill at any point. No model: batches are written by hand (as in test_incremental)."""

from __future__ import annotations

import logging
import os
import subprocess
import sys

import pandas as pd
import pytest

from conftest import recomputed
from detente.analysis.incremental import refresh
from detente.store import Store
from detente.store.compact import compact

from test_incremental import _article, _events, _mention, _stories, _steps, _text, _write

TABLES = ("articles", "actor_mentions", "event_mentions")


def _build(path, batches_per_step: int = 3) -> Store:
    """A store of many small batches (one step split in several), with a changed article version."""
    st = Store(path, create=True)
    n = 0
    for step in _steps(seed=5):
        size = -(-len(step) // batches_per_step)
        for i in range(0, len(step), size):
            _write(st, f"b{n:03d}", step[i:i + size])
            n += 1
        with st.writer():
            refresh(st, f"t{n}")
            st.mark_derived_fresh(st.articles_fingerprint(), f"t{n}")
    return st


def _snapshot(st: Store) -> dict[str, pd.DataFrame]:
    """Every row users can see (all article versions too), without the commit bookkeeping."""
    con = st.connect()
    try:
        out = {}
        for view, key in (("article_versions", "article_id, stored_at"), ("articles", "article_id"),
                          ("event_mentions", "mention_id"), ("events", "event_id"), ("stories", "article_id")):
            out[view] = con.execute(f"SELECT * EXCLUDE (batch_id) FROM {view} ORDER BY {key}").df()
        return out
    finally:
        con.close()


def _assert_same(a: dict, b: dict) -> None:
    assert a.keys() == b.keys()
    for k in a:
        drop = ["stored_at"] if k in ("events", "stories") else []  # derived: rewritten by each update
        pd.testing.assert_frame_equal(a[k].drop(columns=drop), b[k].drop(columns=drop), obj=k)


def _n_files(st: Store) -> int:
    return sum(1 for t in TABLES for p in (st.path / t).glob("*.parquet") if p.name != "_schema.parquet")


def test_compact_keeps_every_row_and_the_update_stays_incremental(tmp_path, caplog):
    st = _build(tmp_path / "s")
    before, files = _snapshot(st), _n_files(st)
    assert files >= 36 and len(before["article_versions"]) > len(before["articles"])  # a superseded version
    res = compact(st, target_rows=10_000)
    assert res.files_after == 3 and res.files_before == files and res.derived == "fresh"
    assert _n_files(st) == 3
    _assert_same(before, _snapshot(st))
    assert st.derived_stale() is None
    # a later batch is consolidated incrementally: only its articles are new to the state
    rng = __import__("random").Random(9)
    _write(st, "late", [(_article("late", _text(rng), "2015-02-10", "Late"),
                         [_mention("late", 0, "RUSGOV", "CHNGOV", "042", "2015-02-09", "day")])])
    with caplog.at_level(logging.INFO, logger="detente.analysis.incremental"):
        with st.writer():
            refresh(st, "after")
    stat = [r.getMessage() for r in caplog.records if "touched articles" in r.getMessage()][-1]
    assert int(stat.split("events: ")[1].split(" touched")[0]) <= 3, stat
    fs = recomputed(st, tmp_path / "full")
    pd.testing.assert_frame_equal(_events(st), _events(fs))
    pd.testing.assert_frame_equal(_stories(st), _stories(fs))
    # compacting again (the merged file and the new batch) keeps every row too
    again = _snapshot(st)
    res = compact(st, target_rows=10_000)
    assert res.batches_merged == 2 and _n_files(st) == 3
    _assert_same(again, _snapshot(st))


def test_compact_leaves_large_batches_and_groups_by_size(tmp_path):
    st = _build(tmp_path / "s")
    rows = _snapshot(st)
    res = compact(st, target_rows=40)  # ~14 mentions a batch: groups of about 40
    assert res.groups > 1 and res.files_after > 3 and res.files_after < res.files_before
    _assert_same(rows, _snapshot(st))
    assert compact(st, target_rows=40).batches_merged <= 2  # nothing (or one odd pair) left to merge


def _cli(store, *args, crash_at=None):
    env = {k: v for k, v in os.environ.items() if k != "DETENTE_TEST_CRASH_AT"}
    env["COLUMNS"] = "200"
    if crash_at:
        env["DETENTE_TEST_CRASH_AT"] = crash_at
    return subprocess.run([sys.executable, "-m", "detente", "compact", "--store", str(store), *args],
                          capture_output=True, text=True, env=env, timeout=300)


@pytest.mark.parametrize("point", ["compact-mid-group", "compact-after-commit"])
def test_compact_killed_loses_nothing_and_the_next_writer_finishes(tmp_path, point):
    st = _build(tmp_path / "s")
    before = _snapshot(st)
    r = _cli(st.path, crash_at=point)
    assert r.returncode == 137, (r.returncode, r.stderr)
    _assert_same(before, _snapshot(st))  # killed: readers see every row, once
    with st.writer():  # what any next writer does first: drop the half-done group, or finish the done one
        pass
    _assert_same(before, _snapshot(st))
    if point == "compact-after-commit":  # committed: the merged batches' files are gone now
        assert _n_files(st) == 3
    r = _cli(st.path)
    assert r.returncode == 0, r.stderr
    assert _n_files(st) == 3
    _assert_same(before, _snapshot(st))
    with st.writer():
        n = refresh(st, "after")  # stale or fresh, the next update brings events back to the same rows
        st.mark_derived_fresh(st.articles_fingerprint(), "after")
    assert n == len(before["events"])
    _assert_same(before, _snapshot(st))


def test_compact_refuses_while_another_writer_holds_the_store(tmp_path):
    st = _build(tmp_path / "s", batches_per_step=2)
    files = _n_files(st)
    with st.writer():
        r = _cli(st.path)
    assert r.returncode == 2 and "E202" in r.stderr and "Traceback" not in r.stderr, r.stderr
    assert _n_files(st) == files


def test_compact_on_a_missing_store_is_a_numbered_error(tmp_path):
    r = _cli(tmp_path / "nothing")
    assert r.returncode == 2 and "E204" in r.stderr and "Traceback" not in r.stderr
