"""Object storage backends for a remote store: the few operations it needs on S3, GCS and a folder.

:mod:`.remote` builds the store on them (mirror, manifest, lease). boto3 and google-cloud-storage
are optional extras (``detente[s3]``, ``detente[gcs]``) imported only when such a store is opened:
they are used rather than pyarrow.fs or fsspec because the store's single-writer guarantee rests
on conditional writes (``If-None-Match``/``If-Match``, GCS generation preconditions), which those
portable APIs do not expose.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
import shutil
from contextlib import contextmanager
from pathlib import Path

from ..errors import DetenteError

SCHEMES = ("s3", "gs", "file")
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
