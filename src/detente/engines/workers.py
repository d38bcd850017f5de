"""Local worker processes: batches of Articles through ``analyze_batch`` in a process pool.

The parent reads the inputs and writes the store (one writer); workers only
parse and code. The spaCy pipeline, KB and lexicon are loaded once, in
multiprocessing's fork server, before it forks the workers
(:mod:`.forkserver_preload`), so each worker starts with them; its initializer's
:func:`detente.pipeline.load_resources` (cached per process) is then a cache hit,
or loads them itself where the fork server could not (spawn, another model).
The model is never pickled. Tasks carry Articles and small
arguments; results come back as the frozen dataclasses.

- Processes start with ``forkserver`` (``spawn`` where it is missing), never
  ``fork``: forking a parent that holds threads (DuckDB, the progress bar)
  can deadlock.
- At most ``2 * workers`` batches are in flight, so memory stays flat however
  large the corpus is; results are yielded in submission order, so batch ids
  and rows are the same as with ``--workers 1``.
- With the standard batch function a batch goes out as the parts its parse makes
  anyway (:func:`detente.pipeline.pipe_parts`, 16 texts), joined again before it is
  yielded: at the end of a run one worker then waits for the other's last part,
  not its last batch (with 11 batches on two workers, one worker's sixth batch).
  The last batch goes out in parts of ``TAIL_PART`` texts (a batch is read ahead, so
  the last is known), so the workers end within a few texts of each other.
- A worker that dies (segfault, OOM kill) breaks the pool. Batches already
  returned are kept; the lost batches are re-run one article per task in a
  fresh pool, and an article that kills its worker again is reported as E198
  instead of sinking the run.
- Workers exit on their own when the parent is SIGKILLed (a watchdog thread
  polls the parent pid), so a killed ``analyze`` leaves no orphans behind.
"""

from __future__ import annotations

import gc
import json
import logging
import multiprocessing as mp
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from ..errors import DetenteError
from ..pipeline import PIPE_BATCH, ArticleResult, analyze_batch, finish_batch, load_resources, parse_batch, \
    pipe_parts
from ..types import Article, SkippedInput
from .timeline import mark

log = logging.getLogger(__name__)
TAIL_PART = 4  # texts per part of the run's last batch (the others go out in parts of PIPE_BATCH)

BatchFn = Callable[[list[Article], object], list[ArticleResult]]
ResourceArgs = tuple[str, str | None]  # (model, user actors file): what load_resources needs


def default_workers() -> int:
    """All the cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def watch_parent(parent_pid: int, interval: float = 1.0) -> None:
    while True:
        time.sleep(interval)
        try:
            os.kill(parent_pid, 0)
        except ProcessLookupError:
            os._exit(0)
        except PermissionError:  # pragma: no cover - pid reused by another user's process
            os._exit(0)


def _init_worker(res_args: ResourceArgs, parent_pid: int) -> None:
    """Runs once per worker process: start the orphan watchdog, load the resources."""
    threading.Thread(target=watch_parent, args=(parent_pid,), daemon=True, name="detente-watchdog").start()
    try:
        load_resources(*res_args)
        # (preloaded: the fork server had loaded them, see forkserver_preload, and this call was a cache hit)
        mark("worker loaded", preloaded=load_resources.cache_info().hits > 0)
        gc.freeze()  # the collector stops walking the loaded model, KB and lexicon (as in local.InProcess)
    except Exception:  # noqa: BLE001 - a failing initializer breaks the pool; the first task
        pass  # re-raises the same error (E301 model missing, E304 bad actors file) to the parent


def _run_task(fn: BatchFn, batch: list[Article], res_args: ResourceArgs) -> list[ArticleResult]:
    mark("task start", n=len(batch))
    res = load_resources(*res_args)
    if fn is analyze_batch:  # the same two halves, with a mark between them: the parse's CPU apart from the rest
        parsed = parse_batch(batch, res)
        mark("task parsed", n=len(batch))
        out = finish_batch(batch, parsed, res)
    else:
        out = fn(batch, res)
    mark("task end", n=len(batch))
    return out


# Imported once by multiprocessing's fork server before it forks any worker, so that each worker
# starts with spaCy, thinc and detente's modules in memory (shared, copy-on-write) and only loads
# the model: the imports (about 0.5 s of CPU) are paid once, not once per worker. "__main__" first
# keeps the fork server's own default (a script's main module, for the spawn-like semantics).
# The last one loads the run's model, KB and lexicon in the fork server (see forkserver_preload).
FORKSERVER_PRELOAD = ["__main__", "detente.engines.workers", "detente.nlp", "detente.actors", "detente.coding",
                      "detente.engines.forkserver_preload"]


def start_context(res_args: ResourceArgs | None = None):
    """The start method's context; with ``res_args``, the fork server is started now, loading those
    resources, so that the workers forked from it need not load them (no effect once it runs: it is
    started once per process, and a worker of another model loads its own)."""
    methods = mp.get_all_start_methods()
    if "forkserver" not in methods:
        return mp.get_context("spawn")
    ctx = mp.get_context("forkserver")
    ctx.set_forkserver_preload(FORKSERVER_PRELOAD)  # no effect once the fork server runs (it is started once)
    if res_args is not None:
        from multiprocessing import forkserver

        from .forkserver_preload import RESOURCES_VAR

        old = os.environ.get(RESOURCES_VAR)
        os.environ[RESOURCES_VAR] = json.dumps(list(res_args))  # the fork server's environment is this one's
        try:
            forkserver.ensure_running()
        finally:
            if old is None:
                os.environ.pop(RESOURCES_VAR, None)
            else:
                os.environ[RESOURCES_VAR] = old
    return ctx


def _crashed(art: Article) -> ArticleResult:
    return ArticleResult(art, skipped=SkippedInput(
        art.source_path, "E198", "the worker process analysing this article died (crash or out of memory)"))


class WorkerPool:
    """A process pool that maps batches through ``fn`` (default :func:`analyze_batch`)."""

    def __init__(self, workers: int, res_args: ResourceArgs, fn: BatchFn = analyze_batch):
        self.workers = max(1, workers)
        self.res_args = res_args
        self.fn = fn
        self._pool: ProcessPoolExecutor | None = None
        self._releasing: list[threading.Thread] = []  # shutdowns started by release(), joined by close()
        self._starting: threading.Thread | None = None  # start()'s launch of the workers, while it runs
        self._start_error: BaseException | None = None

    def _executor(self) -> ProcessPoolExecutor:
        self._join_start()
        if self._pool is None:  # started lazily: a no-op re-run starts no process
            self._pool = self._new_executor()
        return self._pool

    def _new_executor(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(self.workers, mp_context=start_context(self.res_args), initializer=_init_worker,
                                   initargs=(self.res_args, os.getpid()))

    def start(self) -> None:
        """Start the workers now (forked from the fork server, which loads the model first), before the first batch is
        ready: the parent calls this when it meets the run's first new article, so that the workers'
        start overlaps the reading of the first batches instead of following it.

        The launch runs in a thread: submitting a task to a pool that is still short of workers forks
        one, and the fork server answers only once it has loaded the model (about a second). Meanwhile
        this thread goes on reading the first batches (and the update's imports run): :meth:`map`
        holds the batches it reads until the launch is over, so that none of this parent work is left
        to compete with the workers for the cores once they parse."""
        if self._pool is None and self._starting is None:
            pool = self._pool = self._new_executor()  # no process yet (the fork server is launched, not waited for)

            def launch() -> None:
                try:
                    for _ in range(self.workers):  # a process is started per submitted task, up to `workers`
                        pool.submit(_run_task, self.fn, [], self.res_args)
                except BrokenProcessPool:  # reported by the first real batch
                    pass
                except BaseException as e:  # noqa: BLE001 - raised again where the pool is next used
                    self._start_error = e

            self._starting = threading.Thread(target=launch, name="detente-pool-start", daemon=True)
            self._starting.start()

    def _launching(self) -> bool:
        return self._starting is not None and self._starting.is_alive()

    def _join_start(self, reraise: bool = True) -> None:
        """Wait for :meth:`start`'s launch to be over; raise what it raised (unless closing)."""
        if self._starting is not None:
            self._starting.join()
            self._starting = None
            err, self._start_error = self._start_error, None
            if err is not None and reraise:
                raise err

    def _restart(self) -> None:
        self._join_start(reraise=False)
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
        self._pool = None

    def release(self) -> None:
        """Let the workers go without waiting for them to exit: the shutdown (sending each worker
        its stop signal, joining the processes: about 0.05-0.1 s of wall time at the end of a run,
        nearly no CPU) runs in a thread, so that the end-of-run update need not wait for it;
        :meth:`close` joins it. The executor's own ``shutdown(wait=False)`` cannot be joined later
        (it drops its reference to the thread that joins the processes), hence the thread."""
        self._join_start(reraise=False)
        if self._pool is not None:
            pool, self._pool = self._pool, None
            t = threading.Thread(target=pool.shutdown, kwargs={"wait": True, "cancel_futures": True},
                                 name="detente-pool-shutdown", daemon=True)
            t.start()
            self._releasing.append(t)

    def close(self) -> None:
        """Let the workers go and wait until they have exited (and any shutdown ``release`` began)."""
        self.release()
        while self._releasing:
            self._releasing.pop().join()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def map(self, batches: Iterable[list[Article]]) -> Iterator[list[ArticleResult]]:
        """Results of each batch, in order, with at most ``2 * workers`` batches in flight."""
        inflight: deque[tuple[list[Article], list[Future] | None]] = deque()
        limit = 2 * self.workers
        it = iter(batches)
        ahead = next(it, None)  # one batch read ahead: the last batch is known as the last
        held: list[tuple[list[Article], list[list[Article]]]] = []  # read while start() launches the workers
        while True:
            while ahead is not None and len(inflight) + len(held) < limit:
                batch, ahead = ahead, next(it, None)
                # the last batch goes out in small parts, so that the workers end together
                # instead of one waiting for the other's last part of PIPE_BATCH texts
                size = TAIL_PART if ahead is None and self.workers > 1 else PIPE_BATCH
                parts = pipe_parts(batch, size) if self.fn is analyze_batch else [batch]
                if held or self._launching():  # a submit would wait for the launch: read on meanwhile
                    held.append((batch, parts))
                    continue
                self._push(inflight, batch, parts)
            for batch, parts in held:  # (the first submit waits for the launch to be over)
                self._push(inflight, batch, parts)
            held.clear()
            if not inflight:
                return
            batch, futs = inflight.popleft()
            try:
                if futs is None:
                    raise BrokenProcessPool("pool broke before this batch was submitted")
                results = [r for fut in futs for r in fut.result()]
            except BrokenProcessPool:
                # Everything in flight is lost with the pool: redo it, isolating the culprit.
                lost = [batch] + [b for b, _ in inflight]
                inflight.clear()
                self._restart()
                self._check_workers_start()
                for b in lost:
                    yield self._isolate(b)
                continue
            yield results

    def _push(self, inflight: deque, batch: list[Article], parts: list[list[Article]]) -> None:
        try:
            inflight.append((batch, [self._submit(part) for part in parts]))
        except BrokenProcessPool:  # broke since the last result: redone by map
            inflight.append((batch, None))

    def _check_workers_start(self) -> None:
        """Workers that die before doing anything (e.g. a script without the ``__main__`` guard,
        re-imported by every worker) are a setup error, not a crash of every article."""
        try:
            self._submit([]).result()
        except BrokenProcessPool:
            self._restart()
            raise DetenteError(
                "E307", "worker processes die on start-up",
                "in a script, call detente.analyze(..., workers=N) under `if __name__ == \"__main__\":`; "
                "or use workers=1") from None

    def _submit(self, batch: list[Article]) -> Future:
        return self._executor().submit(_run_task, self.fn, batch, self.res_args)

    def _isolate(self, batch: list[Article]) -> list[ArticleResult]:
        """Re-run a batch one article per task; an article that kills its worker is reported (E198)."""
        log.warning("a worker process died; re-running %d articles one by one", len(batch))
        out: list[ArticleResult] = []
        for art in batch:
            try:
                out.extend(self._submit([art]).result())
            except BrokenProcessPool:
                out.append(_crashed(art))
                self._restart()
        return out
