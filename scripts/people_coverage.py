"""Coverage gaps of people.csv: for each state and post, the periods no row covers.

    python scripts/people_coverage.py                      # priority states, FM and DM
    python scripts/people_coverage.py --since 2000 --roles foreign_minister
    python scripts/people_coverage.py --states ALL --markdown > /tmp/coverage.md

A gap is a stretch of more than ``--slack`` days (default 31) between 1 January of
``--since`` and the reference date with no holder of the post; acting holders count
as holders. ``--markdown`` prints the summary table kept in
``src/detente/actors/data/PEOPLE.md`` (years covered per post since ``--since``).
Reads the CSV with the standard library only; no spaCy, no KB build.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import sys
from collections import defaultdict
from pathlib import Path

PEOPLE = Path(__file__).resolve().parents[1] / "src" / "detente" / "actors" / "data" / "people.csv"
TODAY = dt.date(2026, 11, 22)  # the date the file is kept current to (as tests/test_people_data.py)

# the states issue 14 names as those that matter in international news: G20, NATO, the
# permanent five, the Gulf, the Middle East, the former Soviet Union, the large African and
# Latin American states
PRIORITY = (
    "ARG AUS BRA CAN CHN FRA DEU IND IDN ITA JPN KOR MEX RUS SAU ZAF TUR GBR USA "
    "ALB BEL BGR HRV CZE DNK EST FIN GRC HUN ISL LVA LTU LUX MNE NLD MKD NOR POL PRT ROU SVK "
    "SVN ESP SWE ARE BHR KWT OMN QAT IRN ISR EGY PAK PRK UKR BLR KAZ KGZ TJK TKM UZB ARM AZE "
    "GEO ETH NGA KEN COD SDN VEN COL CUB IRQ SYR LBN JOR LBY DZA MAR TUN YEM PSE AFG"
).split()
ABBR = {"foreign_minister": "FM", "defense_minister": "DM", "head_of_state": "HoS",
        "head_of_government": "HoG", "chief_of_staff": "CoS"}


def spans(rows, since: dt.date) -> dict[tuple[str, str], list[tuple[dt.date, dt.date]]]:
    out: dict[tuple[str, str], list[tuple[dt.date, dt.date]]] = defaultdict(list)
    for r in rows:
        if not r["country"]:
            continue
        start = dt.date.fromisoformat(r["start"])
        end = dt.date.fromisoformat(r["end"]) if r["end"] else TODAY
        if end > since:
            out[(r["country"], r["role"])].append((max(start, since), end))
    return out


def gaps(items: list[tuple[dt.date, dt.date]], since: dt.date, slack: int
         ) -> list[tuple[dt.date, dt.date]]:
    found, cur = [], since
    for start, end in sorted(items):
        if (start - cur).days > slack:
            found.append((cur, start))
        cur = max(cur, end)
    if (TODAY - cur).days > slack:
        found.append((cur, TODAY))
    return found


def covered_days(items, since: dt.date) -> int:
    days, cur = 0, since
    for start, end in sorted(items):
        start = max(start, cur)
        if end > start:
            days += (end - start).days
            cur = end
    return days


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--file", default=str(PEOPLE))
    ap.add_argument("--since", type=int, default=1990)
    ap.add_argument("--roles", default="foreign_minister,defense_minister")
    ap.add_argument("--states", default="PRIORITY", help="comma-separated ISO3, PRIORITY or ALL")
    ap.add_argument("--slack", type=int, default=31)
    ap.add_argument("--markdown", action="store_true")
    a = ap.parse_args(argv)
    with open(a.file, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    since = dt.date(a.since, 1, 1)
    roles = a.roles.split(",")
    table = spans(rows, since)
    if a.states == "PRIORITY":
        states = PRIORITY
    elif a.states == "ALL":
        states = sorted({r["country"] for r in rows if r["country"]})
    else:
        states = a.states.split(",")
    total = (TODAY - since).days
    if a.markdown:
        print("| state | " + " | ".join(f"{ABBR.get(r, r)} covered | {ABBR.get(r, r)} gaps"
                                          for r in roles) + " |")
        print("|---|" + "---|---|" * len(roles))
    full = 0
    for cc in states:
        cells = []
        for role in roles:
            items = table.get((cc, role), [])
            share = covered_days(items, since) / total
            holes = gaps(items, since, a.slack)
            full += not holes
            text = ", ".join(f"{s:%Y-%m}–{e:%Y-%m}" for s, e in holes) or "none"
            if a.markdown:
                cells += [f"{share:.0%}", text]
            else:
                print(f"{cc} {ABBR.get(role, role):3} {share:5.0%}  gaps: {text}")
        if a.markdown:
            print(f"| {cc} | " + " | ".join(cells) + " |")
    n = len(states) * len(roles)
    print(f"\n{full}/{n} state-posts without a gap since {since} (slack {a.slack} days)",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
