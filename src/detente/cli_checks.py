"""Validation of the read commands' filters: a bad value is E303 (exit 2), never an empty answer.

``--since notadate``, ``--modality bogus`` or an actor code that names nothing
would otherwise run and print "no events", which a script cannot tell from a
true empty result.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from functools import lru_cache
from importlib import resources

from .errors import DetenteError
from .types import MODALITIES

ACTOR_RE = re.compile(r"^[A-Z][A-Z0-9]{2,17}$")  # RUS, RUSGOV, PRKMILGOV, NATO, IGOUNO
CAMEO_RE = re.compile(r"^[0-9]{2,4}$")


def iso_date(value: str | None, name: str) -> str | None:
    if value is None or value == "":
        return None
    try:
        return dt.date.fromisoformat(value.strip()).isoformat()
    except ValueError as e:
        raise DetenteError("E303", f"{name} {value!r} is not a date", "use YYYY-MM-DD, e.g. 2015-01-31") from e


def date_range(since: str | None, until: str | None, names: tuple[str, str] = ("--since", "--until")):
    a, b = iso_date(since, names[0]), iso_date(until, names[1])
    if a and b and a > b:
        raise DetenteError("E303", f"{names[0]} {a} is after {names[1]} {b}", "swap them")
    return a, b


def modality(value: str | None) -> str | None:
    if value is None:
        return None
    v = value.strip().lower()
    if v not in MODALITIES:
        raise DetenteError("E303", f"--modality {value!r} is not a modality", f"use one of {', '.join(MODALITIES)}")
    return v


def split(values: list[str] | str | None) -> list[str]:
    """Repeated options and comma-separated lists alike: ``--actor RUS --actor PRK`` = ``--actor RUS,PRK``."""
    if not values:
        return []
    if isinstance(values, str):
        values = [values]
    return [x.strip() for v in values for x in v.split(",") if x.strip()]


def cameo_codes(values: list[str] | None) -> list[str]:
    out = split(values)
    for c in out:
        if not CAMEO_RE.match(c):
            raise DetenteError("E303", f"--code {c!r} is not a CAMEO code or prefix",
                               "give 2 to 4 digits as a string, e.g. 03, 036 or 0312")
    return out


@lru_cache(maxsize=1)
def _countries() -> frozenset[str]:
    """ISO3 codes of the shipped country table (IGO and group codes are checked against the store)."""
    try:
        text = resources.files("detente.actors").joinpath("data/countries.csv").read_text("utf-8")
    except (FileNotFoundError, ModuleNotFoundError, OSError):
        return frozenset()
    return frozenset(r["iso3"] for r in csv.DictReader(text.splitlines()) if r.get("iso3"))


def actor_codes(values: list[str] | str | None, con, option: str = "--actor") -> list[str]:
    """Upper-cased actor codes, each checked to be well-formed and known (to the country table or the store)."""
    codes = [c.upper() for c in split(values)]
    if not codes:
        return []
    stored: set[str] | None = None
    for c in codes:
        if not ACTOR_RE.match(c):
            raise DetenteError("E303", f"{option} {c!r} is not an actor code",
                               "use a CAMEO-style code: ISO3 plus roles, e.g. RUS, RUSGOV, PRKMIL, NATO")
        if c[:3] in _countries() and len(c) == 3:
            continue
        if stored is None:
            stored = {r[0] for r in con.execute(
                "SELECT DISTINCT code FROM actor_mentions UNION SELECT DISTINCT country FROM actor_mentions "
                "UNION SELECT DISTINCT source_actor FROM events UNION SELECT DISTINCT target_actor FROM events"
            ).fetchall() if r[0]}
        if not any(s.startswith(c) for s in stored):
            raise DetenteError("E303", f"{option} {c!r} is not a known actor code",
                               "no country has it and no actor in the store starts with it; "
                               "`detente actors lookup NAME` shows a name's code")
    return codes
