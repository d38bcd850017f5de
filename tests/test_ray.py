"""The Ray Data engine stores the rows (event ids, mentions) of the local runner; a missing Ray is E305."""

import subprocess
import sys

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


def test_actor_pool_leaves_a_cpu_free():
    ray = pytest.importorskip("ray")
    eng = RayEngine(Config(engine="ray", ray_cpus=2))
    eng._start()
    try:
        args = eng._pool_args()
        size = args["compute"].min_size if "compute" in args else args["concurrency"]
        assert size * args["num_cpus"] <= ray.cluster_resources()["CPU"] - 1
    finally:
        eng.close()
    assert not ray.is_initialized()


def test_missing_ray_is_a_numbered_error(tmp_path):
    """With ray not importable, `--engine ray` prints E305 and the install hint, no traceback."""
    code = ("import sys; sys.modules['ray'] = None  # as if not installed\n"
            "from detente.cli import main; sys.argv = ['detente'] + sys.argv[1:]; main()")
    r = subprocess.run([sys.executable, "-c", code, "analyze", str(tmp_path), "--engine", "ray",
                        "--store", str(tmp_path / "s")], capture_output=True, text=True)
    assert r.returncode == 2, r.stderr
    assert "E305" in r.stderr and "detente[ray]" in r.stderr and "Traceback" not in r.stderr
