"""The word lists the resolution rules read, loaded with the KB: ethnic and national
groups (``ethnic_groups.yaml``), organisation head words (``org_words.yaml``) and
names whose country depends on the date (``dated_names.csv``). Each reader checks its
file and raises E304 on a malformed one."""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ...errors import DetenteError
from .keys import alias_keys, norm, parse_date

NO_COUNTRY = frozenset({"code", "sentence", "skip"})


@dataclass(frozen=True)
class EthnicLex:
    """Residence words and stateless groups (token keys)."""

    residence_nouns: frozenset[str] = frozenset()
    residence_mods: frozenset[str] = frozenset()
    # group word key -> (group name, homeland ISO3 codes)
    groups: dict[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)

    def residence_word(self, key: str) -> bool:
        return key in self.residence_nouns or key in self.residence_mods or key in self.groups


def read_ethnic(path: Path, countries) -> EthnicLex:
    """Load ``ethnic_groups.yaml``; a malformed file raises E304."""
    if not path.exists():
        return EthnicLex()
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    groups: dict[str, tuple[str, tuple[str, ...]]] = {}
    for name, spec in (data.get("groups") or {}).items():
        if not isinstance(spec, dict) or not isinstance(spec.get("forms"), list) or \
                any(c not in countries for c in spec.get("countries") or []):
            raise DetenteError("E304", f"{path.name}: bad group {name!r} "
                               "(want forms: [...] and countries: [ISO3, ...])")
        for form in spec["forms"]:
            groups[norm(str(form))] = (str(name), tuple(spec.get("countries") or ()))
    nouns = frozenset(norm(str(w)) for w in data.get("residence_nouns") or [])
    mods = frozenset(norm(str(w)) for w in data.get("residence_modifiers") or [])
    return EthnicLex(nouns, mods, groups)


@dataclass(frozen=True)
class OrgWords:
    """Head words -> (kind, sector, no-country rule) and the word lists of org_words.yaml."""

    heads: dict[str, tuple[str, str, str]] = field(default_factory=dict)
    party_heads: frozenset[str] = frozenset()
    party_words: frozenset[str] = frozenset()
    labour_heads: frozenset[str] = frozenset()
    labour_words: frozenset[str] = frozenset()
    igo_words: frozenset[str] = frozenset()
    # nouns that describe an organisation before or in apposition to its name ("Chinese
    # telecommunications giant ZTE", "Deutz, a German engine manufacturer") -> sector
    descriptors: dict[tuple[str, ...], str] = field(default_factory=dict)
    # nouns that make a person a member of the organisation after "of/for/at" ("a spokesman
    # for the Egyptian army", "a member of the Kenyan parliament")
    affiliation_nouns: frozenset[str] = frozenset()


def read_org_words(path: Path) -> OrgWords | None:
    """Load ``org_words.yaml``; a malformed file raises E304."""
    if not path.exists():
        return None
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    heads: dict[str, tuple[str, str, str]] = {}
    for kind, spec in (data.get("kinds") or {}).items():
        if not isinstance(spec, dict) or spec.get("no_country") not in NO_COUNTRY or \
                not str(spec.get("sector", "")).isalpha() or not isinstance(spec.get("heads"), list):
            raise DetenteError("E304", f"{path.name}: bad kind {kind!r} (want sector, "
                               "no_country: code|sentence|skip, heads: [...])")
        for w in spec["heads"]:
            heads.setdefault(norm(str(w)), (str(kind), str(spec["sector"]), spec["no_country"]))

    def words(name: str) -> frozenset[str]:
        return frozenset(norm(str(w)) for w in data.get(name) or [])

    descriptors: dict[str, str] = {}
    for sector, nouns in (data.get("descriptors") or {}).items():
        if not (isinstance(sector, str) and len(sector) == 3 and sector.isalpha()
                and sector.isupper()) or not isinstance(nouns, list):
            raise DetenteError("E304", f"{path.name}: bad descriptors entry {sector!r} "
                               "(want a 3-letter sector code: [nouns])")
        for w in nouns:  # one word or a phrase ("hospitality group")
            descriptors.setdefault(tuple(norm(x) for x in str(w).split()), sector)
    return OrgWords(heads, words("party_heads"), words("party_words"), words("labour_heads"),
                    words("labour_words"), words("igo_words"), descriptors,
                    words("affiliation_nouns"))


@dataclass(frozen=True, slots=True)
class DatedName:
    """One reading of a name: ``iso3`` between ``start`` and ``end`` (inclusive),
    unless the text contains one of ``unless`` (normalised token tuples)."""

    key: tuple[str, ...]
    iso3: str
    start: dt.date | None
    end: dt.date | None
    unless: tuple[tuple[str, ...], ...] = ()


def read_dated_names(path: Path, countries) -> dict[tuple[str, ...], tuple[DatedName, ...]]:
    """Load ``dated_names.csv`` (columns name, iso3, start, end, unless, note)."""
    if not path.exists():
        return {}
    out: dict[tuple[str, ...], list[DatedName]] = {}
    with open(path, encoding="utf-8", newline="") as f:
        for n, r in enumerate(csv.DictReader(f), start=2):
            where = f"{path.name}: line {n}"
            if not r.get("name") or r.get("iso3") not in countries:
                raise DetenteError("E304", f"{where}: want a name and a known ISO3 code")
            key = tuple(alias_keys(r["name"]))
            unless = tuple(tuple(alias_keys(u)) for u in (r.get("unless") or "").split(";")
                           if u.strip())
            out.setdefault(key, []).append(DatedName(
                key, r["iso3"], parse_date(r.get("start"), where), parse_date(r.get("end"), where),
                unless))
    return {k: tuple(v) for k, v in out.items()}
