"""detente.periods: the one definition of what a coarse event date stands for,
checked at the edges of each granularity (no model needed)."""

import datetime as dt

import pytest

from detente.analysis.consolidate import window
from detente.coding.dates import EventDate
from detente.coding.dates import period_end as event_period_end
from detente.periods import interval, period_end

D = dt.date


@pytest.mark.parametrize("start,gran,last", [
    (D(2015, 1, 1), "day", D(2015, 1, 1)),
    (D(2015, 1, 1), "article", D(2015, 1, 1)),
    (D(2015, 2, 1), "month", D(2015, 2, 28)),
    (D(2016, 2, 1), "month", D(2016, 2, 29)),  # leap year
    (D(2015, 12, 1), "month", D(2015, 12, 31)),  # across the year end
    (D(2014, 12, 1), "season", D(2015, 2, 28)),  # winter ends with February, not on Mar 2
    (D(2015, 12, 1), "season", D(2016, 2, 29)),  # ... leap February included
    (D(2015, 6, 1), "season", D(2015, 8, 31)),
    (D(2015, 9, 1), "season", D(2015, 11, 30)),
    (D(2015, 1, 1), "year", D(2015, 12, 31)),
    (D(1990, 1, 1), "decade", D(1999, 12, 31)),  # not 2000-01-01
    (D(2000, 1, 1), "decade", D(2009, 12, 31)),
    (D(1947, 1, 1), "decade", D(1956, 12, 31)),  # an era dated by its first year
])
def test_period_end_edges(start, gran, last):
    assert period_end(start, gran) == last
    assert interval(start, gran) == (start, last)
    assert interval(start.isoformat(), gran) == (start, last)


@pytest.mark.parametrize("value,gran", [(None, "day"), ("", "year"), ("2015-13-01", "month"),
                                        ("2015-01-01", "unknown")])
def test_interval_of_nothing_is_none(value, gran):
    assert interval(value, gran) is None


@pytest.mark.parametrize("start,gran", [("1990-01-01", "decade"), ("2014-12-01", "season"),
                                        ("2016-02-01", "month"), ("2015-01-01", "year")])
def test_every_stage_uses_the_same_period(start, gran):
    """Dates, consolidation and tenure agree on the last day of a period."""
    last = period_end(D.fromisoformat(start), gran)
    assert event_period_end(EventDate(start, gran, "test")) == last
    assert window(start, gran) == (D.fromisoformat(start), last)


def test_consolidation_looks_back_a_week_for_article_dates():
    assert window("2015-03-10", "article") == (D(2015, 3, 3), D(2015, 3, 10))
