"""Storage schema, derived from the dataclasses in :mod:`detente.types` in one place.

Each stored table is one dataclass plus two bookkeeping columns written by the
store: ``batch_id`` (the commit unit) and ``stored_at`` (UTC timestamp string).
Bump SCHEMA_VERSION whenever a stored field changes meaning or type; the store
refuses to open data from a newer schema (E201).
"""

from __future__ import annotations

import types as _pytypes
import typing
from dataclasses import fields

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


def arrow_schema(cls: type, bookkeeping: bool = True) -> pa.Schema:
    hints = typing.get_type_hints(cls)
    cols = [pa.field(f.name, _arrow_type(hints[f.name])) for f in fields(cls)]
    if bookkeeping:
        cols.extend(BOOKKEEPING)
    return pa.schema(cols)


def to_table(cls: type, rows: list, batch_id: str, stored_at: str) -> pa.Table:
    """An Arrow table of dataclass instances with the bookkeeping columns filled."""
    schema = arrow_schema(cls)
    cols: dict[str, list] = {f.name: [] for f in fields(cls)}
    for r in rows:
        for name in cols:
            v = getattr(r, name)
            if isinstance(v, tuple):
                v = [list(x) if isinstance(x, tuple) else x for x in v]
            cols[name].append(v)
    cols["batch_id"] = [batch_id] * len(rows)
    cols["stored_at"] = [stored_at] * len(rows)
    return pa.table(cols, schema=schema)
