"""Regenerate the golden end-to-end snapshot in tests/golden/.

    python scripts/update_golden.py            # rewrite the snapshot files
    python scripts/update_golden.py --check    # exit 1 and print a diff if they differ

The snapshot is every actor mention and event mention that ``analyze_batch``
produces for ``examples/articles`` and, when ``../shared`` is present, the four
seed articles (given the stand-in dates the tests use). One JSON object per
line, keys sorted, rows sorted by article and offsets, so a diff shows exactly
which mention changed. Review the diff before committing a regenerated file:
it is the record of what the system does.
"""

from __future__ import annotations

import dataclasses
import difflib
import json
import os
import sys
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "golden"
EXAMPLES = ROOT / "examples" / "articles"
SHARED = Path(os.environ.get("DETENTE_SHARED", ROOT.parent / "shared"))
SEEDS = SHARED / "corpus" / "seeds"
# The seeds carry no dates; these stand-ins are the ones tests/conftest.py uses.
SEED_DATES = {"000": "2014-11-24", "001": "2015-02-10", "002": "2015-04-10", "003": "2015-02-10"}

CORPORA = {"examples": EXAMPLES, "seeds": SEEDS}


def _articles(name: str):
    from detente.ingest import read_inputs
    from detente.types import Article

    arts = [a for a in read_inputs([CORPORA[name]]) if isinstance(a, Article)]
    if name == "seeds":
        arts = [replace(a, published=SEED_DATES[Path(a.source_path).name[:3]]) for a in arts]
    return sorted(arts, key=lambda a: a.article_id)


def _line(obj) -> str:
    return json.dumps(dataclasses.asdict(obj), sort_keys=True, ensure_ascii=False)


def snapshot(name: str) -> dict[str, str]:
    """``{file name: text}`` of the snapshot of one corpus ("examples" or "seeds")."""
    from detente.config import Config
    from detente.pipeline import analyze_batch, resources_for

    res = resources_for(Config())
    actors, events = [], []
    for r in analyze_batch(_articles(name), res):
        if r.skipped is not None:
            raise SystemExit(f"{r.article.source_path}: skipped ({r.skipped.code} {r.skipped.reason})")
        actors += sorted(r.actors, key=lambda m: (m.article_id, m.start, m.end, m.code, m.reason))
        events += sorted(r.events, key=lambda e: (e.article_id, e.start, e.end, e.cameo,
                                                  e.source_actor or "", e.target_actor or "", _line(e)))
    return {f"{name}_actors.jsonl": "".join(_line(m) + "\n" for m in actors),
            f"{name}_events.jsonl": "".join(_line(e) + "\n" for e in events)}


def diff(name: str) -> str:
    """A unified diff between the stored snapshot of ``name`` and a fresh run ('' when equal)."""
    out = []
    for fname, text in snapshot(name).items():
        path = GOLDEN / fname
        old = path.read_text("utf-8") if path.exists() else ""
        if old != text:
            out += difflib.unified_diff(old.splitlines(True), text.splitlines(True),
                                        f"tests/golden/{fname} (stored)", f"{fname} (this run)", n=0)
    return "".join(out)


def main(argv: list[str]) -> int:
    names = ["examples"] + (["seeds"] if SEEDS.is_dir() else [])
    if "--check" in argv:
        d = "".join(diff(n) for n in names)
        sys.stdout.write(d)
        return 1 if d else 0
    GOLDEN.mkdir(parents=True, exist_ok=True)
    for n in names:
        for fname, text in snapshot(n).items():
            (GOLDEN / fname).write_text(text, "utf-8")
            print(f"wrote tests/golden/{fname}: {text.count(chr(10))} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
