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
DuckDB file that must be local, the folder store's crash safety rests on rename, and downloading
only changed objects makes repeated reads cheap. boto3 (S3) and google-cloud-storage (GCS) are used
because conditional writes, the whole point of the lease and the manifest, are not in pyarrow.fs
or fsspec's portable API. Both are optional extras (``detente[s3]``, ``detente[gcs]``), imported here
only.
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

from ..config import cache_root
from ..errors import DetenteError
from ..version import __version__

SCHEMES = ("s3", "gs", "file")
MANIFESTS = "_manifests/"
LEASE = "_lease.json"
DATA = "files/"
KEEP_MANIFESTS = 5  # older generations are deleted; a reader that listed one retries on the newest
MANIFEST_FORMAT = "detente-manifest/1"
# never uploaded: the folder store's own lock and temporaries, and the mirror's bookkeeping
_LOCAL_ONLY = re.compile(r"(^|/)(\.lock|_tmp(/.*)?|[^/]*\.tmp)$")
_URI = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://(.*)$")


def is_remote(path: object) -> bool:
    """True for a ``scheme://`` store location (checked and parsed by :func:`parse_uri`)."""
    return isinstance(path, str) and _URI.match(path) is not None


def parse_uri(uri: str) -> tuple[str, str, str]:
    """``(scheme, bucket, prefix)``; for ``file://`` the bucket is empty and the prefix an absolute path.

    E208 for an unknown scheme, a missing bucket or a relative ``file://`` path.
    """
    m = _URI.match(uri)
    if not m:
        raise DetenteError("E208", f"{uri!r} is not a store URI", "use s3://BUCKET/PREFIX, gs://BUCKET/PREFIX or a folder")
    scheme, rest = m.group(1).lower(), m.group(2)
    if scheme not in SCHEMES:
        raise DetenteError("E208", f"--store {uri}: unsupported scheme {scheme}://",
                           "use s3://BUCKET/PREFIX, gs://BUCKET/PREFIX, file:///ABSOLUTE/PATH or a plain folder")
    if scheme == "file":
        if not rest.startswith("/"):
            raise DetenteError("E208", f"--store {uri}: a file:// URI needs an absolute path (file:///data/store)")
        return scheme, "", rest.rstrip("/") or "/"
    bucket, _, prefix = rest.partition("/")
    if not re.fullmatch(r"[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]", bucket or ""):
        raise DetenteError("E208", f"--store {uri}: {bucket!r} is not a valid bucket name",
                           f"use {scheme}://BUCKET/PREFIX (bucket: 3-63 lower-case letters, digits, '.', '-')")
    prefix = prefix.strip("/")
    if any(part in ("", ".", "..") for part in prefix.split("/")) and prefix:
        raise DetenteError("E208", f"--store {uri}: the prefix has an empty, '.' or '..' part")
    return scheme, bucket, prefix


# -- backends: the few object operations the store needs --------------------------------------------
class Backend:
    """Object operations on one bucket + prefix. Keys are relative to the prefix.

    ``etag`` values are opaque tokens for ``if_match``; ``put_bytes`` returns None when its
    precondition failed (the object exists, or changed), and raises DetenteError(E207) otherwise.
    """

    def check(self) -> None: ...
    def list(self, prefix: str) -> dict[str, int]: ...  # key -> size
    def get_bytes(self, key: str) -> tuple[bytes, str] | None: ...
    def download(self, key: str, dest: Path) -> None: ...
    def upload(self, src: Path, key: str) -> None: ...
    def put_bytes(self, key: str, data: bytes, if_none_match: bool = False,
                  if_match: str | None = None) -> str | None: ...
    def delete(self, key: str, if_match: str | None = None) -> bool: ...


class S3Backend(Backend):
    """S3 and S3-compatible servers (MinIO, moto, Ceph...) through boto3. The endpoint, region and
    credentials come from boto3's usual sources (``AWS_ENDPOINT_URL``, ``AWS_PROFILE``, ...)."""

    def __init__(self, uri: str, bucket: str, prefix: str):
        try:
            import boto3
            import botocore.exceptions as bexc
        except ImportError as e:
            raise DetenteError("E305", f"--store {uri} needs boto3", "pip install 'detente[s3]'") from e
        self.uri, self.bucket, self.root = uri, bucket, (prefix + "/" if prefix else "")
        self.exc = bexc
        try:
            self.s3 = boto3.client("s3")
        except bexc.BotoCoreError as e:  # e.g. no region and no endpoint
            raise DetenteError("E207", f"--store {uri}: cannot set up the S3 client: {e}",
                               "set AWS_DEFAULT_REGION (and AWS_ENDPOINT_URL for MinIO or another S3 server)") from e

    @contextmanager
    def _errors(self, what: str):
        bexc = self.exc
        try:
            yield
        except bexc.ClientError as e:
            code = e.response.get("Error", {}).get("Code", "")
            status = e.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
            if code in ("NoSuchBucket",) or (status == 404 and what == "bucket"):
                raise DetenteError("E207", f"--store {self.uri}: bucket {self.bucket!r} does not exist",
                                   "create it first, or check the bucket name and AWS_ENDPOINT_URL") from e
            if status in (401, 403) or code in ("AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch"):
                raise DetenteError("E207", f"--store {self.uri}: access denied ({code or status}) while {what}",
                                   "check the credentials (AWS_PROFILE, AWS_ACCESS_KEY_ID) and the bucket policy") from e
            raise DetenteError("E207", f"--store {self.uri}: S3 error while {what}: {code or status}: "
                               f"{e.response.get('Error', {}).get('Message', '')}") from e
        except bexc.NoCredentialsError as e:
            raise DetenteError("E207", f"--store {self.uri}: no AWS credentials found",
                               "set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or AWS_PROFILE") from e
        except bexc.BotoCoreError as e:  # endpoint unreachable, timeouts after retries, bad region
            raise DetenteError("E207", f"--store {self.uri}: cannot reach S3 while {what}: {e}",
                               "check the network and AWS_ENDPOINT_URL") from e

    def check(self) -> None:
        with self._errors("bucket"):
            self.s3.head_bucket(Bucket=self.bucket)

    def list(self, prefix: str) -> dict[str, int]:
        out: dict[str, int] = {}
        with self._errors(f"listing {prefix}"):
            for page in self.s3.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=self.root + prefix):
                for o in page.get("Contents", ()):
                    out[o["Key"][len(self.root):]] = o["Size"]
        return out

    def get_bytes(self, key: str) -> tuple[bytes, str] | None:
        with self._errors(f"reading {key}"):
            try:
                r = self.s3.get_object(Bucket=self.bucket, Key=self.root + key)
            except self.exc.ClientError as e:
                if e.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
                    return None
                raise
            return r["Body"].read(), r["ETag"]

    def download(self, key: str, dest: Path) -> None:
        with self._errors(f"downloading {key}"):
            self.s3.download_file(self.bucket, self.root + key, str(dest))

    def upload(self, src: Path, key: str) -> None:
        with self._errors(f"uploading {key}"):
            self.s3.upload_file(str(src), self.bucket, self.root + key)

    def put_bytes(self, key: str, data: bytes, if_none_match: bool = False, if_match: str | None = None) -> str | None:
        kw: dict = {}
        if if_none_match:
            kw["IfNoneMatch"] = "*"
        if if_match:
            kw["IfMatch"] = if_match
        with self._errors(f"writing {key}"):
            try:
                return self.s3.put_object(Bucket=self.bucket, Key=self.root + key, Body=data, **kw)["ETag"]
            except self.exc.ClientError as e:
                # 412: the precondition failed; 409: a concurrent conditional write to the same key won
                if e.response.get("ResponseMetadata", {}).get("HTTPStatusCode") in (409, 412):
                    return None
                raise

    def delete(self, key: str, if_match: str | None = None) -> bool:
        with self._errors(f"deleting {key}"):
            try:
                self.s3.delete_object(Bucket=self.bucket, Key=self.root + key, **({"IfMatch": if_match} if if_match else {}))
                return True
            except self.exc.ClientError as e:
                if e.response.get("ResponseMetadata", {}).get("HTTPStatusCode") in (404, 409, 412):
                    return False
                raise


class GCSBackend(Backend):
    """Google Cloud Storage through google-cloud-storage (credentials: Application Default Credentials).
    Conditions use object generations (``if_generation_match``), GCS's equivalent of ETags."""

    def __init__(self, uri: str, bucket: str, prefix: str):
        try:
            from google.api_core import exceptions as gexc
            from google.cloud import storage
        except ImportError as e:
            raise DetenteError("E305", f"--store {uri} needs google-cloud-storage", "pip install 'detente[gcs]'") from e
        self.uri, self.root, self.exc = uri, (prefix + "/" if prefix else ""), gexc
        try:
            self.bucket = storage.Client().bucket(bucket)
        except Exception as e:  # google.auth.exceptions.DefaultCredentialsError and friends
            raise DetenteError("E207", f"--store {uri}: cannot set up the GCS client: {e}",
                               "run `gcloud auth application-default login` or set GOOGLE_APPLICATION_CREDENTIALS") from e

    @contextmanager
    def _errors(self, what: str):
        try:
            yield
        except self.exc.NotFound as e:
            raise DetenteError("E207", f"--store {self.uri}: not found while {what}: {e.message}",
                               "create the bucket first, or check its name") from e
        except (self.exc.Forbidden, self.exc.Unauthorized) as e:
            raise DetenteError("E207", f"--store {self.uri}: access denied while {what}",
                               "check the credentials and the bucket's IAM roles") from e
        except self.exc.GoogleAPIError as e:
            raise DetenteError("E207", f"--store {self.uri}: GCS error while {what}: {e}") from e

    def check(self) -> None:
        with self._errors("checking the bucket"):
            self.bucket.reload()

    def list(self, prefix: str) -> dict[str, int]:
        with self._errors(f"listing {prefix}"):
            return {b.name[len(self.root):]: b.size for b in self.bucket.client.list_blobs(self.bucket, prefix=self.root + prefix)}

    def get_bytes(self, key: str) -> tuple[bytes, str] | None:
        blob = self.bucket.blob(self.root + key)
        with self._errors(f"reading {key}"):
            try:
                data = blob.download_as_bytes()
            except self.exc.NotFound:
                return None
            return data, str(blob.generation)

    def download(self, key: str, dest: Path) -> None:
        with self._errors(f"downloading {key}"):
            self.bucket.blob(self.root + key).download_to_filename(str(dest))

    def upload(self, src: Path, key: str) -> None:
        with self._errors(f"uploading {key}"):
            self.bucket.blob(self.root + key).upload_from_filename(str(src))

    def put_bytes(self, key: str, data: bytes, if_none_match: bool = False, if_match: str | None = None) -> str | None:
        blob = self.bucket.blob(self.root + key)
        cond = 0 if if_none_match else (int(if_match) if if_match else None)
        with self._errors(f"writing {key}"):
            try:
                blob.upload_from_string(data, if_generation_match=cond)
            except self.exc.PreconditionFailed:
                return None
            return str(blob.generation)

    def delete(self, key: str, if_match: str | None = None) -> bool:
        with self._errors(f"deleting {key}"):
            try:
                self.bucket.blob(self.root + key).delete(if_generation_match=int(if_match) if if_match else None)
                return True
            except (self.exc.NotFound, self.exc.PreconditionFailed):
                return False


class FileBackend(Backend):
    """A folder used as an object store (``file:///path``): the same protocol on a plain or network
    filesystem, and what the tests use without a server. Conditional writes are ``O_EXCL`` creates
    and compare-and-replace under an ``flock`` of the folder's ``.objects.lock``."""

    def __init__(self, uri: str, root: str):
        self.uri, self.root = uri, Path(root)

    def _p(self, key: str) -> Path:
        return self.root / key

    @contextmanager
    def _guard(self):
        with open(self.root / ".objects.lock", "a+") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            yield

    def check(self) -> None:
        if not self.root.is_dir():
            raise DetenteError("E207", f"--store {self.uri}: folder {self.root} does not exist", "create it first")
        if not os.access(self.root, os.W_OK | os.X_OK):
            raise DetenteError("E207", f"--store {self.uri}: folder {self.root} is not writable")

    def list(self, prefix: str) -> dict[str, int]:
        base = self._p(prefix.rstrip("/")) if prefix.endswith("/") else self.root
        if not base.is_dir():
            return {}
        out = {}
        for p in base.rglob("*"):
            rel = p.relative_to(self.root).as_posix()
            if p.is_file() and rel.startswith(prefix) and not rel.endswith(".part"):
                out[rel] = p.stat().st_size
        return out

    @staticmethod
    def _etag(data: bytes) -> str:
        return hashlib.md5(data).hexdigest()

    def get_bytes(self, key: str) -> tuple[bytes, str] | None:
        try:
            data = self._p(key).read_bytes()
        except FileNotFoundError:
            return None
        return data, self._etag(data)

    def download(self, key: str, dest: Path) -> None:
        try:
            shutil.copyfile(self._p(key), dest)
        except FileNotFoundError as e:
            raise DetenteError("E207", f"--store {self.uri}: object {key} vanished while reading") from e

    def upload(self, src: Path, key: str) -> None:
        dest = self._p(key)
        dest.parent.mkdir(parents=True, exist_ok=True)
        part = dest.with_name(dest.name + f".{os.getpid()}.part")
        shutil.copyfile(src, part)
        os.replace(part, dest)

    def put_bytes(self, key: str, data: bytes, if_none_match: bool = False, if_match: str | None = None) -> str | None:
        p = self._p(key)
        p.parent.mkdir(parents=True, exist_ok=True)
        with self._guard():
            cur = self.get_bytes(key)
            if (if_none_match and cur is not None) or (if_match and (cur is None or cur[1] != if_match)):
                return None
            part = p.with_name(p.name + f".{os.getpid()}.part")
            part.write_bytes(data)
            os.replace(part, p)
        return self._etag(data)

    def delete(self, key: str, if_match: str | None = None) -> bool:
        with self._guard():
            cur = self.get_bytes(key)
            if cur is None or (if_match and cur[1] != if_match):
                return False
            self._p(key).unlink(missing_ok=True)
            return True


def make_backend(uri: str) -> Backend:
    scheme, bucket, prefix = parse_uri(uri)
    if scheme == "s3":
        return S3Backend(uri, bucket, prefix)
    if scheme == "gs":
        return GCSBackend(uri, bucket, prefix)
    return FileBackend(uri, prefix)


# -- the local mirror -------------------------------------------------------------------------------
def mirror_dir(uri: str) -> Path:
    """The local folder for one store URI (its own name plus a digest, so two URIs never share one)."""
    slug = re.sub(r"[^A-Za-z0-9._-]+", "_", uri.split("://", 1)[-1]).strip("_")[-60:]
    return cache_root() / "stores" / f"{slug}-{hashlib.sha1(uri.encode('utf-8')).hexdigest()[:12]}"


@dataclass
class _Synced:
    key: str
    size: int
    stat: tuple[int, int, int]  # (size, mtime_ns, inode) of the local copy when it matched ``key``


def _stat(p: Path) -> tuple[int, int, int]:
    s = p.stat()
    return (s.st_size, s.st_mtime_ns, s.st_ino)


def crash_point(name: str) -> None:
    from .parquet import crash_point as _cp

    _cp(name)


class RemoteStore:
    """One store URI: its backend, its local mirror, its lease. Used by :class:`detente.store.Store`."""

    def __init__(self, uri: str):
        self.uri = uri.rstrip("/")
        self.backend = make_backend(self.uri)
        self.dir = mirror_dir(self.uri)
        self.path = self.dir / "store"
        self.generation = 0
        self.synced: dict[str, _Synced] = {}
        self._lease: _Lease | None = None

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
                gen = self._sync()
                if gen == 0 and not create:
                    raise DetenteError("E204", f"no detente store at {self.uri}",
                                       f"run `detente analyze PATH --store {self.uri}` first")
            elif not (self.path / "detente-store.json").exists() and not create:
                raise DetenteError("E204", f"no detente store at {self.uri} (a writer on this machine is creating it)")
        return self.path

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

    def _sync(self) -> int:
        """Make the mirror equal to the newest manifest; returns its generation. Caller holds the sync lock."""
        for attempt in range(3):
            gen, man = self.latest()
            self._load_state()
            try:
                self._apply(man["files"] if man else {})
            except _Vanished:  # an object of an old generation was cleaned up mid-sync: take the newest
                if attempt == 2:
                    raise DetenteError("E207", f"{self.uri}: objects kept vanishing during the sync", "try again")
                continue
            self.generation = gen
            self._save_state()
            return gen
        return self.generation  # pragma: no cover

    def _apply(self, files: dict) -> None:
        self.path.mkdir(parents=True, exist_ok=True)
        tmp = self.dir / "download"
        tmp.mkdir(exist_ok=True)
        local = _scan(self.path)
        for rel, st in local.items():  # the remote's deletions, and uncommitted local files
            if rel not in files:
                (self.path / rel).unlink(missing_ok=True)
                self.synced.pop(rel, None)
        for rel, ent in sorted(files.items()):
            key, size = ent["key"], int(ent["size"])
            rec = self.synced.get(rel)
            p = self.path / rel
            if rec and rec.key == key and rel in local and local[rel] == rec.stat:
                continue
            part = tmp / f"{uuid.uuid4().hex}.part"
            try:
                self.backend.download(key, part)
            except DetenteError:
                if key not in self.backend.list(DATA + rel):
                    raise _Vanished() from None
                raise
            p.parent.mkdir(parents=True, exist_ok=True)
            os.replace(part, p)
            self.synced[rel] = _Synced(key, size, _stat(p))
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
                lease.release()
        finally:
            wfh.close()

    def publish(self, lease: "_Lease") -> int:
        """Upload the mirror's changed files and commit the next manifest; returns its generation
        (the current one when nothing changed)."""
        local = _scan(self.path)
        gen = self.generation + 1
        token = uuid.uuid4().hex[:8]
        files: dict[str, dict] = {}
        changed = False
        synced: dict[str, _Synced] = {}
        for rel, st in sorted(local.items()):
            rec = self.synced.get(rel)
            if rec and rec.stat == st:
                files[rel] = {"key": rec.key, "size": rec.size}
                synced[rel] = rec
                continue
            key = f"{DATA}{rel}~{gen:06d}-{token}"
            self.backend.upload(self.path / rel, key)
            files[rel] = {"key": key, "size": st[0]}
            synced[rel] = _Synced(key, st[0], st)
            changed = True
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
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        with self._lock:
            if self.etag and not self.lost:
                try:
                    self.backend.delete(LEASE, if_match=self.etag)
                except DetenteError:
                    pass  # it expires by itself


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
