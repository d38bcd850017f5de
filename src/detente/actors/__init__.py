"""Actors: knowledge base, resolution rules, lookup and PETRARCH dictionary import.

Layers, each importing only the ones before it (checked by tests/test_layers.py):

* ``kb/``: the data model, token keys, loaders, the place gazetteer, posts on a date;
* ``doc/``: facts about one parsed Doc (matches, syntax, places) and the
  :class:`~.doc.context.Context` the rules share;
* ``rules/``: the resolution rules, each registered with ``@rule(name, after=...)``;
* :mod:`.resolve`: runs the rules in their declared order.

Public API (used by the pipeline, the event coder and the CLI):

* ``load_kb(user_file=None) -> KB`` (cached per process) and ``KB``;
  ``kb.code_for_country_phrase("North Korean") -> "PRK"`` for compounds the coder
  splits itself ("Russia-North Korea", "US-led").
* ``resolve_doc(doc, article_id, article_date, kb, disable=()) -> list[ActorMention]``.
* ``actor_at(doc, token_index, mentions) -> ActorMention | None``.
* ``doc_tokens(doc) -> (list(doc), doc.ents)``, ``doc_text(doc) -> doc.text`` and
  ``doc_column(doc, "pos_") -> [t.pos_ for t in doc]``, read once per Doc for the resolver
  and the coder, ``doc_children(doc)[i]`` and ``children_of(tok)`` (``list(tok.children)``),
  ``conjuncts_of(tok)`` (``tok.conjuncts``), ``sent_of(tok)`` (``tok.sent``),
  ``doc_sents(doc)`` and ``doc_noun_chunks(doc)`` (``list(doc.sents)``,
  ``list(doc.noun_chunks)``; ``doc_noun_chunk_bounds(doc)`` and ``noun_chunk_span(doc,
  k)`` give a chunk's bounds or its span alone), and ``doc_cache(doc)``, a dict kept with
  them.
* ``at_event_date(kb, mention, event_date, granularity, article_date)``: a
  mention re-coded for the event's own date.
* ``locate(doc, token_or_span, kb, date, doc_countries) -> (ISO3, reason) | None``
  and ``PLACE_NOUNS``: the country of a place a token names, for the event coder's
  place-as-target.
* ``lookup(name, date, kb) -> list[dict]``.
* ``import_petrarch(path) -> list[dict]`` and ``write_user_actors(rows, path)``.
"""

from .doc.read import (children_of, conjuncts_of, doc_cache, doc_children, doc_column,
                        doc_noun_chunk_bounds, doc_noun_chunks, doc_sents, doc_text, doc_tokens,
                        noun_chunk_span, sent_of)
from .doc.matching import doc_datelines
from .doc.places import PLACE_NOUNS, locate
from .kb import KB, at_event_date, load_kb
from .lookup import lookup
from .petrarch import import_petrarch, write_user_actors
from .resolve import actor_at, resolve_doc, rule_order

__all__ = ["KB", "PLACE_NOUNS", "load_kb", "resolve_doc", "actor_at", "at_event_date", "locate", "lookup",
           "rule_order", "import_petrarch", "write_user_actors", "doc_tokens",
           "doc_text", "doc_column", "doc_cache", "doc_children", "children_of",
           "doc_noun_chunks", "conjuncts_of", "sent_of", "doc_sents", "doc_datelines",
           "doc_noun_chunk_bounds", "noun_chunk_span"]
