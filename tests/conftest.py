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

# The quick subset, ``pytest -m "not slow"``, leaves out every test that loads the
# spaCy model, analyses articles into a store, or runs the CLI in a subprocess
# (which imports everything and usually analyses too). They are found at collection,
# so a new test needs no mark: a test is slow when it, or any fixture it uses
# (directly or through another fixture), is one of SLOW_FIXTURES or calls one of
# SLOW_CALLS in its own source.
SLOW_FIXTURES = frozenset({"nlp", "web_store", "seeds_dir", "small_corpus", "inprocess_store"})
SLOW_CALLS = ("analyze(", "load_pipeline", "resources_for(", "load_resources(", "detente.code(",
              "code_text(", "subprocess.", "_cli(", "CliRunner", "ray.init", "RayEngine",
              "engine=\"ray\"", "workers=")


def _calls_slow(fn, seen: dict) -> bool:
    import inspect

    key = getattr(fn, "__code__", fn)
    if key not in seen:
        try:
            src = inspect.getsource(fn)
        except (OSError, TypeError):
            src = ""
        seen[key] = any(c in src for c in SLOW_CALLS)
    return seen[key]


def pytest_collection_modifyitems(config, items):
    seen: dict = {}
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        slow = bool(SLOW_FIXTURES & names)
        if not slow and getattr(item, "function", None) is not None:
            slow = _calls_slow(item.function, seen)
        if not slow:
            defs = getattr(getattr(item, "_fixtureinfo", None), "name2fixturedefs", {})
            for name in names:
                for fd in defs.get(name, ()):
                    if "/tests/" in str(getattr(fd.func, "__code__", None) and fd.func.__code__.co_filename) \
                            and _calls_slow(fd.func, seen):
                        slow = True
        if slow:
            item.add_marker(pytest.mark.slow)


needs_shared = pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared is not present")
PEOPLE_FIXTURE = Path(__file__).parent / "fixtures" / "people_fixture.csv"


@pytest.fixture(scope="session")
def nlp():
    from detente.nlp import load_pipeline

    return load_pipeline()


@pytest.fixture(scope="session")
def kb():
    """The actor KB built on the small people fixture (tests that need the shipped people override it)."""
    from detente.actors import load_kb

    return load_kb(people_file=str(PEOPLE_FIXTURE))


@pytest.fixture(scope="session")
def lex():
    from detente.coding import load_lexicon

    return load_lexicon()


def assert_training_reproduces(tmp_path, script: str, settings: dict, model: str) -> None:
    """``scripts/<script>`` run at the shipped ``settings`` (flag -> value) rebuilds
    ``coding/data/models/<model>`` byte for byte, or at least with the same metadata and
    features and weights within 1e-3. Skips when ../shared/eval is not here."""
    import json
    import subprocess
    import sys

    if not (ROOT.parent / "shared" / "eval" / "plv_dev.jsonl").exists():
        pytest.skip("../shared/eval is not here")
    out = tmp_path / model
    args = [str(x) for flag, value in settings.items() for x in (flag, value)]
    r = subprocess.run([sys.executable, str(ROOT / "scripts" / script), "--shared",
                        str(ROOT.parent / "shared"), *args, "--out", str(out)],
                       capture_output=True, text=True, timeout=1800)
    assert r.returncode == 0, r.stderr[-2000:]
    shipped = ROOT / "src" / "detente" / "coding" / "data" / "models" / model
    if out.read_bytes() == shipped.read_bytes():
        return
    # say how they differ, briefly (a byte diff of 370 KB would swamp the report)
    new, old = json.loads(out.read_text()), json.loads(shipped.read_text())
    assert new["meta"] == old["meta"], (new["meta"], old["meta"])
    assert set(new["coef"]) == set(old["coef"]), len(set(new["coef"]) ^ set(old["coef"]))
    worst = max(abs(a - b) for k in new["coef"] for a, b in zip(new["coef"][k], old["coef"][k]))
    assert worst <= 1e-3, f"weights differ by up to {worst}: run scripts/{script}"


def recomputed(store, dest: Path):
    """A copy of ``store`` at ``dest`` with its incremental state removed and its events and
    stories recomputed in full: an incremental update must give the same rows."""
    from detente.analysis.incremental import STATE_FILE, refresh
    from detente.store import Store

    shutil.copytree(store.path, dest)
    (dest / STATE_FILE).unlink()
    fs = Store(dest)
    with fs.writer():
        refresh(fs, "full")
    return fs


def mention_at(ms, text, anchor):
    """The actor mention covering the first occurrence of ``anchor`` in ``text``."""
    a = text.index(anchor)
    return next((m for m in ms if m.start <= a < m.end), None)


def resolve_text(nlp, kb, text, date=None):
    """Actor mentions of ``text`` parsed as one article."""
    from detente.actors import resolve_doc

    return resolve_doc(nlp(text), "t", date, kb)


def code_with_actors(nlp, lex, text, spec):
    """Code ``text`` as one sentence with hand-placed actors: spec = [(surface, code, country), ...]."""
    from detente.coding import code_sentence
    from detente.types import ActorMention

    doc = nlp(text)
    actors = []
    for surface, code, country in spec:
        i = doc.text.index(surface)
        actors.append(ActorMention("t", surface, i, i + len(surface), code, country,
                                   code[3:] or None, None, "test"))
    return code_sentence(doc[:], actors, "t", None, lex)


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


@pytest.fixture(scope="session")
def web_store(tmp_path_factory, request):
    """The example corpus, plus the seed articles when ../shared is there, analysed into one store."""
    import detente

    inputs = [EXAMPLES]
    if SEEDS.is_dir():
        inputs.insert(0, request.getfixturevalue("seeds_dir"))
    store = tmp_path_factory.mktemp("web") / "store"
    detente.analyze(inputs, store=str(store))
    return store


def table_rows(store) -> dict:
    """Every stored row of a store except the write-time columns, in a canonical order."""
    import detente

    db = detente.open(store)
    out = {}
    for name, key in (("articles", "article_id"), ("mentions", "mention_id"), ("events", "event_id"),
                      ("actors", ["article_id", "start", "end", "code"])):
        df = getattr(db, name).drop(columns=["stored_at"], errors="ignore")
        out[name] = df.sort_values(key).reset_index(drop=True)
    return out


@pytest.fixture(scope="session")
def small_corpus(tmp_path_factory):
    """Four example articles: the engine parity fixture."""
    d = tmp_path_factory.mktemp("small")
    for f in sorted(EXAMPLES.glob("*.md"))[:4]:
        shutil.copy(f, d / f.name)
    return d


@pytest.fixture(scope="session")
def inprocess_store(small_corpus, tmp_path_factory):
    """``small_corpus`` analysed in-process (--workers 1), one article per batch: the reference rows."""
    import detente

    store = tmp_path_factory.mktemp("w1") / "s"
    detente.analyze([small_corpus], store=store, workers=1, batch_size=1)
    return store
