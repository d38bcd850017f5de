"""Publication dates: many input spellings to one ISO date (dateparser for the hard ones)."""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

_ISO = re.compile(r"^(\d{4})-?(\d{2})-?(\d{2})(?:[T ].*)?$")  # 2015-02-10, 20150210

# Missing parts are the first of the period ("2015" is 2015-01-01, never this month of 2015), and
# relative dates ("yesterday") are refused: relative to nothing, they would be the run's date.
_SETTINGS = {"REQUIRE_PARTS": ["year"], "PREFER_DAY_OF_MONTH": "first", "PREFER_MONTH_OF_YEAR": "first",
             "PARSERS": ["timestamp", "custom-formats", "absolute-time", "no-spaces-time"]}


def normalize_date(value) -> str | None:
    """ISO YYYY-MM-DD for a date given as a date, datetime or string; None if unknown."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    s = str(value).strip()
    m = _ISO.match(s)
    if m:
        try:
            return dt.date(int(m[1]), int(m[2]), int(m[3])).isoformat()
        except ValueError:
            return None
    return _parse(s)


@lru_cache(maxsize=4096)
def _parse(s: str) -> str | None:
    import dateparser

    d = dateparser.parse(s, languages=["en"], settings=_SETTINGS)
    return d.date().isoformat() if d else None
