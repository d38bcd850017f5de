"""Engines: worker processes give the rows of --workers 1; crashes, re-runs and a second writer."""

import dataclasses
import json
import os
import shutil
import subprocess
import sys
import time

import pandas as pd

import detente
from detente.config import Config
from detente.engines.local import run_analyze
from detente.ingest.clean import mask
from detente.pipeline import analyze_batch

from batchfns import CRASH_MARKER, crash_on_marker
from conftest import EXAMPLES, table_rows


def test_worker_processes_store_the_same_rows(small_corpus, inprocess_store, tmp_path):
    run = detente.analyze([small_corpus], store=tmp_path / "s", workers=2, batch_size=1)
    assert run.articles_stored == 4 and run.status == "ok"
    want, got = table_rows(inprocess_store), table_rows(tmp_path / "s")
    assert len(want["mentions"]) > 0
    for name in want:
        pd.testing.assert_frame_equal(got[name], want[name], obj=name)


def test_a_crashing_worker_loses_no_good_file(small_corpus, tmp_path):
    d = tmp_path / "in"
    shutil.copytree(small_corpus, d)
    good = sorted(d.glob("*.md"))[0].read_text("utf-8")
    (d / "zz-crash.md").write_text(good.replace("\n\n", f"\n\n{CRASH_MARKER} ", 1), "utf-8")
    cfg = Config.from_env(store=str(tmp_path / "s"), workers=2, batch_size=1)
    run = run_analyze([str(d)], cfg, batch_fn=crash_on_marker)
    skipped = json.loads(run.skipped)
    assert [(s["path"].endswith("zz-crash.md"), s["code"]) for s in skipped] == [(True, "E198")]
    assert "worker process" in skipped[0]["reason"]
    assert run.status == "partial" and run.articles_stored == 4
    assert len(detente.open(tmp_path / "s").articles) == 4
    assert json.loads(detente.open(tmp_path / "s").runs.iloc[0]["skipped"])[0]["code"] == "E198"


def test_rerun_on_grown_corpus_parses_only_new_and_changed(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    files = sorted(EXAMPLES.glob("*.md"))[:5]
    for f in files[:3]:
        shutil.copy(f, d / f.name)
    parsed: list[str] = []

    def counting(articles, res):
        parsed.extend(a.article_id for a in articles)
        return analyze_batch(articles, res)

    cfg = Config.from_env(store=str(tmp_path / "s"))
    run_analyze([str(d)], cfg, batch_fn=counting)
    assert len(parsed) == 3
    parsed.clear()
    for f in files[3:]:
        shutil.copy(f, d / f.name)  # two new files
    changed = d / files[0].name
    changed.write_text(changed.read_text("utf-8") + "\nChina and Russia held talks in Beijing.\n", "utf-8")
    run = run_analyze([str(d)], cfg, batch_fn=counting)
    assert sorted(parsed) == sorted([files[0].stem, files[3].stem, files[4].stem])
    assert (run.articles_stored, run.articles_unchanged) == (3, 2)
    parsed.clear()
    assert run_analyze([str(d)], cfg, batch_fn=counting).articles_stored == 0 and parsed == []


def test_concurrent_analyze_processes_one_refuses(small_corpus, tmp_path):
    """Two real `detente analyze` processes on one store: the second is refused (E202), no corruption."""
    store = tmp_path / "s"
    cmd = [sys.executable, "-m", "detente", "analyze", str(small_corpus), "--store", str(store), "--quiet"]
    first = subprocess.Popen(cmd + ["--workers", "1"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lock = store / ".lock"
    deadline = time.time() + 120
    while time.time() < deadline and not (lock.exists() and lock.read_text().strip()):
        time.sleep(0.05)
    second = subprocess.run(cmd + ["--workers", "2"], capture_output=True, text=True)
    out, errs = first.communicate(timeout=600)
    assert first.returncode == 0, errs
    assert second.returncode == 2 and "E202" in second.stderr and "Traceback" not in second.stderr
    db = detente.open(store)
    assert len(db.articles) == 4 and not db.mentions.mention_id.duplicated().any()


def test_worker_setup_errors_reach_the_user(small_corpus, tmp_path):
    """A model missing in the workers is E301 from `analyze`, not a crash report for every article."""
    r = subprocess.run([sys.executable, "-m", "detente", "analyze", str(small_corpus), "--store", str(tmp_path / "s"),
                        "--workers", "2", "--model", "no_such_model_pkg", "--quiet"], capture_output=True, text=True)
    assert r.returncode == 2 and "E301" in r.stderr and "Traceback" not in r.stderr
    assert "E198" not in r.stdout


def test_auto_workers_start_a_pool_only_for_more_than_one_batch(monkeypatch):
    """--workers 0 (the CLI default): one batch runs in-process, more go to a pool of all cores."""
    from detente.engines import local

    made = []

    class FakePool:
        def __init__(self, n, res_args, fn):
            made.append(("pool", n))
            self.fn = fn

        def map(self, batches):
            return ([f"done:{b}"] for b in batches)

        def close(self):
            made.append(("closed",))

    class FakeInProcess(FakePool):
        def __init__(self, config, fn):
            made.append(("inprocess",))

    monkeypatch.setattr(local, "WorkerPool", FakePool)
    monkeypatch.setattr(local, "InProcess", FakeInProcess)
    monkeypatch.setattr(local, "default_workers", lambda: 2)
    cfg = Config.from_env(workers=0)
    one = local.make_engine(cfg)
    assert list(one.map(iter(["b1"]))) == [["done:b1"]] and made == [("inprocess",)]
    made.clear()
    many = local.make_engine(cfg)
    assert list(many.map(iter(["b1", "b2", "b3"]))) == [["done:b1"], ["done:b2"], ["done:b3"]]
    many.close()
    assert made == [("pool", 2), ("closed",)]


def test_parsing_ahead_in_a_thread_stores_the_rows_of_the_stages_one_after_another(tmp_path, monkeypatch):
    """--workers 1 parses the next batch in a helper thread (or, DETENTE_PARSE_AHEAD=process, in a child
    process that sends the Docs back as DocBin bytes) while it codes this one: the rows must be those
    of parse-then-code one batch at a time (the whole example corpus, several batches)."""
    from detente.engines import local

    stores = {}
    for mode, overlap, parse_in in (("seq", False, "thread"), ("thread", True, "thread"),
                                    ("process", True, "process")):
        monkeypatch.setattr(local.InProcess, "overlap", overlap)
        monkeypatch.setattr(local.InProcess, "parse_in", parse_in)
        stores[mode] = tmp_path / mode
        run = detente.analyze([EXAMPLES], store=stores[mode], workers=1, batch_size=8)
        assert run.status == "ok" and run.articles_stored > 16
    want = table_rows(stores["seq"])
    assert len(want["mentions"]) > 100
    for mode in ("thread", "process"):
        got = table_rows(stores[mode])
        for name in want:
            pd.testing.assert_frame_equal(got[name], want[name], obj=f"{mode}: {name}")


def test_the_parse_thread_survives_an_article_the_parser_rejects(tmp_path, monkeypatch):
    """A parse error inside the helper thread is the article's skip (E112/E199), not the run's end."""
    from dataclasses import replace

    from detente.engines import local
    from detente import pipeline

    from batchfns import PARSE_FAIL_MARKER, _ChokingNlp

    real = pipeline.resources_for
    monkeypatch.setattr(local, "resources_for", lambda cfg: replace(real(cfg), nlp=_ChokingNlp(real(cfg).nlp)))
    monkeypatch.setattr(local, "pipeline_for", lambda cfg: _ChokingNlp(real(cfg).nlp))  # what the thread parses with
    d = tmp_path / "in"
    d.mkdir()
    files = sorted(EXAMPLES.glob("*.md"))[:3]
    for f in files:
        shutil.copy(f, d / f.name)
    (d / "zz-bad.md").write_text(files[0].read_text("utf-8").replace("\n\n", f"\n\n{PARSE_FAIL_MARKER} ", 1), "utf-8")
    run = run_analyze([str(d)], Config.from_env(store=str(tmp_path / "s"), workers=1, batch_size=2))
    skipped = json.loads(run.skipped)
    assert [(s["path"].endswith("zz-bad.md"), s["code"]) for s in skipped] == [(True, "E112")]
    assert run.articles_stored == 3


def test_the_parse_process_returns_docs_and_parse_errors_per_article(monkeypatch, nlp):
    """DETENTE_PARSE_AHEAD=process: the child's answer for a batch is per article a DocBin (the same
    tokens, tags, arcs, sentences and entities as the Doc it parsed) or the parse error, which the
    parent turns into the article's skip (E112), as in process."""
    from detente import nlp as nlp_mod
    from detente.engines.parse_process import docs_from, parse_task
    from detente.pipeline import _skip_for_parse_error
    from detente.ingest import read_inputs
    from detente.types import Article

    from batchfns import PARSE_FAIL_MARKER, _ChokingNlp

    monkeypatch.setattr(nlp_mod, "load_pipeline", lambda model: _ChokingNlp(nlp))
    arts = [a for a in read_inputs([str(p) for p in sorted(EXAMPLES.glob("*.md"))[:2]]) if isinstance(a, Article)]
    bad = dataclasses.replace(arts[0], text=arts[0].text + " " + PARSE_FAIL_MARKER, masked=())
    parsed = parse_task([arts[0], bad, arts[1]], "any-model")
    assert [type(p).__name__ for p in parsed] == ["bytes", "ValueError", "bytes"]
    docs = docs_from(parsed, nlp.vocab)
    direct = nlp(mask(arts[0].text, arts[0].masked))
    attrs = lambda d: [(t.text, t.whitespace_, t.tag_, t.pos_, t.lemma_, t.dep_, t.head.i, t.ent_iob_, t.ent_type_,
                        t.is_sent_start, str(t.morph)) for t in d]
    assert attrs(docs[0]) == attrs(direct)
    assert _skip_for_parse_error(bad, docs[1]).skipped.code == "E112"


def test_pipe_parts_cut_where_the_batched_parse_cuts():
    """A batch is handed out in the parts nlp.pipe parses together anyway (16 texts parsed
    batched; a text over CHUNK_CHARS is parsed on its own and counts for none)."""
    from detente.pipeline import CHUNK_CHARS, PIPE_BATCH, pipe_parts
    from detente.types import Article

    def art(i, n):
        return Article(article_id=f"a{i}", text="x" * n, content_hash=str(i), source_path=f"{i}.md", format="md")

    short, long_ = 10, CHUNK_CHARS + 1
    batch = [art(i, short) for i in range(20)] + [art(20, long_)] + [art(i, short) for i in range(21, 34)]
    parts = pipe_parts(batch)
    assert [len(p) for p in parts] == [16, 17, 1]
    assert [a for p in parts for a in p] == batch  # nothing lost, nothing reordered
    # every part but the last holds exactly PIPE_BATCH texts that nlp.pipe parses
    assert all(sum(len(a.text) <= CHUNK_CHARS for a in p) == PIPE_BATCH for p in parts[:-1])
    assert pipe_parts(batch[:16]) == [batch[:16]] and pipe_parts([]) == [[]]


def test_batches_handed_out_in_parts_store_the_rows_of_whole_batches(tmp_path, monkeypatch):
    """Batches of 40 go to the parse thread and to the worker processes as parts of 16, 16 and 8 (the
    workers' last batch in parts of 4): the rows and the batch files are those of whole batches parsed
    and coded one after another."""
    from detente.engines import local

    monkeypatch.setattr(local.InProcess, "overlap", False)
    seq = detente.analyze([EXAMPLES], store=tmp_path / "seq", workers=1, batch_size=40)
    monkeypatch.setattr(local.InProcess, "overlap", True)
    monkeypatch.setattr(local.InProcess, "parse_in", "thread")
    thread = detente.analyze([EXAMPLES], store=tmp_path / "thread", workers=1, batch_size=40)
    pool = detente.analyze([EXAMPLES], store=tmp_path / "pool", workers=2, batch_size=40)
    assert seq.articles_stored == thread.articles_stored == pool.articles_stored > 40
    want = table_rows(tmp_path / "seq")
    assert len(want["mentions"]) > 100
    for mode in ("thread", "pool"):
        got = table_rows(tmp_path / mode)
        for name in want:
            pd.testing.assert_frame_equal(got[name], want[name], obj=f"{mode}: {name}")
        # two batches (40 + 5 articles), each still written as one file
        assert len([p for p in (tmp_path / mode / "articles").glob("*.parquet") if not p.name.startswith("_")]) == 2


def test_the_engine_starts_at_the_first_new_article_and_not_for_a_no_op_rerun(tmp_path, monkeypatch):
    """The model load (in-process) or the workers' start begins when the run meets its first new
    article, before its first batch is full; a re-run with nothing new starts nothing."""
    from detente.engines import local
    from detente.pipeline import ArticleResult

    events = []
    monkeypatch.setattr(local.InProcess, "start", lambda self: events.append("start"))
    real_read = local.read_any

    def read_any(paths, config):
        for item in real_read(paths, config):
            events.append("read")
            yield item

    monkeypatch.setattr(local, "read_any", read_any)

    def fn(batch, res):
        events.append(f"batch of {len(batch)}")
        return [ArticleResult(a) for a in batch]

    d = tmp_path / "in"
    d.mkdir()
    for f in sorted(EXAMPLES.glob("*.md"))[:3]:
        shutil.copy(f, d / f.name)
    cfg = Config.from_env(store=str(tmp_path / "s"), workers=1, batch_size=3)
    run_analyze([str(d)], cfg, batch_fn=fn)
    assert events == ["read", "start", "read", "read", "batch of 3"]
    events.clear()
    run = run_analyze([str(d)], cfg, batch_fn=fn)
    assert run.articles_unchanged == 3 and events == ["read", "read", "read"]


def test_worker_pool_start_launches_every_worker(monkeypatch):
    """WorkerPool.start submits one empty task per worker (a forkserver pool starts a process per
    task), so that all workers load their model while the parent reads the first batch."""
    from detente.engines import workers as wmod

    submitted = []

    class FakeExecutor:
        def __init__(self, n, **kw):
            submitted.append(("pool", n, kw["mp_context"].get_start_method()))

        def submit(self, fn, *args):
            submitted.append((fn.__name__, args[1]))

        def shutdown(self, **kw):
            pass

    monkeypatch.setattr(wmod, "ProcessPoolExecutor", FakeExecutor)
    pool = wmod.WorkerPool(2, ("m", None))
    pool.start()
    pool.start()  # once
    pool.close()  # (the launch runs in a thread: close waits for it)
    assert submitted[0][:2] == ("pool", 2) and submitted[1:] == [("_run_task", []), ("_run_task", [])]


def test_the_last_batch_goes_to_the_workers_in_small_parts(monkeypatch):
    """Batches go out in parts of PIPE_BATCH texts, the run's last batch in parts of TAIL_PART, so
    that at the end of a run the workers wait for a few texts, not for one part of 16."""
    from concurrent.futures import Future

    from detente.engines import workers as wmod
    from detente.pipeline import PIPE_BATCH, ArticleResult
    from detente.types import Article

    sizes = []

    class FakeExecutor:
        def __init__(self, n, **kw):
            pass

        def submit(self, fn, fn_, batch, res_args):
            sizes.append(len(batch))
            fut = Future()
            fut.set_result([ArticleResult(a) for a in batch])
            return fut

        def shutdown(self, **kw):
            pass

    monkeypatch.setattr(wmod, "ProcessPoolExecutor", FakeExecutor)
    arts = [Article(f"a{i:03d}", "text", str(i), f"{i}.md", "md") for i in range(3 * 32 + 10)]
    batches = [arts[i:i + 32] for i in range(0, len(arts), 32)]
    pool = wmod.WorkerPool(2, ("m", None))
    got = [[r.article.article_id for r in res] for res in pool.map(iter(batches))]
    pool.close()
    assert got == [[a.article_id for a in b] for b in batches]  # in order, nothing lost
    assert PIPE_BATCH == 16 and wmod.TAIL_PART == 4
    assert sizes == [16, 16] * 3 + [4, 4, 2]
    # one worker: no tail to even out
    sizes.clear()
    pool = wmod.WorkerPool(1, ("m", None))
    list(pool.map(iter(batches)))
    pool.close()
    assert sizes == [16, 16] * 3 + [10]


def test_a_text_parses_the_same_whatever_is_parsed_beside_it(nlp):
    """The tail's smaller parts (and analyze_batch's one-by-one fallback) rest on this: the parse of
    a text does not depend on the texts nlp.pipe parses with it, nor on their order."""
    from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, LEMMA, MORPH, POS, SENT_START, TAG

    from detente.ingest import read_inputs
    from detente.ingest.clean import mask
    from detente.types import Article

    arts = [a for a in read_inputs([str(EXAMPLES)]) if isinstance(a, Article)]
    texts = [mask(a.text, a.masked) for a in arts]
    cols = [TAG, POS, MORPH, LEMMA, DEP, HEAD, SENT_START, ENT_IOB, ENT_TYPE]

    def arrays(docs):
        return [d.to_array(cols).tolist() for d in docs]

    want = arrays(nlp.pipe(texts, batch_size=16))
    assert len(texts) > 40
    assert arrays(nlp.pipe(texts, batch_size=4)) == want
    assert arrays(nlp.pipe(reversed(texts), batch_size=16))[::-1] == want
    assert arrays(nlp(t) for t in texts[:12]) == want[:12]


def test_the_fork_server_preloads_modules_that_exist():
    """multiprocessing ignores a preload module that fails to import: a renamed module would silently
    bring back one import of spaCy and detente per worker."""
    import importlib

    from detente.engines.workers import FORKSERVER_PRELOAD

    assert FORKSERVER_PRELOAD[0] == "__main__"
    for name in FORKSERVER_PRELOAD[1:]:
        importlib.import_module(name)


def test_timeline_marks_are_written_only_when_asked(tmp_path, monkeypatch):
    """DETENTE_TIMELINE: one JSON line per mark (wall clock, CPU), after one 'process start' line per
    process whose time is the process's own start (before the mark, within the test's run)."""
    from detente.engines import timeline

    monkeypatch.setattr(timeline, "PATH", None)
    timeline.mark("nothing")  # unset: a no-op
    log = tmp_path / "t.jsonl"
    monkeypatch.setattr(timeline, "PATH", str(log))
    monkeypatch.setattr(timeline, "_started", set())
    t0 = time.time()
    timeline.mark("one", n=3)
    timeline.mark("two")
    rows = [json.loads(line) for line in log.read_text().splitlines()]
    assert [r["event"] for r in rows] == ["process start", "one", "two"] and rows[1]["n"] == 3
    start = rows[0]["wall"]
    assert start <= t0 and t0 - start < 86400 and rows[1]["wall"] >= t0 and rows[2]["cpu"] >= rows[1]["cpu"]


def test_workers_start_with_the_model_the_fork_server_loaded(tmp_path, small_corpus):
    """--workers 2: the fork server loads the model, KB and lexicon once, before it forks the workers,
    and each worker's own load is a cache hit (no second model load per worker)."""
    log = tmp_path / "timeline.jsonl"
    r = subprocess.run([sys.executable, "-m", "detente", "analyze", str(small_corpus), "--store", str(tmp_path / "s"),
                        "--workers", "2", "--batch-size", "1", "--quiet"], capture_output=True, text=True,
                       env=dict(os.environ, DETENTE_TIMELINE=str(log)), timeout=600)
    assert r.returncode == 0, r.stderr
    marks = [json.loads(line) for line in log.read_text().splitlines()]
    server = [m for m in marks if m["event"] == "fork server loaded"]
    workers = [m for m in marks if m["event"] == "worker loaded"]
    assert len(server) == 1 and len(workers) == 2
    assert all(m["preloaded"] and m["pid"] != server[0]["pid"] for m in workers)
    # each task marks the end of its parse, between its start and its end (the parse's CPU apart)
    seqs = [[m["event"] for m in marks if m["pid"] == w["pid"] and m["event"].startswith("task") and m.get("n")]
            for w in workers]
    assert sum(map(len, seqs)) and all(seq == ["task start", "task parsed", "task end"] * (len(seq) // 3)
                                       for seq in seqs)


def test_worker_pool_release_does_not_wait_for_the_workers_and_close_does(monkeypatch):
    """At the end of a run the parent lets the workers go (release) and starts the end-of-run update
    at once; the shutdown that joins the worker processes runs meanwhile, and close() waits for it."""
    import threading

    from detente.engines import workers as wmod

    exiting = threading.Event()  # the workers "exit" only when the test says so
    started = threading.Event()
    calls = []

    class SlowShutdownExecutor:
        def __init__(self, n, **kw):
            pass

        def submit(self, fn, *args):
            return None

        def shutdown(self, wait=True, cancel_futures=False):
            calls.append(("shutdown", wait, cancel_futures))
            started.set()
            if wait:
                exiting.wait()
            calls.append("joined")

    monkeypatch.setattr(wmod, "ProcessPoolExecutor", SlowShutdownExecutor)
    pool = wmod.WorkerPool(2, ("m", None))
    pool.start()
    pool.release()  # returns while the shutdown still waits for the workers
    assert started.wait(10)
    assert calls == [("shutdown", True, True)]
    closer = threading.Thread(target=pool.close)
    closer.start()
    closer.join(0.2)
    assert closer.is_alive()  # close() waits for the workers to be joined
    exiting.set()
    closer.join()
    assert calls == [("shutdown", True, True), "joined"]
    pool.close()  # again: nothing left to join
    assert calls == [("shutdown", True, True), "joined"]


def test_batches_read_while_the_workers_launch_go_out_after_it_in_order(monkeypatch):
    """start() launches the workers in a thread (forking one waits for the fork server's model load):
    meanwhile map() reads on, up to its in-flight limit, and submits those batches, in their order,
    once the launch is over."""
    import threading

    from detente.engines import workers as wmod

    gate = threading.Event()  # the fork server "loads the model" until the 5th batch is read
    log = []

    class Done:
        def __init__(self, value):
            self.value = value

        def result(self):
            return self.value

    class Executor:
        def __init__(self, n, **kw):
            pass

        def submit(self, fn, batch_fn, batch, res_args):
            if not batch:  # start()'s empty task: forking a worker waits for the fork server
                assert gate.wait(10)
                log.append("launched")
                return Done([])
            log.append(f"submit {batch[0]}")
            return Done(list(batch))

        def shutdown(self, **kw):
            pass

    monkeypatch.setattr(wmod, "ProcessPoolExecutor", Executor)
    pool = wmod.WorkerPool(2, ("m", None), fn=lambda batch, res: batch)

    def batches():
        for i in range(1, 7):
            log.append(f"read {i}")
            if i == 1:
                pool.start()  # as run_analyze does at the run's first new article
            if i == 5:  # (4 batches held, the 5th read ahead)
                gate.set()
            yield [i]

    assert list(pool.map(batches())) == [[i] for i in range(1, 7)]
    pool.close()
    assert log == ["read 1", "read 2", "read 3", "read 4", "read 5", "launched", "launched",
                   "submit 1", "submit 2", "submit 3", "submit 4", "read 6", "submit 5", "submit 6"]
