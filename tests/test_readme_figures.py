"""The README's figures on the seeds and the example corpus are the ones the code computes today."""

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow


def _script():
    spec = importlib.util.spec_from_file_location("readme_figures", ROOT / "scripts" / "readme_figures.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_readme_figures_have_not_drifted(tmp_path):
    rf = _script()
    if not rf.SEEDS.is_dir():
        pytest.skip("../shared is not present")
    rendered = rf.blocks(rf.build_store(tmp_path / "store"))
    readme = rf.README.read_text("utf-8")
    found = {m.group("name"): m.group("body") for m in rf.BLOCK.finditer(readme)}
    assert set(found) == set(rendered), "README.md figure blocks and the script's disagree"
    for name, body in rendered.items():
        assert found[name] == body, f"README.md block {name!r} has drifted: run python scripts/readme_figures.py"


def test_apply_replaces_only_the_marked_blocks():
    rf = _script()
    text = "a\n<!-- figures:x -->\nold\n<!-- /figures:x -->\nb\n"
    assert rf.apply(text, {"x": "new\n"}) == "a\n<!-- figures:x -->\nnew\n<!-- /figures:x -->\nb\n"
