"""DuckDB views over the Parquet store: what users query with SQL.

``article_versions`` is every stored version of each article (a version is one
``article_id`` and ``stored_at``: a compaction that was stopped after its commit
may leave a version in two files until the next writer removes the old one, and
the view shows it once); ``articles`` is the current version of each article;
``actor_mentions`` and ``event_mentions`` (alias ``mentions``) keep only the
rows of current versions, so a superseded or half-written batch is never visible.
``events`` and ``stories`` are the union of their month files (see
:meth:`detente.store.Store.write_partitions`).
"""

from __future__ import annotations

import time
from pathlib import Path

import duckdb


def _src(root: str, table: str) -> str:
    glob = f"{root}/{table}/*.parquet" if root else f"{table}/*.parquet"
    glob = glob.replace("'", "''")
    return f"read_parquet('{glob}', union_by_name = true)"


def _derived(root: str, table: str) -> str:
    """A derived table (events, stories): one file per partition (``events/2015-03/events.parquet``),
    each replaced whole by an atomic rename, so the table is the union of the files that exist.
    The ``**`` glob also takes the table's empty ``_schema.parquet``, so a store with no rows yet
    has the table's columns rather than a 'no files' error."""
    glob = f"{root}/{table}/**/*.parquet" if root else f"{table}/**/*.parquet"
    glob = glob.replace("'", "''")
    return f"SELECT * FROM read_parquet('{glob}', union_by_name = true, hive_partitioning = false)"


def _legacy(root: str, table: str) -> str:
    """A derived table in the layout before partitions: one file per recompute, renamed in before the
    old one is unlinked, so a reader between the two must see only the newest (one ``batch_id`` a file).
    Read until the next ``analyze`` rewrites such a store in partitions."""
    src = _src(root, table)
    return (f"SELECT * FROM {src} WHERE batch_id = "
            f"(SELECT batch_id FROM {src} ORDER BY stored_at DESC, batch_id DESC LIMIT 1)")


def _legacy_layout(root: Path | None, table: str) -> bool:
    return root is not None and any(p.name != "_schema.parquet" for p in (Path(root) / table).glob("*.parquet"))


def views_sql(root: Path | None) -> str:
    """The CREATE VIEW statements; with root None, paths are relative to the store folder.

    With a root, a store whose derived tables are still in the one-file layout of an older
    detente is read in that layout (until ``analyze`` rewrites it by month).
    """
    r = str(root) if root else ""
    derived = {t: (_legacy if _legacy_layout(root, t) else _derived)(r, t) for t in ("events", "stories")}
    return f"""
CREATE OR REPLACE VIEW article_versions AS
  SELECT * EXCLUDE (_rn) FROM (
    SELECT *, row_number() OVER (PARTITION BY article_id, stored_at ORDER BY batch_id DESC) AS _rn
    FROM {_src(r, 'articles')}) WHERE _rn = 1;
CREATE OR REPLACE VIEW articles AS
  SELECT * EXCLUDE (_rn) FROM (
    SELECT *, row_number() OVER (PARTITION BY article_id ORDER BY stored_at DESC, batch_id DESC) AS _rn
    FROM {_src(r, 'articles')}) WHERE _rn = 1;
CREATE OR REPLACE VIEW actor_mentions AS
  SELECT m.* FROM {_src(r, 'actor_mentions')} m
  SEMI JOIN articles a ON m.article_id = a.article_id AND m.batch_id = a.batch_id;
CREATE OR REPLACE VIEW event_mentions AS
  SELECT m.* FROM {_src(r, 'event_mentions')} m
  SEMI JOIN articles a ON m.article_id = a.article_id AND m.batch_id = a.batch_id;
CREATE OR REPLACE VIEW mentions AS SELECT * FROM event_mentions;
CREATE OR REPLACE VIEW events AS {derived['events']};
CREATE OR REPLACE VIEW stories AS {derived['stories']};
CREATE OR REPLACE VIEW runs AS SELECT * FROM {_src(r, 'runs')};
""".strip() + "\n"


def connect(root: Path, retries: int = 5):
    """An in-memory DuckDB connection with the store's views.

    A writer may rename files in while we plan a query; retry briefly on the
    rare 'file vanished' race instead of failing the reader.
    """
    con = duckdb.connect(":memory:")
    last = None
    for _ in range(retries):
        try:
            con.execute(views_sql(Path(root).resolve()))
            return con
        except duckdb.IOException as e:  # pragma: no cover - timing dependent
            last = e
            time.sleep(0.05)
    raise last  # type: ignore[misc]


def query_df(con, sql: str, params: list | None = None, retries: int = 5):
    """Run ``sql`` and return a pandas DataFrame, retrying the writer race like :func:`connect`."""
    last = None
    for _ in range(retries):
        try:
            return con.execute(sql, params or []).df()
        except duckdb.IOException as e:  # pragma: no cover - timing dependent
            last = e
            time.sleep(0.05)
    raise last  # type: ignore[misc]
