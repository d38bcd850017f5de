"""The store of record: a directory of Parquet files, one folder per table.

Why Parquet files plus DuckDB views (and not a single database file):
- no server, and any tool reads it: DuckDB SQL, pandas/pyarrow, R (arrow), Spark;
- readers never block: files only appear by atomic rename, so a dashboard can
  read while ``analyze`` writes, and a crash leaves nothing half-written;
- a commit is a batch: the batch's mention files are renamed into place first
  and its articles file last. The articles file is the commit marker: views only
  show mentions whose (article_id, batch_id) is the current version of an
  article, so an interrupted batch is invisible and is re-done by the next run;
- a changed article is a new version in a later batch; the views pick the
  latest version, so nothing is rewritten in place.

Layout::

    detente-data/
      detente-store.json        schema version, creation time
      views.sql                 the DuckDB views, for the duckdb CLI (run from this folder)
      articles/<batch>.parquet  Article rows (commit marker of each batch)
      actor_mentions/<batch>.parquet
      event_mentions/<batch>.parquet
      events/<...>.parquet      consolidated events
      runs/<run>.parquet        one RunRecord per analyze run
      .lock                     held by the one writer
"""

from __future__ import annotations

import datetime as dt
import errno
import fcntl
import json
import os
import shutil
import uuid
from contextlib import contextmanager
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from .. import __version__
from ..errors import DetenteError
from ..schema import SCHEMA_VERSION, TABLES, arrow_schema, to_table
from ..types import ActorMention, Article, EventMention, RunRecord

META_FILE = "detente-store.json"
COMMIT_ORDER = ("actor_mentions", "event_mentions", "articles")  # articles last: the commit marker


def utcnow() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="microseconds")


def new_run_id() -> str:
    return dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%S%f") + "-" + uuid.uuid4().hex[:6]


class Store:
    """A detente store directory. Opening one only adds missing (empty) tables; writing needs :meth:`writer`."""

    def __init__(self, path: str | os.PathLike, create: bool = False):
        self.path = Path(path)
        meta_path = self.path / META_FILE
        if not meta_path.exists():
            if not create:
                raise DetenteError("E204", f"no detente store at {self.path}",
                                   "run `detente analyze PATH --store DIR` first")
            if self.path.exists() and any(self.path.iterdir()):
                raise DetenteError("E203", f"{self.path} exists, is not empty and is not a detente store",
                                   "choose an empty or new folder for --store")
            self._create()
        try:
            self.meta = json.loads(meta_path.read_text("utf-8"))
        except (OSError, ValueError) as e:
            raise DetenteError("E203", f"{meta_path}: unreadable store metadata: {e}") from e
        version = int(self.meta.get("schema_version", 0))
        if version > SCHEMA_VERSION:
            raise DetenteError("E201", f"store at {self.path} was written by schema v{version}; "
                               f"this detente reads up to v{SCHEMA_VERSION}", "upgrade detente")
        self._ensure_tables()

    def _ensure_tables(self) -> None:
        """Every table has a folder and an empty schema file, so views work before its first rows."""
        for table, cls in TABLES.items():
            d = self.path / table
            if not (d / "_schema.parquet").exists():
                try:
                    d.mkdir(exist_ok=True)
                    tmp = d / "_schema.parquet.tmp"
                    pq.write_table(arrow_schema(cls).empty_table(), tmp)
                    os.replace(tmp, d / "_schema.parquet")
                except OSError as e:
                    raise DetenteError("E203", f"{d}: cannot add table folder: {e}") from e

    def _create(self) -> None:
        self.path.mkdir(parents=True, exist_ok=True)
        meta = {"schema_version": SCHEMA_VERSION, "created": utcnow(), "created_by": f"detente {__version__}"}
        _atomic_write_text(self.path / META_FILE, json.dumps(meta, indent=2))
        from .catalog import views_sql

        _atomic_write_text(self.path / "views.sql", views_sql(None))

    # -- writing -------------------------------------------------------------
    @contextmanager
    def writer(self):
        """Hold the store's write lock; a second writer is refused (E202) rather than corrupting it."""
        lock_path = self.path / ".lock"
        fh = open(lock_path, "a+")
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as e:
            fh.close()
            if e.errno in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                raise DetenteError("E202", f"another analyze run is writing to {self.path}",
                                   "wait for it to finish, or use another --store") from e
            raise
        try:
            fh.seek(0)
            fh.truncate()
            fh.write(f"{os.getpid()}\n")
            fh.flush()
            self._collect_garbage()
            yield self
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)
            fh.close()

    def _collect_garbage(self) -> None:
        """Remove what an interrupted run left: temp files and uncommitted batch files."""
        shutil.rmtree(self.path / "_tmp", ignore_errors=True)
        committed = {p.stem for p in (self.path / "articles").glob("*.parquet")}
        for table in ("actor_mentions", "event_mentions"):
            for p in (self.path / table).glob("*.parquet"):
                if p.name != "_schema.parquet" and p.stem not in committed:
                    p.unlink(missing_ok=True)

    def write_batch(self, batch_id: str, articles: list[Article], actor_mentions: list[ActorMention],
                    event_mentions: list[EventMention]) -> None:
        """Commit one batch: mentions first, the articles file (commit marker) last."""
        stored_at = utcnow()
        rows = {"articles": articles, "actor_mentions": actor_mentions, "event_mentions": event_mentions}
        tmp = self.path / "_tmp" / batch_id
        tmp.mkdir(parents=True, exist_ok=True)
        for table in COMMIT_ORDER:
            t = to_table(TABLES[table], rows[table], batch_id, stored_at)
            pq.write_table(t, tmp / f"{batch_id}.parquet", compression="zstd")
            _fsync(tmp / f"{batch_id}.parquet")
            os.replace(tmp / f"{batch_id}.parquet", self.path / table / f"{batch_id}.parquet")
        shutil.rmtree(tmp, ignore_errors=True)

    def write_run(self, run: RunRecord) -> None:
        tmp = self.path / "_tmp"
        tmp.mkdir(exist_ok=True)
        f = tmp / f"run-{run.run_id}.parquet"
        pq.write_table(to_table(RunRecord, [run], run.run_id, utcnow()), f)
        os.replace(f, self.path / "runs" / f"{run.run_id}.parquet")

    def replace_table(self, table: str, rows: list, tag: str) -> None:
        """Replace a derived table (e.g. consolidated events) by one new file, atomically.

        ``rows`` are dataclass rows, or an Arrow table already in the table's schema
        (incremental updates keep the unchanged rows in Arrow form)."""
        cls = TABLES[table]
        tmp = self.path / "_tmp"
        tmp.mkdir(exist_ok=True)
        name = f"{tag}.parquet"
        t = rows.cast(arrow_schema(cls)) if isinstance(rows, pa.Table) else to_table(cls, rows, tag, utcnow())
        pq.write_table(t, tmp / name, compression="zstd")
        os.replace(tmp / name, self.path / table / name)
        for p in (self.path / table).glob("*.parquet"):
            if p.name not in (name, "_schema.parquet"):
                p.unlink(missing_ok=True)

    # -- reading -------------------------------------------------------------
    def connect(self):
        """A DuckDB connection with the store's views (articles, actor_mentions, event_mentions, ...)."""
        from .catalog import connect

        return connect(self.path)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _atomic_write_text(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, "utf-8")
    os.replace(tmp, path)
