"""The runner: stream inputs in batches through the pure batch function into the store.

The parent process reads inputs, skips unchanged articles and writes the
store; the batches run in-process (``--workers 1``), in local worker processes
(:mod:`.workers`) or on Ray actors (:mod:`.ray_engine`), all through
:func:`detente.pipeline.analyze_batch`.
"""

from __future__ import annotations

import gc
import itertools
import json
import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence

from ..version import __version__
from ..config import Config
from ..errors import DetenteError
from ..ingest import iter_files
from ..ingest.published import date_article
from ..ingest.web import is_url, read_any
from ..pipeline import ArticleResult, analyze_batch, pipeline_for, resources_for
from ..schema import SCHEMA_VERSION
from ..store import Store, new_run_id, utcnow
from ..store.parquet import crash_point
from ..types import Article, RunRecord, SkippedInput, as_dict
from .timeline import mark
from .workers import BatchFn, WorkerPool, default_workers

Progress = Callable[[int, str], None]  # (files advanced, label)
PRESIGN_MAX = 20_000  # MinHash signatures computed during a run for its end-of-run update (1 KB each)


def count_files(paths: Sequence[str], follow_symlinks: bool = False) -> int:
    """Files below ``paths``, plus one per http(s) URL (a feed's items are not known before fetching it)."""
    urls = [p for p in paths if is_url(p)]
    local = [p for p in paths if not is_url(p)]
    return len(urls) + sum(1 for f in iter_files(local, follow_symlinks) if not isinstance(f, SkippedInput))


def check_inputs(paths: Sequence[str]) -> None:
    """A path that does not exist is a setup error (E302, exit 2) before any store is created:
    a typo must not give exit 0 and an empty store."""
    missing = [p for p in paths if not is_url(p) and not os.path.lexists(p)]
    if missing:
        raise DetenteError("E302", f"input path does not exist: {', '.join(missing[:5])}"
                           + (f" (and {len(missing) - 5} more)" if len(missing) > 5 else ""),
                           "check the path (a folder or a file)")
    if not paths:
        raise DetenteError("E302", "no input path given", "pass files or folders to analyze")


class SkipLog:
    """The run's skipped inputs, bounded: every skip is counted, but only the first few of each
    (file, code) and at most ``limit`` in all are kept one by one; the rest become one summary line
    per (file, code). A JSON file of a million non-records must not give a million-row table."""

    def __init__(self, per_file: int = 5, limit: int = 500):
        self.per_file, self.limit = per_file, limit
        self.kept: list[SkippedInput] = []
        self.more: dict[tuple[str, str], int] = {}
        self.per_key: dict[tuple[str, str], int] = {}
        self.total = 0

    def append(self, s: SkippedInput) -> None:
        self.total += 1
        key = (_file_of(s.path), s.code)
        n = self.per_key.get(key, 0)
        self.per_key[key] = n + 1
        if n < self.per_file and len(self.kept) < self.limit:
            if len(s.reason) > 500:  # a reason may quote the input
                s = SkippedInput(s.path, s.code, s.reason[:500] + "…")
            self.kept.append(s)
        else:
            self.more[key] = self.more.get(key, 0) + 1

    def extend(self, items: Iterable[SkippedInput]) -> None:
        for s in items:
            self.append(s)

    def __len__(self) -> int:
        return self.total

    def records(self) -> list[SkippedInput]:
        return self.kept + [SkippedInput(path, code, f"... and {n:,} more skipped with {code} "
                                         f"({self.per_key[(path, code)]:,} in all from this file)")
                            for (path, code), n in self.more.items()]


def _file_of(path: str) -> str:
    """The file of a skip's path: JSON/CSV records are ``file#n``, JSONL lines ``file:n``."""
    path = path.split("#")[0]
    head, sep, tail = path.rpartition(":")
    return head if sep and tail.isdigit() else path


class InProcess:
    """``--workers 1``: analyse in this process (the model is loaded here, once).

    With the standard batch function, the parse of the next batch runs in a
    helper thread while this thread finishes the current one (actors, coder)
    and the runner writes it and reads the one after: spaCy spends most of
    its time in compiled code that releases the GIL, so the rest of the
    pipeline hides behind the parse instead of adding to it. Every batch is
    parsed by the same ``nlp.pipe`` call over the same articles as without the
    thread, so the rows are identical; one batch is parsed ahead, so memory
    stays flat. ``DETENTE_PARSE_AHEAD=0`` in the environment (or ``overlap =
    False``) runs the stages one after another, on one core.

    ``DETENTE_PARSE_AHEAD=process`` parses in a child process instead
    (:mod:`.parse_process`): the same ``parse_batch`` calls, the Docs sent back
    as ``DocBin`` bytes, and no GIL shared between the parse and the rest; it
    needs two cores and two batches, else the thread is used.
    """

    overlap = os.environ.get("DETENTE_PARSE_AHEAD", "1") != "0"
    # where the next batch is parsed: "thread" (this process) or "process" (a child process that only
    # parses, see engines/parse_process.py): DETENTE_PARSE_AHEAD=thread|process, else PARSE_IN
    PARSE_IN = "thread"
    parse_in = os.environ.get("DETENTE_PARSE_AHEAD") if os.environ.get("DETENTE_PARSE_AHEAD") in (
        "thread", "process") else PARSE_IN

    def __init__(self, config: Config, fn: BatchFn = analyze_batch):
        self.config, self.fn = config, fn

    def map(self, batches: Iterable[list[Article]]) -> Iterator[list[ArticleResult]]:
        try:
            yield from self._map(batches)
        finally:
            gc.unfreeze()  # see _loaded

    @staticmethod
    def _loaded(res):
        """Once the model, KB and lexicon are loaded, Python's cyclic garbage collector stops
        walking them (``gc.freeze``; undone when the run ends): a full collection, set off by
        the parse's and the coder's allocations, otherwise visits every one of their objects
        again (about 2% of the actors' and coder's CPU, and some of the parse's)."""
        gc.freeze()
        return res

    def _map(self, batches: Iterable[list[Article]]) -> Iterator[list[ArticleResult]]:
        if self.fn is not analyze_batch or not self.overlap:
            res = None
            for batch in batches:
                res = res or self._loaded(resources_for(self.config))  # lazily: a no-op re-run loads no model
                yield self.fn(batch, res)
            return
        if self.parse_in == "process" and default_workers() > 1:
            # a child process pays its own model load (about a second): only worth it for two batches or more
            it = iter(batches)
            head = [b for b in (next(it, None), next(it, None)) if b is not None]
            if len(head) > 1:
                yield from self._parsed_in_child(itertools.chain(head, it))
                return
            batches = head
        yield from self._overlapped(batches)

    def _parsed_in_child(self, batches: Iterable[list[Article]]) -> Iterator[list[ArticleResult]]:
        """The parse in a child process (:mod:`.parse_process`), actors and coder here."""
        from collections import deque

        from ..pipeline import finish_batch
        from .parse_process import ParsePool, docs_from

        pulled: deque = deque()
        loaded: list = []

        def feed() -> Iterator[list[Article]]:
            for batch in batches:
                pulled.append(batch)
                yield batch
                if not loaded:  # the first batch is in the child: load this side's resources meanwhile
                    loaded.append(resources_for(self.config))

        pool = ParsePool(self.config.model)
        try:
            for parsed in pool.map(feed()):
                batch = pulled.popleft()
                if not loaded:
                    loaded.append(resources_for(self.config))
                res = loaded[0]
                docs = docs_from(parsed, res.nlp.vocab)
                yield [d if isinstance(d, ArticleResult) else finish_batch([art], [d], res)[0]
                       for art, d in zip(batch, docs)]
        finally:
            pool.close()

    def start(self) -> None:
        """Load the spaCy model now, in the parse thread, while the runner reads the first batch (called
        when the run meets its first new article, so a no-op re-run loads nothing)."""
        if self.fn is analyze_batch and self.overlap and self.parse_in == "thread":
            self._start_thread()

    def _start_thread(self) -> None:
        if self._loading is None:
            from concurrent.futures import ThreadPoolExecutor

            self._pool = ThreadPoolExecutor(1, thread_name_prefix="detente-parse")
            self._loading = self._pool.submit(pipeline_for, self.config)
            mark("loading")

    _loading = None
    _pool = None

    def _overlapped(self, batches: Iterable[list[Article]]) -> Iterator[list[ArticleResult]]:
        from collections import deque

        from ..pipeline import Resources, finish_batch, parse_batch, pipe_parts

        res = None
        pending: deque = deque()
        self._start_thread()
        pool = self._pool
        # the parse needs only the pipeline: the thread parses the first batch as soon as the model is
        # loaded, while this thread loads the KB and lexicon (and imports the actors and coder)
        nlp_only = []

        def finish(batch, parts) -> list[ArticleResult]:
            # part by part, as each one's parse is done: after the last parse only its
            # last part is left to finish, not the whole batch
            out = [r for part, parsed in parts for r in finish_batch(part, parsed.result(), res)]
            mark("finished", n=len(batch))
            return out

        def parse(part):
            if not nlp_only:  # (in the parse thread, after the model load queued before it)
                nlp_only.append(Resources(self._loading.result(), None, None, self.config.model))
            mark("parse start", n=len(part))
            out = parse_batch(part, nlp_only[0])
            mark("parse end", n=len(part))
            return out

        try:
            for batch in batches:
                # each part of the batch is parsed with the texts nlp.pipe parses it with anyway
                pending.append((batch, [(part, pool.submit(parse, part)) for part in pipe_parts(batch)]))
                if res is None:
                    self._loading.result()  # the model first (the same cached pipeline), then KB and lexicon
                    res = self._loaded(resources_for(self.config))
                    mark("resources loaded")
                if len(pending) > 1:  # the thread already holds the next batch: finish this one
                    yield finish(*pending.popleft())
            while pending:
                yield finish(*pending.popleft())
        finally:
            self.close()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool, self._loading = None, None

    release = close  # (nothing to let go of before the end-of-run update)


class Auto:
    """``--workers 0`` (the CLI default): all cores, but only when there is more than one batch.

    Starting a worker costs a model load (seconds), so a run whose new articles fit in one
    batch is analysed in-process; otherwise the batches go to a pool of all cores.
    """

    def __init__(self, config: Config, fn: BatchFn = analyze_batch):
        self.config, self.fn = config, fn
        self.engine: InProcess | WorkerPool | None = None

    def map(self, batches: Iterable[list[Article]]) -> Iterator[list[ArticleResult]]:
        it = iter(batches)
        head = [b for b in (next(it, None), next(it, None)) if b is not None]
        n = default_workers()
        if len(head) < 2 or n == 1:
            self.engine = InProcess(self.config, self.fn)
        else:
            self.engine = WorkerPool(n, (self.config.model, self.config.user_actors), self.fn)
            # the workers' launch (a second or so: the fork server loads the model) while the next batches are read
            getattr(self.engine, "start", lambda: None)()
        yield from self.engine.map(itertools.chain(head, it))

    def release(self) -> None:
        if self.engine is not None:
            self.engine.release()

    def close(self) -> None:
        if self.engine is not None:
            self.engine.close()


def make_engine(config: Config, fn: BatchFn = analyze_batch):
    """The engine ``config`` asks for: in-process, local worker processes, or Ray actors."""
    if config.engine == "ray":
        from .ray_engine import RayEngine

        return RayEngine(config, fn)
    if config.engine != "local":
        raise DetenteError("E303", f"unknown engine {config.engine!r}", "use --engine local or --engine ray")
    if config.ray_address:
        raise DetenteError("E303", "--address is a Ray cluster address", "add --engine ray")
    if config.workers == 0:
        return Auto(config, fn)
    if config.workers == 1:
        return InProcess(config, fn)
    return WorkerPool(config.workers, (config.model, config.user_actors), fn)


def run_analyze(paths: Sequence[str], config: Config, progress: Progress | None = None,
                batch_fn: BatchFn = analyze_batch) -> RunRecord:
    """Analyse ``paths`` into ``config.store``. Unchanged articles are not re-analysed.

    Reading and writing stay in this process (one writer); ``batch_fn`` (the
    pure :func:`analyze_batch`) runs wherever ``config.engine``/``workers`` say.
    """
    t0 = time.perf_counter()
    mark("run start")
    started = utcnow()
    run_id = new_run_id()
    check_inputs(paths)
    user_files = user_file_records(config.user_actors)  # E302/E304 before any work
    store = Store(config.store, create=True)
    skipped = SkipLog()
    counts = {"read": 0, "stored": 0, "unchanged": 0, "actors": 0, "events": 0, "undated": 0, "estimated": 0}
    n_batch = 0
    warm: list = []
    started_engine: list = []
    sigs: dict = {}  # MinHash signatures of the stored articles, computed as their batches land (see write)

    def write(results: list[ArticleResult]) -> None:
        nonlocal n_batch
        good = [r for r in results if r.skipped is None]
        skipped.extend(r.skipped for r in results if r.skipped is not None)
        if good:
            store.write_batch(
                f"{run_id}-{n_batch:05d}",
                [r.article for r in good],
                [m for r in good for m in r.actors],
                [m for r in good for m in r.events],
            )
            n_batch += 1
            if len(sigs) < PRESIGN_MAX:
                # the end-of-run update needs each new article's MinHash signature (its text's
                # shingles hashed 128 times: about 1 ms an article); computed here, while the next
                # batches are parsed, it is not in series after the last one. Bounded, so memory
                # stays flat on long runs (1 KB a signature); the update computes the rest.
                from ..analysis.stories import signatures_of

                sigs.update(signatures_of(((r.article.content_hash, r.article.text, r.article.masked)
                                           for r in good[:PRESIGN_MAX - len(sigs)]), sigs))
        mark("written", n=len(results))
        counts["stored"] += len(good)
        counts["actors"] += sum(len(r.actors) for r in good)
        counts["events"] += sum(len(r.events) for r in good)

    def batches(current: dict[str, str]) -> Iterator[list[Article]]:
        """New or changed articles in batches of ``config.batch_size``; skips and counts on the way."""
        batch: list[Article] = []
        last_file = None
        for item in read_any(paths, config):  # files, folders and http(s) URLs
            file_key = item.source_path.split("#")[0] if isinstance(item, Article) else item.path.split("#")[0]
            if progress and file_key != last_file:
                progress(1, file_key)
                last_file = file_key
            if isinstance(item, SkippedInput):
                skipped.append(item)
                continue
            counts["read"] += 1
            item = date_article(item, config.published)
            if current.get(item.article_id) == item.content_hash:
                counts["unchanged"] += 1
                continue
            current[item.article_id] = item.content_hash
            if not started_engine:
                started_engine.append(True)  # the run has work: start the engine while the first batch is read
                getattr(engine, "start", lambda: None)()
            batch.append(item)
            counts["undated"] += not item.published
            counts["estimated"] += bool(not item.published and item.published_estimate)
            if len(batch) >= config.batch_size:
                warm_up()
                mark("batch read", n=len(batch))
                yield batch
                batch = []
        if batch:
            warm_up()
            mark("batch read", n=len(batch))
            yield batch

    def warm_up() -> None:
        """There is something to analyse, so the run will update stories and events: import what that
        needs (pandas, datasketch and scipy: about 0.5 s) in a thread now, where it overlaps the parse
        of the first batch (which mostly releases the GIL), instead of after the last batch."""
        if not warm:
            warm.append(threading.Thread(target=_import_update_modules, name="detente-warm-imports", daemon=True))
            warm[0].start()

    with store.writer():
        repaired = store.derived_stale() or ""  # a stale store from an interrupted run: repaired below
        current = _current_hashes(store)
        if current and _last_user_files(store) != user_files:
            current = {}  # other user dictionaries: every article is coded again
        engine = make_engine(config, batch_fn)
        mark("store open")
        try:
            try:
                for results in engine.map(batches(current)):
                    write(results)
            finally:
                # the workers exit while the update below runs (WorkerPool.release): the update does
                # not wait for them; the end of the run does (engine.close, below)
                engine.release()
                for t in warm:
                    t.join()
            mark("batches done")
            crash_point("after-last-batch")
            # Derived tables change only when articles do, but the store, not this run, says whether
            # they match: any run after an interrupted one recomputes them, even when it adds nothing.
            if progress:  # the recompute is part of the run: the bar's last step
                progress(0, "consolidating events and stories")
            if store.derived_stale():
                fingerprint = store.articles_fingerprint()  # the batches the recompute reads (we hold the lock)
                mark("update start")
                with store.disk_errors():
                    n_events = refresh_events(store, run_id, sigs)
                store.mark_derived_fresh(fingerprint, run_id)
                mark("update end")
            else:
                n_events = _count(store, "events")
            if progress:
                progress(1, "done")
            status = "ok" if not skipped else "partial"
            run = RunRecord(
                run_id=run_id, started_at=started, finished_at=utcnow(), detente_version=__version__,
                model=config.model, schema_version=SCHEMA_VERSION, inputs=json.dumps(list(map(str, paths))),
                articles_read=counts["read"], articles_stored=counts["stored"],
                articles_unchanged=counts["unchanged"], articles_skipped=len(skipped),
                actor_mentions=counts["actors"], event_mentions=counts["events"],
                seconds=round(time.perf_counter() - t0, 3), status=status,
                skipped=json.dumps([as_dict(s) for s in skipped.records()], ensure_ascii=False), events=n_events,
                articles_undated=counts["undated"], articles_estimated=counts["estimated"],
                repaired=repaired, user_actors=json.dumps(user_files),
            )
            store.write_run(run)
        finally:
            engine.close()
    mark("run end")
    return run


def _import_update_modules() -> None:
    """Import the modules of the end-of-run update (datasketch imports scipy: about 0.6 s) in a thread,
    while batches are still being parsed, instead of after the last one."""
    try:
        import datasketch  # noqa: F401
        import pandas  # noqa: F401

        from ..analysis import incremental  # noqa: F401
    except ImportError:  # reported where the update needs it
        pass


def refresh_events(store: Store, tag: str, sigs: dict | None = None) -> int:
    """Bring stories (syndication) and the consolidated events up to date with the current mentions.

    Incremental: only the stories and events the run's new or changed articles
    touch are redone (:mod:`detente.analysis.incremental`); a full recompute
    gives the same events and ids.
    """
    from ..analysis.incremental import refresh

    return refresh(store, tag, sigs=sigs)


def _count(store: Store, view: str) -> int:
    con = store.connect()
    try:
        return con.execute(f"SELECT count(*) FROM {view}").fetchone()[0]
    finally:
        con.close()


def user_file_records(user_actors) -> list[dict]:
    """[{path, sha256}] of the run's user actors files, after checking they load
    (a bad file stops the run with E302/E304 before anything is read or stored)."""
    if not user_actors:  # none: the actors package (and spaCy, which it imports) loads later, off the start's path
        return []
    from ..actors.kb import file_record, load_kb, user_paths

    paths = user_paths(user_actors)
    if paths:
        load_kb(paths)
    return [file_record(p) for p in paths]


def _last_user_files(store: Store) -> list[dict]:
    """The user files of the store's latest run ([] for none, or a store without runs)."""
    con = store.connect()
    try:
        cur = con.execute("SELECT * FROM runs ORDER BY finished_at DESC LIMIT 1")
        row = cur.fetchone()  # a tuple, not a DataFrame: pandas is not needed at start-up
        names = [d[0] for d in cur.description]
    except Exception:  # noqa: BLE001 - no runs yet (the view has no files to read)
        return []
    finally:
        con.close()
    if row is None or "user_actors" not in names or not isinstance(row[names.index("user_actors")], str):
        return []
    return json.loads(row[names.index("user_actors")])


def _current_hashes(store: Store) -> dict[str, str]:
    con = store.connect()
    try:
        return dict(con.execute("SELECT article_id, content_hash FROM articles").fetchall())
    finally:
        con.close()
