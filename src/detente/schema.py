"""Storage schema, derived from the dataclasses in :mod:`detente.types` in one place.

Each stored table is one dataclass plus two bookkeeping columns written by the
store: ``batch_id`` (the commit unit) and ``stored_at`` (UTC timestamp string).
Bump SCHEMA_VERSION whenever a stored field changes meaning or type; the store
refuses to open data from a newer schema (E201).
"""

from __future__ import annotations

import functools
import types as _pytypes
import typing
from dataclasses import fields
from operator import attrgetter

import pyarrow as pa

from .types import ActorMention, Article, Event, EventMention, RunRecord, Story

SCHEMA_VERSION = 1

# table name -> dataclass
TABLES: dict[str, type] = {
    "articles": Article,
    "actor_mentions": ActorMention,
    "event_mentions": EventMention,
    "events": Event,
    "stories": Story,
    "runs": RunRecord,
}
BOOKKEEPING = [pa.field("batch_id", pa.string(), nullable=False), pa.field("stored_at", pa.string(), nullable=False)]


def _arrow_type(tp) -> pa.DataType:
    """Arrow type for a dataclass field annotation (every column is nullable in Parquet)."""
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (typing.Union, _pytypes.UnionType):
        return _arrow_type(next(a for a in args if a is not type(None)))
    if origin is tuple:
        elem = args[0]
        if typing.get_origin(elem) is tuple:
            return pa.list_(pa.list_(pa.int64()))
        return pa.list_(_arrow_type(elem))
    if origin is typing.Literal:
        return pa.string()
    return {str: pa.string(), int: pa.int64(), float: pa.float64(), bool: pa.bool_()}[tp]


@functools.lru_cache(maxsize=None)
def arrow_schema(cls: type, bookkeeping: bool = True) -> pa.Schema:
    """The Arrow schema of a dataclass's table (cached: a write and an update ask for it per file,
    and resolving the type hints costs more than converting a small batch's rows)."""
    hints = typing.get_type_hints(cls)
    cols = [pa.field(f.name, _arrow_type(hints[f.name])) for f in fields(cls)]
    if bookkeeping:
        cols.extend(BOOKKEEPING)
    return pa.schema(cols)


@functools.lru_cache(maxsize=None)
def _columns(cls: type) -> tuple[tuple[str, bool], ...]:
    """(name, is a list column) of each field of ``cls``: only list columns hold tuples to convert."""
    schema = arrow_schema(cls, bookkeeping=False)
    return tuple((f.name, pa.types.is_list(f.type)) for f in schema)


def to_table(cls: type, rows: list, batch_id: str, stored_at: str) -> pa.Table:
    """An Arrow table of dataclass instances with the bookkeeping columns filled.

    Column by column, and the tuples of list columns (pyarrow takes lists of lists) converted
    only there: the same table as a row-by-row test of every value, at a third of its cost."""
    cols: dict[str, list] = {}
    for name, is_list in _columns(cls):
        vals = list(map(attrgetter(name), rows))
        if is_list:
            vals = [[list(x) if isinstance(x, tuple) else x for x in v] if isinstance(v, tuple) else v for v in vals]
        cols[name] = vals
    cols["batch_id"] = [batch_id] * len(rows)
    cols["stored_at"] = [stored_at] * len(rows)
    return pa.table(cols, schema=arrow_schema(cls))
