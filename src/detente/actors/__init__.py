"""Actors: knowledge base, resolver, lookup and PETRARCH dictionary import.

Public API (used by the pipeline, the event coder and the CLI):

* ``load_kb(user_file=None) -> KB`` (cached per process) and ``KB``;
  ``kb.code_for_country_phrase("North Korean") -> "PRK"`` for compounds the coder
  splits itself ("Russia-North Korea", "US-led").
* ``resolve_doc(doc, article_id, article_date, kb) -> list[ActorMention]``.
* ``actor_at(doc, token_index, mentions) -> ActorMention | None``.
* ``lookup(name, date, kb) -> list[dict]``.
* ``import_petrarch(path) -> list[dict]`` and ``write_user_actors(rows, path)``.
"""

from .kb import KB, load_kb
from .lookup import lookup
from .petrarch import import_petrarch, write_user_actors
from .resolver import actor_at, resolve_doc

__all__ = ["KB", "load_kb", "resolve_doc", "actor_at", "lookup", "import_petrarch",
           "write_user_actors"]
