"""A real two-node Ray cluster on this machine: ``--engine ray --address`` stores the local engine's rows,
and a Ray actor that dies mid-batch loses nothing (its batch is retried).

The nodes are started with ``ray start --head`` and ``ray start --address``
(ports on this machine, their own temp dir and resources), each in its own
process session that the test ends itself (never ``ray stop``, which would
stop every Ray on the machine). Skipped when ray is not installed.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
import pytest

from conftest import table_rows

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _stop(procs: list[subprocess.Popen]) -> None:
    for p in reversed(procs):  # the second node first, then the head
        for sig in (signal.SIGTERM, signal.SIGKILL):
            try:
                os.killpg(p.pid, sig)
            except ProcessLookupError:
                break
            try:
                p.wait(timeout=20)
                break
            except subprocess.TimeoutExpired:
                continue


@pytest.fixture(scope="module")
def cluster():
    pytest.importorskip("ray")
    # `ray start` through this interpreter: its worker processes must import the same detente
    # (on a real cluster, the same detente is installed on every node).
    cli = [sys.executable, "-m", "ray.scripts.scripts"]
    port = _free_port()
    tmp = tempfile.mkdtemp(prefix="dr-", dir="/tmp")  # short: Ray's socket paths have a length limit
    # A local test cluster without Ray 2.5x's token authentication: the drivers below (this process and
    # `detente analyze` subprocesses) inherit the same setting.
    mp = pytest.MonkeyPatch()
    mp.setenv("RAY_AUTH_MODE", "disabled")
    mp.setenv("RAY_USAGE_STATS_ENABLED", "0")
    env = dict(os.environ)
    common = ["--node-ip-address", "127.0.0.1", "--object-store-memory", str(150 * 2**20), "--block",
              "--disable-usage-stats"]
    procs: list[subprocess.Popen] = []
    log = open(Path(tmp) / "ray-start.log", "w")
    try:
        procs.append(subprocess.Popen(
            [*cli, "start", "--head", "--port", str(port), "--num-cpus", "1", "--resources", '{"head_node": 1}',
             "--include-dashboard", "false", "--temp-dir", tmp, *common],
            stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True))
        address = f"127.0.0.1:{port}"
        _wait_nodes(address, 1, procs)
        procs.append(subprocess.Popen(
            [*cli, "start", "--address", address, "--num-cpus", "2", "--resources", '{"second_node": 1}', *common],
            stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True))
        _wait_nodes(address, 2, procs)
        yield address
    finally:
        _stop(procs)
        mp.undo()
        log.close()
        shutil.rmtree(tmp, ignore_errors=True)


def _wait_nodes(address: str, n: int, procs, timeout: float = 180) -> None:
    """Wait until the cluster at ``address`` has ``n`` live nodes (asked from a separate driver process)."""
    code = ("import ray, sys; ray.init(address=sys.argv[1], log_to_driver=False); "
            "print(sum(1 for x in ray.nodes() if x['Alive'])); ray.shutdown()")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(p.poll() is not None for p in procs):
            pytest.fail("a `ray start` process exited early")
        r = subprocess.run([sys.executable, "-c", code, address], capture_output=True, text=True, timeout=120)
        if r.returncode == 0 and r.stdout.strip().splitlines()[-1:] == [str(n)]:
            return
        time.sleep(2)
    pytest.fail(f"the Ray cluster at {address} did not reach {n} nodes")


def test_two_node_cluster_matches_local_engine(cluster, small_corpus, inprocess_store, tmp_path):
    """`analyze --engine ray --address HOST:PORT` on two raylets stores exactly the in-process rows."""
    r = subprocess.run([sys.executable, "-m", "detente", "analyze", str(small_corpus), "--store",
                        str(tmp_path / "s"), "--engine", "ray", "--address", cluster, "--batch-size", "1"],
                       capture_output=True, text=True, timeout=900)
    assert r.returncode == 0, r.stderr[-3000:]
    want, got = table_rows(inprocess_store), table_rows(tmp_path / "s")
    assert len(want["events"]) > 0
    for name in want:
        pd.testing.assert_frame_equal(got[name], want[name], obj=name)


def test_actor_death_loses_no_batch(cluster, small_corpus, inprocess_store, tmp_path):
    """The first batch kills its Ray actor's process; Ray restarts the actor and retries the batch.

    The driver is a fresh process (as `detente analyze` is), so no Ray state of other tests leaks in."""
    marker = tmp_path / "died"
    script = f"""
import sys
sys.path.insert(0, {str(Path(__file__).parent)!r})
import ray.cloudpickle, batchfns
ray.cloudpickle.register_pickle_by_value(batchfns)  # the actors cannot import the tests folder
from detente.config import Config
from detente.engines.local import run_analyze
cfg = Config.from_env(store={str(tmp_path / "s")!r}, engine="ray", ray_address={cluster!r}, batch_size=1)
run = run_analyze([{str(small_corpus)!r}], cfg, batch_fn=batchfns.DiesOnce({str(marker)!r}))
print("RESULT", run.articles_stored, run.status)
"""
    r = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=900)
    assert r.returncode == 0, r.stderr[-3000:]
    assert marker.exists(), "the batch function never killed its actor"
    assert "RESULT 4 ok" in r.stdout
    want, got = table_rows(inprocess_store), table_rows(tmp_path / "s")
    for name in want:
        pd.testing.assert_frame_equal(got[name], want[name], obj=name)
