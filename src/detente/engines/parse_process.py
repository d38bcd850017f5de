"""The spaCy parse in a child process, its Docs sent back as ``DocBin`` bytes (``DETENTE_PARSE_AHEAD=process``).

With the parse-ahead thread of ``--workers 1``, actors and coder run in the gaps where spaCy
releases the GIL; but much of a spaCy pipeline is Python (the lemmatizer, the attribute ruler's
callbacks, thinc's glue), so the two threads still queue for the GIL. Here the parse runs in one
child process, with nothing else to do, and this process resolves actors and codes events on the
other core. Each batch is parsed by the same :func:`~detente.pipeline.parse_batch` call as in
process, and a ``DocBin`` keeps every token attribute the actor resolver and the coder read (text,
whitespace, tags, lemmas, morphology, heads and arcs, sentence starts, entities), so the rows are
the same. The pool is :class:`~.workers.WorkerPool` with one process: ordered results, at most two
batches in flight, and a crash costs one article, not the run.
"""

from __future__ import annotations

import os
import threading

from ..pipeline import ArticleResult, Resources, parse_batch
from .workers import WorkerPool, start_context, watch_parent


def _init_parser(model: str, parent_pid: int) -> None:
    """Runs once in the parse process: the orphan watchdog, then the spaCy pipeline (no KB, no lexicon)."""
    from ..nlp import load_pipeline

    threading.Thread(target=watch_parent, args=(parent_pid,), daemon=True, name="detente-watchdog").start()
    try:
        load_pipeline(model)
    except Exception:  # noqa: BLE001 - re-raised by the first task, where the parent sees it
        pass


def _portable(e: BaseException) -> BaseException:
    """The parse error itself when it pickles, else one that carries its type and message."""
    import pickle

    try:
        pickle.loads(pickle.dumps(e))
        return e
    except Exception:  # noqa: BLE001
        return RuntimeError(f"{type(e).__name__}: {e}")


def parse_task(batch: list, model: str) -> list:
    """One batch parsed in the child: per article, its Doc as ``DocBin`` bytes, or its parse error."""
    from spacy.tokens import DocBin

    from ..nlp import load_pipeline

    res = Resources(load_pipeline(model), None, None, model)
    out: list = []
    for doc in parse_batch(batch, res):
        if isinstance(doc, BaseException):
            out.append(_portable(doc))
            continue
        db = DocBin(store_user_data=True)
        db.add(doc)
        out.append(db.to_bytes())
    return out


def docs_from(parsed: list, vocab) -> list:
    """The parent's side of :func:`parse_task`: Docs (on ``vocab``), errors, and the E198 result of
    an article whose parse killed the child (from the pool's isolation) as they are."""
    from spacy.tokens import DocBin

    return [next(DocBin().from_bytes(p).get_docs(vocab)) if isinstance(p, bytes) else p for p in parsed]


class ParsePool(WorkerPool):
    """One process that only parses (:func:`parse_task`), in batch order."""

    def __init__(self, model: str):
        super().__init__(1, (model, None))
        self.model = model

    def _executor(self):
        if self._pool is None:
            from concurrent.futures import ProcessPoolExecutor

            self._pool = ProcessPoolExecutor(1, mp_context=start_context(), initializer=_init_parser,
                                             initargs=(self.model, os.getpid()))
        return self._pool

    def _submit(self, batch: list):
        return self._executor().submit(parse_task, batch, self.model)


__all__ = ["ParsePool", "parse_task", "docs_from", "ArticleResult"]
