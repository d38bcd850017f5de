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
      events/<month>/events.parquet    consolidated events, one file per month (see write_partitions)
      stories/<month>/stories.parquet  syndication stories, one file per month of publication
      derived.json              which committed batches events/stories were computed from
      runs/<run>.parquet        one RunRecord per analyze run
      .lock                     held by the one writer

Derived tables (events, stories) and crashes: each commit adds an articles
file, so the sorted list of articles files is a generation counter that moves
atomically with every commit. ``derived.json`` records the fingerprint of that
list the derived tables were computed from; it is written only after every
derived file of an update is renamed in. Any difference (a crash after the last
batch, between two derived files, a full disk, a store from an older detente)
is "stale", and the next ``analyze`` recomputes them, even when it adds nothing.
So is a store whose derived tables are still in the one-file layout of detente
before month partitions.

A store in object storage (``s3://``, ``gs://``; :mod:`.remote`) is this same folder kept as a
local mirror, synced from and published to the bucket through a manifest under a lease; ``Store``
takes the URI and :meth:`Store.writer` does the syncing and publishing.

Compaction (:mod:`.compact`) merges batch files by re-committing a group of
batches as one; its articles file names the batches it replaced, and the
writer's garbage collection finishes removing them after an interrupted one.
"""

from __future__ import annotations

import datetime as dt
import errno
import fcntl
import hashlib
import json
import os
import re
import shutil
import uuid
from contextlib import contextmanager
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from ..version import __version__
from ..errors import DetenteError
from ..schema import SCHEMA_VERSION, TABLES, arrow_schema, to_table
from ..types import ActorMention, Article, EventMention, RunRecord
from .objects import is_remote

META_FILE = "detente-store.json"
DERIVED_STATE = "derived.json"
DERIVED_TABLES = ("stories", "events")
COMMIT_ORDER = ("actor_mentions", "event_mentions", "articles")  # articles last: the commit marker
REPLACES_KEY = "detente.replaces"  # Parquet metadata of a compacted articles file: the batches it merged


def crash_point(name: str) -> None:
    """Test hook: die at once (as a SIGKILL would) when ``DETENTE_TEST_CRASH_AT`` names this point.

    Points: ``mid-batch`` (mention files renamed in, articles file not), ``after-last-batch``
    (every batch committed, derived tables not recomputed), ``between-partitions`` (one month
    file of events renamed in, the others not), ``between-derived`` (events and stories
    renamed in, the state not committed), ``before-derived-state`` (both renamed in, not yet
    recorded); ``compact-mid-group`` (merged mention files in, merged articles file not),
    ``compact-after-commit`` (merged files in, the merged batches' files not yet removed).
    """
    if os.environ.get("DETENTE_TEST_CRASH_AT") == name:
        os._exit(137)


def utcnow() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="microseconds")


def new_run_id() -> str:
    return dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%S%f") + "-" + uuid.uuid4().hex[:6]


class Store:
    """A detente store directory. Opening one only adds missing (empty) tables; writing needs :meth:`writer`."""

    def __init__(self, path: str | os.PathLike, create: bool = False):
        self.uri = str(path)  # what the user named: a folder, or s3://, gs://, file:// (see .remote)
        self.remote = None
        if is_remote(path):
            from .remote import RemoteStore

            self.remote = RemoteStore(str(path))
            path = self.remote.open(create)  # the synced local mirror; E204 if nothing is there
        self.path = Path(path)
        meta_path = self.path / META_FILE
        if not meta_path.exists():
            if not create:
                raise DetenteError("E204", f"no detente store at {self.path}",
                                   "run `detente analyze PATH --store DIR` first")
            self._create_locked()
        try:
            self.meta = json.loads(meta_path.read_text("utf-8"))
        except (OSError, ValueError) as e:
            raise DetenteError("E203", f"{meta_path}: unreadable store metadata: {e}") from e
        version = int(self.meta.get("schema_version", 0))
        if version > SCHEMA_VERSION:
            raise DetenteError("E201", f"store at {self.path} was written by schema v{version}; "
                               f"this detente reads up to v{SCHEMA_VERSION}", "upgrade detente")
        with _disk_errors(self.path):
            self._ensure_tables()

    def _create_locked(self) -> None:
        """Create a new store under the write lock, so two runs started at once on a new store
        cannot both create it: the second is refused with E202 (never E203 or a half-made store)."""
        if _not_empty(self.path):
            raise DetenteError("E203", f"{self.path} exists, is not empty and is not a detente store",
                               "choose an empty or new folder for --store")
        with _disk_errors(self.path):
            self.path.mkdir(parents=True, exist_ok=True)
            fh = open(self.path / ".lock", "a+")
        try:
            _lock_or_e202(fh, self.path)
            if (self.path / META_FILE).exists():  # created by a run that held the lock before us
                return
            if _not_empty(self.path):
                raise DetenteError("E203", f"{self.path} exists, is not empty and is not a detente store",
                                   "choose an empty or new folder for --store")
            with _disk_errors(self.path):
                self._ensure_tables()
                self._create()  # the metadata file last: a store exists once it is complete
        finally:
            fh.close()  # closing releases the lock

    def _ensure_tables(self) -> None:
        """Every table has a folder and an empty schema file, so views work before its first rows."""
        for table, cls in TABLES.items():
            d = self.path / table
            if not (d / "_schema.parquet").exists():
                try:
                    d.mkdir(exist_ok=True)
                    tmp = d / f"_schema.parquet.{os.getpid()}.tmp"  # per process: readers may add it too
                    # from_batches, not Schema.empty_table(), which imports pandas (0.15 s of start-up)
                    pq.write_table(pa.Table.from_batches([], schema=arrow_schema(cls)), tmp)
                    os.replace(tmp, d / "_schema.parquet")
                except OSError as e:
                    if _disk_full(e):
                        raise
                    raise DetenteError("E203", f"{d}: cannot add table folder: {e}") from e

    def _create(self) -> None:
        self.path.mkdir(parents=True, exist_ok=True)
        from .catalog import views_sql

        _atomic_write_text(self.path / "views.sql", views_sql(None))
        meta = {"schema_version": SCHEMA_VERSION, "created": utcnow(), "created_by": f"detente {__version__}"}
        _atomic_write_text(self.path / META_FILE, json.dumps(meta, indent=2))

    # -- writing -------------------------------------------------------------
    @contextmanager
    def writer(self):
        """Hold the store's write lock; a second writer is refused (E202) rather than corrupting it.

        A remote store (:mod:`.remote`) takes its lease, syncs its mirror, writes the mirror under
        the folder lock and publishes the mirror's changes as the next manifest on the way out."""
        if self.remote is None:
            with self._local_writer():
                yield self
            return
        with self.remote.writing(self._reopen):
            with self._local_writer():
                yield self

    def _reopen(self) -> None:
        """After a remote store's mirror was synced: re-read its metadata (or create a new store's)."""
        if not (self.path / META_FILE).exists():
            with _disk_errors(self.path):
                self._ensure_tables()
                self._create()
        self.meta = json.loads((self.path / META_FILE).read_text("utf-8"))
        version = int(self.meta.get("schema_version", 0))
        if version > SCHEMA_VERSION:
            raise DetenteError("E201", f"store at {self.uri} was written by schema v{version}; "
                               f"this detente reads up to v{SCHEMA_VERSION}", "upgrade detente")
        with _disk_errors(self.path):
            self._ensure_tables()

    @contextmanager
    def _local_writer(self):
        lock_path = self.path / ".lock"
        with _disk_errors(self.path):
            fh = open(lock_path, "a+")
        try:
            _lock_or_e202(fh, self.path)
        except BaseException:
            fh.close()
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
        """Remove what an interrupted run left: temp files, uncommitted batch files, and the files
        of batches a compaction merged but was stopped before removing (see :mod:`.compact`)."""
        shutil.rmtree(self.path / "_tmp", ignore_errors=True)
        for p in sorted((self.path / "articles").glob("compact-*.parquet")):
            try:
                replaced = json.loads((pq.read_schema(p).metadata or {}).get(REPLACES_KEY.encode(), b"[]"))
            except (OSError, ValueError, pa.ArrowInvalid):
                continue  # unreadable: left alone, never a reason to delete data
            for table in ("articles", "actor_mentions", "event_mentions"):  # articles first, as compact does
                for b in replaced:
                    if isinstance(b, str) and b != p.stem:
                        (self.path / table / f"{b}.parquet").unlink(missing_ok=True)
        committed = {p.stem for p in (self.path / "articles").glob("*.parquet")}
        for table in ("actor_mentions", "event_mentions"):
            for p in (self.path / table).glob("*.parquet"):
                if p.name != "_schema.parquet" and p.stem not in committed:
                    p.unlink(missing_ok=True)

    def write_batch(self, batch_id: str, articles: list[Article], actor_mentions: list[ActorMention],
                    event_mentions: list[EventMention]) -> None:
        """Commit one batch: mentions first, the articles file (commit marker) last.

        The new articles file also changes :meth:`articles_fingerprint`, so from this commit on
        the derived tables count as stale until :meth:`mark_derived_fresh`.
        """
        stored_at = utcnow()
        rows = {"articles": articles, "actor_mentions": actor_mentions, "event_mentions": event_mentions}
        tmp = self.path / "_tmp" / batch_id
        with _disk_errors(self.path, tmp):
            tmp.mkdir(parents=True, exist_ok=True)
            for table in COMMIT_ORDER:
                if table == "articles":
                    crash_point("mid-batch")
                t = to_table(TABLES[table], rows[table], batch_id, stored_at)
                pq.write_table(t, tmp / f"{batch_id}.parquet", compression="zstd")
                fsync_file(tmp / f"{batch_id}.parquet")
                os.replace(tmp / f"{batch_id}.parquet", self.path / table / f"{batch_id}.parquet")
            shutil.rmtree(tmp, ignore_errors=True)
        if self.remote is not None:
            self.remote.checkpoint()  # an object store: publish the batches so far now and then

    def write_run(self, run: RunRecord) -> None:
        tmp = self.path / "_tmp"
        f = tmp / f"run-{run.run_id}.parquet"
        with _disk_errors(self.path, f):
            tmp.mkdir(exist_ok=True)
            pq.write_table(to_table(RunRecord, [run], run.run_id, utcnow()), f)
            os.replace(f, self.path / "runs" / f"{run.run_id}.parquet")

    def write_partitions(self, table: str, parts: dict[str, pa.Table | list | None], tag: str,
                         complete: bool = False) -> None:
        """Replace some partitions of a derived table (events, stories), each atomically.

        A derived table is one folder per partition (a calendar month, e.g. ``events/2015-03/``,
        or an ``undated-YYYY-MM`` bucket) holding one file, ``<table>.parquet``. ``parts`` maps
        each partition to rewrite to its new rows (dataclass rows, or an Arrow table in the
        table's schema); an empty or None entry removes the partition. Every other partition is
        left as it is, so an update costs what it touches, not the table's size. With
        ``complete`` the given partitions are the whole table: any other partition, and the
        single file of the layout before partitions, is removed.

        Each file is written and fsynced under ``_tmp`` and renamed over the partition's file,
        so a reader sees a partition's old rows or its new ones, never part of either. Callers
        record the result with :meth:`mark_derived_fresh`.
        """
        cls = TABLES[table]
        root = self.path / table
        tmp = self.path / "_tmp"
        batch_id = f"{table}-{tag}"
        stored_at = utcnow()
        written: list[tuple[Path | None, Path]] = []  # (file under _tmp or None to remove, partition file)
        try:
            self._write_parts(cls, parts, tmp, root, table, batch_id, stored_at, tag, written)
            # every file is on disk before any replaces its partition, as before; fsynced together (one
            # fsync after another waits for one journal commit each; issued at once, they share them)
            with _disk_errors(self.path):
                fsync_all([f for f, _ in written if f is not None])
        except BaseException:
            for f, _ in written:  # nothing replaced yet: the partitions keep their old rows
                if f is not None:
                    f.unlink(missing_ok=True)
            raise
        for i, (f, target) in enumerate(written):
            if i == 1 and table == "events":
                crash_point("between-partitions")
            with _disk_errors(self.path, f):
                if f is None:
                    target.unlink(missing_ok=True)
                    _rmdir_if_empty(target.parent)
                    continue
                target.parent.mkdir(exist_ok=True)
                os.replace(f, target)
        if complete:
            with _disk_errors(self.path):
                for d in root.iterdir():
                    if d.is_dir() and d.name not in parts:
                        shutil.rmtree(d, ignore_errors=True)
                for f in self.legacy_derived_files(table):
                    f.unlink(missing_ok=True)
        if table == "stories":
            crash_point("between-derived")

    def _write_parts(self, cls, parts, tmp: Path, root: Path, table: str, batch_id: str, stored_at, tag: str,
                     written: list) -> None:
        """Write each partition's new file under ``_tmp`` (appended to ``written`` as it is made)."""
        for part, rows in sorted(parts.items()):
            if not _PART_NAME.fullmatch(part):
                raise ValueError(f"not a partition name: {part!r}")
            target = root / part / f"{table}.parquet"
            n = 0 if rows is None else (rows.num_rows if isinstance(rows, pa.Table) else len(rows))
            if n == 0:
                written.append((None, target))
                continue
            f = tmp / f"{table}-{part}-{tag}.parquet"
            with _disk_errors(self.path, f):
                tmp.mkdir(exist_ok=True)
                if isinstance(rows, pa.Table):
                    t = _with_bookkeeping(rows, batch_id, stored_at).select(arrow_schema(cls).names)
                    t = t.cast(arrow_schema(cls))
                else:
                    t = to_table(cls, rows, batch_id, stored_at)
                pq.write_table(t, f, compression="zstd")
            written.append((f, target))

    def derived_partitions(self, table: str) -> list[str]:
        """The partitions a derived table has on disk, sorted."""
        root = self.path / table
        return sorted(d.name for d in root.iterdir() if d.is_dir() and (d / f"{table}.parquet").is_file())

    def legacy_derived_files(self, table: str) -> list[Path]:
        """The single-file derived table written by detente before tables were partitioned by month."""
        return sorted(p for p in (self.path / table).glob("*.parquet") if p.name != "_schema.parquet")

    def upgrade_views(self) -> None:
        """Rewrite ``views.sql`` (for the duckdb CLI) after the derived tables left the old layout."""
        from .catalog import views_sql

        with _disk_errors(self.path):
            _atomic_write_text(self.path / "views.sql", views_sql(None))

    def disk_errors(self):
        """A context in which a full disk or an unwritable store becomes E205/E206."""
        return _disk_errors(self.path)

    # -- derived tables: do they match the committed mentions? ----------------
    def articles_fingerprint(self) -> str:
        """A digest of the committed batches (the names of the articles files: one per commit)."""
        names = sorted(p.stem for p in (self.path / "articles").glob("*.parquet") if p.name != "_schema.parquet")
        return f"{len(names)}:" + hashlib.sha1("\n".join(names).encode("utf-8")).hexdigest()

    def derived_stale(self) -> str | None:
        """None when events and stories were computed from exactly the committed batches; else why not."""
        fp = self.articles_fingerprint()
        try:
            state = json.loads((self.path / DERIVED_STATE).read_text("utf-8"))
        except FileNotFoundError:
            if fp.startswith("0:"):
                return None  # nothing committed, nothing to derive
            return "no record that events/stories were computed (an interrupted run, or an older detente)"
        except (OSError, ValueError):
            return f"{DERIVED_STATE} is unreadable"
        if state.get("articles") != fp:
            return "articles were committed after events/stories were last computed (an interrupted run)"
        if any(self.legacy_derived_files(t) for t in DERIVED_TABLES):
            return "events/stories are in the one-file layout of an older detente (now one file per month)"
        return None

    def derived_tag(self) -> str | None:
        """The tag (run or compaction id) of the update that last made the derived tables fresh, as
        ``derived.json`` records it; None without a readable record. The incremental state's parts
        in object storage name the update that wrote them, and are trusted only when it is this one."""
        try:
            tag = json.loads((self.path / DERIVED_STATE).read_text("utf-8")).get("computed_by")
        except (OSError, ValueError, AttributeError):
            return None
        return tag if isinstance(tag, str) else None

    def mark_derived_fresh(self, fingerprint: str, tag: str) -> None:
        """Record that the derived tables now match the batches of ``fingerprint`` (taken before the recompute)."""
        crash_point("before-derived-state")
        with _disk_errors(self.path, self.path / (DERIVED_STATE + ".tmp")):
            _atomic_write_text(self.path / DERIVED_STATE,
                               json.dumps({"articles": fingerprint, "computed_by": tag, "at": utcnow()}), fsync=True)

    # -- reading -------------------------------------------------------------
    def connect(self):
        """A DuckDB connection with the store's views (articles, actor_mentions, event_mentions, ...)."""
        from .catalog import connect

        return connect(self.path)


_PART_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")


def _with_bookkeeping(t: pa.Table, batch_id: str, stored_at: str) -> pa.Table:
    """An Arrow table with its ``batch_id``/``stored_at`` columns set (replaced if present)."""
    for c in ("batch_id", "stored_at"):
        if c in t.column_names:
            t = t.drop_columns([c])
    return t.append_column("batch_id", _repeat(batch_id, len(t))).append_column("stored_at", _repeat(stored_at, len(t)))


def _repeat(value: str, n: int) -> pa.Array:
    """``n`` copies of a string as an Arrow column, built in Arrow (a Python list of 1M strings is slow)."""
    return pa.repeat(pa.scalar(value, pa.string()), n)


def _rmdir_if_empty(d: Path) -> None:
    try:
        d.rmdir()
    except OSError:
        pass


def fsync_all(paths: list[Path]) -> None:
    """:func:`fsync_file` on each path, from a few threads (fsync releases the GIL)."""
    if len(paths) < 2:
        for p in paths:
            fsync_file(p)
        return
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(min(8, len(paths)), thread_name_prefix="detente-fsync") as pool:
        list(pool.map(fsync_file, paths))  # (list: an OSError is raised here, not lost)


def fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _atomic_write_text(path: Path, text: str, fsync: bool = False) -> None:
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, "utf-8")
    if fsync:
        fsync_file(tmp)
    os.replace(tmp, path)


def _not_empty(path: Path) -> bool:
    """A folder holding anything but what creating a store makes (its lock, table folders, views):
    a store whose creation another run has begun, or a crash cut short, is not "someone's folder"."""
    ours = {".lock", "views.sql", "_tmp", *TABLES}
    try:
        return any(p.name not in ours and not p.name.endswith(".tmp") for p in path.iterdir())
    except FileNotFoundError:
        return False
    except NotADirectoryError:
        return True


def _lock_or_e202(fh, path: Path) -> None:
    try:
        fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as e:
        if e.errno in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
            raise DetenteError("E202", f"another detente process (analyze or compact) is writing to {path}",
                               "wait for it to finish, or use another --store") from e
        raise


_DISK_FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}


def _disk_full(e: OSError) -> bool:
    # pyarrow's writers raise OSError without errno; their message carries strerror
    return e.errno in _DISK_FULL or (e.errno is None and any(
        os.strerror(n) in str(e) for n in _DISK_FULL))


@contextmanager
def _disk_errors(store: Path, tmp: Path | None = None):
    """Turn a full disk (or quota, or a read-only store) into a numbered store error, never a traceback.

    Whatever was half-written goes (``tmp``); everything committed before stays readable,
    and a re-run after freeing space completes (the derived tables are then recomputed).
    """
    try:
        yield
    except OSError as e:
        if tmp is not None:
            try:
                shutil.rmtree(tmp) if tmp.is_dir() else tmp.unlink(missing_ok=True)
            except OSError:
                pass
        if _disk_full(e):
            raise DetenteError("E205", f"disk full (or over quota) while writing the store at {store}: {e.strerror}",
                               "free some space and run analyze again: committed articles are kept, "
                               "the rest is redone") from e
        if e.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            raise DetenteError("E206", f"cannot write the store at {store}: {e.strerror} ({e.filename})",
                               "check the folder's permissions, or use another --store") from e
        raise
    except DetenteError:
        raise
    except Exception as e:  # DuckDB (the derived-table state) reports a full disk as its own IOException
        if any(os.strerror(n) in str(e) for n in _DISK_FULL):
            raise DetenteError("E205", f"disk full (or over quota) while writing the store at {store}",
                               "free some space and run analyze again: committed articles are kept, "
                               "the rest is redone") from e
        raise
