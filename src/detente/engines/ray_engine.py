"""The Ray engine: the same ``analyze_batch`` on a pool of Ray actors, one model per actor.

``detente analyze --engine ray [--address auto | ray://HOST:10001]``; needs the
optional extra ``pip install 'detente[ray]'`` (tested with Ray 2.60; the range
pinned in pyproject.toml).

The driver (this process) reads the inputs and writes the store, exactly as
the local runner does; Ray only parses and codes:

- one pool of actors for the whole run, each loading the spaCy pipeline, KB and
  lexicon once (``load_resources``; the model is never shipped) and kept until
  the run ends, on whichever nodes have the CPUs (``ray_cpus_per_actor`` each);
- the batches the runner makes (``--batch-size`` articles each) are streamed to
  the actors: each batch goes, pickled, to the actor with the fewest batches in
  hand, and at most two batches per actor are out at a time (one working, one
  queued), so no actor waits for the driver and the driver holds a bounded
  number of batches however large the corpus; a batch is parsed as one
  ``nlp.pipe`` call, as locally, so rows and event ids are identical to the
  local runner's;
- results come back in any order and are written in batch order;
- an actor whose process dies (out of memory, a lost node) is restarted by Ray
  and its batches are retried on it (``max_restarts`` / ``max_task_retries``);
  a batch that has killed its actor ``TASK_RETRIES`` times stops the run with
  E306 naming the batch's first article (the batches written before it are kept).

Ray Data's actor pools (used here before) start their actors anew for every
Dataset, and a corpus streamed through them needs one Dataset per window of
batches: each window paid a model load per actor and ended waiting for its
slowest batch. Plain actors with a bounded queue avoid both, with less code.

A local Ray starts without the dashboard, with a capped object store (a small
machine's /dev/shm), without forwarding worker logs, and is shut down when the
run ends, so the process (and pytest) exits. A Ray that was already initialised,
or a cluster joined by ``--address``, is left running.
"""

from __future__ import annotations

import importlib.util
import itertools
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

# A batch whose actor dies (out of memory, a lost node) is retried on the restarted actor; after this
# many retries of one batch the run stops (written batches are kept): an article that kills every
# actor it reaches would otherwise make an endless run.
TASK_RETRIES = 3
IN_FLIGHT_PER_ACTOR = 2  # one batch working, one queued behind it
LOCAL_OBJECT_STORE_BYTES = 512 * 1024 * 1024


def require_ray():
    """The ray module, or E305 with the install hint (never an ImportError traceback)."""
    if importlib.util.find_spec("ray") is None:
        raise DetenteError("E305", "the Ray engine needs Ray, which is not installed",
                           "pip install 'detente[ray]'  (or use --engine local)")
    try:
        import ray
    except ImportError as e:
        raise DetenteError("E305", f"Ray is installed but cannot be imported ({e})",
                           "pip install 'detente[ray]'") from e
    return ray


class BatchAnalyzer:
    """The actor class: one loaded model per actor, a pickled batch in, its pickled results out."""

    def __init__(self, res_args: tuple[str, str | None], fn: BatchFn = analyze_batch):
        self.res = load_resources(*res_args)
        self.fn = fn

    def run(self, payload: bytes) -> tuple[bytes, int]:
        return pickle.dumps(self.fn(pickle.loads(payload), self.res), protocol=5), os.getpid()


class RayEngine:
    """Streams batches through a pool of :class:`BatchAnalyzer` actors."""

    def __init__(self, config: Config, fn: BatchFn = analyze_batch):
        self.ray = require_ray()
        self.config, self.fn = config, fn
        self.owns_ray = False
        self.actors: list = []
        self.actor_pids: set[int] = set()  # which actor processes did work (reported in logs, used by tests)

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

    def pool_size(self) -> tuple[int, float]:
        """(actors, CPUs per actor): as many actors as the cluster's CPUs hold (``ray_actors`` caps
        it), at least one. No CPU is held back: the actors are the only Ray work, and the driver's
        reading and writing (a few percent of the CPU) runs outside Ray's accounting."""
        cpus = float(self.ray.cluster_resources().get("CPU", 1))
        per_actor = self.config.ray_cpus_per_actor
        if per_actor > cpus:  # a cluster smaller than one actor's request still gets one actor
            per_actor = cpus
        fit = max(1, int(cpus / per_actor + 1e-9))
        return min(self.config.ray_actors or fit, fit), per_actor

    def _pool(self) -> list:
        if not self.actors:
            size, per_actor = self.pool_size()
            remote = self.ray.remote(max_restarts=-1, max_task_retries=TASK_RETRIES)(BatchAnalyzer)
            args = ((self.config.model, self.config.user_actors), self.fn)
            self.actors = [remote.options(num_cpus=per_actor).remote(*args) for _ in range(size)]
            log.info("ray: %d actors of %g CPU", size, per_actor)
        return self.actors

    def map(self, batches: Iterable[list[Article]]) -> Iterator[list[ArticleResult]]:
        it = iter(batches)
        first = next(it, None)
        if first is None:
            return
        self._start()
        ray, actors = self.ray, self._pool()
        limit = IN_FLIGHT_PER_ACTOR * len(actors)
        load = [0] * len(actors)
        pending: dict = {}  # ObjectRef -> (batch number, actor number, the batch's first article id)
        done: dict[int, list[ArticleResult]] = {}
        queue = itertools.chain([first], it)
        sent = nxt = 0
        exhausted = False
        while True:
            # keep every actor busy, but hold at most `limit` batches (sent or finished out of order)
            while not exhausted and len(pending) + len(done) < limit:
                batch = next(queue, None)
                if batch is None:
                    exhausted = True
                    break
                a = min(range(len(actors)), key=load.__getitem__)
                ref = actors[a].run.remote(pickle.dumps(batch, protocol=5))
                pending[ref] = (sent, a, batch[0].article_id if batch else "")
                load[a] += 1
                sent += 1
            if not pending:
                break
            ready, _ = ray.wait(list(pending), num_returns=1)
            for ref in ready:
                i, a, first_id = pending.pop(ref)
                load[a] -= 1
                try:
                    payload, pid = ray.get(ref)
                except ray.exceptions.RayError as e:
                    why = f"{type(e).__name__}: {(str(e).splitlines() or [''])[0][:300]}"
                    if isinstance(e, ray.exceptions.RayActorError):
                        raise DetenteError(
                            "E306", f"the Ray engine lost batch {i + 1} (first article {first_id}): its "
                            f"actor died {TASK_RETRIES + 1} times ({why})",
                            "the batches before it are stored; run again with --engine local, which "
                            "isolates the article that kills its worker") from None
                    raise DetenteError("E306", f"batch {i + 1} (first article {first_id}) failed in its "
                                       f"Ray actor ({why})", "the batches before it are stored") from None
                done[i] = pickle.loads(payload)
                self.actor_pids.add(int(pid))
            while nxt in done:  # write in batch order, as the local runner does
                yield done.pop(nxt)
                nxt += 1
        log.info("ray: %d batches on %d actor processes", sent, len(self.actor_pids))

    def close(self) -> None:
        for actor in self.actors:
            try:
                self.ray.kill(actor)
            except Exception:  # noqa: BLE001 - an actor already gone
                pass
        self.actors = []
        if self.owns_ray and self.ray.is_initialized():
            self.ray.shutdown()
        self.owns_ray = False

    release = close  # (the actors go before the end-of-run update: nothing else needs them)
