"""Batch stateless coding: ``detente.code_many(texts, dates=..., n_process=...)``, like spaCy's ``nlp.pipe``.

``detente.code(text)`` parses one text at a time; a loop over thousands of
texts pays spaCy's per-call overhead each time. :func:`code_many` streams the
texts through ``nlp.pipe`` (batched, optionally over several processes) and
yields one result per text, in input order, as a generator, so a caller can
code an unbounded stream in constant memory.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator

from .errors import DetenteError


def _as_date(value, i: int) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError as e:
        raise DetenteError("E303", f"dates[{i}] = {value!r} is not a date", "use YYYY-MM-DD or datetime.date") from e


def code_many(texts: Iterable[str], dates: Iterable | None = None, *, n_process: int = 1, batch_size: int = 32,
              model: str | None = None, as_tuples: bool = False) -> Iterator[dict]:
    """Code many texts; yields ``{"actors": [...], "events": [...]}`` per text, in order.

    ``dates``: one article date per text (``YYYY-MM-DD``, ``datetime.date`` or None), or None for all.
    ``n_process``: spaCy parser processes (``nlp.pipe``); actor resolution and coding run here.
    ``as_tuples=True``: ``texts`` holds ``(text, context)`` pairs and ``(result, context)`` pairs are
    yielded, as in spaCy, so ids travel with their texts.
    """
    from .actors import resolve_doc
    from .coding import ACTOR_FIELDS, EVENT_FIELDS, code_doc
    from .config import Config
    from .pipeline import resources_for

    if n_process < 1 and n_process != -1:
        raise DetenteError("E303", f"n_process={n_process}", "use 1 or more (or -1 for all cores)")
    res = resources_for(Config.from_env(model=model))
    items = iter(texts)
    date_it = iter(dates) if dates is not None else None
    meta: list = []  # (date, context) of texts handed to the parser, in order

    def feed() -> Iterator[str]:
        for i, item in enumerate(items):
            text, ctx = item if as_tuples else (item, None)
            if not isinstance(text, str):
                raise DetenteError("E303", f"texts[{i}] is a {type(text).__name__}, not a string")
            d = None
            if date_it is not None:
                try:
                    d = _as_date(next(date_it), i)
                except StopIteration:
                    raise DetenteError("E303", f"dates has fewer items than texts (none for texts[{i}])") from None
            meta.append((d, ctx))
            yield text

    for i, doc in enumerate(res.nlp.pipe(feed(), batch_size=batch_size, n_process=n_process)):
        d, ctx = meta[i]
        meta[i] = None  # keep memory flat on long streams
        actors = resolve_doc(doc, f"text-{i}", d, res.kb)
        events = sorted(code_doc(doc, actors, f"text-{i}", d, res.lexicon, res.kb),
                        key=lambda e: (-e.confidence, e.start, e.trigger_start))
        out = {"actors": [{k: getattr(m, k) for k in ACTOR_FIELDS} for m in actors],
               "events": [{k: getattr(e, k) for k in EVENT_FIELDS} for e in events]}
        yield (out, ctx) if as_tuples else out
