"""Store: idempotent re-runs, changed files, crash safety, one writer, bad input, exports."""

import json
import os
import shutil
import signal
import subprocess
import sys
import time

import pyarrow.parquet as pq
import pytest

import detente
from detente.errors import DetenteError
from detente.store import Store

from conftest import EXAMPLES


def _counts(store):
    con = Store(store).connect()
    return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("articles", "actor_mentions", "event_mentions")}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    d = tmp_path_factory.mktemp("corpus")
    for f in sorted(EXAMPLES.glob("*.md"))[:6]:
        shutil.copy(f, d / f.name)
    return d


def test_rerun_adds_nothing_and_changed_file_replaces(corpus, tmp_path):
    store = tmp_path / "s"
    run1 = detente.analyze([corpus], store=store)
    assert run1.articles_stored == run1.articles_read == 6
    c1 = _counts(store)
    assert c1["event_mentions"] > 0 and c1["actor_mentions"] > 0
    run2 = detente.analyze([corpus], store=store)
    assert (run2.articles_stored, run2.articles_unchanged) == (0, 6)
    assert _counts(store) == c1
    # a changed file replaces its old version: same article count, its rows are the new ones
    f = sorted(corpus.glob("*.md"))[0]
    original = f.read_text("utf-8")
    try:
        f.write_text(original + "\nRussia and China signed an agreement on energy cooperation.\n", "utf-8")
        run3 = detente.analyze([corpus], store=store)
        assert run3.articles_stored == 1
        c3 = _counts(store)
        assert c3["articles"] == 6
        db = detente.open(store)
        assert db.articles.set_index("article_id").loc[f.stem, "text"].endswith("energy cooperation.\n")
        assert not db.mentions.duplicated("mention_id").any()
    finally:
        f.write_text(original, "utf-8")


def test_export_mentions_offsets_point_at_evidence(corpus, tmp_path):
    store = tmp_path / "s"
    detente.analyze([corpus], store=store)
    out = tmp_path / "m.jsonl"
    r = subprocess.run([sys.executable, "-m", "detente", "export", "mentions", "--format", "jsonl",
                        "--output", str(out), "--store", str(store)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert rows
    texts = {f.stem: f.read_text("utf-8") for f in corpus.glob("*.md")}
    for row in rows:
        src = texts[row["article_id"]]
        assert src[row["start"]:row["end"]] == row["sentence"]
        assert src[row["trigger_start"]:row["trigger_end"]] == row["trigger"]
        assert isinstance(row["cameo"], str) and row["cameo"][:2] == row["cameo_root"]
    for fmt in ("csv", "parquet"):
        out = tmp_path / f"m.{fmt}"
        assert subprocess.run([sys.executable, "-m", "detente", "export", "mentions", "--format", fmt,
                               "--output", str(out), "--store", str(store)]).returncode == 0
    assert pq.read_table(tmp_path / "m.parquet").schema.field("cameo").type == "string"


def test_bad_input_is_reported_and_good_files_stored(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    good = sorted(EXAMPLES.glob("*.md"))[0]
    shutil.copy(good, d / good.name)
    (d / "empty.txt").write_bytes(b"")
    (d / "binary.txt").write_bytes(os.urandom(2048))
    (d / "feed.jsonl").write_text(
        json.dumps({"id": "j1", "text": good.read_text("utf-8").split("---", 2)[2]}) + "\n{not json\n", "utf-8")
    (d / "de.txt").write_text("Die Regierung in Berlin hat am Dienstag neue Sanktionen gegen Russland beschlossen. "
                              "Der Bundeskanzler sagte, die Maßnahmen seien notwendig und angemessen.", "utf-8")
    run = detente.analyze([d], store=tmp_path / "s")
    codes = sorted(s["code"] for s in json.loads(run.skipped))
    assert codes == ["E101", "E102", "E105", "E106"]
    assert run.articles_stored == 2 and run.status == "partial"
    assert _counts(tmp_path / "s")["articles"] == 2
    runs = detente.open(tmp_path / "s").runs
    assert len(runs) == 1 and json.loads(runs.iloc[0]["skipped"])[0]["reason"]


def test_second_writer_is_refused(corpus, tmp_path):
    store = Store(tmp_path / "s", create=True)
    with store.writer():
        with pytest.raises(DetenteError) as e:
            detente.analyze([corpus], store=tmp_path / "s")
        assert e.value.code == "E202"
    r = subprocess.run([sys.executable, "-m", "detente", "events", "--store", str(tmp_path / "nowhere")],
                       capture_output=True, text=True)
    assert r.returncode == 2 and "E204" in r.stderr and "Traceback" not in r.stderr


def test_killed_analyze_resumes_without_duplicates(tmp_path):
    """SIGKILL an analyze after its first committed batch; the next run completes, nothing doubled."""
    d = tmp_path / "big"
    d.mkdir()
    files = sorted(EXAMPLES.glob("*.md"))
    for i in range(4):  # 4 copies under other names: enough batches to kill mid-run
        for f in files:
            shutil.copy(f, d / f"{i}-{f.name}")
    n_inputs = len(list(d.glob("*.md")))
    store = tmp_path / "s"
    proc = subprocess.Popen([sys.executable, "-m", "detente", "analyze", str(d), "--store", str(store),
                             "--batch-size", "2", "--quiet"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 300
    while time.time() < deadline:
        committed = [p for p in (store / "articles").glob("*.parquet")] if (store / "articles").exists() else []
        if len(committed) >= 3:  # _schema + 2 batches
            break
        if proc.poll() is not None:
            break
        time.sleep(0.05)
    assert proc.poll() is None, "analyze finished before it could be killed; the fixture corpus is too small"
    workers = _descendants(proc.pid)  # analyze defaults to one worker process per core
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    deadline = time.time() + 30
    while time.time() < deadline and any(_alive(p) for p in workers):
        time.sleep(0.2)
    assert not [p for p in workers if _alive(p)], "worker processes outlived the killed analyze"
    partial = _counts(store)["articles"]
    assert 0 < partial < n_inputs
    run = detente.analyze([d], store=store)
    assert run.articles_unchanged == partial and run.articles_stored == n_inputs - partial
    db = detente.open(store)
    assert len(db.articles) == n_inputs and not db.articles.article_id.duplicated().any()
    assert not db.mentions.mention_id.duplicated().any()
    clean = tmp_path / "clean"
    detente.analyze([d], store=clean)
    assert _counts(clean) == _counts(store)


def _descendants(pid: int) -> list[int]:
    """Pids of every process below ``pid`` (Linux /proc)."""
    children: dict[int, list[int]] = {}
    for stat in os.listdir("/proc"):
        if stat.isdigit():
            try:
                fields = open(f"/proc/{stat}/stat").read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            children.setdefault(int(fields[1]), []).append(int(stat))
    out, todo = [], [pid]
    while todo:
        for c in children.get(todo.pop(), []):
            out.append(c)
            todo.append(c)
    return out


def _alive(pid: int) -> bool:
    try:
        state = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_seed_mentions_point_into_original_files(seeds_dir, tmp_path):
    """The acceptance check on ../shared/corpus/seeds: offsets index the original file text."""
    store = tmp_path / "s"
    detente.analyze([seeds_dir], store=store)
    db = detente.open(store)
    assert len(db.articles) == 4 and len(db.mentions) > 10
    for row in db.mentions.itertuples():
        src = (seeds_dir / f"{row.article_id}.txt").read_text("utf-8")
        assert src[row.start:row.end] == row.sentence
        assert row.start <= row.trigger_start < row.trigger_end <= row.end
    for row in db.actors.itertuples():
        src = (seeds_dir / f"{row.article_id}.txt").read_text("utf-8")
        assert src[row.start:row.end] == row.text
    # boilerplate never yields evidence
    assert not db.mentions.sentence.str.contains("Ad-Free|newsletter|commenting rules").any()
    seed3 = db.articles.set_index("article_id").loc["003_d1cf1cc0d0dc8adb"]
    assert seed3.originally_published_by == "Global Times" and seed3.outlet == "Russia Insider"


def test_derived_partitions_are_replaced_one_by_one_and_the_rest_stays(tmp_path):
    """write_partitions rewrites only the partitions it is given (each by an atomic rename), removes
    the emptied ones, and the table is the union of the partition files."""
    from detente.store import Store
    from detente.types import Story

    st = Store(tmp_path / "s", create=True)
    folder = tmp_path / "s" / "stories"
    with st.writer():
        st.write_partitions("stories", {
            "2015-03": [Story("a1", "a1", False, 1.0, "original"), Story("a2", "a1", True, 0.9, "near-duplicate")],
            "2016-01": [Story("b1", "b1", False, 1.0, "original")]}, "t0", complete=True)
    kept = (folder / "2016-01" / "stories.parquet").stat()
    with st.writer():
        st.write_partitions("stories", {"2015-03": [Story("a1", "a1", False, 1.0, "original")],
                                        "undated-2026-12": [Story("c1", "c1", False, 1.0, "original")]}, "t1")
    assert st.derived_partitions("stories") == ["2015-03", "2016-01", "undated-2026-12"]
    now = (folder / "2016-01" / "stories.parquet").stat()
    assert (now.st_ino, now.st_mtime_ns) == (kept.st_ino, kept.st_mtime_ns)  # not rewritten
    assert sorted(p.name for p in folder.rglob("*") if p.is_file()) == [
        "_schema.parquet", "stories.parquet", "stories.parquet", "stories.parquet"]
    con = st.connect()
    try:
        assert con.execute("SELECT article_id, batch_id FROM stories ORDER BY article_id").fetchall() == [
            ("a1", "stories-t1"), ("b1", "stories-t0"), ("c1", "stories-t1")]
    finally:
        con.close()
    with st.writer():
        st.write_partitions("stories", {"2016-01": []}, "t2")  # emptied: the partition goes
    assert st.derived_partitions("stories") == ["2015-03", "undated-2026-12"]
    assert not (folder / "2016-01").exists()
    with pytest.raises(ValueError):
        st.write_partitions("stories", {"../x": [Story("a1", "a1", False, 1.0, "original")]}, "t3")


def test_a_store_with_no_derived_rows_has_empty_derived_tables(tmp_path):
    from detente.store import Store

    con = Store(tmp_path / "s", create=True).connect()
    try:
        assert con.execute("SELECT count(*) FROM events").fetchone() == (0,)
        assert "event_id" in [d[0] for d in con.execute("SELECT * FROM events").description]
        assert con.execute("SELECT count(*) FROM stories").fetchone() == (0,)
    finally:
        con.close()
