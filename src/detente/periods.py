"""What an event date of a given granularity stands for: one definition for every stage.

An event date is stored as the first day of its period plus a granularity
(``day``, ``month``, ``season``, ``year``, ``decade``, ``article``, ``unknown``).
The actor stage (is a person in office during the period?), the date stage (did
the period end long before the article?) and consolidation (do two mentions
overlap in time?) all ask which days that is; they ask here.

* a **month** runs to its last calendar day;
* a **season** is three calendar months (the meteorological seasons the date
  lexicon starts on: winter 2015 is 2014-12-01 .. 2015-02-28);
* a **year** runs to 31 December;
* a **decade** is the ten calendar years from its first year (1990-01-01 ..
  1999-12-31; a named era like "the Cold War" starts on its own first year);
* a **day** and an **article** date (the article's own date, used when the text
  gives none) are that day alone.
"""

from __future__ import annotations

import calendar
import datetime as dt

GRANULARITIES = ("day", "article", "month", "season", "year", "decade", "unknown")


def _add_months(d: dt.date, n: int) -> dt.date:
    m = d.month - 1 + n
    return dt.date(d.year + m // 12, m % 12 + 1, 1)


def period_end(start: dt.date, granularity: str) -> dt.date:
    """Last day (inclusive) of the period of ``granularity`` that starts on ``start``.

    An unknown granularity stands for ``start`` alone."""
    if granularity == "month":
        return start.replace(day=calendar.monthrange(start.year, start.month)[1])
    if granularity == "season":
        return _add_months(start, 3) - dt.timedelta(days=1)
    if granularity == "year":
        return dt.date(start.year, 12, 31)
    if granularity == "decade":
        return dt.date(start.year + 9, 12, 31)
    return start


def interval(start: dt.date | str | None, granularity: str) -> tuple[dt.date, dt.date] | None:
    """(first day, last day), both inclusive, of an event date; None when the date is
    missing, unreadable or its granularity is ``unknown``."""
    if start is None or granularity == "unknown":
        return None
    if isinstance(start, str):
        try:
            start = dt.date.fromisoformat(start[:10])
        except ValueError:
            return None
    return start, period_end(start, granularity)
