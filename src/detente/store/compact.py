"""Compaction: merge the many small per-batch files of the mention tables into fewer large ones.

Every ``analyze`` batch commits one file per table (``articles``,
``actor_mentions``, ``event_mentions``): a store fed daily ends up with
tens of thousands of small files, and every query then opens them all.
:func:`compact` merges runs of small batch files into files of about
``target_rows`` event mentions, keeping every row (superseded article versions
too) and every id.

How it stays atomic for readers and safe to interrupt: a group of batches is
re-committed as one new batch, exactly as ``analyze`` commits one. The rows of
the current article versions take the new batch's id (``compact-...``; their
``stored_at``, the ingest time, is kept); rows of superseded versions keep
theirs, so they stay superseded. The merged mention files are renamed in first
(invisible: no current article has their batch id yet), then the merged
articles file, the commit marker: from that rename on, the views pick the new
rows (the same ``stored_at``, and a batch id that sorts after the old ones)
and no row is seen twice, since a mention is shown only for its article's
current batch. The old files are removed last, articles first (a mention file
left without its articles file is what a crash mid-batch leaves, and the next
writer removes it). The merged articles file names the batches it replaces in
its Parquet metadata, so a compaction killed before removing them is finished
by the next writer (:meth:`Store.writer`).

Derived tables hold no batch ids, so they stay valid: the incremental state's
record of each article's batch is renamed in the same step, and ``derived.json``
is moved to the new fingerprint if the derived tables were fresh before.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from .parquet import REPLACES_KEY, Store, crash_point, fsync_file, new_run_id

MENTION_TABLES = ("actor_mentions", "event_mentions")
DEFAULT_TARGET_ROWS = 1_000_000


@dataclass
class CompactResult:
    """What one compaction did (file counts are of the three batch tables together)."""

    files_before: int = 0
    files_after: int = 0
    batches_merged: int = 0
    groups: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    derived: str = ""  # what became of the derived tables' record


def _batches(store: Store) -> list[str]:
    return sorted(p.stem for p in (store.path / "articles").glob("*.parquet") if p.name != "_schema.parquet")


def _files(store: Store) -> int:
    return sum(1 for t in (*MENTION_TABLES, "articles") for p in (store.path / t).glob("*.parquet")
               if p.name != "_schema.parquet")


def plan(store: Store, target_rows: int = DEFAULT_TARGET_ROWS) -> list[list[str]]:
    """Groups of committed batches to merge: consecutive small batches (fewer than half of
    ``target_rows`` event mentions) up to about ``target_rows`` event mentions a group.
    A batch already that large stays as it is; a group of one is no merge."""
    groups: list[list[str]] = []
    cur: list[str] = []
    size = 0
    for b in _batches(store):
        f = store.path / "event_mentions" / f"{b}.parquet"
        n = pq.ParquetFile(f).metadata.num_rows if f.is_file() else 0
        if n >= target_rows // 2 or (cur and size + n > target_rows):
            if len(cur) > 1:
                groups.append(cur)
            cur, size = [], 0
            if n >= target_rows // 2:
                continue
        cur.append(b)
        size += n
    if len(cur) > 1:
        groups.append(cur)
    return groups


def compact(store: Store, target_rows: int = DEFAULT_TARGET_ROWS) -> CompactResult:
    """Merge the store's small batch files (see the module docstring). Takes the write lock: E202
    when another process holds it."""
    res = CompactResult()
    with store.writer():  # also finishes a compaction that was interrupted after its commit
        res.files_before = _files(store)
        res.rows = _row_counts(store)
        was_fresh = store.derived_stale() is None
        groups = plan(store, target_rows)
        tag = new_run_id()
        for i, group in enumerate(groups):
            _merge(store, group, f"compact-{tag}-{i:04d}", was_fresh)
            res.batches_merged += len(group)
            res.groups += 1
        res.files_after = _files(store)
        after = _row_counts(store)
        if after != res.rows:  # never expected: the merge copies every row; say so rather than hide it
            raise RuntimeError(f"compaction changed row counts: {res.rows} -> {after}")
        stale = store.derived_stale()
        res.derived = "fresh" if stale is None else f"stale ({stale}): the next analyze recomputes them"
    return res


def _row_counts(store: Store) -> dict[str, int]:
    """Rows of every file of each batch table (all versions), from the Parquet footers."""
    return {t: sum(pq.ParquetFile(p).metadata.num_rows for p in (store.path / t).glob("*.parquet"))
            for t in (*MENTION_TABLES, "articles")}


def _merge(store: Store, group: list[str], new_id: str, was_fresh: bool) -> None:
    current = _current_keys(store, group)
    tmp = store.path / "_tmp" / new_id
    with store.disk_errors():  # (a half-written group's files under _tmp go with the next writer)
        tmp.mkdir(parents=True, exist_ok=True)
        for table in (*MENTION_TABLES, "articles"):  # articles last: the commit marker
            if table == "articles":
                crash_point("compact-mid-group")
            out = tmp / f"{new_id}.parquet"
            _write_merged(store, table, group, new_id, current, out)
            fsync_file(out)
            os.replace(out, store.path / table / f"{new_id}.parquet")
        shutil.rmtree(tmp, ignore_errors=True)
    crash_point("compact-after-commit")
    _relabel_state(store, current, new_id)
    remove_replaced(store, group)
    if was_fresh:  # (killed before this line: stale, and the next analyze's update finds nothing to redo)
        store.mark_derived_fresh(store.articles_fingerprint(), new_id)


def _current_keys(store: Store, group: list[str]) -> pa.Array:
    """``article_id`` + batch of the current version of each article whose current version is in ``group``."""
    con = store.connect()
    try:
        con.register("grp", pa.table({"batch_id": pa.array(group, pa.string())}))
        t = con.sql("SELECT article_id, batch_id FROM articles WHERE batch_id IN (SELECT batch_id FROM grp)"
                    ).to_arrow_table()
    finally:
        con.close()
    return _key(t)


def _key(t: pa.Table) -> pa.Array:
    return pc.binary_join_element_wise(t["article_id"].cast(pa.string()), t["batch_id"].cast(pa.string()), "\x1f")


def _write_merged(store: Store, table: str, group: list[str], new_id: str, current: pa.Array, out: Path) -> None:
    """One file with every row of the group's files, current-version rows relabelled ``new_id``.
    Streamed file by file (memory: one batch file). Columns are the union of the files' columns."""
    files = [store.path / table / f"{b}.parquet" for b in group]
    files = [f for f in files if f.is_file()]
    schema = pa.unify_schemas([pq.read_schema(f).remove_metadata() for f in files]) if files else None
    if schema is None:
        from ..schema import TABLES, arrow_schema

        schema = arrow_schema(TABLES[table])
    meta = {REPLACES_KEY: json.dumps(group)} if table == "articles" else {}
    schema = schema.with_metadata(meta)
    with pq.ParquetWriter(out, schema, compression="zstd") as w:
        for f in files:
            t = pq.read_table(f)
            if t.num_rows:
                is_current = pc.is_in(_key(t), value_set=current)
                batch = pc.if_else(is_current, pa.scalar(new_id, pa.string()), t["batch_id"].cast(pa.string()))
                t = t.set_column(t.schema.get_field_index("batch_id"), "batch_id", batch)
            w.write_table(_conform(t, schema))


def _conform(t: pa.Table, schema: pa.Schema) -> pa.Table:
    """``t`` in ``schema``: columns it lacks (an older file) are nulls."""
    cols = [t[f.name].cast(f.type) if f.name in t.column_names else pa.nulls(t.num_rows, f.type) for f in schema]
    return pa.Table.from_arrays(cols, schema=schema)


def _relabel_state(store: Store, current: pa.Array, new_id: str) -> None:
    from ..analysis.incremental import relabel_batches

    relabel_batches(store, current, new_id)


def remove_replaced(store: Store, group: list[str]) -> None:
    """Remove the files of merged batches: articles files first (then a mention file without one is
    an uncommitted batch's, which the next writer removes in any case)."""
    for table in ("articles", *MENTION_TABLES):
        for b in group:
            (store.path / table / f"{b}.parquet").unlink(missing_ok=True)
