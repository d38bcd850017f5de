"""The Ray engine stores the rows (event ids, mentions) of the local runner; a missing Ray is E305."""

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import detente
from detente.config import Config
from detente.engines.ray_engine import RayEngine

from conftest import table_rows


def test_ray_engine_matches_local_runner(small_corpus, inprocess_store, tmp_path):
    ray = pytest.importorskip("ray")
    assert not ray.is_initialized()
    cfg = Config.from_env(store=str(tmp_path / "s"), engine="ray", ray_cpus=2, ray_actors=2,
                          ray_cpus_per_actor=0.5, batch_size=1)
    from detente.engines.local import run_analyze

    run = run_analyze([str(small_corpus)], cfg)
    assert not ray.is_initialized(), "the engine must shut down the Ray it started"
    assert run.articles_stored == 4 and run.status == "ok"
    want, got = table_rows(inprocess_store), table_rows(tmp_path / "s")
    assert len(want["events"]) > 0
    assert sorted(got["events"].event_id) == sorted(want["events"].event_id)
    for name in want:
        pd.testing.assert_frame_equal(got[name], want[name], obj=name)
    # a re-run through Ray finds nothing new and starts no Ray
    again = detente.analyze([small_corpus], store=tmp_path / "s", engine="ray", ray_cpus=2)
    assert (again.articles_stored, again.articles_unchanged) == (0, 4)
    assert not ray.is_initialized()


def test_actor_pool_fills_the_cluster_and_obeys_its_caps():
    ray = pytest.importorskip("ray")
    eng = RayEngine(Config(engine="ray", ray_cpus=2))
    eng._start()
    try:
        assert ray.cluster_resources()["CPU"] == 2
        assert eng.pool_size() == (2, 1.0)  # one actor per CPU
        eng.config = Config(engine="ray", ray_cpus=2, ray_actors=1)
        assert eng.pool_size() == (1, 1.0)  # --ray-actors caps it
        eng.config = Config(engine="ray", ray_cpus=2, ray_cpus_per_actor=0.5)
        assert eng.pool_size() == (4, 0.5)
        eng.config = Config(engine="ray", ray_cpus=2, ray_cpus_per_actor=4)
        assert eng.pool_size() == (1, 2.0)  # an actor bigger than the cluster gets what there is
    finally:
        eng.close()
    assert not ray.is_initialized()


def test_a_batch_that_fails_in_its_actor_is_a_numbered_error(small_corpus, tmp_path):
    """A batch function that raises: E306 naming the batch, and the batches before it stay stored."""
    pytest.importorskip("ray")
    from detente.ingest import read_inputs

    third = [a for a in read_inputs([str(small_corpus)])][2].article_id
    script = f"""
import sys
sys.path.insert(0, {str(Path(__file__).parent)!r})
import ray.cloudpickle, batchfns
ray.cloudpickle.register_pickle_by_value(batchfns)
from detente.config import Config
from detente.engines.local import run_analyze
from detente.errors import DetenteError
cfg = Config.from_env(store={str(tmp_path / "s")!r}, engine="ray", ray_cpus=1, batch_size=1)
try:
    run_analyze([{str(small_corpus)!r}], cfg, batch_fn=batchfns.RaisesOn({third!r}))
except DetenteError as e:
    print("ERROR", e)
"""
    r = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-3000:]
    assert "E306" in r.stdout and "batch 3" in r.stdout and "RuntimeError" in r.stdout, r.stdout
    stored = table_rows(tmp_path / "s")["articles"]
    assert len(stored) == 2 and third not in set(stored.article_id)


def test_batches_stream_in_order_with_a_bounded_queue():
    """Two actors, twelve batches: results come back in batch order, and the driver never takes more
    than two batches per actor ahead of the one it is waiting for."""
    ray = pytest.importorskip("ray")
    import batchfns
    from detente.types import Article

    ray.cloudpickle.register_pickle_by_value(batchfns)  # the actors cannot import the tests folder
    pulled: list[int] = []

    def batches():
        for k in range(12):
            pulled.append(k)
            yield [Article(f"a{k:02d}", "text", f"h{k}", "x.txt", "txt")]

    eng = RayEngine(Config(engine="ray", ray_cpus=2, ray_actors=2), fn=batchfns.ids_only)
    got = []
    try:
        for k, ids in enumerate(eng.map(batches())):
            got.append(ids)
            assert len(pulled) <= k + 1 + 2 * 2
    finally:
        eng.close()
    assert got == [[f"a{k:02d}"] for k in range(12)]
    assert len(eng.actor_pids) == 2 and not ray.is_initialized()


def test_missing_ray_is_a_numbered_error(tmp_path):
    """With ray not importable, `--engine ray` prints E305 and the install hint, no traceback."""
    code = ("import sys; sys.modules['ray'] = None  # as if not installed\n"
            "from detente.cli import main; sys.argv = ['detente'] + sys.argv[1:]; main()")
    r = subprocess.run([sys.executable, "-c", code, "analyze", str(tmp_path), "--engine", "ray",
                        "--store", str(tmp_path / "s")], capture_output=True, text=True)
    assert r.returncode == 2, r.stderr
    assert "E305" in r.stderr and "detente[ray]" in r.stderr and "Traceback" not in r.stderr
