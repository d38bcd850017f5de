import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("DETENTE_SHARED", ROOT.parent / "shared"))
EXAMPLES = ROOT / "examples" / "articles"
SEEDS = SHARED / "corpus" / "seeds"

# Dates for the seed articles (they carry none); used where a test needs one.
SEED_DATES = {"000": "2014-11-24", "001": "2015-02-10", "002": "2015-04-10", "003": "2015-02-10"}

needs_shared = pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared is not present")


@pytest.fixture(scope="session")
def nlp():
    from detente.nlp import load_pipeline

    return load_pipeline()


@pytest.fixture(scope="session")
def seeds_dir(tmp_path_factory):
    """The seed articles with a sidecar giving them stand-in dates."""
    if not SEEDS.is_dir():
        pytest.skip("../shared is not present")
    d = tmp_path_factory.mktemp("seeds")
    for f in SEEDS.glob("*.txt"):
        shutil.copy(f, d / f.name)
    rows = ["file,published"] + [f"{f.name},{SEED_DATES[f.name[:3]]}" for f in SEEDS.glob("*.txt")]
    (d / "_meta.csv").write_text("\n".join(rows) + "\n", "utf-8")
    return d
