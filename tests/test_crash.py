"""Crash safety of the derived tables (events, stories): a real `detente analyze` process killed in
the window after its last batch commits (or between the two derived files) must leave a store
that the next run, even one adding nothing, repairs to exactly the events of a clean run."""

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import detente
from detente.store import Store

from conftest import EXAMPLES

ARTICLES = sorted(EXAMPLES.glob("*.md"))[:6]


def _cmd(inputs, store):
    return [sys.executable, "-m", "detente", "analyze", str(inputs), "--store", str(store), "--quiet",
            "--workers", "1", "--batch-size", "2"]


def _run(inputs, store, crash_at=None, timeout=600):
    env = {k: v for k, v in os.environ.items() if k != "DETENTE_TEST_CRASH_AT"}
    env["COLUMNS"] = "200"
    if crash_at:
        env["DETENTE_TEST_CRASH_AT"] = crash_at
    return subprocess.run(_cmd(inputs, store), capture_output=True, text=True, env=env, timeout=timeout)


def events_of(store) -> list[dict]:
    """The events table without its per-run columns, in a stable order."""
    df = detente.open(store).events
    df = df.drop(columns=[c for c in ("stored_at",) if c in df.columns])
    return json.loads(df.sort_values("event_id").to_json(orient="records"))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    d = tmp_path_factory.mktemp("corpus")
    for f in ARTICLES:
        shutil.copy(f, d / f.name)
    return d


@pytest.fixture(scope="module")
def clean(corpus, tmp_path_factory):
    store = tmp_path_factory.mktemp("clean") / "s"
    r = _run(corpus, store)
    assert r.returncode == 0, r.stderr
    ev = events_of(store)
    assert ev, "the corpus must give events for the comparison to mean anything"
    return ev


@pytest.mark.parametrize("point", ["after-last-batch", "between-partitions", "between-derived",
                                   "before-derived-state"])
def test_killed_after_commit_rerun_repairs_to_clean_events(corpus, clean, tmp_path, point):
    store = tmp_path / "s"
    r = _run(corpus, store, crash_at=point)
    assert r.returncode == 137, (r.returncode, r.stderr)
    st = Store(store)
    assert st.derived_stale(), "the store must know its derived tables do not match its mentions"
    again = _run(corpus, store)  # adds nothing: every article is unchanged
    assert again.returncode == 0, again.stderr
    assert "repaired" in again.stdout and "recomputed" in again.stdout, again.stdout
    run = detente.open(store).runs.iloc[-1]
    assert run.articles_stored == 0 and run.articles_unchanged == len(ARTICLES) and run.repaired
    assert events_of(store) == clean
    assert Store(store).derived_stale() is None
    third = _run(corpus, store)  # now fresh: no repair, no recompute
    assert third.returncode == 0 and "repaired" not in third.stdout
    assert detente.open(store).runs.iloc[-1].repaired == ""


def test_killed_mid_batch_rerun_redoes_the_batch(corpus, clean, tmp_path):
    store = tmp_path / "s"
    r = _run(corpus, store, crash_at="mid-batch")
    assert r.returncode == 137
    again = _run(corpus, store)
    assert again.returncode == 0, again.stderr
    assert events_of(store) == clean


def test_incremental_run_killed_after_commit_is_repaired(corpus, clean, tmp_path):
    """The issue's second case: a store with events, a later run adds articles and dies before the recompute."""
    part = tmp_path / "part"
    part.mkdir()
    for f in ARTICLES[:3]:
        shutil.copy(f, part / f.name)
    store = tmp_path / "s"
    assert _run(part, store).returncode == 0
    before = events_of(store)
    assert _run(corpus, store, crash_at="after-last-batch").returncode == 137
    assert events_of(store) == before  # stale, but whole: the old table, never a half-made one
    assert _run(corpus, store).returncode == 0
    assert events_of(store) == clean


def test_sigkill_at_a_random_moment_then_rerun_matches_clean(corpus, clean, tmp_path):
    """A real SIGKILL (no hook): wait for the first committed batch, then kill the process."""
    store = tmp_path / "s"
    env = {k: v for k, v in os.environ.items() if k != "DETENTE_TEST_CRASH_AT"}
    p = subprocess.Popen(_cmd(corpus, store), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    try:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and p.poll() is None:
            arts = store / "articles"
            if arts.is_dir() and any(f.name != "_schema.parquet" for f in arts.glob("*.parquet")):
                break
            time.sleep(0.02)
        if p.poll() is None:
            os.kill(p.pid, signal.SIGKILL)
    finally:
        p.wait(timeout=60)
    assert _run(corpus, store).returncode == 0
    assert events_of(store) == clean


def test_old_store_without_derived_record_is_repaired(corpus, clean, tmp_path):
    """A store left stale by an older detente (no derived.json) is repaired by the next run."""
    store = tmp_path / "s"
    assert _run(corpus, store).returncode == 0
    (store / "derived.json").unlink()
    for f in (store / "events").glob("*/events.parquet"):
        f.unlink()  # what the old bug left: events empty for good
    assert Store(store).derived_stale()
    r = _run(corpus, store)
    assert r.returncode == 0 and "repaired" in r.stdout
    assert events_of(store) == clean


# --- a full disk, and two runs racing to create a store ---------------------------------------

def _enospc_after(monkeypatch, n_ok, pyarrow_style=False):
    """Make the store's Parquet writer fail with ENOSPC after ``n_ok`` files (as a full disk would)."""
    import errno

    import detente.store.parquet as sp

    real = sp.pq.write_table
    calls = {"n": 0}

    def write_table(table, where, *a, **k):
        calls["n"] += 1
        if (calls["n"] > n_ok) if isinstance(n_ok, int) else Path(str(where)).name.startswith(n_ok):
            if pyarrow_style:  # pyarrow raises OSError without errno, strerror in the message
                raise OSError("IOError: [Errno 28] Error writing bytes to file. Detail: "
                              + os.strerror(errno.ENOSPC))
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(where))
        return real(table, where, *a, **k)

    monkeypatch.setattr(sp.pq, "write_table", write_table)
    return calls


# n_ok: files written before the disk fills, or the table whose file finds it full ("events-": the
# first derived table, after every batch committed)
@pytest.mark.parametrize("n_ok, pyarrow_style", [(4, False), (7, True), ("events-", False)])
def test_disk_full_is_e205_store_stays_readable_and_rerun_completes(corpus, clean, tmp_path, monkeypatch,
                                                                    n_ok, pyarrow_style):
    from detente.errors import DetenteError

    store = tmp_path / "s"
    Store(store, create=True)  # the table folders exist; the batches below hit the full disk
    _enospc_after(monkeypatch, n_ok, pyarrow_style)
    with pytest.raises(DetenteError) as e:
        detente.analyze([corpus], store=store, workers=1, batch_size=2)
    assert e.value.code == "E205" and "free" in e.value.hint
    monkeypatch.undo()
    assert not list((store / "_tmp").rglob("*.parquet"))  # nothing half-written left behind
    with detente.open(store) as d:  # readable: committed batches only
        assert len(d.articles) <= len(ARTICLES)
    run = detente.analyze([corpus], store=store, workers=1, batch_size=2)  # space freed
    assert run.status == "ok"
    assert events_of(store) == clean


def test_disk_full_through_the_cli_is_a_numbered_error(corpus, tmp_path):
    """The CLI on a disk that fills up after a few files: exit 2, E205 and a hint, no traceback."""
    store = tmp_path / "s"
    prog = f"""
import errno, os, sys
import detente.store.parquet as sp
real, n = sp.pq.write_table, [0]
def full(table, where, *a, **k):
    n[0] += 1
    if n[0] > 12:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(where))
    return real(table, where, *a, **k)
sp.pq.write_table = full
sys.argv = {["detente", *_cmd(corpus, store)[3:]]!r}
from detente.cli import main
main()
"""
    r = subprocess.run([sys.executable, "-c", prog], capture_output=True, text=True,
                       env={**os.environ, "COLUMNS": "200"}, timeout=600)
    assert r.returncode == 2 and "E205" in r.stderr and "free some space" in r.stderr, (r.stdout, r.stderr)
    assert "Traceback" not in r.stderr
    assert _run(corpus, store).returncode == 0  # after freeing space


def test_second_run_creating_the_same_new_store_gets_e202(tmp_path):
    import fcntl

    from detente.errors import DetenteError

    store = tmp_path / "new"
    store.mkdir()
    with open(store / ".lock", "a+") as fh:  # a first run is creating the store right now
        fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        with pytest.raises(DetenteError) as e:
            Store(store, create=True)
        assert e.value.code == "E202"
    assert not (store / "detente-store.json").exists()
    Store(store, create=True)  # the lock file alone does not make the folder "not empty" (E203)
    assert (store / "detente-store.json").exists() and (store / "events" / "_schema.parquet").exists()


def test_two_real_runs_racing_on_a_new_store(corpus, tmp_path):
    """Started at once: one stores, the other is refused with E202 (never E203 or a traceback)."""
    for trial in range(3):
        store = tmp_path / f"s{trial}"
        env = {k: v for k, v in os.environ.items() if k != "DETENTE_TEST_CRASH_AT"}
        env["COLUMNS"] = "200"
        ps = [subprocess.Popen(_cmd(corpus, store), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env=env) for _ in range(2)]
        outs = [(p.wait(timeout=600), *p.communicate()) for p in ps]
        codes = sorted(rc for rc, _, _ in outs)
        assert codes[0] == 0, outs
        for rc, out, err in outs:
            assert "Traceback" not in err, err
            if rc != 0:
                assert rc == 2 and "E202" in err, err
        assert detente.open(store).articles.shape[0] == len(ARTICLES)


def test_disk_full_reported_by_another_library_is_e205(tmp_path):
    """DuckDB and others report ENOSPC in their own exception types: still E205, not a traceback."""
    import duckdb

    from detente.errors import DetenteError

    st = Store(tmp_path / "s", create=True)
    with pytest.raises(DetenteError) as e:
        with st.disk_errors():
            raise duckdb.IOException("IO Error: Could not write file \"x.duckdb\": No space left on device")
    assert e.value.code == "E205"
    with pytest.raises(ValueError):  # anything else passes through unchanged
        with st.disk_errors():
            raise ValueError("not a disk problem")
