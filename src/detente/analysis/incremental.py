"""Stories and events kept up to date incrementally, in step with the mentions.

After a run that stored ``k`` new or changed articles, :func:`refresh` redoes
only what those articles can change:

- **stories**: the new articles' MinHash signatures are banded as in LSH and
  looked up among the stored bands; only the story groups they touch (and the
  groups of changed articles) are regrouped;
- **events**: only the events whose date windows overlap the new mentions'
  windows, for the same dyad, base code and consolidation period (a calendar
  month, see :mod:`.consolidate`), or that held a mention of a changed
  article, are re-clustered; every other event keeps its row and its id.
  Because an event never leaves its period, the work is bounded by the
  (dyad, code, month) cells the new mentions touch, whatever the store's size.

The clustering itself is :mod:`.consolidate`'s (``prepare``/``clusters``/
``to_event``), and a full recompute is the same code starting from an empty
state, so both give identical events (``tests/test_incremental.py``).

The state this needs (the windows and event of every mention, the LSH bands
and signatures, the article versions it reflects) is kept in a DuckDB file,
``_cache/derived.duckdb``: a single-writer embedded database with
transactions, so a run that dies mid-update rolls it back. It records which
``events``/``stories`` files it matches; any mismatch (a crash between writing
those files and committing the state, a deleted or foreign cache) means a full
recompute, never a wrong increment.

The events half of the state is split by partition (the month an event's file
is in, see ``_event_part``): one table of events and one of their member
mentions per month (``"ev@2025-03"``, ``"mem@2025-03"``), so that an update
reads and rewrites only the months its mentions can reach, never a table the
size of the store. Which months an article's stored mentions are in is kept in
``art_parts``, and which articles files the state has seen in ``files``, so
that finding the new or changed articles reads only the new files. What is
still read whole is per article, not per mention (``arts``, ``stories``,
``sigs``, ``bands``, ``art_parts``): see the README for what that costs.

In object storage (a store whose ``remote`` is set, :mod:`detente.store.remote`) the DuckDB
file stays on the machine that wrote it: a checkpoint rewrites whole row groups (about a third
of its blocks for a 4-article addition), so publishing it meant uploading it whole every run.
What is published instead is the state as write-once Parquet parts under ``_cache/state/``:
the per-month events tables (``ev/<month>``, ``mem/<month>``), the per-article tables split by
the article's month (``arts/<month>``, ``sigs/<month>``, ...), the list of articles files, and
``state.json``, which names the update that wrote them. An update rewrites only the parts it
touched (the remote then uploads only those). Another machine, or a mirror whose DuckDB file
is behind the bucket, rebuilds the DuckDB file from the parts, but only when ``state.json``
names the update that ``derived.json`` says made the derived tables (see
:meth:`Store.derived_tag`): anything else (a run that died between its derived files and its
state) is a full recompute, never a wrong increment.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa

from ..schema import to_table
from ..types import Event
from .consolidate import MENTION_COLUMNS, base_code, clusters, period, prepare, to_event
from .stories import group_near_duplicates, signatures, story_date, story_rows

log = logging.getLogger(__name__)

STATE_FILE = "_cache/derived.duckdb"
# 3: events bounded by their consolidation period; 4: derived tables partitioned by month;
# 5: events state split into one table per month, articles files seen, smaller blocks
STATE_VERSION = "5"
# One pair of tables per month: DuckDB's default 256 KiB block would make each small month
# cost half a megabyte on disk (1,500 months ~ 400 MB); 16 KiB blocks cost ~18 KiB a table.
BLOCK_SIZE = 16384
LEGACY_SIGNATURES = "_cache/minhash.parquet"
_SEP = "\x1f"

_MEMBER_TYPES = {"goldstein": "DOUBLE", "quad_class": "INTEGER", "hedged": "BOOLEAN"}
_MEMBER_COLS = ", ".join(f"{c} {_MEMBER_TYPES.get(c, 'VARCHAR')}" for c in MENTION_COLUMNS)
_DDL = """
CREATE TABLE IF NOT EXISTS st.meta (k VARCHAR, v VARCHAR);
CREATE TABLE IF NOT EXISTS st.arts (article_id VARCHAR, batch_id VARCHAR, outlet VARCHAR, published VARCHAR,
  originally_published_by VARCHAR, first_stored VARCHAR, stored_at VARCHAR);
CREATE TABLE IF NOT EXISTS st.files (name VARCHAR);
CREATE TABLE IF NOT EXISTS st.art_parts (article_id VARCHAR, part VARCHAR);
CREATE TABLE IF NOT EXISTS st.sigs (article_id VARCHAR, content_hash VARCHAR, sig BLOB, dtype VARCHAR);
CREATE TABLE IF NOT EXISTS st.bands (band INTEGER, bkey UBIGINT, article_id VARCHAR);
CREATE TABLE IF NOT EXISTS st.stories (article_id VARCHAR, story_id VARCHAR, is_copy BOOLEAN, similarity DOUBLE,
  reason VARCHAR, story_date VARCHAR, part VARCHAR);
"""


def _ev(part: str) -> str:
    """The state table of one partition's events (event_id, skey, lo, hi, grp)."""
    return 'st."ev@' + part.replace('"', '""') + '"'


def _mem(part: str) -> str:
    """The state table of one partition's member mentions (the event's columns, then the mention's)."""
    return 'st."mem@' + part.replace('"', '""') + '"'


def _create_part(con, part: str) -> None:
    con.execute(f"CREATE TABLE IF NOT EXISTS {_ev(part)} (event_id VARCHAR, skey VARCHAR, lo DATE, hi DATE, "
                "grp VARCHAR)")
    con.execute(f"CREATE TABLE IF NOT EXISTS {_mem(part)} (event_id VARCHAR, skey VARCHAR, lo DATE, hi DATE, "
                f"grp VARCHAR, {_MEMBER_COLS}, outlet VARCHAR, published VARCHAR, first_stored VARCHAR)")


def _state_parts(con) -> set[str]:
    """The partitions that have state tables."""
    return {t[3:] for (t,) in con.execute("SELECT table_name FROM duckdb_tables() WHERE database_name = 'st' "
                                          "AND table_name LIKE 'ev@%'").fetchall()}


def _attach(con, path: Path) -> None:
    """Attach the state file as ``st``, in small blocks (a file of an older detente, in DuckDB's
    default blocks, is replaced by a new one that keeps its MinHash signatures; the rest is rebuilt)."""
    old = path.with_name(path.name + ".old")
    if not path.exists():
        con.execute(f"ATTACH '{_q(path)}' AS st (BLOCK_SIZE {BLOCK_SIZE})")
    else:
        con.execute(f"ATTACH '{_q(path)}' AS st")
    size = con.execute("SELECT block_size FROM pragma_database_size() WHERE database_name = 'st'").fetchall()
    if size and size[0][0] == BLOCK_SIZE:
        old.unlink(missing_ok=True)  # left by a replacement that was interrupted (a cache: let it go)
        Path(str(old) + ".wal").unlink(missing_ok=True)
        return
    con.execute("DETACH st")
    path.replace(old)
    if Path(str(path) + ".wal").exists():
        Path(str(path) + ".wal").replace(Path(str(old) + ".wal"))
    con.execute(f"ATTACH '{_q(path)}' AS st (BLOCK_SIZE {BLOCK_SIZE})")
    con.execute(_DDL)
    con.execute(f"ATTACH '{_q(old)}' AS old_st (READ_ONLY)")
    if con.execute("SELECT count(*) FROM duckdb_tables() WHERE database_name = 'old_st' "
                   "AND table_name = 'sigs'").fetchall()[0][0]:
        con.execute("INSERT INTO st.sigs SELECT article_id, content_hash, sig, dtype FROM old_st.sigs")
    con.execute("DETACH old_st")
    con.execute("CHECKPOINT st")
    old.unlink(missing_ok=True)
    Path(str(old) + ".wal").unlink(missing_ok=True)


def refresh(store, tag: str, threshold: float = 0.8, num_perm: int = 128, full: bool = False,
            sigs: Mapping[str, np.ndarray] | None = None) -> int:
    """Bring the store's ``stories`` and ``events`` tables up to date with its current mentions.

    Called with the store's write lock held. Returns the number of events.
    ``full`` forces a recompute from scratch (what a missing or stale state does).
    ``sigs``: MinHash signatures already computed (:func:`~.stories.signatures_of`, keyed
    by content hash), e.g. by ``analyze`` as its batches landed, so that the update does not
    compute them after the last batch; the others are computed here, as before.
    """
    import duckdb

    path = Path(store.path) / STATE_FILE
    path.parent.mkdir(exist_ok=True)
    con = store.connect()
    try:
        try:
            _attach(con, path)
            con.execute(_DDL)
        except duckdb.Error:  # an unreadable cache is rebuilt, never trusted
            con.execute("DETACH DATABASE IF EXISTS st")
            con.execute("DETACH DATABASE IF EXISTS old_st")
            for p in (path, path.with_name(path.name + ".old")):
                p.unlink(missing_ok=True)
                Path(str(p) + ".wal").unlink(missing_ok=True)
            _attach(con, path)
            con.execute(_DDL)
        parts_dir = Path(store.path) / STATE_PARTS if getattr(store, "remote", None) is not None else None
        in_sync = parts_dir is not None and _reconcile(con, store, parts_dir)
        if parts_dir is not None:
            (parts_dir / STATE_MANIFEST).unlink(missing_ok=True)  # "being updated" until the parts are written
        legacy = any(store.legacy_derived_files(t) for t in ("events", "stories"))
        rebuild = (full or legacy or _meta(con, "fingerprint") != _fingerprint(store)
                   or _meta(con, "version") != STATE_VERSION or _meta(con, "threshold") != f"{threshold}/{num_perm}")
        if rebuild:
            # signatures stay: keyed by content hash, never stale; the rest is dropped, so that a
            # state of an older version (other columns) is remade in this version's shape
            for (t,) in con.execute("SELECT table_name FROM duckdb_tables() WHERE database_name = 'st' "
                                    "AND table_name <> 'sigs'").fetchall():
                con.execute('DROP TABLE st."' + t.replace('"', '""') + '"')
            con.execute(_DDL)
            _seed_signatures(con, store)
        dirty = _Dirty(everything=rebuild or not in_sync)
        export_id = uuid.uuid4().hex
        con.execute("BEGIN TRANSACTION")
        try:
            n = _update(con, store, tag, threshold, num_perm, rebuild, sigs or {}, dirty)
            _set_meta(con, _fingerprint(store), f"{threshold}/{num_perm}", export_id)
            con.execute("COMMIT")
        except BaseException:
            try:
                con.execute("ROLLBACK")
            except duckdb.Error:  # DuckDB already aborted it; the error that did is the one to report
                pass
            raise
        con.execute("CHECKPOINT st")
        if parts_dir is not None:
            _export(con, parts_dir, dirty, {"id": export_id, "tag": tag, "version": STATE_VERSION,
                                            "threshold": f"{threshold}/{num_perm}"})
        return n
    finally:
        con.close()


def _set_meta(con, fingerprint: str, threshold: str, export_id: str) -> None:
    con.execute("DELETE FROM st.meta")
    con.execute("INSERT INTO st.meta VALUES ('version', ?), ('fingerprint', ?), ('threshold', ?), ('export', ?)",
                [STATE_VERSION, fingerprint, threshold, export_id])


def relabel_batches(store, keys: pa.Array, new_batch: str) -> None:
    """Record that the article versions ``keys`` (``article_id`` + US + ``batch_id``) were re-committed
    under ``new_batch`` by a compaction, so that the next update does not take them for changed
    articles. Called with the write lock held. Without a state there is nothing to do; a state that
    cannot be updated is removed (the next update recomputes everything, never a wrong increment).
    In object storage the parts of the relabelled articles' months are written again."""
    import duckdb

    path = Path(store.path) / STATE_FILE
    parts_dir = Path(store.path) / STATE_PARTS if getattr(store, "remote", None) is not None else None
    published = parts_dir is not None and (parts_dir / STATE_MANIFEST).is_file()
    if not len(keys) or not (path.exists() or published):
        return
    con = duckdb.connect()
    try:
        _attach(con, path)
        con.execute(_DDL)
        in_sync = parts_dir is not None and _reconcile(con, store, parts_dir)
        if parts_dir is not None:
            (parts_dir / STATE_MANIFEST).unlink(missing_ok=True)
            if not in_sync and _meta(con, "fingerprint") != _fingerprint(store):
                raise _StaleState()  # behind the bucket, or made here just now: nothing to relabel
        con.register("relabel", pa.table({"k": keys}))
        ids = {a for (a,) in con.execute("SELECT article_id FROM st.arts WHERE article_id || chr(31) || batch_id "
                                         "IN (SELECT k FROM relabel)").fetchall()}
        con.execute("UPDATE st.arts SET batch_id = ? WHERE article_id || chr(31) || batch_id IN "
                    "(SELECT k FROM relabel)", [new_batch])
        # the batches' files change: the next update compares every current article with the state
        con.execute("DELETE FROM st.files")
        export_id = uuid.uuid4().hex
        con.execute("DELETE FROM st.meta WHERE k = 'export'")
        con.execute("INSERT INTO st.meta VALUES ('export', ?)", [export_id])
        con.execute("CHECKPOINT st")
        if parts_dir is not None:
            _export(con, parts_dir, _Dirty(everything=not in_sync, articles=ids),
                    {"id": export_id, "tag": new_batch, "version": _meta(con, "version"),
                     "threshold": _meta(con, "threshold")})
    except (duckdb.Error, _StaleState):
        con.close()
        path.unlink(missing_ok=True)
        Path(str(path) + ".wal").unlink(missing_ok=True)
        return
    con.close()


# -- the state in object storage: write-once Parquet parts -----------------------------------------
STATE_PARTS = "_cache/state"
STATE_MANIFEST = "state.json"
STATE_PARTS_FORMAT = "detente-state-parts/1"
# Per-article tables, published one file per month of their article (see _ART_PART); the events
# tables are per month already (ev/<part>, mem/<part>). Signatures of no article (seeded from an
# older detente's cache) go to sigs/_legacy.
_ARTICLE_TABLES = ("arts", "art_parts", "sigs", "bands", "stories")
# An article's month, from its row in ``arts``: the month it was published, else the month it was
# first stored (a fixed function of the row, so an update knows which parts an article's rows are in)
_ART_PART = ("CASE WHEN regexp_matches(published, '^[0-9]{4}-[0-9]{2}') THEN substr(published, 1, 7) "
             "WHEN regexp_matches(first_stored, '^[0-9]{4}-[0-9]{2}') THEN 'undated-' || substr(first_stored, 1, 7) "
             "ELSE 'undated' END")


class _StaleState(Exception):
    pass


@dataclass
class _Dirty:
    """What an update changed in the state, for writing only those parts again."""
    everything: bool = False
    articles: set = field(default_factory=set)  # articles whose rows in a per-article table changed
    months: set = field(default_factory=set)  # the months those articles were in before the update
    event_parts: set = field(default_factory=set)
    legacy_sigs: bool = False


def _read_parts_manifest(parts_dir: Path) -> dict | None:
    try:
        man = json.loads((parts_dir / STATE_MANIFEST).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return man if isinstance(man, dict) and man.get("format") == STATE_PARTS_FORMAT else None


def _reconcile(con, store, parts_dir: Path) -> bool:
    """Whether the published parts hold the attached state, after rebuilding it from them when they
    are the newer (another machine wrote since, or this mirror has no state file yet). Parts are
    taken only when they name the update the derived tables were made by, and in this version."""
    man = _read_parts_manifest(parts_dir)
    if man is None:
        return False
    if man.get("id") == _meta(con, "export"):
        return True
    if man.get("version") != STATE_VERSION or not man.get("tag") or man.get("tag") != store.derived_tag():
        return False
    _import_parts(con, parts_dir, man, _fingerprint(store))
    return True


def _import_parts(con, parts_dir: Path, man: dict, fingerprint: str) -> None:
    """Replace the attached state by the published parts (the derived files on disk are the ones
    they were written with: checked by the caller through the update's tag)."""
    con.execute("BEGIN TRANSACTION")
    for (t,) in con.execute("SELECT table_name FROM duckdb_tables() WHERE database_name = 'st'").fetchall():
        con.execute('DROP TABLE st."' + t.replace('"', '""') + '"')
    con.execute(_DDL)
    for t in (*_ARTICLE_TABLES, "files"):
        files = sorted((parts_dir / t).glob("*.parquet")) if t != "files" else [
            f for f in [parts_dir / "files.parquet"] if f.is_file()]
        if files:
            listed = ", ".join("'" + _q(f) + "'" for f in files)
            con.execute(f"INSERT INTO st.{t} SELECT * FROM read_parquet([{listed}])")
    for f in sorted((parts_dir / "ev").glob("*.parquet")):
        part = f.stem
        _create_part(con, part)
        con.execute(f"INSERT INTO {_ev(part)} SELECT * FROM read_parquet('{_q(f)}')")
        mem = parts_dir / "mem" / f.name
        if mem.is_file():
            con.execute(f"INSERT INTO {_mem(part)} SELECT * FROM read_parquet('{_q(mem)}')")
    _set_meta(con, fingerprint, man.get("threshold"), man["id"])
    con.execute("COMMIT")
    log.info("incremental state rebuilt from its published parts (%s)", parts_dir)


def _export(con, parts_dir: Path, dirty: _Dirty, man: dict) -> None:
    """Write the parts the update changed (all of them when ``dirty.everything``), then ``state.json``.

    Each part is a new file renamed over the old one, so the remote store, which uploads files whose
    inode or size changed, uploads exactly these. A month left with no rows loses its file."""
    import pyarrow.parquet as pq

    parts_dir.mkdir(parents=True, exist_ok=True)

    def put(rel: str, t: pa.Table) -> None:
        f = parts_dir / rel
        f.parent.mkdir(parents=True, exist_ok=True)
        tmp = f.with_name(f.name + ".tmp")
        pq.write_table(t, tmp, compression="zstd")
        os.replace(tmp, f)

    months = None
    if not dirty.everything:
        months = dirty.months | _months_of(con, dirty.articles)
        _ids(con, "dirty_months", months)
    for t in _ARTICLE_TABLES:
        where = "" if months is None else "WHERE p.part IN (SELECT article_id FROM dirty_months)"
        tab = con.sql(f"SELECT t.*, p.part AS __part FROM st.{t} t JOIN (SELECT article_id, {_ART_PART} AS part "
                      f"FROM st.arts) p USING (article_id) {where}").to_arrow_table().sort_by("__part")
        col = tab["__part"].to_pylist()
        tab = tab.drop_columns(["__part"])
        written, start = set(), 0
        for i in range(1, len(col) + 1):
            if i == len(col) or col[i] != col[start]:
                put(f"{t}/{col[start]}.parquet", tab.slice(start, i - start))
                written.add(col[start])
                start = i
        stale = ({f.stem for f in (parts_dir / t).glob("*.parquet")} - {"_legacy"} if months is None
                 else months) - written
        for m in stale:
            (parts_dir / t / f"{m}.parquet").unlink(missing_ok=True)
    if dirty.everything or dirty.legacy_sigs:
        legacy = con.sql("SELECT * FROM st.sigs WHERE article_id IS NULL").to_arrow_table()
        if legacy.num_rows:
            put("sigs/_legacy.parquet", legacy)
        else:
            (parts_dir / "sigs" / "_legacy.parquet").unlink(missing_ok=True)
    have = _state_parts(con)
    eparts = have if dirty.everything else dirty.event_parts
    for part in sorted(eparts):
        for kind, table in (("ev", _ev), ("mem", _mem)):
            if part in have:
                put(f"{kind}/{part}.parquet", con.sql(f"SELECT * FROM {table(part)}").to_arrow_table())
            else:
                (parts_dir / kind / f"{part}.parquet").unlink(missing_ok=True)
    if dirty.everything:
        for kind in ("ev", "mem"):
            for f in (parts_dir / kind).glob("*.parquet"):
                if f.stem not in have:
                    f.unlink()
    put("files.parquet", con.sql("SELECT * FROM st.files").to_arrow_table())
    tmp = parts_dir / (STATE_MANIFEST + ".tmp")
    tmp.write_text(json.dumps({"format": STATE_PARTS_FORMAT, **man}), "utf-8")
    os.replace(tmp, parts_dir / STATE_MANIFEST)  # last: the parts are complete and name this update


def _months_of(con, ids: Iterable[str]) -> set[str]:
    ids = set(ids)
    if not ids:
        return set()
    _ids(con, "months_of", ids)
    return {m for (m,) in con.execute(f"SELECT DISTINCT {_ART_PART} FROM st.arts "
                                      "WHERE article_id IN (SELECT article_id FROM months_of)").fetchall()}


def _q(p) -> str:
    return str(p).replace("'", "''")


def _meta(con, k: str) -> str | None:
    rows = con.execute("SELECT v FROM st.meta WHERE k = ?", [k]).fetchall()  # (all: no result left open)
    return rows[0][0] if rows else None


def _fingerprint(store) -> str:
    """The derived files the state matches: each partition file's name, inode, size and modification time.

    A partition is rewritten by renaming a new file over it, and the new file exists
    alongside the old one until then, so a rewrite always changes the inode: a crash after
    some files were replaced but before the state committed is seen as a mismatch.
    """
    root = Path(store.path)
    files = sorted(p for t in ("events", "stories") for p in
                   [*root.glob(f"{t}/*/{t}.parquet"), *store.legacy_derived_files(t)])
    listing = []
    for p in files:
        try:
            st = p.stat()
        except FileNotFoundError:
            continue
        listing.append(f"{p.relative_to(root)}:{st.st_ino}:{st.st_size}:{st.st_mtime_ns}")
    return f"{len(listing)}:" + hashlib.sha1("\n".join(listing).encode("utf-8")).hexdigest()


def _seed_signatures(con, store) -> None:
    """Reuse the signature cache of detente versions before this state file (hashing is the costly part)."""
    import pyarrow.parquet as pq

    legacy = Path(store.path) / LEGACY_SIGNATURES
    if not legacy.exists() or con.execute("SELECT count(*) FROM st.sigs").fetchone()[0]:
        return
    try:
        t = pq.read_table(legacy)
        con.register("legacy_sigs", t)
        con.execute("INSERT INTO st.sigs SELECT NULL, content_hash, signature, dtype FROM legacy_sigs")
        con.unregister("legacy_sigs")
        legacy.unlink()
    except (OSError, ValueError, KeyError):
        pass


def _ids(con, name: str, ids: Iterable[str]) -> None:
    con.register(name, pa.table({"article_id": pa.array(sorted(set(ids)), pa.string())}))


def _update(con, store, tag: str, threshold: float, num_perm: int, rebuild: bool,
            sigs: Mapping[str, np.ndarray], dirty: _Dirty) -> int:
    changed, removed, replaced = _changed_articles(con, store, rebuild)
    _ids(con, "chg", changed + removed)
    if not dirty.everything and replaced:  # (an article new to the state was in no month before)
        dirty.months |= _months_of(con, changed + removed)
    dirty.articles |= set(changed) | set(removed)
    con.execute("DELETE FROM st.arts WHERE article_id IN (SELECT article_id FROM chg)")
    con.execute("INSERT INTO st.arts SELECT * FROM cur_arts WHERE article_id IN (SELECT article_id FROM chg)")
    if changed or removed or rebuild:
        touched, story_parts = _update_stories(con, store, changed, removed, replaced, threshold, num_perm, sigs,
                                               dirty)
        dirty.articles |= touched
        store.write_partitions("events", _update_events(con, store, touched, rebuild, dirty), tag, complete=rebuild)
        store.write_partitions("stories", _story_partitions(con, story_parts), tag, complete=rebuild)
        if rebuild:
            store.upgrade_views()
    # (not the connection's ``events`` view: made before the update, it may read the layout this one replaced)
    glob = _q(Path(store.path) / "events" / "**" / "*.parquet")
    return con.execute(f"SELECT count(*) FROM read_parquet('{glob}', union_by_name = true)").fetchone()[0]


_ARTS_COLS = "article_id, batch_id, outlet, published, originally_published_by"


def _changed_articles(con, store, rebuild: bool) -> tuple[list[str], list[str], bool]:
    """The articles whose current version the state does not reflect (new or changed), the
    articles it holds that the store no longer has, and whether the state may hold rows of any of
    them (False when all are new to it); registers ``cur_arts``, the state's rows of the changed
    ones (``st.arts``' columns).

    Commits only add articles files (a batch, or a compaction's merged batch) and a version is
    current by ``(stored_at, batch_id)``, so while every file the state has seen is still there,
    the current version of an article is the newer of the one the state holds and the newest in
    the files added since: only those are read. A file gone (a compaction removed the batches it
    merged, a user deleted one) means comparing every current article with the state, through the
    store's views, as a full recompute does.
    """
    root = Path(store.path) / "articles"
    names = sorted(p.name for p in root.glob("*.parquet") if p.name != "_schema.parquet")
    seen = {n for (n,) in con.execute("SELECT name FROM st.files").fetchall()}
    con.execute("DELETE FROM st.files")
    con.register("cur_files", pa.table({"name": pa.array(names, pa.string())}))
    con.execute("INSERT INTO st.files SELECT name FROM cur_files")
    if not rebuild and seen and seen <= set(names):
        new = [root / n for n in names if n not in seen]
        if not new:
            con.register("cur_arts", con.sql("SELECT * FROM st.arts LIMIT 0").to_arrow_table())
            return [], [], False
        listed = ", ".join("'" + _q(f) + "'" for f in new)
        cur = con.sql(
            f"WITH n AS (SELECT {_ARTS_COLS}, stored_at FROM read_parquet([{listed}], union_by_name = true)), "
            "newest AS (SELECT * FROM n QUALIFY row_number() OVER "
            "(PARTITION BY article_id ORDER BY stored_at DESC, batch_id DESC) = 1), "
            "first AS (SELECT article_id, min(stored_at) AS first_stored FROM n GROUP BY article_id) "
            f"SELECT {', '.join('w.' + c.strip() for c in _ARTS_COLS.split(','))}, "
            "least(f.first_stored, a.first_stored) AS first_stored, w.stored_at, a.article_id IS NOT NULL AS known "
            "FROM newest w JOIN first f USING (article_id) LEFT JOIN st.arts a USING (article_id) "
            "WHERE a.article_id IS NULL OR w.stored_at > a.stored_at "
            "OR (w.stored_at = a.stored_at AND w.batch_id > a.batch_id)").to_arrow_table()
        replaced = any(cur["known"].to_pylist())
        con.register("cur_arts", cur.drop_columns(["known"]))
        return cur["article_id"].to_pylist(), [], replaced
    cur = con.sql(f"SELECT {', '.join('a.' + c.strip() for c in _ARTS_COLS.split(','))}, f.first_stored, "
                  "a.stored_at FROM articles a JOIN (SELECT article_id, min(stored_at) AS first_stored "
                  "FROM article_versions GROUP BY article_id) f USING (article_id)").to_arrow_table()
    con.register("cur_arts", cur)
    changed = [r[0] for r in con.execute(
        "SELECT c.article_id FROM cur_arts c LEFT JOIN st.arts a USING (article_id) "
        "WHERE a.batch_id IS DISTINCT FROM c.batch_id").fetchall()]
    removed = [r[0] for r in con.execute(
        "SELECT article_id FROM st.arts ANTI JOIN cur_arts USING (article_id)").fetchall()]
    return changed, removed, True


# -- partitions --------------------------------------------------------------
# The derived tables are stored one file per calendar month (see Store.write_partitions), so an
# update rewrites the months it touches, not the table. An event never leaves its consolidation
# period (a month, or a longer window: see consolidate.period), so its partition is a function of
# its cell: the period's month (for a longer window, the month it ends in). An undated event goes
# to the bucket of the month its earliest article was first stored. A story can span months (a
# reprint may come years after its original), so stories are not partitioned by story: each
# article's row goes to the month of its article's publication (or, undated, of its first
# storing), which never changes for a version. Regrouping a story then rewrites the months of its
# members, which the update touches anyway.
_MONTH = re.compile(r"\d{4}-\d{2}")


def _undated_part(first_stored: str | None) -> str:
    return f"undated-{first_stored[:7]}" if first_stored and _MONTH.match(first_stored) else "undated"


def _story_part(published: str | None, first_stored: str | None) -> str:
    if isinstance(published, str) and _MONTH.match(published):
        return published[:7]
    return _undated_part(first_stored)


def _event_part(rs: list[dict], first_stored: dict[str, str]) -> str:
    if rs[0]["lo"] is not None:
        p = rs[0]["period"]
        return p if "/" not in p else p.split("/")[1][:7]
    stored = [first_stored[r["article_id"]] for r in rs if first_stored.get(r["article_id"])]
    return _undated_part(min(stored, default=None))


def _story_partitions(con, parts: set[str]) -> dict[str, pa.Table]:
    """The rows of some story partitions, from the state (which holds every story row)."""
    _ids(con, "want_parts", parts)
    t = con.sql("SELECT part, article_id, story_id, is_copy, similarity, reason FROM st.stories "
                "WHERE part IN (SELECT article_id FROM want_parts) ORDER BY part, article_id").to_arrow_table()
    return {p: _rows_of(t, p).drop_columns(["part"]) for p in parts}


def _rows_of(t: pa.Table, part: str) -> pa.Table:
    import pyarrow.compute as pc

    return t.filter(pc.equal(t["part"], part))


# -- stories -----------------------------------------------------------------
def _band_keys(sig: np.ndarray, b: int, r: int) -> list[int]:
    """LSH band keys: band i is the bytes of hash values i*r..(i+1)*r, hashed to 64 bits.

    The same banding as datasketch's MinHashLSH for these (b, r); its index
    lives in memory only, so a store keeps the band keys as a table and looks
    new articles up there instead of re-inserting every article each run.
    """
    raw = np.ascontiguousarray(sig).tobytes()
    width = len(raw) // len(sig) * r
    return [int.from_bytes(hashlib.blake2b(raw[i * width:(i + 1) * width], digest_size=8).digest(), "little")
            for i in range(b)]


def _update_stories(con, store, changed: list[str], removed: list[str], replaced: bool, threshold: float,
                    num_perm: int, given: Mapping[str, np.ndarray], dirty: _Dirty) -> tuple[set[str], set[str]]:
    """Regroup the stories the changed articles touch.

    Returns the articles whose events must be redone, and the story partitions whose rows changed.
    """
    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    b, r = lsh.b, lsh.r
    _ids(con, "chg_only", changed)
    arts = con.execute("SELECT a.article_id, a.content_hash, a.text, a.masked FROM "
                       f"{_current_rows(con, store, 'articles', 'chg_only')} a "
                       "SEMI JOIN chg_only USING (article_id)").df()
    con.register("chg_hashes", pa.table({"content_hash": pa.array(arts["content_hash"].tolist(), pa.string())}))
    known = {}
    # (the hashes first: fetching the blobs means reading the blob column of the whole table, worth it
    # only when a content hash is already known, a file stored again under another name)
    if con.execute("SELECT count(*) FROM st.sigs WHERE content_hash IN "
                   "(SELECT content_hash FROM chg_hashes)").fetchall()[0][0]:
        for h, blob, dtype in con.execute("SELECT DISTINCT ON (content_hash) content_hash, sig, dtype FROM st.sigs "
                                          "WHERE content_hash IN "
                                          "(SELECT content_hash FROM chg_hashes)").fetchall():
            known[h] = np.frombuffer(blob, dtype=np.dtype(dtype))
    sigs = signatures(arts, {**given, **known}, num_perm=num_perm)
    # (an unchanged article may share a content hash with a changed one: an identical file under another name)
    # (skipped when every changed article is new to the state and no content hash is known: a scan less)
    if replaced or known:
        dirty.legacy_sigs = True
        con.execute("DELETE FROM st.sigs WHERE article_id IN (SELECT article_id FROM chg) "
                    "OR (article_id IS NULL AND content_hash IN (SELECT content_hash FROM chg_hashes))")
    if replaced:
        con.execute("DELETE FROM st.bands WHERE article_id IN (SELECT article_id FROM chg)")
    new_sigs = {aid: sigs[h] for aid, h in zip(arts["article_id"].tolist(), arts["content_hash"].tolist())}
    con.register("new_sigs", pa.table({
        "article_id": pa.array(list(new_sigs), pa.string()),
        "content_hash": pa.array(arts["content_hash"].tolist(), pa.string()),
        "sig": pa.array([v.tobytes() for v in new_sigs.values()], pa.binary()),
        "dtype": pa.array([v.dtype.str for v in new_sigs.values()], pa.string())}))
    con.execute("INSERT INTO st.sigs SELECT * FROM new_sigs")
    bands = [(i, k, aid) for aid, v in new_sigs.items() for i, k in enumerate(_band_keys(v, b, r))]
    con.register("new_bands", pa.table({"band": pa.array([x[0] for x in bands], pa.int32()),
                                        "bkey": pa.array([x[1] for x in bands], pa.uint64()),
                                        "article_id": pa.array([x[2] for x in bands], pa.string())}))
    con.execute("INSERT INTO st.bands SELECT * FROM new_bands")

    # Groups touched: those of changed/removed articles, and those of stored articles a new one resembles.
    cand = con.execute("SELECT DISTINCT n.article_id, o.article_id FROM new_bands n JOIN st.bands o "
                       "USING (band, bkey) WHERE o.article_id <> n.article_id").fetchall()
    sig_of = dict(new_sigs)
    sig_of.update(_load_sigs(con, {y for _, y in cand} - set(sig_of)))
    near = {y for x, y in cand if _jaccard(sig_of[x], sig_of[y]) >= threshold}
    _ids(con, "seed", set(changed) | set(removed) | near)
    members = {x for (x,) in con.execute(
        "SELECT article_id FROM st.stories WHERE story_id IN (SELECT story_id FROM st.stories "
        "WHERE article_id IN (SELECT article_id FROM seed))").fetchall()}
    members = (members | set(changed)) - set(removed)

    # Regroup those articles: all their LSH pairs, kept at the similarity threshold (as find_stories).
    _ids(con, "grp_members", members)
    pairs = con.execute("SELECT DISTINCT x.article_id, y.article_id FROM st.bands x JOIN st.bands y "
                        "USING (band, bkey) WHERE x.article_id < y.article_id "
                        "AND x.article_id IN (SELECT article_id FROM grp_members) "
                        "AND y.article_id IN (SELECT article_id FROM grp_members)").fetchall()
    sig_of.update(_load_sigs(con, members - set(sig_of)))
    groups, sims = group_near_duplicates(
        sorted(members), ((x, y, _jaccard(sig_of[x], sig_of[y])) for x, y in pairs), threshold)
    meta = {aid: (o, p, ob, f) for aid, o, p, ob, f in con.execute(
        "SELECT article_id, outlet, published, originally_published_by, first_stored FROM st.arts "
        "WHERE article_id IN (SELECT article_id FROM grp_members)").fetchall()}
    rows = []
    for g in groups:
        date = story_date(g, meta)
        rows.extend((s.article_id, s.story_id, s.is_copy, s.similarity, s.reason, date,
                     _story_part(meta[s.article_id][1], meta[s.article_id][3]))
                    for s in story_rows(g, meta, sims))
    gone = "article_id IN (SELECT article_id FROM grp_members) OR article_id IN (SELECT article_id FROM chg)"
    parts = {p for (p,) in con.execute(f"SELECT DISTINCT part FROM st.stories WHERE {gone}").fetchall()}
    con.execute(f"DELETE FROM st.stories WHERE {gone}")
    if rows:
        con.register("new_stories", pa.table(list(map(list, zip(*rows))), names=[
            "article_id", "story_id", "is_copy", "similarity", "reason", "story_date", "part"]))
        con.execute("INSERT INTO st.stories SELECT * FROM new_stories")
        parts |= {r[6] for r in rows}
    return members | set(changed) | set(removed), parts


def _current_rows(con, store, table: str, ids: str) -> str:
    """A FROM clause for the current-version rows of ``table`` for the article ids in view ``ids``.

    The store's views find current versions with a window over every stored
    article (a scan of the whole store); the state already knows each article's
    current batch, and a batch is one file per table, so only the files of the
    batches that hold these articles are read. If one of those files is not
    where the store writes it, the store's own view is used instead.
    """
    batches = [b for (b,) in con.execute(f"SELECT DISTINCT batch_id FROM st.arts WHERE article_id IN "
                                         f"(SELECT article_id FROM {ids})").fetchall()]
    files = [Path(store.path) / table / f"{b}.parquet" for b in batches]
    if not files or not all(f.is_file() for f in files):
        return table
    listed = ", ".join("'" + _q(f) + "'" for f in files)
    return (f"(SELECT r.* FROM read_parquet([{listed}], union_by_name = true) r SEMI JOIN st.arts c "
            f"ON r.article_id = c.article_id AND r.batch_id = c.batch_id)")


def _load_sigs(con, ids: set[str]) -> dict[str, np.ndarray]:
    if not ids:
        return {}
    _ids(con, "want_sigs", ids)
    return {a: np.frombuffer(blob, dtype=np.dtype(d)) for a, blob, d in con.execute(
        "SELECT article_id, sig, dtype FROM st.sigs WHERE article_id IN (SELECT article_id FROM want_sigs)").fetchall()}


def _jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """The MinHash estimate of Jaccard similarity (as datasketch's ``MinHash.jaccard``)."""
    return float(np.count_nonzero(a == b)) / float(len(a))


# -- events ------------------------------------------------------------------
def _skey(row: dict) -> str:
    """A mention row's cell: dyad and base code, and for a dated mention its period (events never cross it)."""
    return _SEP.join(row["key"] + ((row["period"],) if row["lo"] is not None else ()))


def _update_events(con, store, touched: set[str], rebuild: bool, dirty: _Dirty) -> dict[str, pa.Table]:
    """Re-cluster the events the touched articles' mentions (old and new) belong to or overlap.

    Returns the new rows of each events partition the update touched (an empty table for a
    partition left with no events). Every lookup in the state reads the tables of the partitions
    it can concern, never the whole state: an event's partition is a function of its cell (see
    ``_event_part``), and ``art_parts`` says where a touched article's stored mentions are.
    """
    have = _state_parts(con)
    _ids(con, "tch", touched)
    tparts = sorted(have & {p for (p,) in con.execute(
        "SELECT DISTINCT part FROM st.art_parts WHERE article_id IN (SELECT article_id FROM tch)").fetchall()})
    affected: dict[str, str] = {}  # event id -> its partition
    for part in tparts:
        affected.update((e, part) for (e,) in con.execute(
            f"SELECT DISTINCT event_id FROM {_mem(part)} WHERE article_id IN (SELECT article_id FROM tch)").fetchall())
        con.execute(f"DELETE FROM {_mem(part)} WHERE article_id IN (SELECT article_id FROM tch)")
    con.execute("DELETE FROM st.art_parts WHERE article_id IN (SELECT article_id FROM tch)")
    cols = ", ".join(f"m.{c}" for c in MENTION_COLUMNS)
    new = con.execute(f"SELECT {cols}, a.outlet, a.published, s.story_id, s.story_date, a.first_stored FROM "
                      f"{_current_rows(con, store, 'event_mentions', 'tch')} m "
                      "JOIN st.arts a USING (article_id) LEFT JOIN st.stories s USING (article_id) "
                      "WHERE m.article_id IN (SELECT article_id FROM tch)").fetchall()
    names = (*MENTION_COLUMNS, "outlet", "published", "story_id", "story_date", "first_stored")
    rows = [dict(zip(names, v)) for v in new]  # DuckDB gives NULL as None
    prepare(rows, {r["article_id"]: (r["story_id"] or r["article_id"], r["story_date"]) for r in rows})

    # Pull in every stored event the new windows reach, until the set is closed (chaining can bridge events).
    pending = rows + _members_of(con, affected)
    frontier = pending
    while frontier:
        spans = _spans(frontier)
        if not spans:
            break
        # A dated cell's events are in the partition its period names. An undated event (one per
        # dyad, code and story) is in the bucket of its earliest-stored article, and all its articles
        # are in its story, which the update regroups whole and whose mentions are all in play: the
        # buckets of the articles in play are the only ones it can be in.
        undated = {_undated_part(r["first_stored"]) for r in pending if r["lo"] is None}
        by_part: dict[str, list[tuple]] = {}
        for sp in spans:
            for part in ([_dated_part(sp[0])] if sp[1] is not None else undated):
                if part in have:
                    by_part.setdefault(part, []).append(sp)
        more: dict[str, str] = {}
        for part, sps in sorted(by_part.items()):
            con.register("spans", pa.table(list(map(list, zip(*sps))), names=["skey", "lo", "hi", "grp"]))
            more.update((e, part) for (e,) in con.execute(
                f"SELECT DISTINCT e.event_id FROM {_ev(part)} e JOIN spans s ON e.skey = s.skey AND ("
                "(s.lo IS NOT NULL AND e.lo IS NOT NULL AND e.lo <= s.hi AND e.hi >= s.lo) OR "
                "(s.lo IS NULL AND e.lo IS NULL AND e.grp = s.grp))").fetchall() if e not in affected)
        affected.update(more)
        frontier = _members_of(con, more)
        pending += frontier
    parts = set(affected.values())
    for part in sorted(parts):
        _ids(con, "gone", [e for e, p in affected.items() if p == part])
        con.execute(f"DELETE FROM {_ev(part)} WHERE event_id IN (SELECT article_id FROM gone)")

    _ids(con, "in_play", {r["article_id"] for r in pending})
    copies = {a for (a,) in con.execute("SELECT article_id FROM st.stories WHERE is_copy "
                                        "AND article_id IN (SELECT article_id FROM in_play)").fetchall()}
    first_stored = {r["article_id"]: r["first_stored"] for r in pending}
    made = [(key, rs, to_event(key, rs), _event_part(rs, first_stored)) for key, rs in clusters(pending)]
    # Ids already held by events kept as they are (a clash is a rare anchor collision; see consolidate).
    # Two events can only clash within one cell (the id hashes the cell), so within one partition.
    taken: set[str] = set()
    for part in sorted(have & {p for *_, p in made}):
        _ids(con, "cand", {e.event_id for *_, e, p in made if p == part})
        taken |= {e for (e,) in con.execute(f"SELECT event_id FROM {_ev(part)} WHERE split_part(event_id, '-', 1) "
                                            "IN (SELECT article_id FROM cand)").fetchall()}
    events: dict[str, list[Event]] = {}
    ev_rows: dict[str, list[tuple]] = {}
    mem_rows: dict[str, list[dict]] = {}
    for key, rs, e, part in made:
        eid, n = e.event_id, 0
        while eid in taken:  # two clusters with one anchor (rare): keep ids unique and stable
            n += 1
            eid = f"{e.event_id}-{n}"
        taken.add(eid)
        lo = min((r["lo"] for r in rs if r["lo"] is not None), default=None)
        hi = max((r["hi"] for r in rs if r["hi"] is not None), default=None)
        ev_rows.setdefault(part, []).append((eid, _skey(rs[0]), lo, hi, rs[0]["grp"] if lo is None else None))
        # stored members that stay in an event of the same id, in the same partition, are left as they are
        mem_rows.setdefault(part, []).extend(r for r in rs if r.get("event_id") != eid or r.get("part") != part)
        for r in rs:
            r["new_event_id"] = eid
        parts.add(part)
        if not all(r["article_id"] in copies for r in rs):
            events.setdefault(part, []).append(e if n == 0 else _renamed(e, eid))
    moved: dict[str, list[str]] = {}
    for rs in mem_rows.values():
        for r in rs:
            if "event_id" in r:
                moved.setdefault(r["part"], []).append(r["mention_id"])
    for part, ids in sorted(moved.items()):
        con.register("moved", pa.table({"mention_id": pa.array(ids, pa.string())}))
        con.execute(f"DELETE FROM {_mem(part)} WHERE mention_id IN (SELECT mention_id FROM moved)")
    placed = []
    for part in sorted(ev_rows):
        _create_part(con, part)
        con.register("new_ev", pa.table(list(map(list, zip(*ev_rows[part]))),
                                        names=["event_id", "skey", "lo", "hi", "grp"]))
        con.execute(f"INSERT INTO {_ev(part)} SELECT * FROM new_ev")
        rs = mem_rows.get(part)
        if rs:
            cols = {"event_id": [r["new_event_id"] for r in rs], "skey": [_skey(r) for r in rs],
                    **{c: [r[c] for r in rs] for c in ("lo", "hi", "grp", *MENTION_COLUMNS, *_ARTICLE_COLS)}}
            con.register("new_members", pa.table(cols))
            con.execute(f"INSERT INTO {_mem(part)} SELECT * FROM new_members")
            placed.extend((a, part) for a in {r["article_id"] for r in rs})
    if placed:
        con.register("placed", pa.table({"article_id": pa.array([a for a, _ in placed], pa.string()),
                                         "part": pa.array([p for _, p in placed], pa.string())}))
        con.execute("INSERT INTO st.art_parts SELECT * FROM placed ANTI JOIN st.art_parts USING (article_id, part)")
    dirty.articles |= {a for a, _ in placed}
    dirty.event_parts |= parts | set(tparts)
    log.info("events: %d touched articles, %d mentions re-clustered into %d events (%d stored events redone)",
             len(touched), len(pending), len(made), len(affected))
    return _events_partitions(con, store, parts, set(affected), events, rebuild)


def _dated_part(skey: str) -> str:
    """The partition of a dated cell's events, from its key (whose last field is the period)."""
    p = skey.rsplit(_SEP, 1)[1]
    return p if "/" not in p else p.split("/")[1][:7]


def _renamed(e: Event, eid: str) -> Event:
    from dataclasses import replace

    return replace(e, event_id=eid)


def _spans(rows: list[dict]) -> list[tuple]:
    """The merged date windows (per key) and the undated groups of some mention rows."""
    by_key: dict[str, list[tuple]] = {}
    undated = set()
    for r in rows:
        k = _skey(r)
        if r["lo"] is None:
            undated.add((k, None, None, r["grp"]))
        else:
            by_key.setdefault(k, []).append((r["lo"], r["hi"]))
    out = sorted(undated)
    for k, ws in by_key.items():
        ws.sort()
        lo, hi = ws[0]
        for a, b in ws[1:]:
            if a <= hi:
                hi = max(hi, b)
            else:
                out.append((k, lo, hi, None))
                lo, hi = a, b
        out.append((k, lo, hi, None))
    return out


# What a member row keeps of its article, so that reading an event's members never joins the table
# of every article. It cannot go stale: an article whose row changes is a changed article, whose
# member rows every update deletes and writes again.
_ARTICLE_COLS = ("outlet", "published", "first_stored")


def _members_of(con, events: dict[str, str]) -> list[dict]:
    """The stored mention rows of some events (event id -> partition), with their article's
    outlet, publication date and first storing, and the partition they are stored in, ready to cluster."""
    if not events:
        return []
    parts = sorted(set(events.values()))
    con.register("want_ev", pa.table({"event_id": pa.array(sorted(events), pa.string())}))
    cols = ", ".join(f"m.{c}" for c in MENTION_COLUMNS)
    names = (*MENTION_COLUMNS, "lo", "hi", "grp", "outlet", "published", "first_stored", "event_id", "part")
    union = " UNION ALL ".join(
        f"SELECT *, '{_q(p)}' AS part FROM {_mem(p)} WHERE event_id IN (SELECT event_id FROM want_ev)" for p in parts)
    got = con.execute(f"SELECT {cols}, m.lo, m.hi, m.grp, m.outlet, m.published, m.first_stored, m.event_id, "
                      f"m.part FROM ({union}) m").fetchall()
    rows = []
    for v in got:
        r = dict(zip(names, v))
        r["key"] = (r["source_actor"] or "", r["target_actor"] or "", base_code(r["cameo"]))
        r["period"] = period(r["lo"], r["hi"]) if r["lo"] is not None else None
        rows.append(r)
    return rows


def _events_partitions(con, store, parts: set[str], affected: set[str], events: dict[str, list[Event]],
                        rebuild: bool) -> dict[str, pa.Table]:
    """The new rows of each touched partition: its stored events that were not redone, plus the
    re-clustered ones. Only the touched partitions' files are read."""
    out = {}
    _ids(con, "gone", affected)
    for part in sorted(parts):
        fresh = to_table(Event, events.get(part, []), "", "").drop_columns(["batch_id", "stored_at"])
        f = Path(store.path) / "events" / part / "events.parquet"
        if rebuild or not f.is_file():
            out[part] = fresh
            continue
        kept = con.sql(f"SELECT * EXCLUDE (batch_id, stored_at) FROM read_parquet('{_q(f)}') "
                       "WHERE event_id NOT IN (SELECT article_id FROM gone)").to_arrow_table()
        out[part] = pa.concat_tables([kept.select(fresh.schema.names).cast(fresh.schema), fresh])
    return out
