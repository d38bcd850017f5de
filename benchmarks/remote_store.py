"""A store on object storage: what the mirror, the uploads and the manifest cost, against a local store.

    python benchmarks/remote_store.py [--first 40] [--workers 1]

Starts a local moto S3 server (no network: request latency is near zero here, so real S3 adds
its round trips, about a dozen requests a write plus one a changed file), then analyses the first
``--first`` example articles into a local folder store and into ``s3://``, then all but the last
of ``examples/articles`` into both (an incremental run), then all of them from an empty cache (an
incremental run on another machine, which rebuilds the incremental state from its published
parts), and prints for each run the wall time, the time spent syncing the mirror and publishing
(uploads + manifest + clean-up), how many objects and bytes were uploaded and how many of them
were the incremental state's parts (``_cache/state/``); then the time to open the store and read the events table with
the writer's cache (nothing to download), and from an empty cache (another machine: every object
is downloaded). Needs boto3 and moto[server]. Not a test: run it when you want numbers.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--first", type=int, default=40, help="articles in the first run (the rest come in the second)")
    ap.add_argument("--workers", type=int, default=1)
    args = ap.parse_args()

    import logging

    import boto3
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # moto's request log

    import detente
    from detente.store import objects, remote

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    os.environ.update(AWS_ENDPOINT_URL=f"http://{host}:{port}", AWS_ACCESS_KEY_ID="bench", AWS_SECRET_ACCESS_KEY="bench",
                      AWS_DEFAULT_REGION="us-east-1")
    boto3.client("s3").create_bucket(Bucket="detente-bench")
    uri = "s3://detente-bench/store"
    tmp = Path(tempfile.mkdtemp(prefix="detente-remote-bench-"))
    os.environ["DETENTE_CACHE_DIR"] = str(tmp / "cache")

    # time the two remote steps by wrapping them (the code under test is unchanged)
    spent = {"sync": 0.0, "publish": 0.0, "uploads": 0, "bytes": 0, "state_uploads": 0, "state_bytes": 0}

    def timed(name, fn):
        def wrapper(*a, **kw):
            t = time.perf_counter()
            try:
                return fn(*a, **kw)
            finally:
                spent[name] += time.perf_counter() - t
        return wrapper

    remote.RemoteStore._sync = timed("sync", remote.RemoteStore._sync)
    remote.RemoteStore.publish = timed("publish", remote.RemoteStore.publish)
    upload = objects.S3Backend.upload

    def counted(self, src, key):
        spent["uploads"] += 1
        spent["bytes"] += Path(src).stat().st_size
        if key.startswith("files/_cache/state/"):
            spent["state_uploads"] += 1
            spent["state_bytes"] += Path(src).stat().st_size
        return upload(self, src, key)

    objects.S3Backend.upload = counted

    arts = sorted(f for f in (ROOT / "examples" / "articles").glob("*.md") if f.name != "README.md")
    first, rest, every = tmp / "first", tmp / "rest", tmp / "all"
    for d in (first, rest, every):
        d.mkdir()
    for i, f in enumerate(arts):
        shutil.copy(f, every / f.name)
        if i < len(arts) - 1:
            shutil.copy(f, rest / f.name)
        if i < args.first:
            shutil.copy(f, first / f.name)
    print(f"{len(arts)} example articles: {args.first} in the first run, {len(arts) - 1 - args.first} added by the "
          f"second, 1 by the third (from an empty cache); --workers {args.workers}")
    detente.analyze([arts[0]], store=str(tmp / "warm-up"), workers=args.workers)  # model load, untimed
    for label, inputs in (("first run", first), ("second run (incremental)", rest),
                          ("third run, another machine", every)):
        if label.startswith("third"):
            os.environ["DETENTE_CACHE_DIR"] = str(tmp / "cache-third")
        for store in (str(tmp / "local"), uri):
            for k in spent:
                spent[k] = 0
            t = time.perf_counter()
            run = detente.analyze([inputs], store=store, workers=args.workers)
            wall = time.perf_counter() - t
            where = "s3 (moto)" if store == uri else "local"
            extra = (f"; sync {spent['sync']:.2f} s, publish {spent['publish']:.2f} s "
                     f"({spent['uploads']} objects, {spent['bytes'] / 1e6:.2f} MB uploaded, of which the state's "
                     f"parts {spent['state_uploads']} objects, {spent['state_bytes'] / 1e6:.3f} MB)") if store == uri else ""
            print(f"{label:26s} {where:10s} {wall:6.2f} s, {run.articles_stored} stored "
                  f"({run.articles_unchanged} unchanged, {run.articles_skipped} skipped), {run.events} events{extra}")
    size = sum(p.stat().st_size for p in (tmp / "local").rglob("*") if p.is_file())
    state = (tmp / "local" / "_cache" / "derived.duckdb").stat().st_size
    parts = sum(p.stat().st_size for p in (tmp / "cache-third").rglob("_cache/state/**/*") if p.is_file())
    for label in ("open + read events, warm cache", "open + read events, empty cache"):
        if "empty" in label:
            os.environ["DETENTE_CACHE_DIR"] = str(tmp / "cache2")
        spent["sync"] = 0
        t = time.perf_counter()
        n = len(detente.open(uri).events)
        print(f"{label:34s} {time.perf_counter() - t:6.2f} s (sync {spent['sync']:.2f} s), {n} events")
    t = time.perf_counter()
    n = len(detente.open(str(tmp / "local")).events)
    print(f"{'open + read events, local store':34s} {time.perf_counter() - t:6.2f} s, {n} events; "
          f"store {size / 1e6:.2f} MB, of which _cache/derived.duckdb {state / 1e6:.2f} MB; "
          f"the state's parts in the bucket {parts / 1e6:.2f} MB")
    server.stop()
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
