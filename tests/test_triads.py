"""Triads and structural balance from constructed events (no model)."""

import pandas as pd
import pytest

from detente.analysis.triads import classify, signed_ties, triad_changes, triads
from detente.errors import DetenteError
from test_relations import _ev

# 2014: USA–RUS hostile, RUS–CHN cooperative, USA–CHN hostile: two friends, a common enemy (+ − −).
# 2015: USA–CHN turns cooperative while USA–RUS stays hostile: a friend of a friend is an enemy (+ + −).
EVENTS = pd.DataFrame([
    _ev(1, "USA", "RUS", 4, -8.0, "2014-03-17", "163"),
    _ev(2, "RUS", "CHN", 2, 7.4, "2014-05-21", "071"),
    _ev(3, "CHN", "RUS", 1, 3.0, "2014-06-01", "040"),
    _ev(4, "USA", "CHN", 3, -4.0, "2014-07-01", "111"),
    _ev(5, "USA", "RUS", 3, -4.0, "2015-02-01", "111"),
    _ev(6, "CHN", "RUS", 1, 4.0, "2015-03-01", "040"),
    _ev(7, "USA", "CHN", 1, 4.0, "2015-04-01", "040"),
    _ev(8, "CHN", "USA", 1, 3.0, "2015-04-02", "040", modality="intent"),
    _ev(9, "PRK", "RUS", 1, 3.0, "2015-05-01", "040"),
])


def test_classify_follows_heider_and_davis():
    assert classify((1, 1, 1))[:2] == ("balanced", True)
    assert classify((1, -1, -1))[:2] == ("balanced", True)
    assert classify((1, 1, -1)) == ("unbalanced", False, False)
    assert classify((-1, -1, -1)) == ("unbalanced", False, True)  # weakly balanced (Davis)
    assert classify((1, 0, -1))[0] == "undetermined" and classify((1, None, 1))[0] == "incomplete"


def test_ties_pool_both_directions():
    ties = signed_ties(EVENTS[EVENTS.event_date < "2015"]).set_index(["a", "b"])
    t = ties.loc[("CHN", "RUS")]
    assert (t.events, t.events_ab, t.events_ba, t.sign) == (2, 1, 1, 1) and t.event_ids == ["e2", "e3"]


def test_triads_per_period_and_the_change_list():
    df = triads(EVENTS, "Y")
    assert set(df.triad) == {"CHN–RUS–USA"}  # PRK has one tie only: no closed triad
    by = df.set_index("period")
    assert by.loc["2014"].status == "balanced" and by.loc["2015"].status == "unbalanced"
    assert by.loc["2014"].event_ids_ab == ["e2", "e3"] and by.loc["2015"].events_ac == 1  # intent left out
    ch = triad_changes(df)
    assert ch.sentence.tolist() == [
        "CHN–RUS–USA became unbalanced in 2015 (was balanced in 2014; signs ab/bc/ac +−− → +−+)"]
    with_intent = triads(EVENTS, "Y", asserted_only=False).set_index("period")
    assert with_intent.loc["2015"].events_ac == 2


def test_named_actors_keep_their_order_and_show_incomplete_triads():
    df = triads(EVENTS, "Y", actors=["usa", "RUS", "PRK"])
    assert df.triad.unique().tolist() == ["USA–RUS–PRK"]
    assert df.set_index("period").loc["2015"].status == "incomplete"
    with pytest.raises(DetenteError) as e:
        triads(EVENTS, "Y", actors=["USA", "RUS"])
    assert e.value.code == "E303"
    with pytest.raises(DetenteError):
        triads(EVENTS, "X")


def test_no_events_gives_empty_tables():
    df = triads(EVENTS.iloc[:0], "Y")
    assert df.empty and "event_ids_ab" in df.columns and triad_changes(df).empty


def test_goldstein_sign_rule_decides_neutral_ties():
    ev = pd.concat([EVENTS, pd.DataFrame([_ev(10, "PRK", "CHN", 1, 1.0, "2015-06-01", "040"),
                                          _ev(11, "PRK", "USA", 1, -1.0, "2015-06-02", "010")])], ignore_index=True)
    by_label = triads(ev, "Y").set_index(["period", "triad"])
    assert by_label.loc[("2015", "CHN–PRK–USA")].status == "undetermined"
    by_mean = triads(ev, "Y", sign_rule="goldstein").set_index(["period", "triad"])
    row = by_mean.loc[("2015", "CHN–PRK–USA")]
    assert row.pattern == "+−+" and row.status == "unbalanced"
    with pytest.raises(DetenteError):
        triads(ev, "Y", sign_rule="vibes")
