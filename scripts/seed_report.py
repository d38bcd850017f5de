"""Score the coder on the four seed articles against the hand gold and list what lies
behind the figures: missed core interactions, asserted events that match no gold entry,
and events asserted from hypothetical (or future/negated/speculated) clauses.

    python scripts/seed_report.py [--shared ../shared]
"""

from __future__ import annotations

import argparse

from detente.actors import load_kb
from detente.coding import load_lexicon
from detente.evaluate import format_table, run_seed_eval
from detente.nlp import load_pipeline


def _ev(e) -> str:
    return (f"{e.source_actor}->{e.target_actor} {e.cameo} {e.plover} {e.modality}"
            f"{' hedged' if e.hedged else ''} [{e.trigger}] "
            f"{e.sentence[:110]!r}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", default="../shared")
    args = ap.parse_args()
    rows, details = run_seed_eval(args.shared, load_pipeline(), load_kb(), load_lexicon())
    if not rows:
        raise SystemExit(f"no seed articles under {args.shared}/corpus/seeds")
    print(format_table(rows))
    print("\nmissed core interactions:")
    for seed, g in details["missed"]:
        print(f"  {seed} {g['source']}->{g['target']} {g['plover']}: {g['evidence'][:90]!r}")
    print("\nasserted events matching no gold entry:")
    for seed, e in details["unmatched"]:
        print(f"  {seed} {_ev(e)}")
    for key in ("asserted_hypotheticals", "asserted_other"):
        print(f"\n{key.replace('_', ' ')}:")
        for seed, g, e in details[key]:
            print(f"  {seed} [{g['kind']}] {_ev(e)}")


if __name__ == "__main__":
    main()
