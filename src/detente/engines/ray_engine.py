"""The Ray Data engine: the same ``analyze_batch`` on an actor pool, one model per actor.

``detente analyze --engine ray [--address auto | ray://HOST:10001]``; needs the
optional extra ``pip install 'detente[ray]'`` (tested with Ray 2.60; the range
pinned in pyproject.toml).

The driver (this process) reads the inputs and writes the store, exactly as
the local runner does; Ray only parses and codes:

- the batches the runner makes (``--batch-size`` articles each) become the
  rows of a Ray Dataset, one block per batch, so the work is split into many
  blocks and every actor gets some; a batch is parsed as one ``nlp.pipe`` call,
  as locally, so rows and event ids are identical to the local runner's;
- ``map_batches`` runs a callable class on an actor pool: each actor loads the
  spaCy pipeline, KB and lexicon once (``load_resources``), the model is never
  shipped; Articles and results travel pickled in binary columns;
- the input is taken in windows of ``WINDOW_BATCHES`` batches, so the driver's
  memory stays bounded on a large corpus;
- results come back in any order and are written in batch order.

Known Ray pitfalls worked around (see the Ray issue tracker):
- a pool whose actors hold every CPU starves Ray Data's other tasks and hangs
  (ray-project/ray#44687): actors take ``ray_cpus_per_actor`` CPUs each and
  leave at least one CPU free;
- ``concurrency=`` is deprecated for ``compute=ActorPoolStrategy`` since Ray
  2.51: the right one is chosen for the installed version;
- a local Ray starts without the dashboard, with a capped object store (a
  small machine's /dev/shm), without forwarding worker logs, and is shut down
  when the run ends, so the process (and pytest) exits. A Ray that was already
  initialised, or a cluster joined by ``--address``, is left running.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import pickle
from collections.abc import Iterable, Iterator

from ..config import Config
from ..errors import DetenteError
from ..pipeline import ArticleResult, analyze_batch, load_resources
from ..types import Article
from .workers import BatchFn

log = logging.getLogger(__name__)

# A batch whose actor dies (out of memory, a lost node) is retried on a restarted actor; Ray Data's
# default for actor pools is to retry without end, which an article that kills every actor would make
# an endless run: after this many retries the run stops with Ray's error (written batches are kept).
TASK_RETRIES = 3
WINDOW_BATCHES = 256  # batches per Ray Dataset (256 x 32 articles: a few tens of MB in the driver)
LOCAL_OBJECT_STORE_BYTES = 512 * 1024 * 1024


def require_ray():
    """The ray module, or E305 with the install hint (never an ImportError traceback)."""
    if importlib.util.find_spec("ray") is None:
        raise DetenteError("E305", "the Ray engine needs Ray, which is not installed",
                           "pip install 'detente[ray]'  (or use --engine local)")
    try:
        import ray
        import ray.data  # noqa: F401 - ray without the [data] extra lacks its dependencies
    except ImportError as e:
        raise DetenteError("E305", f"Ray is installed but Ray Data cannot be imported ({e})",
                           "pip install 'detente[ray]'") from e
    return ray


class BatchAnalyzer:
    """The callable class of the actor pool: one loaded model per actor."""

    def __init__(self, res_args: tuple[str, str | None], fn: BatchFn = analyze_batch):
        self.res = load_resources(*res_args)
        self.fn = fn

    def __call__(self, rows: dict) -> dict:
        import numpy as np

        out = [pickle.dumps(self.fn(pickle.loads(b), self.res), protocol=5) for b in rows["batch"]]
        return {"i": np.asarray(rows["i"]), "results": np.array(out, dtype=object),
                "pid": np.full(len(out), os.getpid())}


class RayEngine:
    """Maps batches through :class:`BatchAnalyzer` on Ray Data."""

    def __init__(self, config: Config, fn: BatchFn = analyze_batch):
        self.ray = require_ray()
        self.config, self.fn = config, fn
        self.owns_ray = False
        self.actor_pids: set[int] = set()  # which actors did work (reported in logs, used by tests)

    def _start(self) -> None:
        ray = self.ray
        if ray.is_initialized():
            return
        opts = {"log_to_driver": False, "configure_logging": False}
        address = self.config.ray_address
        if address:  # an existing cluster: "auto" (this node is part of it) or ray://HOST:10001 (Ray Client)
            ray.init(address=address, **opts)
        else:
            ray.init(num_cpus=self.config.ray_cpus or None, include_dashboard=False,
                     object_store_memory=LOCAL_OBJECT_STORE_BYTES, **opts)
        self.owns_ray = True
        ctx = ray.data.DataContext.get_current()
        ctx.enable_progress_bars = False
        if hasattr(ctx, "max_consecutive_actor_init_deaths"):
            # An actor replaced while it starts (a restart after a crash, the pool rescaling on a busy
            # cluster) counts as an init death; Ray Data's default budget of 0 fails the whole run on one.
            ctx.max_consecutive_actor_init_deaths = max(ctx.max_consecutive_actor_init_deaths, TASK_RETRIES)

    def _pool_args(self) -> dict:
        cpus = int(self.ray.cluster_resources().get("CPU", 1))
        per_actor = self.config.ray_cpus_per_actor
        # Leave at least one CPU for the driver and Ray Data's own tasks (ray-project/ray#44687).
        fit = max(1, int((cpus - 1) / per_actor)) if cpus > 1 else 1
        size = min(self.config.ray_actors or fit, fit)
        version = tuple(int(x) for x in self.ray.__version__.split(".")[:2])
        if version >= (2, 51):
            pool = {"compute": self.ray.data.ActorPoolStrategy(size=size)}
        else:
            pool = {"concurrency": size}
        return {**pool, "num_cpus": per_actor if cpus > 1 else min(per_actor, 0.5)}

    def map(self, batches: Iterable[list[Article]]) -> Iterator[list[ArticleResult]]:
        window: list[list[Article]] = []
        for batch in batches:
            window.append(batch)
            if len(window) >= WINDOW_BATCHES:
                yield from self._run_window(window)
                window = []
        if window:
            yield from self._run_window(window)

    def _run_window(self, window: list[list[Article]]) -> Iterator[list[ArticleResult]]:
        self._start()
        ray = self.ray
        items = [{"i": i, "batch": pickle.dumps(b, protocol=5)} for i, b in enumerate(window)]
        ds = ray.data.from_items(items, override_num_blocks=len(items))
        ds = ds.map_batches(BatchAnalyzer, fn_constructor_kwargs={
            "res_args": (self.config.model, self.config.user_actors), "fn": self.fn},
            batch_size=1, batch_format="numpy", max_task_retries=TASK_RETRIES, **self._pool_args())
        done: dict[int, list[ArticleResult]] = {}
        nxt = 0
        for rows in ds.iter_batches(batch_size=None, batch_format="numpy"):
            for i, payload, pid in zip(rows["i"], rows["results"], rows["pid"]):
                done[int(i)] = pickle.loads(payload)
                self.actor_pids.add(int(pid))
            while nxt in done:  # write in batch order, as the local runner does
                yield done.pop(nxt)
                nxt += 1
        if nxt != len(window):  # pragma: no cover - Ray lost rows without raising
            raise DetenteError("E306", f"the Ray engine returned {nxt} of {len(window)} batches",
                               "re-run: batches already stored are kept and skipped")
        log.info("ray: %d batches on %d actors", len(window), len(self.actor_pids))

    def close(self) -> None:
        if self.owns_ray and self.ray.is_initialized():
            self.ray.shutdown()
        self.owns_ray = False
