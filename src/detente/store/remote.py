"""A store in object storage (``s3://bucket/prefix``, ``gs://bucket/prefix``, ``file:///path``).

Object stores have no rename and no ``flock``, which the folder store (:mod:`.parquet`) relies on.
So a remote store is a folder store in a local cache plus three things in the bucket:

- **Immutable data objects** ``files/<relpath>~<generation>-<token>``: every file of the folder
  store, uploaded under a name used once. An object is never overwritten, so a reader holding an
  older manifest never sees newer bytes under an old name.
- **Manifests** ``_manifests/<generation>.json`` (zero-padded, so they sort): the list of live files
  (relative path -> object key, size). Writing the next generation's manifest is the commit point.
  It is created with a conditional PUT (``If-None-Match: *``; GCS: ``ifGenerationMatch=0``), so two
  writers can never both commit the same generation: the loser gets E209 and publishes nothing.
  Readers take the highest generation and fetch only the objects it lists.
- **A lease** ``_lease.json`` (owner, host, pid, expiry), also created with ``If-None-Match: *``, so
  a second writer is refused with E202 before it does any work. The holder renews it
  (``If-Match`` on its ETag) from a thread; a lease past its expiry (a writer that crashed or lost
  its network) is broken with a conditional delete by the next writer. The lease only saves
  wasted work: correctness rests on the manifest's conditional create (a writer whose lease was
  broken fails to commit with E209).

A writer (``Store.writer()``): take the lease, sync the local mirror to the newest manifest
(downloading only objects whose key changed), run the normal folder-store code on the mirror, then
upload the files that changed (size, mtime or inode differ from what was synced) under new names,
commit the next manifest, delete manifests older than the last :data:`KEEP_MANIFESTS` and every
``files/`` object none of the kept manifests lists (orphans of a crash between upload and commit
go here), and release the lease. A crash at any point before the manifest leaves the previous
generation intact; the next writer's sync discards the mirror's uncommitted files.

A reader (``Store(uri)``) syncs the mirror and reads it as a folder store. Readers never take the
lease. On one machine, the mirror folder is shared by every detente process using the same URI
and cache dir: a sync holds ``.sync.lock``; a local writer holds it for its whole run, and a reader
that finds a local writer reads the mirror as it is (the folder store is built for readers during a
write) instead of waiting.

Why not pyarrow datasets straight over S3: the incremental state (``_cache/derived.duckdb``) is a
DuckDB file that must be local (it stays in the mirror; the bucket gets its Parquet parts,
``_cache/state/``, of which a run rewrites only the months it touched), the folder store's crash safety rests on rename, and downloading
only changed objects makes repeated reads cheap. boto3 (S3) and google-cloud-storage (GCS) are used
because conditional writes, the whole point of the lease and the manifest, are not in pyarrow.fs
or fsspec's portable API (see :mod:`.objects`).
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import json
import os
import re
import shutil
import socket
import threading
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

from ..resources import cache_dir
from ..errors import DetenteError
from ..version import __version__
from .objects import Backend, make_backend

MANIFESTS = "_manifests/"
LEASE = "_lease.json"
DATA = "files/"
KEEP_MANIFESTS = 5  # older generations are deleted; a reader that listed one retries on the newest
MANIFEST_FORMAT = "detente-manifest/1"
# never uploaded: the folder store's own lock and temporaries (the mirror's bookkeeping lives beside the folder),
# and the incremental state's DuckDB file, which is published as Parquet parts instead (_cache/state/, see
# detente.analysis.incremental): a DuckDB checkpoint rewrites a third of the file for a few articles
STATE_PARTS = "_cache/state/"  # the incremental state's parts (detente.analysis.incremental.STATE_PARTS)
_LOCAL_ONLY = re.compile(r"(^|/)(\.lock|_tmp(/.*)?|[^/]*\.tmp)$|^_cache/derived\.duckdb(\.old)?(\.wal)?$")


def mirror_dir(uri: str) -> Path:
    """The local folder for one store URI (its own name plus a digest, so two URIs never share one),
    under detente's cache folder (``DETENTE_CACHE_DIR``, else ``~/.cache/detente``). With
    ``DETENTE_CACHE_DIR=off``, a temporary folder of this process: every command downloads the store."""
    slug = re.sub(r"[^A-Za-z0-9._-]+", "_", uri.split("://", 1)[-1]).strip("_")[-60:]
    name = f"{slug}-{hashlib.sha1(uri.encode('utf-8')).hexdigest()[:12]}"
    root = cache_dir()
    if root is None:
        root = Path(_private_tmp())
    return root / "stores" / name


_TMP: list[str] = []


def _private_tmp() -> str:
    """A temporary folder removed when the process exits (mirrors when the cache is off)."""
    if not _TMP:
        import atexit
        import tempfile

        _TMP.append(tempfile.mkdtemp(prefix="detente-mirror-"))
        atexit.register(shutil.rmtree, _TMP[0], True)
    return _TMP[0]


@dataclass
class _Synced:
    key: str
    size: int
    stat: tuple[int, int, int]  # (size, mtime_ns, inode) of the local copy when it matched ``key``


def _stat(p: Path) -> tuple[int, int, int]:
    s = p.stat()
    return (s.st_size, s.st_mtime_ns, s.st_ino)


def crash_point(name: str) -> None:
    """Test hook, as :func:`detente.store.parquet.crash_point` (which imports this module): die at once
    when ``DETENTE_TEST_CRASH_AT`` names this point. Points: ``remote-before-manifest`` (changed files
    uploaded, manifest not written), ``remote-after-manifest`` (committed, old objects not cleaned)."""
    if os.environ.get("DETENTE_TEST_CRASH_AT") == name:
        os._exit(137)


class RemoteStore:
    """One store URI: its backend, its local mirror, its lease. Used by :class:`detente.store.Store`."""

    def __init__(self, uri: str):
        self.uri = uri.rstrip("/")
        self.backend = make_backend(self.uri)
        self.dir = mirror_dir(self.uri)
        self.path = self.dir / "store"
        self.generation = 0
        self.synced: dict[str, _Synced] = {}
        self._lease: _Lease | None = None  # held during a write
        self._published_at = 0.0

    # reading
    def latest(self) -> tuple[int, dict | None]:
        """The newest committed manifest (generation, parsed manifest); (0, None) for no store yet."""
        for _ in range(5):
            gens = sorted(int(m.group(1)) for k in self.backend.list(MANIFESTS)
                          if (m := re.fullmatch(r"_manifests/(\d{12})\.json", k)))
            if not gens:
                return 0, None
            got = self.backend.get_bytes(_manifest_key(gens[-1]))
            if got is None:  # deleted by a writer's clean-up between the list and the get: list again
                continue
            try:
                man = json.loads(got[0])
                if man.get("format") != MANIFEST_FORMAT or not isinstance(man.get("files"), dict):
                    raise ValueError("not a detente manifest")
            except ValueError as e:
                raise DetenteError("E203", f"{self.uri}: manifest {_manifest_key(gens[-1])} is unreadable: {e}") from e
            return gens[-1], man
        raise DetenteError("E207", f"{self.uri}: the manifest kept changing while being read", "try again")

    def open(self, create: bool) -> Path:
        """Check the bucket and sync the mirror (readers). E204 when no store is there and not ``create``."""
        self.backend.check()
        with self._locked_for_sync() as may_sync:
            if may_sync:
                gen = self._sync(with_state=False)
                if gen == 0 and not create:
                    raise DetenteError("E204", f"no detente store at {self.uri}",
                                       f"run `detente analyze PATH --store {self.uri}` first")
            elif not (self.path / "detente-store.json").exists() and not create:
                raise DetenteError("E204", f"no detente store at {self.uri} (a writer on this machine is creating it)")
        return self.path

    def follow(self, every: float, stop: threading.Event) -> None:
        """Sync the mirror every ``every`` seconds until ``stop`` is set (``detente serve`` runs this in a
        thread, so the dashboard, which reloads when the mirror's files change, follows the bucket). An
        error (the network is down) is kept in ``follow_error`` and the next round tries again."""
        self.follow_error: DetenteError | None = None
        while not stop.wait(every):
            try:
                self.open(create=False)
                self.follow_error = None
            except DetenteError as e:
                self.follow_error = e

    @contextmanager
    def _locked_for_sync(self) -> Iterator[bool]:
        """Yield True holding the mirror's sync lock; False when a local writer holds it (read as is)."""
        self.dir.mkdir(parents=True, exist_ok=True)
        with open(self.dir / ".sync.lock", "a+") as fh:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as e:
                if e.errno not in (errno.EAGAIN, errno.EACCES):
                    raise
                if _held(self.dir / ".write.lock"):
                    yield False
                    return
                fcntl.flock(fh, fcntl.LOCK_EX)  # another reader is syncing: wait for it (it is brief)
            yield True

    def _sync(self, with_state: bool = True) -> int:
        """Make the mirror equal to the newest manifest; returns its generation. Caller holds the sync lock.
        Without ``with_state`` (a reader), the incremental state's parts are not downloaded: only an update
        reads them, and a writer's sync fetches them (they are most of a store's objects)."""
        for attempt in range(3):
            gen, man = self.latest()
            self._load_state()
            try:
                self._apply(man["files"] if man else {}, with_state)
            except _Vanished:  # an object of an old generation was cleaned up mid-sync: take the newest
                if attempt == 2:
                    raise DetenteError("E207", f"{self.uri}: objects kept vanishing during the sync", "try again")
                continue
            self.generation = gen
            self._save_state()
            return gen
        return self.generation  # pragma: no cover

    def _apply(self, files: dict, with_state: bool = True) -> None:
        self.path.mkdir(parents=True, exist_ok=True)
        tmp = self.dir / "download"
        tmp.mkdir(exist_ok=True)
        local = _scan(self.path)
        for rel in local:  # the remote's deletions, and uncommitted local files
            if rel not in files:
                (self.path / rel).unlink(missing_ok=True)
        self.synced = {rel: rec for rel, rec in self.synced.items() if rel in files and rel in local}
        todo = []
        for rel, ent in sorted(files.items()):
            if _LOCAL_ONLY.search(rel):  # (listed by an older detente: the state file, now kept local)
                continue
            if not with_state and rel.startswith(STATE_PARTS):
                continue
            rec = self.synced.get(rel)
            if not (rec and rec.key == ent["key"] and rel in local and local[rel] == rec.stat):
                todo.append((rel, ent["key"], int(ent["size"])))

        def fetch(item: tuple[str, str, int]) -> None:
            rel, key, size = item
            part = tmp / f"{uuid.uuid4().hex}.part"
            try:
                self.backend.download(key, part)
            except DetenteError:
                if key not in self.backend.list(DATA + rel):
                    raise _Vanished() from None
                raise
            p = self.path / rel
            p.parent.mkdir(parents=True, exist_ok=True)
            os.replace(part, p)
            self.synced[rel] = _Synced(key, size, _stat(p))

        _parallel(fetch, todo)
        for d in sorted((d for d in self.path.rglob("*") if d.is_dir()), key=lambda d: -len(d.parts)):
            if d.name not in ("_tmp",) and not any(d.iterdir()):
                d.rmdir()  # a partition folder the remote no longer has
        shutil.rmtree(tmp, ignore_errors=True)

    def _load_state(self) -> None:
        try:
            st = json.loads((self.dir / "synced.json").read_text("utf-8"))
            self.generation = int(st["generation"])
            self.synced = {k: _Synced(v["key"], v["size"], tuple(v["stat"])) for k, v in st["files"].items()}
        except (OSError, ValueError, KeyError, TypeError):
            self.generation, self.synced = 0, {}

    def _save_state(self) -> None:
        st = {"uri": self.uri, "generation": self.generation,
              "files": {k: {"key": v.key, "size": v.size, "stat": list(v.stat)} for k, v in sorted(self.synced.items())}}
        tmp = self.dir / f"synced.json.{os.getpid()}.tmp"
        tmp.write_text(json.dumps(st), "utf-8")
        os.replace(tmp, self.dir / "synced.json")

    # writing
    @contextmanager
    def writing(self, after_sync: Callable[[], None]):
        """Hold the lease and the mirror for a write; publish the mirror's changes at the end.

        The changes are published also when the write stops with an error or Ctrl-C: the folder
        store is consistent at every point (an interrupted batch is invisible, stale derived tables
        are recorded as stale), so what was committed locally is kept remotely too, as on a disk.
        """
        self.backend.check()
        self.dir.mkdir(parents=True, exist_ok=True)
        wfh = open(self.dir / ".write.lock", "a+")
        try:
            try:
                fcntl.flock(wfh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as e:
                raise DetenteError("E202", f"another detente process on this machine is writing to {self.uri}",
                                   "wait for it to finish") from e
            lease = _Lease(self.backend, self.uri)
            lease.acquire()
            self._lease, self._published_at = lease, time.monotonic()
            try:
                with open(self.dir / ".sync.lock", "a+") as sfh:
                    fcntl.flock(sfh, fcntl.LOCK_EX)
                    self._sync()
                    after_sync()
                    try:
                        yield
                    except BaseException as e:
                        try:
                            self.publish(lease)
                        except Exception as pub:  # the original error is the one to report
                            e.add_note(f"the store's changes could not be published either: {pub}")
                        raise
                    self.publish(lease)
            finally:
                self._lease = None
                lease.release()
        finally:
            wfh.close()

    def checkpoint(self) -> None:
        """During a write, publish what the folder store has committed so far when the last publish is
        older than ``DETENTE_PUBLISH_SECONDS`` (300 by default): a long run's batches then survive
        the loss of its machine, and readers see them (events/stories stay stale until the run's end,
        as a local reader sees them during a write). Called after each committed batch."""
        if self._lease is None:
            return
        every = float(os.environ.get("DETENTE_PUBLISH_SECONDS", 300))
        if time.monotonic() - self._published_at >= every:
            self.publish(self._lease)
            self._published_at = time.monotonic()

    def publish(self, lease: "_Lease") -> int:
        """Upload the mirror's changed files and commit the next manifest; returns its generation
        (the current one when nothing changed)."""
        local = _scan(self.path)
        gen = self.generation + 1
        token = uuid.uuid4().hex[:8]
        files: dict[str, dict] = {}
        changed = False
        synced: dict[str, _Synced] = {}
        todo = []
        for rel, st in sorted(local.items()):
            rec = self.synced.get(rel)
            if rec and rec.stat == st:
                files[rel] = {"key": rec.key, "size": rec.size}
                synced[rel] = rec
                continue
            key = f"{DATA}{rel}~{gen:06d}-{token}"
            todo.append((rel, key))
            files[rel] = {"key": key, "size": st[0]}
            synced[rel] = _Synced(key, st[0], st)
            changed = True
        _parallel(lambda item: self.backend.upload(self.path / item[0], item[1]), todo)
        if not changed and set(files) == set(self.synced):
            self.clean()  # nothing to commit; still remove what a crashed writer left
            return self.generation
        crash_point("remote-before-manifest")
        lease.check()
        man = {"format": MANIFEST_FORMAT, "generation": gen, "written_at": _now_iso(),
               "written_by": f"detente {__version__} on {socket.gethostname()} (pid {os.getpid()})",
               "files": files}
        if self.backend.put_bytes(_manifest_key(gen), json.dumps(man, indent=1).encode("utf-8"),
                                  if_none_match=True) is None:
            raise DetenteError("E209", f"{self.uri}: another writer committed generation {gen} first "
                               "(this writer's lease had expired)",
                               "nothing stored is lost; run the command again: it starts from the newest generation")
        self.generation, self.synced = gen, synced
        self._save_state()
        crash_point("remote-after-manifest")
        self.clean()
        return gen

    def clean(self) -> tuple[int, int]:
        """Delete manifests older than the last :data:`KEEP_MANIFESTS` and data objects none of the kept
        ones lists (left by a writer that crashed before committing). Call only holding the lease.
        Returns (manifests, objects) deleted."""
        gens = sorted(int(m.group(1)) for k in self.backend.list(MANIFESTS)
                      if (m := re.fullmatch(r"_manifests/(\d{12})\.json", k)))
        keep = gens[-KEEP_MANIFESTS:]
        live: set[str] = set()
        for g in keep:
            got = self.backend.get_bytes(_manifest_key(g))
            if got is None:
                return 0, 0  # something else is cleaning: leave it to the next commit
            live.update(e["key"] for e in json.loads(got[0])["files"].values())
        n_man = n_obj = 0
        for g in gens[:-KEEP_MANIFESTS]:
            n_man += self.backend.delete(_manifest_key(g))
        for key in self.backend.list(DATA):
            if key not in live:
                n_obj += self.backend.delete(key)
        return n_man, n_obj


class _Vanished(Exception):
    pass


class _Lease:
    """The single-writer lease object (see the module docstring)."""

    def __init__(self, backend: Backend, uri: str, seconds: float | None = None):
        self.backend, self.uri = backend, uri
        self.seconds = float(seconds or os.environ.get("DETENTE_LEASE_SECONDS", 300))
        self.owner = uuid.uuid4().hex
        self.etag: str | None = None
        self.lost = False
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def _body(self) -> bytes:
        return json.dumps({"owner": self.owner, "host": socket.gethostname(), "pid": os.getpid(),
                           "acquired_or_renewed": _now_iso(), "expires": time.time() + self.seconds}).encode("utf-8")

    def acquire(self) -> None:
        for _ in range(3):
            etag = self.backend.put_bytes(LEASE, self._body(), if_none_match=True)
            if etag is not None:
                # a server that ignores the condition would let two writers in: ask again, it must refuse
                again = self.backend.put_bytes(LEASE, self._body(), if_none_match=True)
                if again is not None:
                    self.backend.delete(LEASE)
                    raise DetenteError("E207", f"--store {self.uri}: the server ignores conditional writes "
                                       "(If-None-Match, GCS ifGenerationMatch=0), which the store needs to keep one writer",
                                       "use AWS S3, GCS or an S3-compatible server that supports conditional writes")
                self.etag = etag
                self._thread = threading.Thread(target=self._renew, name="detente-lease", daemon=True)
                self._thread.start()
                return
            got = self.backend.get_bytes(LEASE)
            if got is None:
                continue  # released between our PUT and GET
            try:
                held = json.loads(got[0])
                expires = float(held["expires"])
            except (ValueError, KeyError, TypeError):
                held, expires = {}, 0.0  # unreadable: treat as expired
            if time.time() < expires:
                raise DetenteError("E202", f"another detente process (analyze or compact) is writing to {self.uri} "
                                   f"(lease held by {held.get('host')} pid {held.get('pid')} until "
                                   f"{time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime(expires))})",
                                   "wait for it to finish, or use another --store; a lease of a crashed writer "
                                   "expires by itself (DETENTE_LEASE_SECONDS, 300 by default)")
            self.backend.delete(LEASE, if_match=got[1])  # expired: break it (only if nobody renewed it meanwhile)
        raise DetenteError("E202", f"{self.uri}: could not take the write lease (other writers keep taking it)",
                           "try again")

    def _renew(self) -> None:
        while not self._stop.wait(self.seconds / 3):
            with self._lock:
                try:
                    etag = self.backend.put_bytes(LEASE, self._body(), if_match=self.etag)
                except DetenteError:
                    continue  # a network blip: try again at the next tick (the lease is still ours until it expires)
                if etag is None:
                    self.lost = True
                    return
                self.etag = etag

    def check(self) -> None:
        """Refuse to commit after losing the lease (the manifest's conditional create is the real fence)."""
        if self.lost:
            raise DetenteError("E209", f"{self.uri}: this writer's lease expired and was taken by another writer",
                               "nothing stored is lost; run the command again")

    def release(self) -> None:
        """Stop renewing and delete the lease. A renewal stuck on the network is not waited for
        (more than 10 s): the lease is then left to expire by itself."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
            if self._thread.is_alive():
                return
        with self._lock:
            if self.etag and not self.lost:
                try:
                    self.backend.delete(LEASE, if_match=self.etag)
                except DetenteError:
                    pass  # it expires by itself


def _parallel(fn: Callable, items: list) -> None:
    """``fn`` over ``items`` in a few threads (object transfers wait on the network, not the CPU);
    the first error is raised once all have stopped. ``DETENTE_TRANSFER_THREADS``, 8 by default."""
    if len(items) <= 1:
        for it in items:
            fn(it)
        return
    from concurrent.futures import ThreadPoolExecutor

    n = max(1, int(os.environ.get("DETENTE_TRANSFER_THREADS", 8)))
    with ThreadPoolExecutor(min(n, len(items)), thread_name_prefix="detente-transfer") as pool:
        futures = [pool.submit(fn, it) for it in items]
    for f in futures:
        f.result()


def _manifest_key(gen: int) -> str:
    return f"{MANIFESTS}{gen:012d}.json"


def _now_iso() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def _held(lock: Path) -> bool:
    """Whether another process holds an flock on ``lock``."""
    try:
        with open(lock, "a+") as fh:
            try:
                fcntl.flock(fh, fcntl.LOCK_SH | fcntl.LOCK_NB)
            except OSError:
                return True
            return False
    except OSError:
        return False


def _scan(root: Path) -> dict[str, tuple[int, int, int]]:
    """Every file of the mirror that belongs to the store (relative POSIX path -> stat key)."""
    out = {}
    if not root.is_dir():
        return out
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if d != "_tmp"]
        for f in filenames:
            p = Path(dirpath) / f
            rel = p.relative_to(root).as_posix()
            if not _LOCAL_ONLY.search(rel):
                try:
                    out[rel] = _stat(p)
                except FileNotFoundError:
                    pass
    return out
