"""The README's figures on the seeds and the example corpus, computed, not typed.

    python scripts/readme_figures.py            # rewrite the blocks in README.md
    python scripts/readme_figures.py --check    # exit 1 when README.md has drifted

Each figure block in README.md sits between ``<!-- figures:NAME -->`` and
``<!-- /figures:NAME -->``; this script analyses ``../shared/corpus/seeds`` and
``examples/articles`` into a temporary store (as a user would:
``detente analyze ../shared/corpus/seeds examples/articles``), renders every
block from the store and writes them in. ``tests/test_readme_figures.py``
renders them the same way and fails when README.md differs, so a change to the
coder that moves a count also moves the README, or the test says so.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
SEEDS = ROOT.parent / "shared" / "corpus" / "seeds"
EXAMPLES = ROOT / "examples" / "articles"
BLOCK = re.compile(r"(<!-- figures:(?P<name>[a-z0-9-]+) -->\n)(?P<body>.*?)(<!-- /figures:(?P=name) -->)", re.S)


def build_store(path: Path, seeds: Path = SEEDS, examples: Path = EXAMPLES) -> Path:
    import detente

    detente.analyze([seeds, examples], store=str(path), workers=1)
    return path


def _pct(x) -> str:
    return f"{100 * float(x):.0f}%"


def _stance(mean, n) -> str:
    if mean is None or mean != mean:
        return f"— ({int(n)})"
    return f"{mean:+.2f} ({int(n)})".replace("-", "−")


def blocks(store: Path) -> dict[str, str]:
    """Every README figure block, rendered from ``store``."""
    import detente

    db = detente.open(str(store))
    n_articles = len(db.articles)
    n_mentions = len(db.mentions)
    n_events = len(db.events)
    undated = int(db.articles.published.isna().sum())
    o = db.outlets().sort_values(["articles", "outlet"], ascending=[True, True])
    no_outlet = int(o.outlet.str.startswith("article:").sum())
    out = {"corpus-counts": (
        f"**On the seeds and the example corpus** (`detente analyze ../shared/corpus/seeds\n"
        f"examples/articles`: {n_articles} articles, {n_mentions} event mentions, {n_events} events; the seeds carry\n"
        f"no date ({undated} undated articles) and no outlet, so {no_outlet} of them appear as `article:ID`):\n")}
    rows = ["| outlet | articles | opinion | mentions | events | hedged | speculative | stance (n) | exclusive events |",
            "|---|---|---|---|---|---|---|---|---|"]
    for r in o.itertuples():
        rows.append(f"| {r.outlet} | {r.articles} | {_pct(r.opinion_share)} | {r.mentions} | {r.events} | "
                    f"{_pct(r.hedged_share)} | {_pct(r.speculative_share)} | {_stance(r.stance_mean, r.stance_n)} | "
                    f"{r.exclusive_events} |")
    out["outlet-table"] = "\n".join(rows) + "\n"
    db.close()
    return out


def apply(readme: str, rendered: dict[str, str]) -> str:
    def sub(m: re.Match) -> str:
        name = m.group("name")
        if name not in rendered:
            raise SystemExit(f"README.md has a figure block {name!r} this script does not render")
        return m.group(1) + rendered[name] + m.group(4)

    return BLOCK.sub(sub, readme)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="exit 1 when README.md differs from the computed figures")
    args = ap.parse_args(argv)
    if not SEEDS.is_dir():
        print(f"{SEEDS} not found: the README figures need the seed articles", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="detente-readme-") as d:
        rendered = blocks(build_store(Path(d) / "store"))
    old = README.read_text("utf-8")
    new = apply(old, rendered)
    found = {m.group("name") for m in BLOCK.finditer(old)}
    if found != set(rendered):
        print(f"README.md figure blocks {sorted(found)} differ from {sorted(rendered)}", file=sys.stderr)
        return 1
    if args.check:
        if new != old:
            print("README.md figures have drifted: run python scripts/readme_figures.py", file=sys.stderr)
            return 1
        print("README.md figures are current")
        return 0
    README.write_text(new, "utf-8")
    print(f"wrote {len(rendered)} figure blocks into {README}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
