"""Event coder: who did what to whom, when, how sure, with the evidence.

Public API::

    load_lexicon(user_file=None) -> Lexicon
    code_doc(doc, actors, article_id, article_date, lexicon) -> list[EventMention]
    code_sentence(sent, actors_in_sent, article_id, article_date, lexicon) -> list[EventMention]
    code_text(text, date=None, *, nlp, kb, lexicon) -> dict   # the `detente code` object
    cameo_info(code) -> CameoInfo
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict

from .coder import code_doc, code_sentence
from .lexicon import Lexicon, Pattern, load_lexicon
from .tables import CameoInfo, cameo_info

ACTOR_FIELDS = ("text", "start", "end", "code", "country", "sector", "kb_id", "reason")
EVENT_FIELDS = ("source_actor", "source_country", "target_actor", "target_country", "cameo",
                "cameo_root", "quad_class", "goldstein", "plover", "modality", "hedged",
                "attributed_to", "historical", "event_date", "date_granularity", "confidence",
                "sentence", "start", "end", "trigger", "trigger_start", "trigger_end",
                "source_text", "source_start", "source_end", "target_text", "target_start",
                "target_end", "plover_mode", "plover_context", "date_reason")


def _date(date) -> dt.date | None:
    if date is None or isinstance(date, dt.date):
        return date
    return dt.date.fromisoformat(str(date)[:10])


def code_text(text: str, date=None, *, nlp, kb, lexicon: Lexicon, article_id: str = "input") -> dict:
    """Parse, resolve actors and code one text; the ``detente code`` object minus ``id``.

    ``date`` (a ``datetime.date`` or ``YYYY-MM-DD``) is the article date used to resolve
    relative event dates. Events are sorted by confidence, highest first.
    """
    from ..actors import resolve_doc

    d = _date(date)
    doc = nlp(text)
    actors = resolve_doc(doc, article_id, d, kb)
    events = code_doc(doc, actors, article_id, d, lexicon, kb)
    events = sorted(events, key=lambda e: (-e.confidence, e.start, e.trigger_start))
    return {
        "actors": [{k: getattr(m, k) for k in ACTOR_FIELDS} for m in actors],
        "events": [{k: getattr(e, k) for k in EVENT_FIELDS} for e in events],
    }


def event_record(e) -> dict:
    """All fields of an EventMention as a plain dict."""
    return asdict(e)


__all__ = ["load_lexicon", "Lexicon", "Pattern", "code_doc", "code_sentence", "code_text",
           "cameo_info", "CameoInfo", "EVENT_FIELDS", "ACTOR_FIELDS"]
