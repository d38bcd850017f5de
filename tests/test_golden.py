"""The golden end-to-end snapshot: every actor and event mention of the example
corpus and the seeds, byte for byte. A failure prints the diff; if the change is
intended, run ``python scripts/update_golden.py``, review the diff and say why
in the commit."""

import importlib.util

import pytest
from conftest import ROOT, SEEDS

pytestmark = pytest.mark.slow

_spec = importlib.util.spec_from_file_location("update_golden", ROOT / "scripts" / "update_golden.py")
golden = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(golden)


def _check(name):
    d = golden.diff(name)
    if d:
        pytest.fail(f"the {name} output differs from tests/golden/ (- stored, + this run):\n{d}", pytrace=False)


def test_golden_examples():
    _check("examples")


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared is not present")
def test_golden_seeds():
    _check("seeds")


def test_golden_files_are_sorted_and_nonempty():
    import json

    for f in sorted((ROOT / "tests" / "golden").glob("*.jsonl")):
        rows = [json.loads(x) for x in f.read_text("utf-8").splitlines()]
        assert rows, f
        keys = [(r["article_id"], r["start"], r["end"]) for r in rows]
        assert keys == sorted(keys), f"{f.name} is not sorted by article and offsets"
